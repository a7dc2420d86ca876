"""Staff editing a call for ideas after it is open: its title, question, reaction counts and,
while nobody has written in it, who may take part."""
from datetime import datetime

import pytest
from sqlalchemy import select

from forum.accounts.staff import award_badge
from forum.extensions import db
from forum.ideas import editing
from forum.models.ideas import IdeaCall
from forum.models.moderation import AuditEntry
from forum.moderation.services import suspend
from tests.factories import make_badge, make_user
from tests.forms_on_page import send_from
from tests.ideas.factories import make_call, make_moderator, post_idea
from tests.ideas.pages import visible_text
from tests.search.pages import search

EDITED = {"title": "Ideas for a calmer waiting room", "question": "What would help while people **wait**?",
          "audience": "everyone", "required_badge": ""}


def edit_page(call) -> str:
    return f"/ideas/{call.thread_id}/edit"


def stored(call) -> IdeaCall:
    db.session.expire_all()
    return db.session.get(IdeaCall, call.thread_id)


def call_edits() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "call_edit")
                                   .order_by(AuditEntry.id)))


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_staff_fix_the_title_and_question_and_the_call_says_it_was_edited(client, role):
    call = make_call(make_moderator("moss"), "Ideas for a calmer wating room", question="What would help?")
    make_user("sage", role=role)
    client.login("sage")
    form = client.get(edit_page(call)).page
    assert "Ideas for a calmer wating room" in form and "What would help?" in form  # opened as it reads

    response = client.submit(edit_page(call), EDITED)

    assert response.status_code == 302 and response.headers["Location"] == f"/ideas/{call.thread_id}"
    call = stored(call)
    assert (call.title, call.question_md) == (EDITED["title"], EDITED["question"])
    assert call.question_html == "<p>What would help while people <strong>wait</strong>?</p>"
    assert call.edited_at is not None
    call.edited_at = datetime(2026, 12, 7, 14, 5)
    db.session.commit()
    client.logout()
    text = visible_text(client.get(f"/ideas/{call.thread_id}"))
    assert "Ideas for a calmer waiting room" in text and "wating" not in text
    assert "Edited 7 Dec 2026, 14:05 UTC" in text


def test_a_call_never_edited_does_not_say_so(client):
    call = make_call(make_moderator("moss"))
    assert "Edited" not in visible_text(client.get(f"/ideas/{call.thread_id}"))


@pytest.mark.parametrize("phase", ["evaluating", "shortlisted", "closed"])
def test_a_call_can_be_edited_in_any_phase(client, phase):
    call = make_call(make_moderator("moss"))
    call.phase = phase
    db.session.commit()
    client.login("moss")
    assert client.submit(edit_page(call), EDITED).status_code == 302
    assert stored(call).title == EDITED["title"]


@pytest.mark.parametrize("role", ["member", "listener", "mentor", "trainer"])
def test_only_staff_may_edit_a_call_and_others_are_told_why(client, role):
    call = make_call(make_moderator("moss"), "Ideas for the welcome week")
    make_user("sam", role=role)
    client.login("sam")
    refused = client.get(edit_page(call))
    assert refused.status_code == 403 and "Only moderators and admins can edit a call for ideas." in refused.page
    response = client.submit(edit_page(call), EDITED)
    assert response.status_code == 403
    assert stored(call).title == "Ideas for the welcome week" and stored(call).edited_at is None
    assert "Edit the call" not in client.get(f"/ideas/{call.thread_id}").page


def test_staff_find_the_edit_link_on_the_call(client):
    call = make_call(make_moderator("moss"))
    client.login("moss")
    assert f'href="{edit_page(call)}"' in client.get(f"/ideas/{call.thread_id}").page


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    call = make_call(make_moderator("moss"))
    assert client.get(edit_page(call)).status_code == 302


def test_a_call_nobody_may_see_is_not_found(client):
    call = make_call(make_moderator("moss"))
    client.login("moss")
    assert client.get(f"/ideas/{call.thread_id + 1000}/edit").status_code == 404


@pytest.mark.parametrize("change, field, message", [
    ({"title": "  "}, "title", "Give it a title."),
    ({"title": "x" * 201}, "title", "Keep the title under 200 characters"),
    ({"question": ""}, "question", "Ask the community a question"),
    ({"question": "x" * 10_001}, "question", "Keep the question under 10,000 characters (this is 10,001)."),
    ({"audience": "aliens"}, "audience", "Choose one of the options in the list."),
    ({"required_badge": "no-such-badge"}, "required_badge", "Choose one of the options in the list."),
])
def test_bad_edits_are_refused_by_the_field_with_the_text_kept(client, change, field, message):
    call = make_call(make_moderator("moss"), "Ideas for the welcome week", question="What helps?")
    client.login("moss")
    data = {**EDITED, **change}
    response = client.submit(edit_page(call), data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.page
    assert data["question"][:100] in response.page and data["title"][:100] in response.page
    assert (stored(call).title, stored(call).question_md, stored(call).edited_at) == (
        "Ideas for the welcome week", "What helps?", None)


def test_the_audit_log_says_the_call_was_edited_with_its_old_and_new_title(client):
    moss = make_moderator("moss")
    call = make_call(moss, "Ideas for a calmer wating room")
    client.login("moss")
    client.submit(edit_page(call), EDITED)
    [entry] = call_edits()
    assert (entry.actor_id, entry.target_type, entry.target_id) == (moss.id, "call", call.thread_id)
    assert "“Ideas for a calmer wating room” → “Ideas for a calmer waiting room”" in entry.details
    page = client.get("/mod/audit?action=call_edit").page
    assert "Edited the call" in page and "Ideas for a calmer wating room" in page


def test_an_edit_of_the_question_alone_is_logged_without_a_title_change(client):
    call = make_call(make_moderator("moss"), EDITED["title"], question="What helps?")
    client.login("moss")
    client.submit(edit_page(call), EDITED)
    [entry] = call_edits()
    assert "→" not in entry.details.split("The question")[0] and "The question" in entry.details


def test_saving_without_a_change_is_no_edit(client):
    call = make_call(make_moderator("moss"), EDITED["title"], question=EDITED["question"])
    client.login("moss")
    response = client.submit(edit_page(call), EDITED)
    assert response.status_code == 302
    assert stored(call).edited_at is None and call_edits() == []
    assert "Nothing to save" in client.get(response.headers["Location"]).page


def test_an_edited_title_is_found_by_its_new_words_and_not_its_old_ones(client):
    call = make_call(make_moderator("moss"), "Lighthouse evenings", question="Share one idea per post.")
    client.login("moss")
    client.submit(edit_page(call), {**EDITED, "title": "Harbour mornings", "question": "Any seashell ideas?"})
    assert [r.title for r in search(client, "harbour")] == ["Harbour mornings"]
    assert [r.title for r in search(client, "seashell")] == ["Harbour mornings"]
    assert search(client, "lighthouse") == []


def test_reaction_counts_can_be_hidden_after_opening(client):
    call = make_call(make_moderator("moss"))
    client.login("moss")
    client.submit(edit_page(call), {**EDITED, "hide_reactions_while_collecting": "y"})
    assert stored(call).hide_reactions_while_collecting
    assert "Reaction counts are hidden while ideas are collected" in client.get(f"/ideas/{call.thread_id}").page


def test_past_collecting_the_hiding_box_says_it_matters_only_back_in_collecting(client):
    call = make_call(make_moderator("moss"))
    client.login("moss")
    said = "This call is past collecting ideas, so its reaction counts show either way"
    assert said not in client.get(edit_page(call)).page
    call.phase = "evaluating"
    db.session.commit()
    assert said in client.get(edit_page(call)).page


def test_who_may_take_part_can_change_while_nobody_has_written(client):
    make_badge("verified-listener", "Verified Listener")
    call = make_call(make_moderator("moss"))
    client.login("moss")
    response = client.submit(edit_page(call), {**EDITED, "audience": "adult", "required_badge": "verified-listener"})
    assert response.status_code == 302
    thread = stored(call).thread
    assert (thread.audience, thread.required_badge.slug) == ("adult", "verified-listener")
    assert "Who may take part: Everyone → Adults only" in call_edits()[0].details


def _teen_call_for_badge_holders_with_an_idea():
    """(call, badge): Moss's call for teens holding the badge, where Tia has written an idea."""
    badge = make_badge("verified-listener", "Verified Listener")
    call = make_call(make_moderator("moss"), "Teen corner ideas", audience="teen", badge_slug="verified-listener")
    teen = make_user("tia", age_group="teen")
    award_badge(teen, badge)
    post_idea(teen, call)
    return call, badge


@pytest.mark.parametrize("change", [{"audience": "everyone"}, {"required_badge": ""}])
def test_who_may_take_part_stays_once_someone_has_written(client, change):
    # Ideas written for teens, or for a badge's holders, are never shown to a wider audience.
    call, badge = _teen_call_for_badge_holders_with_an_idea()
    client.login("moss")
    data = {**EDITED, "audience": "teen", "required_badge": "verified-listener", **change}
    response = client.submit(edit_page(call), data)
    assert response.status_code == 422
    # Sent by a page opened before the first idea, or made by hand: told why, beside the fixed words.
    assert ('<p class="error" id="who-may-take-part">Ideas have been written in this call, so who may take part '
            "can no longer change") in response.page
    assert EDITED["title"] in response.page
    thread = stored(call).thread
    assert (thread.audience, thread.required_badge_id, thread.title) == ("teen", badge.id, "Teen corner ideas")


def test_once_someone_has_written_the_form_shows_who_may_take_part_as_fixed_words_and_still_saves(client):
    call, badge = _teen_call_for_badge_holders_with_an_idea()
    client.login("moss")
    page = client.get(edit_page(call)).page
    # No menus that could only be refused, and no hint about how to choose.
    assert 'name="audience"' not in page and 'name="required_badge"' not in page
    assert "Leave at" not in page
    text = " ".join(visible_text(client.get(edit_page(call))).split())
    assert "Who may take part: Teens only — fixed once ideas came in" in text
    assert "Only holders of this badge: ★ Verified Listener — fixed once ideas came in" in text
    assert "Ideas have been written in this call, so who may take part can no longer change" in text
    # The form as the page has it (no menus sent) saves, and keeps who may take part.
    response = send_from(client, edit_page(call), edit_page(call), title="Teen corner: ideas",
                         question="What would help?")
    assert response.status_code == 302
    thread = stored(call).thread
    assert (thread.title, thread.audience, thread.required_badge_id) == ("Teen corner: ideas", "teen", badge.id)


def test_an_edit_page_opened_before_another_edit_shows_it_and_keeps_what_was_typed(client):
    moss = make_moderator("moss")
    call = make_call(moss, "Ideas for the welcome week", question="What helps?")
    client.login("moss")
    opened = client.get(edit_page(call)).page
    editing.edit_call(make_user("ada", role="admin"), call, title="Ideas for the welcome month",
                       question="What helps?", audience="everyone", badge_slug="",
                       hide_reactions_while_collecting=False)
    token = opened.split('name="based_on" type="hidden" value="')[1].split('"')[0]
    data = {**EDITED, "title": "Ideas for welcome week", "based_on": token}
    response = client.submit(edit_page(call), data)
    assert response.status_code == 409
    assert "changed this call since you opened this page" in response.page
    assert "Ideas for the welcome month" in response.page and "Ideas for welcome week" in response.page
    assert stored(call).title == "Ideas for the welcome month"
    # Having seen it, saving again puts theirs in its place.
    again = response.page.split('name="based_on" type="hidden" value="')[1].split('"')[0]
    assert client.submit(edit_page(call), {**data, "based_on": again}).status_code == 302
    assert stored(call).title == "Ideas for welcome week"


def test_a_suspended_moderator_edits_no_call(client):
    call = make_call(make_moderator("moss"), "Ideas for the welcome week")
    suspend(make_user("ada", role="admin"), make_moderator("moss2"), days=3, reason="Rude")
    client.login("moss2")
    response = client.submit(edit_page(call), EDITED)
    assert response.status_code == 403
    assert "not open or edit them" in response.page and EDITED["title"] in response.page
    assert stored(call).title == "Ideas for the welcome week"
