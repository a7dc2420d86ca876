"""Two trainers editing the same discussion or program: a stale save never undoes the
other's change unseen, and nothing either of them typed is lost."""
import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.training import Discussion, Program
from tests.html_checks import box_value
from tests.training.factories import discussion, make_program, make_trainer

DISCUSSION_FIELDS = {"title": "Discussion 1", "lesson_md": "Lesson 1.", "prompt": "Share 3 highs and 3 lows.",
                     "response_template": "3 highs:", "min_words": "8", "required_peer_replies": "2",
                     "save": "Save"}


@pytest.fixture
def program(app):
    make_trainer("tess")
    return make_program(make_trainer("tova"), discussions=1)


def _login(client, username):
    client.logout()
    client.login(username)


def _opened(client, path) -> dict:
    """The hidden fields of the edit page as it was opened, as a browser sends them back."""
    page = client.get(path).page
    return {name: box_value(page, name) for name in ("based_on", "discussion_id") if box_value(page, name) is not None}


def test_a_discussion_edit_begun_before_another_trainer_saved_does_not_undo_their_change(client, program):
    edit = f"/programs/{program.slug}/discussions/1/edit"
    client.login("tova")
    tova_opened = _opened(client, edit)
    assert tova_opened.get("based_on")
    _login(client, "tess")
    saved = client.submit(edit, {**DISCUSSION_FIELDS, "prompt": "Share 2 highs and 2 lows, kindly.",
                                 **_opened(client, edit)})
    assert saved.status_code == 302

    _login(client, "tova")
    typed = {**DISCUSSION_FIELDS, "lesson_md": "A lesson Tova rewrote & <expanded>."}
    stale = client.submit(edit, {**typed, **tova_opened})
    assert stale.status_code == 409
    assert "Someone else changed this discussion since you opened this page" in stale.page
    assert "Share 2 highs and 2 lows, kindly." in stale.page  # how it reads now
    assert "A lesson Tova rewrote & <expanded>.</textarea>" in stale.page  # what she typed, still in its box
    stored = discussion(program, 1)
    assert (stored.prompt, stored.lesson_md) == ("Share 2 highs and 2 lows, kindly.", "Lesson 1.")

    # Having seen it, saving again is her decision, and goes through.
    again = client.submit(edit, {**typed, "based_on": box_value(stale.page, "based_on"),
                                 "discussion_id": box_value(stale.page, "discussion_id")})
    assert again.status_code == 302
    db.session.expire_all()
    assert discussion(program, 1).lesson_md == "A lesson Tova rewrote & <expanded>."


def test_a_preview_on_a_stale_discussion_page_shows_the_preview_and_keeps_the_clash_for_save(client, program):
    edit = f"/programs/{program.slug}/discussions/1/edit"
    client.login("tova")
    tova_opened = _opened(client, edit)
    _login(client, "tess")
    client.submit(edit, {**DISCUSSION_FIELDS, "title": "Tess's title", **_opened(client, edit)})
    _login(client, "tova")
    unsaved = {name: value for name, value in DISCUSSION_FIELDS.items() if name != "save"}
    previewed = client.submit(edit, {**unsaved, "lesson_md": "Read *this*.", **tova_opened, "preview": "Preview"})
    assert previewed.status_code == 200 and "<em>this</em>" in previewed.page
    stale = client.submit(edit, {**DISCUSSION_FIELDS, "lesson_md": "Read *this*.",
                                 "based_on": box_value(previewed.page, "based_on"),
                                 "discussion_id": box_value(previewed.page, "discussion_id")})
    assert stale.status_code == 409
    assert discussion(program, 1).title == "Tess's title"


def test_a_discussion_edit_page_opened_before_the_version_field_existed_still_saves(client, program):
    client.login("tova")
    edit = f"/programs/{program.slug}/discussions/1/edit"
    # An old page: no based_on, no discussion_id.
    saved = client.submit(edit, {**DISCUSSION_FIELDS, "lesson_md": "An old page's lesson."})
    assert saved.status_code == 302
    assert discussion(program, 1).lesson_md == "An old page's lesson."


def test_saving_the_same_discussion_page_twice_is_not_a_clash_with_yourself(client, program):
    client.login("tova")
    edit = f"/programs/{program.slug}/discussions/1/edit"
    data = {**DISCUSSION_FIELDS, "lesson_md": "Saved twice.", **_opened(client, edit)}
    assert client.submit(edit, data).status_code == 302
    assert client.submit(edit, data).status_code == 302  # a second press, a resent form
    assert discussion(program, 1).lesson_md == "Saved twice."


def _program_fields(program, **changes) -> dict:
    return {"title": program.title, "slug": program.slug, "summary_md": program.summary_md,
            "audience": program.audience, "required_badge": "", "awarded_badge": "", "save": "Save", **changes}


def test_a_program_edit_begun_before_another_trainer_saved_does_not_undo_their_change(client, program):
    edit = f"/programs/{program.slug}/edit"
    fields = _program_fields(program)
    client.login("tova")
    tova_opened = _opened(client, edit)
    assert tova_opened.get("based_on")
    _login(client, "tess")
    assert client.submit(edit, {**fields, "summary_md": "Tess's **summary**.", **_opened(client, edit)}
                         ).status_code == 302

    _login(client, "tova")
    typed = {**fields, "summary_md": "Tova's longer summary, typed with care."}
    stale = client.submit(edit, {**typed, **tova_opened})
    assert stale.status_code == 409
    assert "Someone else changed this program since you opened this page" in stale.page
    assert "Tess's <strong>summary</strong>." in stale.page  # how it reads now
    assert "Tova's longer summary, typed with care." in stale.page  # still in her box
    assert db.session.get(Program, program.id).summary_md == "Tess's **summary**."

    again = client.submit(edit, {**typed, "based_on": box_value(stale.page, "based_on")})
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Program, program.id).summary_md == "Tova's longer summary, typed with care."


def test_a_program_edit_page_opened_before_the_version_field_existed_still_saves(client, program):
    client.login("tova")
    edit = f"/programs/{program.slug}/edit"
    assert client.submit(edit, _program_fields(program, summary_md="From an old page.")).status_code == 302
    assert db.session.get(Program, program.id).summary_md == "From an old page."


def test_publishing_or_adding_a_discussion_meanwhile_is_no_clash_with_a_program_edit(client, program):
    """Only what the edit form holds counts: a discussion added, or the program published,
    in another tab changes nothing the form would put back."""
    edit = f"/programs/{program.slug}/edit"
    client.login("tova")
    opened = _opened(client, edit)
    client.submit(f"/programs/{program.slug}/publish", {"published": "", "confirmed": "yes"})
    client.submit(f"/programs/{program.slug}/discussions/new", {**DISCUSSION_FIELDS, "title": "Discussion 2"})
    assert db.session.scalar(select(func.count(Discussion.id))) == 2
    saved = client.submit(edit, {**_program_fields(program, summary_md="Still mine."), **opened})
    assert saved.status_code == 302
    assert db.session.get(Program, program.id).summary_md == "Still mine."


def test_a_discussion_edit_sent_after_another_trainer_deleted_it_keeps_the_text_to_add_again(client):
    # The edit used to end on a 404 page ("That discussion is no longer in this program"),
    # and the lesson the trainer had rewritten was gone.
    program = make_program(make_trainer("tova"), discussions=2)
    make_trainer("tess")
    edit = f"/programs/{program.slug}/discussions/2/edit"
    client.login("tova")
    opened = _opened(client, edit)
    _login(client, "tess")
    doomed = discussion(program, 2).id
    client.submit(f"/programs/{program.slug}/discussions/2/delete", {"discussion_id": str(doomed)})
    assert db.session.get(Discussion, doomed) is None

    _login(client, "tova")
    typed = {**DISCUSSION_FIELDS, "title": "Discussion 2", "lesson_md": "A lesson Tova rewrote & <expanded>."}
    stale = client.submit(edit, {**typed, **opened})
    assert stale.status_code == 409
    assert "was deleted while you were editing it" in stale.page
    assert "A lesson Tova rewrote & <expanded>.</textarea>" in stale.page
    action = f'action="/programs/{program.slug}/discussions/new"'
    assert action in stale.text

    # Saving from there adds it back, as a new discussion at the end.
    added = client.submit(f"/programs/{program.slug}/discussions/new", typed)
    assert added.status_code == 302
    assert discussion(program, 2).lesson_md == "A lesson Tova rewrote & <expanded>."
