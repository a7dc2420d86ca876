"""Pages cost the same number of SQL statements whatever the number of mentors or reviews."""
from datetime import timedelta

from forum.clock import utcnow
from forum.extensions import db
from forum.models.mentors import ResponsivenessSpan
from tests.mentors.factories import make_listener, make_mentor, make_review

FILTERS = [
    "",
    "track=listener-support",
    "knowledge=grief&language=english",
    "audience=teens&accepting=1",
    "active=1&sort=responsive",
    "track=listener-support&knowledge=grief&language=english&audience=adults&accepting=1&active=1&sort=newest",
    "words=help",
    "words=help+grief&knowledge=grief&accepting=1&sort=responsive",
]


def add_mentors(first: int, count: int) -> None:
    for number in range(first, first + count):
        profile = make_mentor(f"guide{number}", tracks="Listener support, Group support",
                              knowledge="Grief, Anxiety, Loneliness, Panic", languages="English, German",
                              teens=True, adults=True, hours="Mon-Fri 18:00-20:00")
        profile.rating_sum, profile.review_count = 4 * (number % 5), number % 5
        if number % 2:  # answers in 10 minutes per number, from now until next year
            db.session.add(ResponsivenessSpan(mentor_id=profile.user_id, starts_at=utcnow(),
                                              ends_at=utcnow() + timedelta(days=365),
                                              base_seconds=600 * number, growth=0))
    db.session.commit()


def statements_per_page(client, count_queries, paths) -> dict[str, int]:
    counts = {}
    for path in paths:
        client.get(path)  # warm up: the first visit may record "last seen"
        with count_queries() as counter:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[path] = counter.count
    return counts


def test_the_directory_costs_the_same_for_5_and_30_mentors(client, count_queries):
    make_listener("rowan")
    client.login("rowan")
    paths = [f"/mentors?{query}" for query in FILTERS] + ["/"]
    add_mentors(0, 5)
    small = statements_per_page(client, count_queries, paths)
    add_mentors(5, 25)
    large = statements_per_page(client, count_queries, paths)
    assert large == small
    assert max(large.values()) <= 16
    # The words box is a condition in the page's one statement, not a statement of its own.
    assert large["/mentors?words=help"] == large["/mentors?"]


def test_a_profile_costs_the_same_with_5_and_25_reviews(client, count_queries):
    juniper = make_mentor("juniper", tracks="Listener support", knowledge="Grief", hours="Sat, Sun 10:00-12:00")
    mentees = [make_listener(f"mentee{number}") for number in range(12)]
    for mentee in mentees[:5]:
        make_review(mentee, juniper, rating=4)
    client.login("mentee0")
    paths = ["/mentors/juniper", "/mentors/juniper/request"]
    small = statements_per_page(client, count_queries, paths)
    # 20 more reviews (three pages) from twelve mentees: people come back to a mentor they liked.
    written = 5
    while written < 25:
        mentee = mentees[written % len(mentees)]
        make_review(mentee, juniper, rating=1 + written % 5, body=f"Review {written}")
        written += 1
    large = statements_per_page(client, count_queries, paths)
    db.session.refresh(juniper)
    assert juniper.review_count == 25
    assert large == small
    assert max(large.values()) <= 20


def test_a_mentors_own_pages_read_the_mentor_once(client, count_queries):
    # Reading their profile wrote nothing: committing anyway made every page read the
    # signed-in mentor, their badges and roles and the profile a second time.
    make_mentor("juniper")
    client.login("juniper")
    paths = ["/mentors/me/sections", "/mentors/me/sections/about", "/mentors/me/edit"]
    budget = {"/mentors/me/sections": 9, "/mentors/me/sections/about": 7, "/mentors/me/edit": 10}
    counts = statements_per_page(client, count_queries, paths)
    assert all(counts[path] <= budget[path] for path in paths), counts
