"""A suspension pauses taking part everywhere: training, ideas, the mentor page and the
moderators' own work. Each write path is tried by someone who may use it, once while
suspended (refused, nothing changes, what was typed comes back) and once after the
suspension is lifted (it works), so a refusal cannot pass for the wrong reason.

Decided for staff: a suspended trainer, moderator or mentor reads as before (their
programs, dashboards, the queue, the audit log) but writes nothing and acts on nothing
until the suspension ends. Admins cannot be suspended. Leaving stays open to everyone:
closing a mentorship, withdrawing a request, removing one's own post, blocking someone.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.accounts import User
from forum.models.ideas import IdeaCall, IdeaStatus
from forum.models.mentors import MentorProfile, MentorshipRequest, ProfileSection, Review
from forum.models.moderation import Flag
from forum.models.posts import Post, Reaction
from forum.models.training import Discussion, DiscussionCompletion, Enrollment, Program
from forum.moderation import services as moderation
from forum.posts.services import hide_post
from tests.factories import make_post, make_thread, make_user
from tests.ideas.factories import make_call, post_idea
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, make_review
from tests.safety.factories import make_flag, make_moderator, suspend
from tests.training.factories import complete, discussion, enrol, make_program, make_trainer

RESPONSE = "3 highs:\n1. Listening without fixing felt strange but it helped a lot"
DISCUSSION_FORM = {"title": "A new discussion", "lesson_md": "Read this.", "prompt": "Share one high.",
                   "response_template": "", "min_words": "1", "required_peer_replies": "1"}
MENTOR_SETTINGS = {"headline": "Back soon, still here", "tracks": "", "knowledge": "", "languages": "English",
                   "mentors_adults": "y", "accepting": "y", "timezone": "UTC", "hours": ""}


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def training_world():
    trainer = make_trainer("tova")
    program = make_program(trainer, title="Steady start", discussions=2, min_words=1, peers=1)
    other = make_program(trainer, title="Second steps", discussions=1)
    trainees = [make_user(name, role="listener") for name in ("tam", "tia")]
    enrollments = [enrol(trainee, program) for trainee in trainees]
    complete(trainees, program, 1)
    return SimpleNamespace(program=program, other=other, enrollment=enrollments[0], tam=trainees[0],
                           first=discussion(program, 1), second=discussion(program, 2))


def ideas_world():
    moss, mia = make_moderator(), make_moderator("mia")
    ana, ben = make_user("ana", role="listener"), make_user("ben")
    call = make_call(mia, "How could we welcome newcomers?")
    return SimpleNamespace(call=call, idea=post_idea(ana, call), other=post_idea(ana, call, "A second idea"),
                           moss=moss, ben=ben)


def mentors_world():
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    return SimpleNamespace(profile=juniper, mentorship=make_mentorship(rowan, juniper))


def moderation_world():
    make_moderator()
    ana, ben = make_user("ana"), make_user("ben")
    thread = make_thread("Highs and lows")
    post, hidden = make_post(ana, thread, "Ana's post"), make_post(ana, thread, "Ana's other post")
    hide_post(make_moderator("mia"), hidden, "Names someone")
    flag = make_flag(ben, post)
    review = make_review(make_listener("rowan"), make_mentor("juniper"), body="Kind and clear.")
    suspended = make_user("cyd")
    suspend(suspended, by=make_user("ada", role="admin"))
    return SimpleNamespace(post=post, hidden=hidden, flag=flag, review=review, ana=ana, ben=ben, cyd=suspended)


WORLDS = {"training": training_world, "ideas": ideas_world, "mentors": mentors_world,
          "moderation": moderation_world}


@dataclass
class Attempt:
    world: str
    who: str
    path: str  # formatted with the world's fields
    state: Callable  # state(world) -> what the attempt would change
    data: dict = field(default_factory=dict)
    refused: int = 403  # the status of the refusal
    typed: str = ""  # text the refused form must give back
    still: str = ""  # what the refusal says they can still do, where it is said in the part's words


ATTEMPTS = {
    # Trainers write nothing while suspended.
    "new program": Attempt("training", "tova", "/programs/new", lambda w: count(Program), data={
        "title": "Fresh program", "slug": "", "summary_md": "Hello.", "audience": "everyone", "required_badge": "",
        "awarded_badge": ""}, typed="Fresh program",
        still="Until then you can read your programs and dashboards but not write, order, publish or reopen anything."),
    "edit program": Attempt("training", "tova", "/programs/{program.slug}/edit",
                            lambda w: db.session.get(Program, w.program.id).title, data={
                                "title": "Renamed program", "slug": "{program.slug}", "summary_md": "",
                                "audience": "everyone", "required_badge": "", "awarded_badge": ""},
                            typed="Renamed program"),
    "unpublish": Attempt("training", "tova", "/programs/{program.slug}/publish",
                         lambda w: db.session.get(Program, w.program.id).published, refused=302,
                         data={"confirmed": "yes"}),  # without it, a page asks first (200)
    "new discussion": Attempt("training", "tova", "/programs/{program.slug}/discussions/new",
                              lambda w: count(Discussion), data=DISCUSSION_FORM, typed="A new discussion"),
    "edit discussion": Attempt("training", "tova", "/programs/{program.slug}/discussions/1/edit",
                               lambda w: db.session.get(Discussion, w.first.id).title, data=DISCUSSION_FORM,
                               typed="A new discussion"),
    "order": Attempt("training", "tova", "/programs/{program.slug}/order",
                     lambda w: db.session.get(Discussion, w.first.id).position,
                     data={"position-{first.id}": "2", "position-{second.id}": "1"}),
    "move": Attempt("training", "tova", "/programs/{program.slug}/discussions/1/move",
                    lambda w: db.session.get(Discussion, w.first.id).position, data={"direction": "down"},
                    refused=302),
    "reopen": Attempt("training", "tova",
                      "/programs/{program.slug}/enrollments/{enrollment.id}/discussions/{first.id}/reopen",
                      lambda w: count(DiscussionCompletion), refused=302,
                      data={"reason": "Please say more", "confirmed": "yes"}),  # without it, a page asks first
    # Trainees take no new part either.
    "enrol": Attempt("training", "tam", "/programs/{other.slug}/enrol",
                     lambda w: count(Enrollment, Enrollment.user_id == w.tam.id), refused=403),
    "response": Attempt("training", "tam", "/threads/{second.thread_id}/posts", lambda w: count(Post),
                        data={"body": RESPONSE}, refused=422, typed=RESPONSE),
    # Staff open no call, change no phase, set no status while suspended; members post and react to no idea.
    "open a call": Attempt("ideas", "moss", "/ideas/new", lambda w: count(IdeaCall), data={
        "title": "What should we fix?", "question": "Tell us.", "audience": "everyone", "required_badge": ""},
        typed="What should we fix?", still="Until then you can read calls for ideas but not open or edit them"),
    "edit a call": Attempt("ideas", "moss", "/ideas/{call.thread_id}/edit",
                           lambda w: db.session.get(IdeaCall, w.call.thread_id).thread.title, data={
        "title": "What should we fix first?", "question": "Tell us.", "audience": "everyone", "required_badge": ""},
        typed="What should we fix first?", still="Until then you can read calls for ideas but not open or edit them"),
    "phase": Attempt("ideas", "moss", "/ideas/{call.thread_id}/phase",
                     lambda w: db.session.get(IdeaCall, w.call.thread_id).phase,
                     data={"phase": "evaluating", "confirmed": "yes"}),
    "status": Attempt("ideas", "moss", "/ideas/{call.thread_id}/ideas/{idea.id}/review",
                      lambda w: db.session.get(IdeaStatus, w.idea.id).status,
                      data={"status": "shortlisted", "note": "Promising and cheap"}, typed="Promising and cheap"),
    "merge": Attempt("ideas", "moss", "/ideas/{call.thread_id}/ideas/{idea.id}/merge",
                     lambda w: db.session.get(IdeaStatus, w.idea.id).status,
                     data={"target": "{other.id}", "note": "Same idea twice", "confirmed": "yes"},
                     typed="Same idea twice"),
    "idea": Attempt("ideas", "ben", "/threads/{call.thread_id}/posts", lambda w: count(Post),
                    data={"body": "Greeters at the door"}, refused=422, typed="Greeters at the door"),
    "reaction on an idea": Attempt("ideas", "ben", "/posts/{idea.id}/react", lambda w: count(Reaction),
                                   data={"kind": "lightbulb"}),
    # A suspended mentor's profile stays as it is.
    "mentor settings": Attempt("mentors", "juniper", "/mentors/me/edit",
                               lambda w: db.session.get(MentorProfile, w.profile.id).headline, data=MENTOR_SETTINGS,
                               typed="Back soon, still here"),
    "profile section": Attempt("mentors", "juniper", "/mentors/me/sections/about", lambda w: db.session.scalar(
        select(ProfileSection.body_md).where(ProfileSection.profile_id == w.profile.id,
                                             ProfileSection.kind == "about")),
        data={"body": "I listen first."}, typed="I listen first."),
    "move a section": Attempt("mentors", "juniper", "/mentors/me/sections/about/move", lambda w: db.session.scalar(
        select(ProfileSection.position).where(ProfileSection.profile_id == w.profile.id,
                                              ProfileSection.kind == "about")), data={"direction": "down"}),
    "hide a section": Attempt("mentors", "juniper", "/mentors/me/sections/about/visibility",
                              lambda w: db.session.scalar(select(ProfileSection.hidden).where(
                                  ProfileSection.profile_id == w.profile.id, ProfileSection.kind == "about")),
                              data={"hidden": "1"}),
    "available now": Attempt("mentors", "juniper", "/mentors/me/available",
                             lambda w: db.session.get(MentorProfile, w.profile.id).available_now, data={"hours": "2"}),
    "conversation message": Attempt("mentors", "rowan", "/threads/{mentorship.thread_id}/posts",
                                    lambda w: count(Post), data={"body": "Are you there?"}, refused=422,
                                    typed="Are you there?"),
    # A suspended moderator reads the queue but acts on nothing.
    "dismiss flags": Attempt("moderation", "moss", "/mod/flags/{flag.id}/dismiss",
                             lambda w: db.session.get(Flag, w.flag.id).status, data={"note": "Fine"}),
    "resolve flags": Attempt("moderation", "moss", "/mod/flags/{flag.id}/resolve",
                             lambda w: db.session.get(Flag, w.flag.id).status),
    "hide from the queue": Attempt("moderation", "moss", "/mod/posts/{post.id}/hide",
                                   lambda w: db.session.get(Post, w.post.id).hidden_at, data={"reason": "Unkind"}),
    "hide in place": Attempt("moderation", "moss", "/posts/{post.id}/hide",
                             lambda w: db.session.get(Post, w.post.id).hidden_at, data={"reason": "Unkind"}),
    "restore from the queue": Attempt("moderation", "moss", "/mod/posts/{hidden.id}/restore",
                                      lambda w: db.session.get(Post, w.hidden.id).hidden_at),
    "restore in place": Attempt("moderation", "moss", "/posts/{hidden.id}/restore",
                                lambda w: db.session.get(Post, w.hidden.id).hidden_at),
    "edit someone's post": Attempt("moderation", "moss", "/posts/{post.id}/edit",
                                   lambda w: db.session.get(Post, w.post.id).body_md,
                                   data={"body": "Edited by a moderator"}),
    "suspend someone": Attempt("moderation", "moss", "/mod/users/ben/suspend",
                               lambda w: db.session.get(User, w.ben.id).suspended_until,
                               data={"days": "3", "reason": "Insults"}),
    "lift a suspension": Attempt("moderation", "moss", "/mod/users/cyd/lift",
                                 lambda w: db.session.get(User, w.cyd.id).suspended_until),
    "age group": Attempt("moderation", "moss", "/mod/users/ana/age-group",
                         lambda w: db.session.get(User, w.ana.id).age_group,
                         data={"age_group": "teen", "reason": "Told us she is 15"}),
    "hide a review": Attempt("moderation", "moss", "/mentors/reviews/{review.id}/hide",
                             lambda w: db.session.get(Review, w.review.id).hidden_at, data={"reason": "Names someone"}),
}


@pytest.mark.parametrize("name", ATTEMPTS)
def test_a_suspended_person_is_refused_and_can_again_once_it_is_lifted(client, name):
    attempt = ATTEMPTS[name]
    world = WORLDS[attempt.world]()
    admin = db.session.scalar(select(User).where(User.username == "ada")) or make_user("ada", role="admin")
    person = db.session.scalar(select(User).where(User.username == attempt.who))
    path = attempt.path.format(**vars(world))
    data = {key.format(**vars(world)): value.format(**vars(world)) for key, value in attempt.data.items()}
    before = attempt.state(world)

    suspend(person, by=admin)
    client.login(attempt.who)
    refused = client.submit(path, data)
    assert refused.status_code == attempt.refused
    if refused.status_code == 403:
        assert "Your account is suspended until" in refused.page
    if attempt.typed:
        assert attempt.typed in refused.page  # nothing typed is lost
    if attempt.still:
        assert attempt.still in " ".join(refused.page.split())
    assert attempt.state(world) == before

    moderation.lift_suspension(admin, db.session.get(User, person.id))
    client.login(attempt.who)
    assert client.submit(path, data).status_code in (200, 302)
    assert attempt.state(world) != before


def test_a_suspended_mentor_gets_no_new_requests_and_nobody_is_told_why(client):
    juniper = make_mentor("juniper")
    make_listener("rowan")
    suspend(juniper.user, reason="Rude in a conversation")
    client.login("rowan")
    page = client.get("/mentors/juniper").page
    assert "Juniper isn't taking new mentees right now." in page
    response = client.submit("/mentors/juniper/request", {"message": "Could you help me?"})
    assert response.status_code == 403 and "Juniper isn't taking new mentees right now." in response.page
    assert "suspended" not in response.page.lower() and "Rude" not in response.page
    assert count(MentorshipRequest) == 0


def test_a_suspended_moderator_still_reads_the_queue_and_the_log(client):
    moss, ben = make_moderator(), make_user("ben")
    make_flag(ben, make_post(make_user("ana"), make_thread(), "Ana's post"))
    suspend(moss, by=make_user("ada", role="admin"))
    client.login("moss")
    queue = client.get("/mod")
    assert queue.status_code == 200 and "Ana's post" in queue.page
    assert "Dismiss: nothing wrong" not in queue.page and "Hide post" not in queue.page
    assert "its actions come back when your suspension ends" in queue.page
    assert client.get("/mod/audit").status_code == 200
    assert "You can't suspend this person" in client.get("/mod/users/ben").page
