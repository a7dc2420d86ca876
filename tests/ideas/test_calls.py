"""Opening calls for ideas, and the list of calls ("Calls for ideas") that shows them."""
import pytest
from sqlalchemy import func, select

from forum.accounts.staff import award_badge
from forum.extensions import db
from forum.models.ideas import IdeaCall
from forum.models.posts import Thread
from tests.factories import make_badge, make_user
from tests.ideas.factories import make_call, make_moderator, post_idea, reply_to
from tests.ideas.pages import visible_text

GOOD_CALL = {"title": "Ideas for a calmer waiting room", "question": "What would help while people wait?",
             "audience": "everyone", "required_badge": ""}


def count_calls() -> int:
    return db.session.scalar(select(func.count()).select_from(IdeaCall))


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_staff_open_a_call_with_audience_badge_and_hidden_counts(client, role):
    make_user("sage", role=role)
    make_badge("verified-listener", "Verified Listener")
    client.login("sage")
    response = client.submit("/ideas/new", {**GOOD_CALL, "audience": "adult", "required_badge": "verified-listener",
                                            "hide_reactions_while_collecting": "y"})
    assert response.status_code == 302
    call = db.session.scalar(select(IdeaCall))
    assert (call.phase, call.hide_reactions_while_collecting, call.thread.kind) == ("collecting", True, "idea_call")
    assert (call.thread.audience, call.thread.required_badge.slug) == ("adult", "verified-listener")
    assert call.question_html == "<p>What would help while people wait?</p>"
    page = client.get(response.headers["Location"]).page
    assert "Collecting ideas" in page and "For adults" in page and "Verified Listener holders" in page


def test_the_title_hint_names_the_page_the_title_shows_on(client):
    # The page is "Calls for ideas" (the menu says "Ideas"); no page is called the idea board.
    make_user("sage", role="moderator")
    client.login("sage")
    form = client.get("/ideas/new").page
    assert "A short line people see in the list of calls for ideas." in form
    assert "idea board" not in form
    assert "<h1>Calls for ideas</h1>" in client.get("/ideas").page


@pytest.mark.parametrize("role", ["member", "listener", "mentor", "trainer"])
def test_only_staff_may_open_a_call(client, role):
    make_user("sam", role=role)
    client.login("sam")
    assert client.get("/ideas/new").status_code == 403
    response = client.submit("/ideas/new", GOOD_CALL)
    assert response.status_code == 403
    assert count_calls() == 0
    assert "Open a call for ideas" not in client.get("/ideas").page


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/ideas/new").status_code == 302


@pytest.mark.parametrize("change, field, message", [
    ({"title": "  "}, "title", "Give it a title."),
    ({"title": "\u200b\u200b"}, "title", "Give it a title."),  # zero-width spaces: a link nobody can see
    ({"question": ""}, "question", "Ask the community a question"),
    ({"question": "x" * 10_001}, "question", "Keep the question under 10,000 characters (this is 10,001)."),
    ({"audience": "aliens"}, "audience", "Choose one of the options in the list."),
    ({"required_badge": "no-such-badge"}, "required_badge", "Choose one of the options in the list."),
])
def test_bad_calls_are_refused_by_the_field_with_the_text_kept(client, change, field, message):
    make_moderator("moss")
    client.login("moss")
    data = {**GOOD_CALL, **change}
    response = client.submit("/ideas/new", data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.page
    assert data["question"][:100] in response.page  # nothing typed is lost
    assert count_calls() == 0 and db.session.scalar(select(func.count()).select_from(Thread)) == 0


def test_a_page_of_ideas_past_the_last_says_so_not_that_there_are_none(client):
    call = make_call(make_moderator("moss"), "Ideas for the welcome week")
    post_idea(make_user("ana"), call)
    page = client.get(f"/ideas/{call.thread_id}?page=5").page
    assert "No ideas yet" not in page and "There is only 1 page:" in page


def test_a_page_of_the_board_past_the_last_says_so_not_that_there_are_no_calls(client):
    make_call(make_moderator("moss"), "Ideas for the welcome week")
    text = visible_text(client.get("/ideas?page=5"))
    assert "No calls for ideas yet" not in text and "There is only 1 page: go to the last" in text

def test_board_lists_calls_with_phase_counts_and_last_activity(client):
    moss = make_moderator("moss")
    ana, ben = make_user("ana"), make_user("ben")
    busy = make_call(moss, "Ideas for the welcome week")
    quiet = make_call(moss, "Ideas for night shifts")
    idea = post_idea(ana, busy)
    post_idea(ben, busy, "Pair new listeners with a buddy.")
    reply_to(moss, idea)
    page = client.get("/ideas").page
    # The most recently active call comes first.
    assert page.index("Ideas for the welcome week") < page.index("Ideas for night shifts")
    busy_row = page[page.index("Ideas for the welcome week"):page.index("Ideas for night shifts")]
    assert "2 ideas" in busy_row and "3 contributors" in busy_row and "Last activity" in busy_row
    assert "0 ideas" in page[page.index("Ideas for night shifts"):]
    assert quiet.phase_label in page


def test_board_filters_by_phase(client):
    moss = make_moderator("moss")
    make_call(moss, "Still collecting")
    done = make_call(moss, "All wrapped up")
    done.phase = "closed"
    db.session.commit()
    page = client.get("/ideas?phase=closed").page
    assert "All wrapped up" in page and "Still collecting" not in page
    assert "No calls in this phase." in client.get("/ideas?phase=evaluating").page


def test_an_unknown_phase_filter_is_a_clear_400(client):
    response = client.get("/ideas?phase=%25%27drop")
    assert response.status_code == 400
    assert "There is no phase called “%'drop”" in response.page


def test_calls_a_person_may_not_see_are_not_listed_or_shown(client):
    moss = make_moderator("moss")
    badge = make_badge("mentor-circle", "Mentor circle")
    make_call(moss, "For everyone")
    teens = make_call(moss, "Teen corner ideas", audience="teen")
    locked = make_call(moss, "Mentor circle ideas", badge_slug="mentor-circle")
    holder = make_user("holder", age_group="adult")
    award_badge(holder, badge)
    make_user("teenager", age_group="teen")

    def listed():
        page = client.get("/ideas").page
        return {title for title in ("For everyone", "Teen corner ideas", "Mentor circle ideas") if title in page}

    assert listed() == {"For everyone"}
    assert client.get(f"/ideas/{teens.id}").status_code == 404
    client.login("teenager")
    assert listed() == {"For everyone", "Teen corner ideas"}
    assert client.get(f"/ideas/{locked.id}").status_code == 404
    client.logout()
    client.login("holder")
    assert listed() == {"For everyone", "Mentor circle ideas"}
    client.logout()
    client.login("moss")
    assert listed() == {"For everyone", "Teen corner ideas", "Mentor circle ideas"}


def test_open_calls_appear_on_the_front_page(client):
    moss = make_moderator("moss")
    make_call(moss, "Ideas for the welcome week")
    closed = make_call(moss, "An old call")
    closed.phase = "closed"
    db.session.commit()
    page = client.get("/").page
    assert "Open calls for ideas" in page and "Ideas for the welcome week" in page and "An old call" not in page


def test_the_front_page_counts_the_ideas_a_call_shows(client, count_queries):
    moss = make_moderator("moss")
    call = make_call(moss, "Ideas for the welcome week")
    ana = make_user("ana")
    post_idea(ana, call, "A short welcome video.")
    removed = post_idea(ana, call, "A welcome quiz.")
    hidden = post_idea(make_user("ben"), call, "Buy followers here.")
    reply_to(make_user("cleo"), removed, "A quiz sounds fun!")
    client.login("ana")
    assert client.submit(f"/posts/{removed.id}/delete", {"confirmed": "yes"}).status_code == 302
    client.logout()
    client.login("moss")
    assert client.submit(f"/posts/{hidden.id}/hide", {"reason": "Spam"}).status_code == 302
    client.logout()
    # The call's page and the board say one idea; so does the front page.
    assert "Ideas 1 " in visible_text(client.get(f"/ideas/{call.id}"))
    assert "Ideas for the welcome week Phase: Collecting ideas 1 idea " in visible_text(client.get("/ideas"))
    assert "Ideas for the welcome week · 1 idea so far" in visible_text(client.get("/"))
    post_idea(make_user("dev"), call, "Name tags with pronouns.")
    assert "Ideas for the welcome week · 2 ideas so far" in visible_text(client.get("/"))
    with count_queries() as counter:  # counted once per change, kept with the call's pages
        client.get("/")
    assert not any("idea_statuses" in statement for statement in counter.statements)


def test_the_engine_thread_address_leads_to_the_call(client):
    call = make_call(make_moderator("moss"))
    response = client.get(f"/threads/{call.thread_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/ideas/{call.id}")
    assert client.get(f"/ideas/{call.id}-any-slug").status_code == 200
    assert client.get("/ideas/99999").status_code == 404


def test_the_engine_thread_address_keeps_paging_sorting_and_the_status_shown_and_nothing_else(client):
    call = make_call(make_moderator("moss"))
    asked = client.get(f"/threads/{call.thread_id}?page=2&sort=reactions&status=shortlisted")
    assert asked.status_code == 302
    assert asked.headers["Location"].endswith(f"/ideas/{call.id}?page=2&sort=reactions&status=shortlisted")
    # Names the link builder takes as its own, or the call's id, were a 500 or a #fragment.
    for query in ("endpoint=x", "thread=x", "call_id=3", "_anchor=x", "_external=1"):
        response = client.get(f"/threads/{call.thread_id}?{query}")
        assert response.status_code == 302, query
        assert response.headers["Location"].endswith(f"/ideas/{call.id}"), query


def test_one_new_call_per_15_seconds_keeps_the_typed_call(make_app):
    limited = make_app(RATELIMIT_ENABLED=True)
    with limited.app_context():
        make_user("sage", role="moderator")
        client = limited.test_client()
        client.login("sage")
        refused_shape = client.submit("/ideas/new", {**GOOD_CALL, "question": ""})
        assert refused_shape.status_code == 422  # a call with a mistake uses none of the allowance
        assert client.submit("/ideas/new", GOOD_CALL).status_code == 302
        second = {**GOOD_CALL, "title": "Ideas for the welcome message",
                  "question": "What should a newcomer read first?"}
        refused = client.submit("/ideas/new", second)
        assert refused.status_code == 429
        assert "starting threads very quickly" in refused.page and "try again in" in refused.page
        assert 'value="Ideas for the welcome message"' in refused.page
        assert "What should a newcomer read first?" in refused.page
        assert 0 < int(refused.headers["Retry-After"]) <= 15
        assert count_calls() == 1


def test_a_call_sent_twice_opens_once(make_app):
    # A double-click: the second send used to be refused as "starting threads very quickly",
    # which was the page the moderator saw, so they opened the same call again later.
    limited = make_app(RATELIMIT_ENABLED=True)
    with limited.app_context():
        make_user("sage", role="moderator")
        client = limited.test_client()
        client.login("sage")
        token = client.csrf_token()
        first = client.submit("/ideas/new", {**GOOD_CALL, "csrf_token": token})
        again = client.submit("/ideas/new", {**GOOD_CALL, "csrf_token": token})
        assert first.status_code == again.status_code == 302
        assert again.headers["Location"] == first.headers["Location"]
        assert "The call for ideas is open." in client.get(again.headers["Location"]).page
        assert count_calls() == 1


def test_the_same_call_for_teens_and_then_for_adults_is_two_calls(client):
    make_user("sage", role="moderator")
    client.login("sage")
    assert client.submit("/ideas/new", {**GOOD_CALL, "audience": "teen"}).status_code == 302
    assert client.submit("/ideas/new", {**GOOD_CALL, "audience": "adult"}).status_code == 302
    assert count_calls() == 2
