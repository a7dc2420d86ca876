"""Training things for tests, made through the same services the app uses, or through the
pages as the trainer would (reopen)."""
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.posts import Post
from forum.models.training import Discussion, DiscussionCompletion, Enrollment
from forum.posts.services import write_post
from forum.training import authoring, services
from forum.training.discussion_authoring import add_discussion
from tests.factories import make_user

TEMPLATE = "3 highs:\n1.\n2.\n3.\n\n3 lows:\n1.\n2.\n3."


def make_trainer(username: str = "tova"):
    return make_user(username, role=("listener", "trainer"))


def make_program(trainer=None, *, title: str = "Group Support Basics", discussions: int = 3,
                 audience: str = "everyone", required_badge: str = "", awarded_badge: str = "",
                 published: bool = True, min_words: int = 8, peers: int = 2, post_first: bool = False):
    trainer = trainer or make_trainer()
    program = authoring.create_program(trainer, title=title, slug="", summary_md="Learn to **support groups**.",
                                       audience=audience, required_badge=required_badge,
                                       awarded_badge=awarded_badge)
    for number in range(1, discussions + 1):
        add_discussion(trainer, program, title=f"Discussion {number}", lesson_md=f"Lesson {number}.",
                       prompt="Share 3 highs and 3 lows.", response_template=TEMPLATE,
                       min_words=min_words, required_peer_replies=peers, post_first=post_first)
    if published:
        authoring.set_published(trainer, program, True)
    return program


def add_discussion_later(program, peers: int = 2) -> Discussion:
    """A trainer adds a discussion at the end, as to a program some have completed already."""
    number = db.session.scalar(select(func.count(Discussion.id)).where(Discussion.program_id == program.id)) + 1
    return add_discussion(program.created_by, program, title=f"Discussion {number}", lesson_md=f"Lesson {number}.",
                          prompt="Share 3 highs and 3 lows.", response_template=TEMPLATE, min_words=8,
                          required_peer_replies=peers, post_first=False)


def discussion(program, position: int) -> Discussion:
    return db.session.scalar(select(Discussion).where(Discussion.program_id == program.id,
                                                      Discussion.position == position))


def enrol(user, program) -> Enrollment:
    return services.enrol(user, program)


def long_response(words: int = 12, who: str = "I") -> str:
    return "3 highs:\n1. " + " ".join(f"{who}word{n}" for n in range(words))


def respond(user, program, position: int, body: str | None = None) -> Post:
    """Write a response straight through the engine (as a request would)."""
    return write_post(user, discussion(program, position).thread, body or long_response())


def reply(user, parent: Post, body: str = "Thanks for sharing that.") -> Post:
    return write_post(user, parent.thread, body, parent=parent)


def complete(trainees, program, position: int) -> None:
    """Each trainee responds, then replies to everyone else's response."""
    responses = {t.id: respond(t, program, position) for t in trainees}
    for trainee in trainees:
        for other in trainees:
            if other.id != trainee.id:
                reply(trainee, responses[other.id])


def completed_positions(user, program) -> list[int]:
    return sorted(db.session.scalars(
        select(Discussion.position).join(DiscussionCompletion, DiscussionCompletion.discussion_id == Discussion.id)
        .join(Enrollment, Enrollment.id == DiscussionCompletion.enrollment_id)
        .where(Enrollment.user_id == user.id, Enrollment.program_id == program.id)))


def discussion_path(program, position: int) -> str:
    return f"/programs/{program.slug}/discussions/{position}"


def reopen(client, program, trainee, position, reason="Say more, please."):
    """The trainer (tova) reopens the discussion at `position` for `trainee` from the dashboard."""
    enrollment = db.session.scalar(select(Enrollment).where(
        Enrollment.user_id == trainee.id, Enrollment.program_id == program.id))
    client.login("tova")
    path = (f"/programs/{program.slug}/enrollments/{enrollment.id}/discussions/"
            f"{discussion(program, position).id}/reopen")
    response = client.submit(path, {"reason": reason, "confirmed": "yes"})  # the question answered
    assert response.status_code == 302
    client.logout()


def response_of(trainee, program, position) -> Post:
    return db.session.scalar(select(Post).where(
        Post.thread_id == discussion(program, position).thread_id, Post.author_id == trainee.id,
        Post.parent_id.is_(None)))
