"""A search page runs the same number of statements however many posts match."""
from forum.extensions import db
from tests.factories import make_post, make_thread, make_user
from tests.ideas.factories import make_call, make_moderator
from tests.mentors.factories import make_mentor


def statements_for(client, count_queries, **args) -> int:
    with count_queries() as counter:
        response = client.get("/search", query_string=args)
    assert response.status_code == 200
    return counter.count


def add_matches(people, thread, count, start=0):
    for number in range(start, start + count):
        make_post(people[number % len(people)], thread, f"Compass note {number} for @{people[0].username}.")


def test_search_costs_the_same_with_5_or_45_matches(client, count_queries):
    people = [make_user(f"person{n}") for n in range(4)]
    thread = make_thread("Compass", author=people[0])
    make_call(make_moderator("moss"), title="Compass ideas", question="Which way next?")
    make_mentor("wren", headline="Compass for new listeners")
    add_matches(people, thread, 5)
    people[1].time_zone = "America/Toronto"  # dates are read as the reader's days
    db.session.commit()
    client.login("person1")
    few = {args: statements_for(client, count_queries, q="compass", **dict(args))
           for args in [(), (("part", "threads"),), (("author", "person2"),), (("page", "1"),),
                        (("since", "2025-01-01"), ("until", "9999-12-31"))]}

    add_matches(people, thread, 40, start=5)
    many = {args: statements_for(client, count_queries, q="compass", **dict(args)) for args in few}

    assert many == few
    # The reader and their roles, the ranked page with its count, one statement for each
    # kind of result shown (posts, a call, a mentor), the header's unread count, whether a
    # program is open to them (is "Training discussions" a place to offer); looking the
    # author up for that filter; on PostgreSQL, the sets of ids the reader's visibility
    # reads (badges, open discussions), and planning for the words and back.
    assert max(many.values()) <= 12
    # Newest first, the page holds only posts here (the call and the profile are older, or
    # undated): one statement fewer for each kind not shown, and never more.
    assert statements_for(client, count_queries, q="compass", order="newest") == many[()] - 2
