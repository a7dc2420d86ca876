"""Trainers write programs and discussions, preview Markdown, order and publish them."""
import re

import pytest
from sqlalchemy import func, select

from forum.errors import DomainError
from forum.extensions import db
from forum.models.posts import Thread
from forum.models.training import Discussion, Program
from forum.training import authoring
from forum.training.discussion_authoring import add_discussion
from tests.factories import make_badge, make_post, make_user
from tests.training.factories import discussion, enrol, make_program, make_trainer

DISCUSSION_FIELDS = {"title": "Discussion 1: Hello", "lesson_md": "Read *this*.", "prompt": "Share 3 highs.",
                     "response_template": "3 highs:", "min_words": "20", "required_peer_replies": "2"}


@pytest.fixture
def trainer_client(client):
    make_trainer("tova")
    client.login("tova")
    return client


def titles(program) -> list[str]:
    return list(db.session.scalars(select(Discussion.title).where(Discussion.program_id == program.id)
                                   .order_by(Discussion.position)))


def test_a_trainer_previews_then_creates_a_draft_program_and_publishes_it(trainer_client):
    make_badge("group-basics", "Group Basics")
    fields = {"title": "Group Support Basics", "slug": "", "summary_md": "Learn **together**.",
              "audience": "adult", "required_badge": "", "awarded_badge": "group-basics"}
    preview = trainer_client.submit("/programs/new", {**fields, "preview": "Preview"})
    assert preview.status_code == 200 and "<strong>together</strong>" in preview.page
    assert db.session.scalar(select(func.count(Program.id))) == 0
    assert "Learn **together**." in preview.page  # the text stays in the box

    assert trainer_client.submit("/programs/new", {**fields, "save": "Save"}).status_code == 302
    program = db.session.scalar(select(Program))
    assert (program.slug, program.published, program.awarded_badge.slug) == ("group-support-basics", False, "group-basics")

    refused = trainer_client.submit(f"/programs/{program.slug}/publish", {"published": "1"}, follow_redirects=True)
    assert "Add at least one discussion before publishing" in refused.page
    new_discussion = f"/programs/{program.slug}/discussions/new"
    # A number typed into a title goes stale when the discussions are reordered: the form says so.
    assert "Leave its number out: the pages number the discussions" in trainer_client.get(new_discussion).page
    shown = trainer_client.submit(new_discussion, {**DISCUSSION_FIELDS, "preview": "Preview"})
    assert "<em>this</em>" in shown.page and not titles(program)
    # The preview shows what trainees read under the lesson: the prompt and what completing it asks.
    previewed = shown.page[shown.page.index('id="the-preview"'):]
    assert "Share 3 highs." in previewed
    assert "Post your response (20 words or more), then reply to at least 2 fellow trainees" in previewed
    assert trainer_client.submit(new_discussion, {**DISCUSSION_FIELDS, "save": "Save"}).status_code == 302
    assert titles(program) == ["Discussion 1: Hello"]
    thread = db.session.get(Thread, discussion(program, 1).thread_id)
    assert (thread.kind, thread.audience) == ("discussion", "adult")

    trainer_client.submit(f"/programs/{program.slug}/publish", {"published": "1"})
    assert db.session.get(Program, program.id).published
    make_user("ana")
    trainer_client.logout()
    trainer_client.login("ana")
    assert "Group Support Basics" in trainer_client.get("/programs").page


@pytest.mark.parametrize("field, value, message", [
    ("min_words", "0", "Ask for at least 1 word"),
    ("min_words", "-5", "Ask for at least 1 word"),
    ("min_words", "many", "Enter a whole number"),
    ("required_peer_replies", "0", "Ask for at least 1 fellow trainee"),
    ("required_peer_replies", "-1", "Ask for at least 1 fellow trainee"),
    ("required_peer_replies", "", "Enter a whole number"),
    ("required_peer_replies", "51", "Ask for at most 50 fellow trainees to reply to."),
    ("min_words", "5001", "Ask for at most 5,000 words."),
    ("title", "", "Give it a title"),
    ("prompt", "", "Give it a prompt"),
])
def test_requirements_of_zero_or_less_and_missing_fields_are_refused(trainer_client, field, value, message):
    program = make_program(make_trainer("tess"), discussions=0, published=False)
    response = trainer_client.submit(f"/programs/{program.slug}/discussions/new",
                                     {**DISCUSSION_FIELDS, field: value, "save": "Save"})
    assert response.status_code == 200 and message in response.page
    assert "Read *this*." in response.page  # nothing typed is lost
    assert titles(program) == []


def test_editing_a_program_moves_its_discussions_behind_the_new_age_group_and_badge(trainer_client):
    make_badge("verified", "Verified")
    program = make_program(make_trainer("tess"), discussions=2)
    trainer_client.submit(f"/programs/{program.slug}/edit", {
        "title": "Renamed", "slug": "renamed", "summary_md": "", "audience": "teen",
        "required_badge": "verified", "awarded_badge": "", "save": "Save"})
    threads = db.session.scalars(select(Thread).where(Thread.kind == "discussion")).all()
    assert {(t.audience, t.required_badge.slug) for t in threads} == {("teen", "verified")}
    assert trainer_client.get("/programs/renamed").status_code == 200


@pytest.mark.parametrize("taken_part_by", ["enrolling", "writing"])
def test_once_people_have_taken_part_the_age_group_of_a_program_stays(trainer_client, taken_part_by):
    # Moved to teens only, the adults who had enrolled would lose their place, and a teen
    # enrolling would read what adults wrote in a space made for adults.
    program = make_program(make_trainer("tess"), audience="adult", discussions=1)
    edit = f"/programs/{program.slug}/edit"
    fields = {"title": program.title, "slug": program.slug, "summary_md": "Come as you are.",
              "audience": "teen", "required_badge": "", "awarded_badge": "", "save": "Save"}
    if taken_part_by == "enrolling":
        enrol(make_user("ada_adult", role="listener"), program)
    else:
        make_post(make_user("moss", role="moderator"), db.session.get(Thread, discussion(program, 1).thread_id))
    assert "who it is for can no longer change" in trainer_client.get(edit).page

    refused = trainer_client.submit(edit, fields)
    assert "People have taken part in this program, so who it is for can no longer change" in refused.page
    assert "Come as you are." in refused.page  # nothing typed is lost
    db.session.refresh(program)
    assert program.audience == "adult"
    assert {t.audience for t in db.session.scalars(select(Thread).where(Thread.kind == "discussion"))} == {"adult"}

    # Everything else can still change.
    assert trainer_client.submit(edit, {**fields, "audience": "adult"}).status_code == 302
    db.session.refresh(program)
    assert program.summary_md == "Come as you are."


def test_a_program_made_a_draft_again_tells_its_trainees_why_it_is_closed(client):
    program = make_program(make_trainer("tova"), discussions=2)
    enrol(make_user("ana_trainee", role="listener"), program)
    make_user("ben")
    client.login("tova")
    page = f"/programs/{program.slug}"
    question = "Unpublish “Group Support Basics”?"
    details = ("Until you publish it again, only trainers and admins can open it: its enrolled trainees can no "
               "longer read or post in its discussions (their progress is kept), and nobody else can find it or enrol.")
    assert f"{question} {details}" in client.get(page).page  # asked by forum.js
    # Without JavaScript, a page asks first, and only its button unpublishes.
    asked = client.submit(f"{page}/publish", {"published": "0"})
    assert asked.status_code == 200 and f"<h1>{question}</h1>" in asked.page and details in asked.page
    assert "each is told" not in asked.page
    assert 'name="confirmed" value="yes"' in asked.page and 'name="published" value="0"' in asked.page
    assert db.session.get(Program, program.id).published
    after = client.submit(f"{page}/publish", {"published": "0", "confirmed": "yes"}, follow_redirects=True)
    # Nobody is notified: the page said they were "told", where they only read it on opening the program.
    assert ("The program is back to a draft. Until you publish it again, its 1 enrolled trainee reads that "
            "it is closed for now on opening it; their progress is kept.") in after.page
    assert "told it is closed" not in after.page
    client.logout()

    client.login("ana_trainee")
    for path in (page, f"{page}/discussions/1"):
        closed = client.get(path)
        assert closed.status_code == 404
        assert "This program is closed for now: its trainers made it a draft again." in closed.page
        # Not dressed as a missing page: the trainee was just told the program exists.
        assert "We couldn't find that page" not in closed.page and "It may have moved" not in closed.page
    client.logout()
    client.login("ben")  # never enrolled: as if there were no such program
    stranger = client.get(page)
    assert stranger.status_code == 404 and "closed for now" not in stranger.page
    assert "We couldn't find that page" in stranger.page


def test_a_response_sent_after_the_program_was_made_a_draft_comes_back_to_copy(client):
    # The trainee's response ended on "That thread doesn't exist." and was gone.
    trainer = make_trainer("tova")
    program = make_program(trainer, discussions=2)
    enrol(make_user("ana_trainee", role="listener"), program)
    client.login("ana_trainee")
    token = client.csrf_token()
    authoring.set_published(trainer, program, False)  # meanwhile, in the trainer's tab
    typed = "Three highs: a calm chat, a thank-you & a <good> night's sleep. Three lows: none today."
    sent = client.post(f"/threads/{discussion(program, 1).thread_id}/posts", data={"body": typed, "csrf_token": token})
    assert sent.status_code == 404
    assert "Nothing was sent. What you wrote is here to copy:" in sent.page
    assert f">{typed}</textarea>" in sent.page


def test_an_accented_title_gives_a_short_name_with_its_base_letters(trainer_client):
    trainer_client.submit("/programs/new", {"title": "Ünïcode Program", "slug": "", "summary_md": "",
                                            "audience": "everyone", "required_badge": "", "awarded_badge": "",
                                            "save": "Save"})
    assert db.session.scalar(select(Program.slug)) == "unicode-program"
    assert trainer_client.get("/programs/unicode-program").status_code == 200


def test_a_taken_or_malformed_short_name_is_refused(trainer_client):
    make_program(make_trainer("tess"), title="Group Support Basics")
    for slug, message in (("group-support-basics", "Another program already uses that short name"),
                          ("Bad Name!", "lower-case letters"), ("new", "lower-case letters")):
        response = trainer_client.submit("/programs/new", {"title": "Another", "slug": slug, "audience": "everyone",
                                                           "required_badge": "", "awarded_badge": "", "save": "Save"})
        assert message in response.page
    assert db.session.scalar(select(func.count(Program.id))) == 1


def test_a_program_sent_twice_is_saved_once_without_a_refusal(trainer_client):
    # A double-click on "Save": the second send was refused as "Another program already uses
    # that short name", the form shown again as if nothing was saved.
    fields = {"title": "Group Support Basics", "slug": "", "summary_md": "Learn **together**.", "audience": "adult",
              "required_badge": "", "awarded_badge": "", "save": "Save"}
    token = trainer_client.csrf_token()
    first = trainer_client.post("/programs/new", data={**fields, "csrf_token": token})
    again = trainer_client.post("/programs/new", data={**fields, "csrf_token": token})
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert "is saved as a draft" in trainer_client.get(again.headers["Location"]).page
    assert db.session.scalar(select(func.count(Program.id))) == 1
    # Another trainer's program, or other words under a taken name, is still refused.
    refused = trainer_client.submit("/programs/new", {**fields, "summary_md": "Something else."})
    assert "Another program already uses that short name" in refused.page
    assert db.session.scalar(select(func.count(Program.id))) == 1


def test_reordering_with_colliding_or_missing_positions_is_refused_and_changes_nothing(trainer_client):
    program = make_program(make_trainer("tess"), discussions=3)
    ids = [discussion(program, n).id for n in (1, 2, 3)]
    path = f"/programs/{program.slug}/order"
    clash = trainer_client.submit(path, {f"position-{ids[0]}": "2", f"position-{ids[1]}": "2", f"position-{ids[2]}": "1"})
    assert clash.status_code == 422
    assert "“Discussion 1” and “Discussion 2” both have position 2" in clash.page
    out_of_range = trainer_client.submit(path, {f"position-{ids[0]}": "4", f"position-{ids[1]}": "2",
                                                f"position-{ids[2]}": "1"})
    assert "a position from 1 to 3" in out_of_range.page
    stale = trainer_client.submit(path, {f"position-{ids[0]}": "2", f"position-{ids[1]}": "1"}, follow_redirects=True)
    assert "changed while you were ordering" in stale.page
    assert titles(program) == ["Discussion 1", "Discussion 2", "Discussion 3"]

    done = trainer_client.submit(path, {f"position-{ids[0]}": "3", f"position-{ids[1]}": "1", f"position-{ids[2]}": "2"})
    assert done.status_code == 302
    assert titles(program) == ["Discussion 2", "Discussion 3", "Discussion 1"]
    stepped = trainer_client.submit(f"/programs/{program.slug}/discussions/3/move", {"direction": "up"},
                                    follow_redirects=True)
    assert titles(program) == ["Discussion 2", "Discussion 1", "Discussion 3"]
    assert "“Discussion 1” is now discussion 2." in stepped.page
    moved = trainer_client.submit(f"/programs/{program.slug}/discussions/1/move", {"direction": "up"},
                                  follow_redirects=True)
    assert "can't move further" in moved.page


def test_a_refused_order_marks_the_position_to_fix_for_a_screen_reader(trainer_client):
    # The message names a discussion, but a screen reader reached the field through the
    # table: the box to change says it is invalid and reads the message with its label.
    program = make_program(make_trainer("tess"), discussions=3)
    ids = [discussion(program, n).id for n in (1, 2, 3)]
    path = f"/programs/{program.slug}/order"
    for typed, wrong, message in (
            (("2", "2", "1"), ids[1], "“Discussion 1” and “Discussion 2” both have position 2"),
            (("1", "2", "7"), ids[2], "Give “Discussion 3” a position from 1 to 3.")):
        page = trainer_client.submit(path, {f"position-{i}": value for i, value in zip(ids, typed)}).page
        boxes = {int(box_id): tag for tag, box_id in
                 re.findall(r'(<input[^>]*\bid="position-(\d+)"[^>]*>)', page)}
        assert [i for i, tag in boxes.items() if 'aria-invalid="true"' in tag] == [wrong]
        described_by = re.search(r'aria-describedby="([^"]+)"', boxes[wrong]).group(1)
        assert re.search(rf'id="{described_by}"[^>]*>\s*<p>{re.escape(message)}', page), described_by
        assert f'value="{typed[2]}"' in boxes[ids[2]]  # what was typed stays


def test_an_edit_saved_after_the_discussions_were_reordered_in_another_tab_keeps_to_its_discussion(trainer_client):
    program = make_program(make_trainer("tess"), discussions=3)
    first_lesson = discussion(program, 1).lesson_md
    edit_path = f"/programs/{program.slug}/discussions/2/edit"
    opened = trainer_client.get(edit_path).page  # tab 1: the edit form of "Discussion 2"
    sent_along = dict(re.findall(r'<input[^>]*name="(\w+)" type="hidden" value="([^"]*)"', opened))  # as a browser would
    # Tab 2: "Discussion 2" moves up, and "Discussion 1" now sits at position 2.
    trainer_client.submit(f"/programs/{program.slug}/discussions/2/move", {"direction": "up"})
    saved = trainer_client.submit(edit_path, {**DISCUSSION_FIELDS, "title": "Discussion 2, edited",
                                              "lesson_md": "The new lesson.", "save": "Save",
                                              **sent_along}, follow_redirects=True)
    assert "The discussion is saved. It is now discussion 1: it was moved while you edited it." in saved.page
    assert titles(program) == ["Discussion 2, edited", "Discussion 1", "Discussion 3"]
    assert discussion(program, 1).lesson_md == "The new lesson."
    assert discussion(program, 2).lesson_md == first_lesson  # untouched


def test_a_move_pressed_on_a_stale_order_page_moves_nothing_and_says_where_the_discussion_is(trainer_client):
    # "Down" was pressed beside "Discussion 2" at place 2, to put it at 3; it sits at 1 by
    # now, and moving it down from there would not put it where the trainer meant.
    program = make_program(make_trainer("tess"), discussions=3)
    path = f"/programs/{program.slug}/order"
    stale = trainer_client.get(path).page  # tab 1
    buttons = re.findall(r'<form class="inline" method="post" action="([^"]+)">(.*?)</form>', stale, re.S)
    second_down = next((action, form) for action, form in buttons if "Move “Discussion 2” down" in form)
    trainer_client.submit(f"/programs/{program.slug}/discussions/2/move", {"direction": "up"})  # tab 2
    assert titles(program) == ["Discussion 2", "Discussion 1", "Discussion 3"]
    action, form = second_down
    sent_along = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))  # as a browser would
    answer = trainer_client.post(action, data=sent_along, follow_redirects=True)
    assert titles(program) == ["Discussion 2", "Discussion 1", "Discussion 3"]
    assert ("“Discussion 2” was moved since that page was shown: it is discussion 1 now. "
            "Nothing else moved.") in answer.page


def test_up_pressed_twice_moves_the_discussion_one_place(trainer_client):
    program = make_program(make_trainer("tess"), discussions=3)
    path = f"/programs/{program.slug}/order"
    page = trainer_client.get(path).page
    buttons = re.findall(r'<form class="inline" method="post" action="([^"]+)">(.*?)</form>', page, re.S)
    action, form = next((action, form) for action, form in buttons if "Move “Discussion 3” up" in form)
    sent_along = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))
    trainer_client.post(action, data=sent_along)
    second = trainer_client.post(action, data=sent_along, follow_redirects=True)  # the double-click's second press
    assert titles(program) == ["Discussion 1", "Discussion 3", "Discussion 2"]
    assert "“Discussion 3” was moved since that page was shown: it is discussion 2 now." in second.page


def test_a_discussion_sent_twice_is_added_once(trainer_client):
    # A double-click on "Save discussion" used to add it twice, and trainees had to answer both.
    program = make_program(make_trainer("tess"), discussions=0, published=False)
    path = f"/programs/{program.slug}/discussions/new"
    token = trainer_client.csrf_token()
    first = trainer_client.post(path, data={**DISCUSSION_FIELDS, "save": "Save", "csrf_token": token})
    again = trainer_client.post(path, data={**DISCUSSION_FIELDS, "save": "Save", "csrf_token": token})
    assert first.status_code == again.status_code == 302
    assert "is added as discussion 1" in trainer_client.get(again.headers["Location"]).page
    assert titles(program) == ["Discussion 1: Hello"]
    assert db.session.scalar(select(func.count(Thread.id)).where(Thread.kind == "discussion")) == 1
    # A different discussion sent straight after is a new one.
    other = trainer_client.submit(path, {**DISCUSSION_FIELDS, "title": "Discussion 2: Lows", "save": "Save"})
    assert other.status_code == 302
    assert titles(program) == ["Discussion 1: Hello", "Discussion 2: Lows"]


def test_a_discussion_saved_asking_more_replies_than_fellow_trainees_enrolled_warns_the_trainer(trainer_client):
    # Three trainees each have two others to reply to: asking for three locks everyone in.
    program = make_program(make_trainer("tess"), discussions=1, peers=2)
    path = f"/programs/{program.slug}/discussions/1/edit"
    fields = {**DISCUSSION_FIELDS, "title": "Discussion 1", "save": "Save"}
    nobody_yet = trainer_client.submit(path, {**fields, "required_peer_replies": "3"}, follow_redirects=True).page
    assert "flash-warning" not in nobody_yet  # nobody is held up by a program nobody has joined
    for name in ("ana", "ben", "cleo"):
        enrol(make_user(name), program)
    fits = trainer_client.submit(path, fields, follow_redirects=True).page
    assert "The discussion is saved." in fits and "flash-warning" not in fits
    too_many = trainer_client.submit(path, {**fields, "required_peer_replies": "3"}, follow_redirects=True).page
    warning = " ".join(too_many.split('class="flash flash-warning"')[1].split("</p>")[0].split())
    assert ("“Discussion 1” asks each trainee to reply to 3 different fellow trainees, but only 3 trainees are "
            "enrolled, so each has 2 others to reply to: nobody can complete it from now on until more "
            "trainees enrol or it asks for fewer replies.") in warning
    assert discussion(program, 1).required_peer_replies == 3  # a warning, not a refusal: more may enrol


def test_services_refuse_non_trainers_and_bad_requirements(app):
    program = make_program()
    member = make_user("ana")
    with pytest.raises(DomainError, match="Only trainers"):
        authoring.create_program(member, title="Mine", slug="", summary_md="", audience="everyone",
                                 required_badge="", awarded_badge="")
    with pytest.raises(DomainError, match="at least 1 word"):
        add_discussion(make_trainer("tess"), program, title="x", lesson_md="", prompt="p",
                       response_template="", min_words=0, required_peer_replies=1, post_first=False)


@pytest.mark.parametrize("path", ["/programs/new", "/programs/{slug}/edit", "/programs/{slug}/order",
                                  "/programs/{slug}/discussions/new", "/programs/{slug}/discussions/1/edit",
                                  "/programs/{slug}/dashboard", "/programs/{slug}/dashboard.csv"])
def test_trainer_pages_are_refused_to_other_people(client, path):
    program = make_program()
    make_user("ana", role=("listener", "mentor", "moderator"))
    client.login("ana")
    assert client.get(path.format(slug=program.slug)).status_code == 403
    client.logout()
    assert client.get(path.format(slug=program.slug)).status_code == 302  # to sign in
