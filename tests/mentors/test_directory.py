"""The directory: filters in the URL, sorts, bad filter values, "active now", teens, new mentors."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.clock import utcnow
from forum.extensions import db
from forum.mentors import services
from forum.models.mentors import MentorProfile
from tests.factories import make_user
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, make_review
from tests.mentors.reading import active_names, card_names


@pytest.fixture
def mentors(app):
    """Three mentors who differ in every filter; none of them online."""
    return {
        "juniper": make_mentor("juniper", tracks="Listener support, Group support", knowledge="Grief, Anxiety",
                               languages="English, Spanish", teens=True, adults=True, seen_minutes_ago=120),
        "oakley": make_mentor("oakley", tracks="Group support", knowledge="Anxiety, Self-care",
                              languages="English", adults=True, accepting=False, seen_minutes_ago=120),
        "fern": make_mentor("fern", tracks="Teen listeners", knowledge="School stress", languages="French",
                            teens=True, adults=False, seen_minutes_ago=120),
    }


@pytest.mark.parametrize("query, expected", [
    ("", {"Juniper", "Oakley", "Fern"}),
    ("track=group-support", {"Juniper", "Oakley"}),
    ("knowledge=anxiety", {"Juniper", "Oakley"}),
    ("knowledge=anxiety&track=listener-support", {"Juniper"}),
    ("language=spanish", {"Juniper"}),
    ("audience=teens", {"Juniper", "Fern"}),
    ("audience=adults", {"Juniper", "Oakley"}),
    ("accepting=1", {"Juniper", "Fern"}),
    ("language=french&audience=adults", set()),
])
def test_filters_narrow_the_cards(client, mentors, query, expected):
    response = client.get(f"/mentors?{query}")
    assert response.status_code == 200
    assert set(card_names(response.page)) == expected


def test_the_form_shows_the_filters_in_use(client, mentors):
    page = client.get("/mentors?track=group-support&accepting=1&sort=newest").page
    assert '<option value="group-support" selected>Group support</option>' in page
    assert 'name="accepting" value="1" checked' in page
    assert '<option value="newest" selected>Newest</option>' in page
    # Clearing the filters keeps the sort chosen.
    assert '<a href="/mentors?sort=newest">Clear filters</a>' in page
    assert '<a href="/mentors">Clear filters</a>' in client.get("/mentors?words=grief").page


def test_a_sort_alone_is_no_filter_to_clear(client, mentors):
    # "Clear filters" was offered when only the sort differed from best rated: it cleared no filter.
    for query in ("", "sort=newest", "sort=responsive"):
        assert "Clear filters" not in client.get(f"/mentors?{query}").page


@pytest.mark.parametrize("query, message", [
    ("track=astrology", "No mentor lists the track “astrology”."),
    ("knowledge=<script>", "No mentor lists the knowledge area “<script>”."),
    ("language=klingon", "No mentor lists the language “klingon”."),
    ("audience=kids", "Choose whom the mentors mentor: teens or adults."),
    ("accepting=yes", "The “accepting” filter is either on (1) or left out."),
    ("active=2", "The “active” filter is either on (1) or left out."),
    ("sort=random", "Sort by best rated, most responsive or newest."),
])
def test_unknown_filter_values_are_a_400_that_says_which(client, mentors, query, message):
    response = client.get(f"/mentors?{query}")
    assert response.status_code == 400
    assert message in response.page
    assert "<script>" not in response.get_data(as_text=True)


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client, mentors):
    assert set(card_names(client.get("/mentors?page=abc").page)) == {"Juniper", "Oakley", "Fern"}
    assert card_names(client.get("/mentors?page=99").page) == []


def test_a_page_past_the_last_says_so_and_does_not_blame_filters(client, mentors):
    page = client.get("/mentors?page=2").page
    assert "3 mentors" in page and card_names(page) == []
    assert "There is only one page of mentors; page 2 is past the last." in page
    assert '<a href="/mentors#results">Go to the last page</a>' in page
    assert "No mentor matches these filters" not in page


def test_a_filtered_page_past_the_last_links_to_the_last_with_the_filters(client):
    for number in range(14):
        make_mentor(f"guide{number}", tracks="Listener support", seen_minutes_ago=60)
    page = client.get("/mentors?track=listener-support&page=5").page
    assert "14 mentors match" in page and "There are only 2 pages of mentors; page 5 is past the last." in page
    assert '<a href="/mentors?page=2&track=listener-support#results">Go to the last page</a>' in page
    assert "No mentor matches these filters" not in page


def test_an_empty_directory_does_not_blame_filters_nobody_set(client):
    page = client.get("/mentors").page
    assert "0 mentors" in page and "No mentors are listed yet." in page
    assert "No mentor matches these filters" not in page


def test_best_rated_first_then_unrated(client, mentors):
    make_review(make_listener("ash", age_group="teen"), mentors["fern"], rating=3)
    make_review(make_listener("bowie"), mentors["juniper"], rating=5)
    assert card_names(client.get("/mentors").page) == ["Juniper", "Fern", "Oakley"]


def test_most_responsive_first_and_unknown_last(client, mentors):
    for number in range(3):
        make_mentorship(make_listener(f"quick{number}", age_group="teen"), mentors["fern"], hours_ago=30,
                        answered_after_hours=0.2)
        make_mentorship(make_listener(f"slow{number}"), mentors["juniper"], hours_ago=30, answered_after_hours=20)
    page = client.get("/mentors?sort=responsive").page
    assert card_names(page) == ["Fern", "Juniper", "Oakley"]
    assert "Usually answers within an hour" in page and "Usually answers within a day" in page


def test_newest_first(client, mentors):
    mentors["oakley"].created_at = utcnow() + timedelta(minutes=1)
    db.session.commit()
    assert card_names(client.get("/mentors?sort=newest").page) == ["Oakley", "Fern", "Juniper"]


def test_pages_keep_the_filters(client):
    for number in range(14):
        make_mentor(f"guide{number}", tracks="Listener support", seen_minutes_ago=60)
    first = client.get("/mentors?track=listener-support&sort=newest").page
    assert len(card_names(first)) == 12
    assert "page=2" in first and "track=listener-support" in first.split('rel="next"')[1].split(">")[0]
    assert len(card_names(client.get("/mentors?track=listener-support&sort=newest&page=2").page)) == 2
    # The number of matches comes with the page's cards; past the last page there are none
    # to bring it, and it is counted on its own.
    for page in (1, 2, 3):
        assert "14 mentors match" in client.get(f"/mentors?track=listener-support&page={page}").page


def test_a_card_shows_the_mentors_tags_in_their_order(client):
    make_mentor("juniper", tracks="Teen listeners, Listener support, Group support",
                knowledge="Self-care, Grief, Anxiety, Panic", languages="Spanish, English")
    card = client.get("/mentors").page.split('class="mentor-card card"')[1].split("</article>")[0]
    assert card.index("Teen listeners") < card.index("Listener support") < card.index("Group support")
    assert card.index("Self-care") < card.index("Grief") < card.index("Anxiety") and "Panic" not in card


def test_active_now_lists_mentors_seen_lately_or_marked_available(client, mentors):
    mentors["juniper"].user.last_seen_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    services.mark_available(mentors["fern"].user, mentors["fern"], 2, utcnow())
    page = client.get("/mentors").page
    assert active_names(page) == ["Fern", "Juniper"]  # marked available first
    assert set(card_names(client.get("/mentors?active=1").page)) == {"Juniper", "Fern"}
    assert active_names(client.get("/").page) == ["Fern", "Juniper"]


def test_active_now_forgets_old_visits_and_expired_marks(client, mentors):
    mentors["juniper"].user.last_seen_at = utcnow() - timedelta(minutes=16)
    services.mark_available(mentors["fern"].user, mentors["fern"], 1, utcnow() - timedelta(hours=2))
    assert active_names(client.get("/mentors").page) == []
    assert "No mentor is around right now" in client.get("/").page


def test_the_front_page_with_no_mentor_around_links_to_those_taking_requests(client, mentors):
    """It says "you can still send a request": the words lead to the mentors to send one to."""
    home = client.get("/").page
    assert "No mentor is around right now" in home
    assert "send a request" not in home  # a visitor asks no one (test_the_front_page_invites_...)
    make_listener("rowan")
    client.login("rowan")
    assert '<a href="/mentors?accepting=1&audience=adults">send a request</a>' in client.get("/").page
    # The directory's own strip needs no link: the mentors are listed under it.
    assert "send a request</a>" not in client.get("/mentors").page


def test_mentors_not_taking_mentees_stay_out_of_the_active_strip(client, mentors):
    mentors["oakley"].user.last_seen_at = utcnow()
    db.session.commit()
    assert active_names(client.get("/mentors").page) == []
    assert card_names(client.get("/mentors?active=1").page) == ["Oakley"]


def test_an_adult_is_not_invited_to_say_hello_to_a_mentor_who_mentors_teens_only(client, mentors):
    services.mark_available(mentors["fern"].user, mentors["fern"], 2, utcnow())
    mentors["juniper"].user.last_seen_at = utcnow()
    db.session.commit()
    assert active_names(client.get("/").page) == ["Fern", "Juniper"]  # a visitor may ask neither yet
    make_listener("rowan")
    client.login("rowan")
    home = client.get("/").page
    assert active_names(home) == ["Juniper"] and active_names(client.get("/mentors").page) == ["Juniper"]
    assert 'href="/mentors?active=1&accepting=1&audience=adults"' in home
    assert set(card_names(client.get("/mentors?active=1&accepting=1&audience=adults").page)) == {"Juniper"}
    client.logout()
    make_listener("kit", age_group="teen")
    client.login("kit")
    assert active_names(client.get("/").page) == ["Fern", "Juniper"]


def test_teens_see_only_mentors_who_mentor_teens(client, mentors):
    make_listener("kit", age_group="teen")
    mentors["oakley"].user.last_seen_at = utcnow()
    db.session.commit()
    client.login("kit")
    assert set(card_names(client.get("/mentors").page)) == {"Juniper", "Fern"}
    assert client.get("/mentors/oakley").status_code == 404
    assert client.get("/mentors/fern").status_code == 200


def test_teens_only_ask_teen_mentors_and_adults_only_adult_mentors(client, mentors):
    make_listener("kit", age_group="teen")
    make_listener("rowan")
    client.login("kit")
    assert client.submit("/mentors/oakley/request", {"message": "Hi"}).status_code == 404
    assert client.submit("/mentors/fern/request", {"message": "Hi"}).status_code == 302
    client.logout()
    client.login("rowan")
    response = client.submit("/mentors/fern/request", {"message": "Hi"})
    assert response.status_code == 403 and "Fern mentors teens only." in response.page


def test_granting_the_mentor_role_puts_someone_in_the_directory(client, runner):
    make_user("ada", role="admin")
    make_listener("sol")
    client.login("ada")
    client.submit("/admin/users/sol/roles", {"roles": ["member", "listener", "mentor"]})
    profile = db.session.scalar(select(MentorProfile))
    assert profile.user.username == "sol" and len(profile.sections) == 6
    assert "Sol" in card_names(client.get("/mentors").page)
    client.submit("/admin/users/sol/roles", {"roles": ["member", "listener"]})
    assert card_names(client.get("/mentors").page) == []
    assert client.get("/mentors/sol").status_code == 404
    make_listener("tam")
    assert runner.invoke(args=["grant-role", "tam", "mentor"]).exit_code == 0
    assert card_names(client.get("/mentors").page) == ["Tam"]


def test_teens_are_offered_only_the_tags_of_mentors_they_can_see(client, mentors):
    make_listener("kit", age_group="teen")
    client.login("kit")
    page = client.get("/mentors").page
    assert '<option value="teen-listeners"' in page and '<option value="self-care"' not in page
    assert client.get("/mentors?knowledge=self-care").status_code == 400


def test_readers_and_filters_that_share_a_statement_each_get_their_own_answer(client, mentors):
    # The directory's statements are made once per kind of reader and set of filters and
    # run with the reader's tags and time: one reader's answer must never be another's.
    make_listener("ash")
    make_listener("kit", age_group="teen")
    for _ in range(2):
        client.login("ash")
        assert set(card_names(client.get("/mentors?knowledge=anxiety").page)) == {"Juniper", "Oakley"}
        assert set(card_names(client.get("/mentors?knowledge=self-care").page)) == {"Oakley"}
        assert set(card_names(client.get("/mentors").page)) == {"Juniper", "Oakley", "Fern"}
        client.logout()
        client.login("kit")
        assert set(card_names(client.get("/mentors?knowledge=anxiety").page)) == {"Juniper"}
        assert set(card_names(client.get("/mentors?knowledge=school-stress").page)) == {"Fern"}
        assert set(card_names(client.get("/mentors").page)) == {"Juniper", "Fern"}
        client.logout()
    mentors["oakley"].user.last_seen_at = utcnow() - timedelta(minutes=14)
    mentors["fern"].user.last_seen_at = utcnow() - timedelta(minutes=16)
    db.session.commit()
    assert active_names(client.get("/mentors").page) == []  # Oakley takes no mentees; Fern left
    services.mark_available(mentors["fern"].user, mentors["fern"], 1, utcnow())
    assert active_names(client.get("/mentors").page) == ["Fern"]


@pytest.mark.parametrize("viewer, sees", [(None, False), ("rowan", False), ("kit", True), ("moss", True)])
def test_a_teen_mentor_shows_active_from_a_recent_visit_only_to_teens_and_staff(client, viewer, sees):
    """When a teen was last here is not shown to adults or visitors (their profile keeps it
    back), so "Active now" from a visit would tell them the same; a mark the mentor set
    themselves shows to all."""
    indigo = make_mentor("indigo", age_group="teen", seen_minutes_ago=2)
    make_listener("rowan")
    make_listener("kit", age_group="teen")
    make_user("moss", role="moderator")
    if viewer:
        client.login(viewer)
    assert ("Active now" in client.get("/mentors/indigo").page) is sees
    assert (card_names(client.get("/mentors?active=1").page) == ["Indigo"]) is sees
    assert ("Active now</span>" in client.get("/mentors").page) is sees
    services.mark_available(indigo.user, indigo, 2, utcnow())
    assert "Active now" in client.get("/mentors/indigo").page
    assert card_names(client.get("/mentors?active=1").page) == ["Indigo"]


def test_a_mentor_is_not_invited_to_say_hello_to_themselves(client, mentors):
    # "Pick one and say hello" listed the mentor reading it among those to ask.
    services.mark_available(mentors["fern"].user, mentors["fern"], 2, utcnow())
    mentors["juniper"].user.last_seen_at = utcnow()
    db.session.commit()
    client.login("juniper")
    assert active_names(client.get("/").page) == []  # Fern mentors teens only; Juniper is herself
    assert active_names(client.get("/mentors").page) == []
    client.logout()
    client.login("fern")
    assert active_names(client.get("/").page) == ["Juniper"]
    client.logout()
    make_listener("rowan")
    client.login("rowan")
    assert active_names(client.get("/mentors").page) == ["Juniper"]


def test_a_teen_is_not_offered_the_whom_they_mentor_filter(client, mentors):
    """Every mentor a teen may see mentors teens: "Teens" narrowed nothing, and "Adults"
    read as the mentor's age. A link typed with it lists her mentors as without it."""
    make_listener("kit", age_group="teen")
    client.login("kit")
    page = client.get("/mentors").page
    assert 'name="audience"' not in page and "Whom they mentor" not in page
    for typed in ("adults", "teens", "kids"):
        response = client.get(f"/mentors?audience={typed}")
        assert response.status_code == 200
        assert set(card_names(response.page)) == {"Juniper", "Fern"}
        assert "2 mentors</h2>" in response.page and "Clear filters" not in response.page
    # The front page's links to the directory carry no filter she is not offered.
    assert '<a href="/mentors?accepting=1">send a request</a>' in client.get("/").page


def test_an_adult_filters_by_whom_the_mentors_mentor(client, mentors):
    make_listener("rowan")
    client.login("rowan")
    page = client.get("/mentors?audience=adults").page
    assert '<label for="filter-audience">Whom they mentor</label>' in page
    assert '<option value="teens" >Mentors teens</option>' in page
    assert '<option value="adults" selected>Mentors adults</option>' in page
    assert set(card_names(page)) == {"Juniper", "Oakley"}


ONLY_LISTENERS_ASK = "Mentors guide listeners: only a listener can ask one to be their mentor"


@pytest.mark.parametrize("viewer, may_ask", [(None, False), ("ana", False), ("rowan", True)])
def test_the_front_page_invites_to_ask_a_mentor_only_those_who_may(client, mentors, viewer, may_ask):
    """A member who followed "Pick one and say hello" learnt on the mentor's page that only
    listeners may ask; the front page now says so first, and what mentors are for."""
    make_user("ana")
    make_listener("rowan")
    if viewer:
        client.login(viewer)
    empty = client.get("/").page
    assert ("You can still" in empty) is may_ask
    assert (ONLY_LISTENERS_ASK in empty) is not may_ask
    assert ("find a mentor who knows the situations you face" in empty) is may_ask
    mentors["juniper"].user.last_seen_at = utcnow()
    db.session.commit()
    home = client.get("/").page
    assert active_names(home) == ["Juniper"]
    assert ("Pick one and say hello." in home) is may_ask
    assert (ONLY_LISTENERS_ASK in home) is not may_ask
    assert ("An admin can make you a listener" in home) is (viewer == "ana")
