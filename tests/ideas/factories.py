"""Calls, ideas and replies for the ideas tests, made through the same services the app uses."""
from forum.ideas import services
from forum.posts.services import toggle_reaction, write_post
from tests.factories import make_user


def make_moderator(username: str = "moss", **kwargs):
    return make_user(username, role=("listener", "moderator"), **kwargs)


def make_call(opened_by, title: str = "How could mentees and mentors talk more?", *,
              question: str = "Share one idea per post.", **kwargs):
    return services.open_call(opened_by, title=title, question=question, **kwargs)


def post_idea(author, call, body: str = "A list of mentors who are online right now."):
    return write_post(author, call.thread, body)


def reply_to(author, idea, body: str = "Yes, and it could show their topics too."):
    return write_post(author, idea.thread, body, parent=idea)


def react(user, post, kind: str = "lightbulb"):
    active, _ = toggle_reaction(user, post, kind)
    assert active
