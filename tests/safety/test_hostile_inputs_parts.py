"""Hostile input at every field people write in training, ideas and the mentor page.

Each test throws the whole corpus (tests/safety/hostile_inputs.py) through real forms, as
someone allowed to write them, then loads the pages that show the text. Nothing may
answer 5xx or carry executable markup; stored text holds no NUL; a refused form comes
back with what was typed. Failures are collected by label, so one run names them all.
"""
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from forum.clock import utcnow
from forum.extensions import db
from forum.ideas import services as idea_services
from forum.mentors import requests as mentor_requests
from forum.mentors.services import own_profile
from forum.models.ideas import IdeaCall, IdeaStatus
from forum.models.mentors import SECTION_KINDS, MentorProfile, MentorshipRequest, ProfileSection, Review, Tag
from forum.models.moderation import Flag
from forum.models.posts import Post
from forum.models.training import Discussion, DiscussionCompletion, DiscussionReopening, Program
from forum.training import authoring
from forum.training.discussion_authoring import add_discussion
from tests.factories import make_badge, make_user
from tests.ideas.factories import make_call, post_idea
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, write_in_conversation
from tests.safety.factories import make_moderator
from tests.safety.findings import Findings, every_page
from tests.safety.hostile_inputs import CHOICE_PROBES, FORGED_FIELDS, HIDDEN_TEEN, HOSTILE_INPUTS, PLAIN_TEXT_PROBES
from tests.training.factories import discussion, enrol, make_program, make_trainer

CORPUS = list(enumerate(HOSTILE_INPUTS))


def throw(client, findings: Findings, url, token: str, base, fields, *, what: str, choices=(), plain=(),
          after=None):
    """POST `base(n, i)` once per input and field, with field i set to input n (for a
    choice, only the inputs in CHOICE_PROBES; for plain text, those in PLAIN_TEXT_PROBES).

    `url` may be a function of n. Typed fields must come back in a refused form; `choices`
    (selects, checkboxes, hidden fields) need only be refused plainly. `after(n, field)`
    runs after each accepted submission of a typed field. Returns the (n, field) pairs
    accepted."""
    accepted = []
    for n, (label, text) in CORPUS:
        for i, field in enumerate(fields):
            if field in choices and label not in CHOICE_PROBES:
                continue
            if field in plain and label not in PLAIN_TEXT_PROBES:
                continue
            data = {**base(n, i), field: text, "csrf_token": token}
            response = client.post(url(n) if callable(url) else url, data=data)
            if findings.submitted(response, f"{what} {field}: {label}", text, keeps=field not in choices):
                accepted.append((n, field))
                if after is not None and field not in choices:
                    after(n, field)
    return accepted


def no_nul(*values) -> bool:
    return not any("\x00" in (value or "") for value in values)


def signed_in(app, username: str):
    other = app.test_client()
    other.login(username)
    return other


# Training ------------------------------------------------------------------------------

@pytest.fixture
def training(app):
    trainer = make_trainer("tova")
    make_badge("calm", "Calm")
    program = make_program(trainer, title="Steady start", discussions=2, min_words=1, peers=1)
    trainees = [make_user(name, role="listener") for name in ("tam", "tia")]
    enrollments = [enrol(trainee, program) for trainee in trainees]
    return SimpleNamespace(trainer=trainer, program=program, trainees=trainees, enrollments=enrollments)


def test_program_fields_written_by_a_trainer(client, training):
    findings = Findings()
    client.login("tova")
    token = client.csrf_token()

    def program(n, i):
        return {"title": f"Program {n}-{i}", "slug": f"program-{n}-{i}", "summary_md": "Learn **calmly**.",
                "audience": "everyone", "required_badge": "", "awarded_badge": ""}

    choices = ("audience", "required_badge", "awarded_badge")
    throw(client, findings, "/programs/new", token, program, ("title", "slug", "summary_md", *choices),
          what="new program", choices=choices, plain=("title", "slug"))
    for n, (label, text) in CORPUS:
        response = client.post("/programs/new", data={**program(n, 9), "summary_md": text, "preview": "Preview",
                                                      "csrf_token": token})
        findings.submitted(response, f"summary preview: {label}", text)
    slug = training.program.slug
    throw(client, findings, f"/programs/{slug}/edit", token, lambda n, i: {**program(n, i), "slug": slug},
          ("title", "summary_md"), what="edited program", plain=("title",))
    programs = db.session.scalars(select(Program).where(Program.id != training.program.id)).all()
    for stored in programs:
        findings.check(client.get(f"/programs/{stored.slug}"), f"program page {stored.title[:30]}")
        findings.check(client.get(f"/programs/{stored.slug}/edit"), f"program form {stored.title[:30]}")
        assert no_nul(stored.title, stored.slug, stored.summary_md)
        add_discussion(training.trainer, stored, title="Only", lesson_md="", prompt="Say hello.",
                       response_template="", min_words=1, required_peer_replies=1, post_first=False)
        authoring.set_published(training.trainer, stored, True)
    every_page(client, "/programs", findings, "catalogue for the trainer")
    client.logout()
    every_page(client, "/programs", findings, "catalogue for everyone")
    findings.check(client.get("/"), "front page with the newest programs")
    client.login("tam")
    every_page(client, "/programs", findings, "catalogue for a trainee")
    findings.assert_none()
    assert len(programs) > len(HOSTILE_INPUTS)  # most inputs were stored, not refused


def test_discussion_fields_written_by_a_trainer(client, training):
    findings = Findings()
    slug = training.program.slug
    client.login("tova")
    token = client.csrf_token()

    def discussion_form(n, i):
        return {"title": f"Discussion {n}-{i}", "lesson_md": "Read *this*.", "prompt": "Share a high.",
                "response_template": "1.", "min_words": "3", "required_peer_replies": "1"}

    fields = ("title", "lesson_md", "prompt", "response_template", "min_words", "required_peer_replies",
              "post_first")
    throw(client, findings, f"/programs/{slug}/discussions/new", token, discussion_form, fields,
          what="new discussion", choices=("post_first",),
          plain=("title", "prompt", "response_template", "min_words", "required_peer_replies"))
    for n, (label, text) in CORPUS:
        response = client.post(f"/programs/{slug}/discussions/1/edit", data={
            **discussion_form(n, 0), "lesson_md": text, "preview": "Preview", "csrf_token": token})
        findings.submitted(response, f"lesson preview: {label}", text)
    throw(client, findings, f"/programs/{slug}/discussions/1/edit", token, discussion_form, ("title", "lesson_md"),
          what="edited discussion", plain=("title",))
    stored = db.session.scalars(select(Discussion).where(Discussion.program_id == training.program.id)).all()
    for item in stored:
        if item.title.startswith("Discussion") and item.lesson_md == "Read *this*." and item.prompt == "Share a high." \
                and item.response_template == "1.":
            continue  # only its numbers or its checkbox differ: nothing of it is shown differently
        findings.check(client.get(f"/programs/{slug}/discussions/{item.position}"), f"discussion {item.position}")
        assert no_nul(item.title, item.lesson_md, item.prompt, item.response_template)
    assert all(1 <= item.min_words <= 5000 and 1 <= item.required_peer_replies <= 50 for item in stored)
    findings.check(client.get(f"/programs/{slug}"), "program page listing them")
    findings.check(client.get(f"/programs/{slug}/order"), "order page")
    every_page(client, f"/programs/{slug}/dashboard", findings, "dashboard")
    assert client.get(f"/programs/{slug}/dashboard.csv").status_code == 200
    client.logout()
    client.login("tam")
    findings.check(client.get(f"/programs/{slug}"), "program page for a trainee")
    findings.check(client.get(f"/programs/{slug}/discussions/{len(stored)}"), "a locked discussion")
    findings.assert_none()


def test_order_publishing_and_reopening_fields(client, app, training):
    findings = Findings()
    program, slug = training.program, training.program.slug
    first, second = discussion(program, 1), discussion(program, 2)
    trainee = signed_in(app, "tam")
    client.login("tova")
    token = client.csrf_token()
    throw(client, findings, f"/programs/{slug}/order", token,
          lambda n, i: {f"position-{first.id}": "1", f"position-{second.id}": "2"},
          (f"position-{first.id}",), what="order", plain=(f"position-{first.id}",))
    throw(client, findings, f"/programs/{slug}/discussions/1/move", token, lambda n, i: {"direction": "down"},
          ("direction",), what="move", choices=("direction",))
    throw(client, findings, f"/programs/{slug}/publish", token, lambda n, i: {}, ("published",), what="publish",
          choices=("published",))
    if not db.session.get(Program, program.id).published:
        authoring.set_published(training.trainer, program, True)

    enrollment = training.enrollments[0]
    for n, (label, text) in CORPUS:
        if label not in PLAIN_TEXT_PROBES:  # a reason is plain text
            continue
        first = discussion(program, 1)
        db.session.add(DiscussionCompletion(enrollment_id=enrollment.id, discussion_id=first.id,
                                            completed_at=utcnow()))
        db.session.commit()
        response = client.post(f"/programs/{slug}/enrollments/{enrollment.id}/discussions/{first.id}/reopen",
                               data={"reason": text, "csrf_token": token, "confirmed": "yes"})
        if findings.submitted(response, f"reopen reason: {label}", text, keeps=False):
            findings.check(trainee.get(f"/programs/{slug}/discussions/1"), f"reopened discussion: {label}")
        else:
            db.session.query(DiscussionCompletion).delete()
            db.session.commit()
    every_page(trainee, "/notifications", findings, "the trainee's notifications")
    every_page(client, f"/programs/{slug}/dashboard", findings, "dashboard")
    findings.assert_none()
    assert no_nul(*db.session.scalars(select(DiscussionReopening.reason)))
    assert sorted(db.session.scalars(select(Discussion.position).where(Discussion.program_id == program.id))) == [1, 2]


def test_trainee_responses_and_replies(client, app, training):
    findings = Findings()
    slug = training.program.slug
    thread_id = discussion(training.program, 1).thread_id
    tia = signed_in(app, "tia")
    tia_response = tia.submit(f"/threads/{thread_id}/posts", {"body": "My own three highs, honestly written."})
    parent = int(tia_response.location.rsplit("/", 1)[-1])
    client.login("tam")
    token = client.csrf_token()
    throw(client, findings, f"/threads/{thread_id}/posts", token, lambda n, i: {}, ("body",), what="response")
    throw(client, findings, f"/posts/{parent}/replies", token, lambda n, i: {}, ("body",), what="reply")
    for viewer, name in ((client, "tam"), (tia, "tia")):
        every_page(viewer, f"/programs/{slug}/discussions/1", findings, f"discussion for {name}")
        every_page(viewer, "/notifications", findings, f"notifications of {name}")
    every_page(client, f"/posts/{parent}/replies", findings, "replies")
    client.logout()
    client.login("tova")
    every_page(client, f"/programs/{slug}/discussions/1", findings, "discussion for the trainer")
    every_page(client, f"/programs/{slug}/dashboard", findings, "dashboard")
    findings.assert_none()
    assert no_nul(*db.session.scalars(select(Post.body_md).where(Post.thread_id == thread_id)))


# Ideas ---------------------------------------------------------------------------------

@pytest.fixture
def ideas(app):
    moss = make_moderator()
    ana, ben = make_user("ana", role="listener"), make_user("ben")
    make_user(HIDDEN_TEEN, age_group="teen")
    call = make_call(moss, "How could we welcome newcomers?")
    return SimpleNamespace(moss=moss, ana=ana, ben=ben, call=call)


def test_call_fields_written_by_staff(client, ideas):
    findings = Findings()
    client.login("moss")
    token = client.csrf_token()

    def call_form(n, i):
        return {"title": f"Call {n}-{i}", "question": "What would help?", "audience": "everyone",
                "required_badge": ""}

    choices = ("audience", "required_badge", "hide_reactions_while_collecting")
    throw(client, findings, "/ideas/new", token, call_form, ("title", "question", *choices), what="new call",
          choices=choices, plain=("title",))
    calls = db.session.scalars(select(IdeaCall).where(IdeaCall.thread_id != ideas.call.thread_id)).all()
    for call in calls:
        if call.question_md != "What would help?" or not call.title.startswith("Call "):
            findings.check(client.get(f"/ideas/{call.thread_id}"), f"call {call.thread_id}")
            findings.check(client.get(f"/ideas/{call.thread_id}/shortlist"), f"shortlist {call.thread_id}")
        assert no_nul(call.title, call.question_md)
    every_page(client, "/ideas", findings, "board for staff")
    for query in ("click", "alert", "script"):
        findings.check(client.get(f"/search?q={query}"), f"search {query}")
    client.logout()
    client.login("ben")
    every_page(client, "/ideas", findings, "board for a member")
    findings.check(client.get("/"), "front page with open calls")
    findings.assert_none()
    assert len(calls) > len(HOSTILE_INPUTS)


def test_ideas_replies_and_reactions_by_members(client, app, ideas):
    findings = Findings()
    call_id = ideas.call.thread_id
    first = post_idea(ideas.ben, ideas.call, "Pair each newcomer with a listener.")
    client.login("ana")
    token = client.csrf_token()
    throw(client, findings, f"/threads/{call_id}/posts", token, lambda n, i: {}, ("body",), what="idea")
    throw(client, findings, f"/posts/{first.id}/replies", token, lambda n, i: {}, ("body",), what="reply")
    throw(client, findings, f"/posts/{first.id}/react", token, lambda n, i: {}, ("kind",), what="reaction",
          choices=("kind",))
    ideas_written = db.session.scalars(select(Post).where(Post.thread_id == call_id, Post.parent_id.is_(None))).all()
    for sort in ("oldest", "newest", "reactions", "replies"):
        every_page(client, f"/ideas/{call_id}?sort={sort}", findings, f"call sorted by {sort}")
    every_page(client, f"/posts/{first.id}/replies", findings, "replies")
    ben = signed_in(app, "ben")
    every_page(ben, "/notifications", findings, "notifications of the first idea's author")
    for idea in ideas_written[:40]:
        idea_services.set_status(ideas.moss, idea, "shortlisted", "")
    idea_services.change_phase(ideas.moss, db.session.get(IdeaCall, call_id), "shortlisted")
    every_page(client, f"/ideas/{call_id}/shortlist", findings, "published shortlist")
    client.logout()
    client.login("moss")
    every_page(client, f"/ideas/{call_id}?sort=unreviewed", findings, "call, unreviewed first")
    for idea in ideas_written[40:]:
        findings.check(client.get(f"/ideas/{call_id}/ideas/{idea.id}/review"), f"review page of idea {idea.id}")
    findings.assert_none()
    assert no_nul(*db.session.scalars(select(Post.body_md).where(Post.thread_id == call_id)))


def test_status_merge_and_phase_fields_set_by_staff(client, app, ideas):
    findings = Findings()
    call_id = ideas.call.thread_id
    target = post_idea(ideas.ben, ideas.call, "The idea others merge into.")
    # Every field here is plain text or a choice: an idea for each input thrown at it.
    plain = [n for n, (label, _) in CORPUS if label in PLAIN_TEXT_PROBES]
    noted = {n: post_idea(ideas.ana, ideas.call, f"Idea to review {n}") for n in plain}
    merged = {n: post_idea(ideas.ana, ideas.call, f"Idea to merge {n}") for n in plain}
    client.login("moss")
    token = client.csrf_token()

    def review_url(n):
        return f"/ideas/{call_id}/ideas/{noted[n].id}/review"

    throw(client, findings, review_url, token, lambda n, i: {"status": "shortlisted", "note": "Kind words."},
          ("note", "status"), what="review", choices=("status",), plain=("note",))
    throw(client, findings, lambda n: f"/ideas/{call_id}/ideas/{merged[n].id}/merge", token,
          lambda n, i: {"target": str(target.id), "note": "", "confirmed": "yes"}, ("note", "target"), what="merge",
          plain=("note", "target"))
    throw(client, findings, f"/ideas/{call_id}/phase", token, lambda n, i: {"confirmed": "yes"}, ("phase",),
          what="phase", choices=("phase",))
    for n in plain:
        findings.check(client.get(review_url(n)), f"review page {n}")
    every_page(client, f"/ideas/{call_id}", findings, "call with notes and merges")
    idea_services.change_phase(ideas.moss, db.session.get(IdeaCall, call_id), "shortlisted")
    every_page(client, f"/ideas/{call_id}/shortlist", findings, "shortlist with notes")
    every_page(signed_in(app, "ana"), "/notifications", findings, "notifications of the ideas' author")
    findings.assert_none()
    assert no_nul(*db.session.scalars(select(IdeaStatus.note)))


# Mentors -------------------------------------------------------------------------------

@pytest.fixture
def mentors(app):
    juniper = make_mentor("juniper")
    rowan, wren = make_listener("rowan"), make_listener("wren")
    return SimpleNamespace(juniper=juniper, rowan=rowan, wren=wren)


MENTOR_SETTINGS = {"headline": "Here to help", "tracks": "Listener support", "knowledge": "Grief, Exams",
                   "languages": "English", "mentors_adults": "y", "accepting": "y", "timezone": "UTC",
                   "hours": "Mon-Fri 18:00-20:00"}


def test_mentor_settings_written_by_the_mentor(client, mentors):
    findings = Findings()
    client.login("juniper")
    token = client.csrf_token()
    choices = ("timezone", "mentors_teens", "mentors_adults", "accepting")

    def shown(n, field):
        findings.check(client.get("/mentors/juniper"), f"profile after {field} {n}")

    throw(client, findings, "/mentors/me/edit", token, lambda n, i: MENTOR_SETTINGS,
          ("headline", "tracks", "knowledge", "languages", "hours", *choices), what="settings", choices=choices,
          plain=("headline", "tracks", "knowledge", "languages", "hours"), after=shown)
    throw(client, findings, "/mentors/me/available", token, lambda n, i: {}, ("hours",), what="available",
          choices=("hours",))
    throw(client, findings, "/mentors/me/sections/about/move", token, lambda n, i: {}, ("direction",),
          what="move section", choices=("direction",))
    throw(client, findings, "/mentors/me/sections/about/visibility", token, lambda n, i: {}, ("hidden",),
          what="hide section", choices=("hidden",))
    findings.check(client.get("/mentors/me/edit"), "settings form")
    client.logout()
    every_page(client, "/mentors", findings, "directory")
    findings.check(client.get("/"), "front page with active mentors")
    findings.assert_none()
    profile = db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == mentors.juniper.user_id))
    assert no_nul(profile.headline, profile.timezone, *db.session.scalars(select(Tag.name)))


def test_mentor_profile_sections(client, mentors):
    findings = Findings()
    client.login("juniper")
    token = client.csrf_token()
    for n, (label, text) in CORPUS:
        for kind in SECTION_KINDS:
            response = client.post(f"/mentors/me/sections/{kind}", data={"body": text, "csrf_token": token})
            findings.submitted(response, f"section {kind}: {label}", text)
        findings.check(client.get("/mentors/juniper"), f"profile with sections: {label}")
        findings.check(client.get("/mentors/me/sections/about"), f"section form: {label}")
    findings.check(client.get("/mentors/me/sections"), "sections page")
    findings.assert_none()
    assert no_nul(*db.session.scalars(select(ProfileSection.body_md)))


def test_mentorship_requests_and_answers(client, app, mentors):
    findings = Findings()
    juniper = signed_in(app, "juniper")
    client.login("rowan")
    token = client.csrf_token()
    answer_token = juniper.csrf_token()
    for n, (label, text) in CORPUS:
        if label not in PLAIN_TEXT_PROBES:  # a request's message and its answer are plain text
            continue
        response = client.post("/mentors/juniper/request", data={"message": text, "csrf_token": token})
        if not findings.submitted(response, f"request message: {label}", text):
            continue
        request_id = int(response.location.rsplit("/", 1)[-1])
        findings.check(juniper.get(f"/mentors/requests/{request_id}"), f"request seen by the mentor: {label}")
        decision = "accept" if n % 2 else "decline"
        response = juniper.post(f"/mentors/requests/{request_id}/answer",
                                data={"decision": decision, "note": text, "csrf_token": answer_token})
        findings.submitted(response, f"answer note: {label}", text)
        findings.check(client.get(f"/mentors/requests/{request_id}"), f"answer seen by the listener: {label}")
        client.post(f"/mentors/requests/{request_id}/close", data={"csrf_token": token, "confirmed": "yes"})
    pending = mentor_requests.send_request(mentors.rowan, mentors.juniper, "Still waiting", utcnow())
    throw(juniper, findings, f"/mentors/requests/{pending.id}/answer", answer_token,
          lambda n, i: {"decision": "decline", "note": ""}, ("decision",), what="decision", choices=("decision",))
    for viewer, name in ((client, "rowan"), (juniper, "juniper")):
        every_page(viewer, "/mentors/me/mentors", findings, f"mentors of {name}")
        every_page(viewer, "/mentors/me/mentees", findings, f"mentees of {name}")
        every_page(viewer, "/notifications", findings, f"notifications of {name}")
    findings.assert_none()
    stored = db.session.scalars(select(MentorshipRequest)).all()
    assert len(stored) > len(PLAIN_TEXT_PROBES) // 2
    assert no_nul(*(r.message for r in stored), *(r.note for r in stored))


def test_conversation_messages(client, app, mentors):
    findings = Findings()
    mentorship = make_mentorship(mentors.rowan, mentors.juniper)
    thread_id = mentorship.thread_id
    juniper = signed_in(app, "juniper")
    client.login("rowan")
    token = client.csrf_token()
    throw(client, findings, f"/threads/{thread_id}/posts", token, lambda n, i: {}, ("body",), what="message")
    first = db.session.scalar(select(Post.id).where(Post.thread_id == thread_id).order_by(Post.id).limit(1))
    throw(juniper, findings, f"/posts/{first}/replies", juniper.csrf_token(),
          lambda n, i: {}, ("body",), what="mentor's reply")
    for viewer, name in ((client, "rowan"), (juniper, "juniper")):
        every_page(viewer, f"/mentors/conversations/{thread_id}", findings, f"conversation for {name}")
        every_page(viewer, "/notifications", findings, f"notifications of {name}")
    findings.assert_none()
    assert no_nul(*db.session.scalars(select(Post.body_md).where(Post.thread_id == thread_id)))


def test_reviews_replies_reports_and_hiding(client, app, mentors):
    findings = Findings()
    make_moderator()
    finished = []
    for _ in CORPUS:
        mentorship = make_mentorship(mentors.rowan, mentors.juniper)
        write_in_conversation(mentors.rowan, mentorship)
        finished.append(mentor_requests.close_request(mentors.rowan, mentorship, utcnow()))
    juniper, wren, moss = signed_in(app, "juniper"), signed_in(app, "wren"), signed_in(app, "moss")
    client.login("rowan")
    token = client.csrf_token()
    throw(client, findings, f"/mentors/requests/{finished[0].id}/review", token,
          lambda n, i: {"rating": "4", "body": "Patient."}, ("rating",), what="review", choices=("rating",))
    throw(client, findings, lambda n: f"/mentors/requests/{finished[n].id}/review", token,
          lambda n, i: {"rating": "4"}, ("body",), what="review")
    every_page(client, "/mentors/juniper", findings, "profile with every review")
    reviews = db.session.scalars(select(Review).order_by(Review.id)).all()
    throw(client, findings, f"/mentors/reviews/{reviews[0].id}/edit", token,
          lambda n, i: {"rating": "4", "body": "Patient."}, ("rating",), what="edited review", choices=("rating",))
    corpus = list(reversed(HOSTILE_INPUTS))
    for review, (label, text) in zip(reviews, corpus):
        response = client.post(f"/mentors/reviews/{review.id}/edit", data={"rating": "3", "body": text,
                                                                             "csrf_token": token})
        findings.submitted(response, f"edited review: {label}", text)
        findings.check(client.get(f"/mentors/reviews/{review.id}/edit"), f"edit form: {label}")
    reply_token, wren_token, moss_token = (who.csrf_token() for who in (juniper, wren, moss))
    for review, (label, text) in zip(reviews, HOSTILE_INPUTS):
        findings.submitted(juniper.post(f"/mentors/reviews/{review.id}/reply", data={
            "body": text, "csrf_token": reply_token}), f"reply to a review: {label}", text)
        findings.submitted(wren.post(f"/flag/review/{review.id}", data={
            "reason": text, "csrf_token": wren_token}), f"report of a review: {label}", text)
    every_page(client, "/mentors/juniper", findings, "profile with replies")
    every_page(moss, "/mod", findings, "queue with reported reviews")
    for review, (label, text) in zip(reviews[::2], HOSTILE_INPUTS[::2]):
        findings.submitted(moss.post(f"/mentors/reviews/{review.id}/hide", data={
            "reason": text, "back": text, "csrf_token": moss_token}), f"hiding reason: {label}", text, keeps=False)
    every_page(client, "/mentors/juniper", findings, "profile with hidden reviews, for their author")
    every_page(client, "/notifications", findings, "notifications of the reviewer")
    every_page(juniper, "/notifications", findings, "notifications of the mentor")
    every_page(moss, "/mod/audit", findings, "audit log")
    findings.assert_none()
    stored = db.session.scalars(select(Review)).all()
    assert no_nul(*(r.body_md for r in stored), *(r.mentor_reply_md for r in stored),
                  *(r.hidden_reason for r in stored), *db.session.scalars(select(Flag.reason)))


# Forged fields -------------------------------------------------------------------------

def test_forged_fields_change_nothing_in_the_parts(client, app, training, ideas, mentors):
    forged = {**FORGED_FIELDS, "status": "shortlisted", "phase": "closed", "published": "1", "mentee_id": "1",
              "mentor_id": "1", "created_by_id": "1", "opened_by_id": "1", "rating_sum": "500",
              "review_count": "99", "accepting": "y"}
    call_id, slug = ideas.call.thread_id, training.program.slug
    client.login("ana")  # a listener, not staff, not a trainer, not a mentor
    client.submit(f"/threads/{call_id}/posts", {"body": "An idea of mine", **forged,
                                                "author_id": str(ideas.moss.id)})
    idea = db.session.scalar(select(Post).where(Post.body_md == "An idea of mine"))
    assert idea.author_id == ideas.ana.id and db.session.get(IdeaStatus, idea.id).status == "new"
    assert client.submit(f"/ideas/{call_id}/ideas/{idea.id}/review", {"note": "mine", **forged}).status_code == 403
    assert client.submit(f"/ideas/{call_id}/phase", forged).status_code == 403
    assert client.submit("/ideas/new", {"title": "Forged call", "question": "?", **forged}).status_code == 403
    assert client.submit("/programs/new", {"title": "Forged program", **forged}).status_code == 403
    assert client.submit("/mentors/me/edit", {**MENTOR_SETTINGS, **forged}).status_code == 403
    assert client.submit(f"/programs/{slug}/publish", forged).status_code == 403
    client.submit("/mentors/juniper/request", {"message": "Please help", **forged, "status": "accepted",
                                               "thread_id": str(ideas.call.thread_id)})
    asked = db.session.scalar(select(MentorshipRequest).where(MentorshipRequest.message == "Please help"))
    assert (asked.mentee_id, asked.mentor_id, asked.status, asked.thread_id) == (
        ideas.ana.id, mentors.juniper.user_id, "pending", None)
    assert client.submit(f"/mentors/requests/{asked.id}/answer", {"decision": "accept", **forged}).status_code == 403
    db.session.refresh(asked)
    assert asked.status == "pending"
    stored = db.session.get(type(ideas.ana), ideas.ana.id)
    assert stored.role_names == {"member", "listener"} and stored.suspended_until is None

    juniper = signed_in(app, "juniper")
    juniper.submit("/mentors/me/edit", {**MENTOR_SETTINGS, **forged, "user_id": str(ideas.ana.id)})
    profile = db.session.scalar(select(MentorProfile).where(MentorProfile.user_id == mentors.juniper.user_id))
    assert (profile.rating_sum, profile.review_count) == (0, 0)
    assert db.session.scalar(select(MentorProfile.id).where(MentorProfile.user_id == ideas.ana.id)) is None
    mentorship = make_mentorship(mentors.rowan, mentors.juniper)
    write_in_conversation(mentors.rowan, mentorship)
    rowan = signed_in(app, "rowan")
    rowan.submit(f"/mentors/requests/{mentorship.id}/review", {"rating": "5", "body": "Kind.", **forged,
                                                              "author_id": str(ideas.ana.id)})
    review = db.session.scalar(select(Review))
    assert (review.author_id, review.mentor_id, review.rating) == (mentors.rowan.id, mentors.juniper.user_id, 5)
    db.session.refresh(profile)
    assert (profile.rating_sum, profile.review_count) == (5, 1)

    tam = signed_in(app, "tam")
    thread_id = discussion(training.program, 1).thread_id
    tam.submit(f"/threads/{thread_id}/posts", {"body": "My response with enough words in it.", **forged,
                                               "author_id": str(training.trainer.id)})
    response = db.session.scalar(select(Post).where(Post.thread_id == thread_id))
    assert response.author_id == training.trainees[0].id
    assert own_profile(mentors.juniper.user).user_id == mentors.juniper.user_id
