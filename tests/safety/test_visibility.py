"""Visibility in one place: every path to a post asks forum.posts.visibility, and what
a reader may not see answers 404 like what does not exist."""
import pytest
from sqlalchemy import or_, select

from forum.accounts.staff import award_badge, revoke_badge
from forum.extensions import db
from forum.models.posts import Notification, Post
from forum.posts import policies
from forum.posts.services import hide_post, toggle_reaction
from tests.factories import make_badge, make_post, make_thread, make_user
from tests.safety.factories import make_moderator

GATED = "safety_gated"


class AnswerFirstPolicy(policies.ThreadPolicy):
    """Like a training discussion: others' answers stay out of sight until you post yours."""

    def listing_filter(self, user, thread):
        if not user.is_authenticated:
            return Post.author_id == -1
        answered = select(Post.id).where(Post.thread_id == thread.id, Post.author_id == user.id)
        return or_(Post.author_id == user.id, answered.exists())


@pytest.fixture
def gated(monkeypatch):
    monkeypatch.setitem(policies._policies, GATED, AnswerFirstPolicy())


def post_paths(post) -> list[str]:
    return [f"/posts/{post.id}", f"/posts/{post.id}/replies", f"/posts/{post.id}/reactions",
            f"/posts/{post.id}/reply", f"/flag/post/{post.id}"]


def test_posts_hidden_by_the_thread_policy_are_404_on_every_path(client, gated):
    ana, ben = make_user("ana"), make_user("ben")
    thread = make_thread("Discussion 1", kind=GATED)
    answer = make_post(ana, thread, "Ana's own answer")
    reply = make_post(ana, thread, "Ana replying to herself", parent=answer)
    client.login("ben")
    assert "Ana's own answer" not in client.get(f"/threads/{thread.id}").page
    for path in post_paths(answer) + [f"/posts/{reply.id}"]:
        assert client.get(path).status_code == 404, path
    mine = make_post(ben, thread, "Ben answers")
    quoting = client.get(f"/posts/{mine.id}/reply?quote={answer.id}")
    assert quoting.status_code == 200 and "Ana's own answer" in quoting.page  # now he may see it
    assert client.get(f"/posts/{answer.id}").status_code == 302


def test_a_quote_of_a_post_you_cannot_see_is_404_and_leaks_nothing(client):
    ana, tess = make_user("ana"), make_user("tess", age_group="teen")
    adult_secret = make_post(ana, make_thread("Adults", audience="adult"), "adult-only words")
    teen_post = make_post(tess, make_thread("Open"), "open words")
    client.login("tess")
    response = client.get(f"/posts/{teen_post.id}/reply?quote={adult_secret.id}")
    assert response.status_code == 404 and "adult-only words" not in response.page


def test_quotes_of_hidden_posts_leave_the_text_out(client):
    ana = make_user("ana")
    make_user("ben")
    moss = make_moderator()
    post = make_post(ana, make_thread(), "words a moderator hid")
    hide_post(moss, post, "Unkind")
    client.login("ben")
    page = client.get(f"/posts/{post.id}/reply?quote={post.id}").page
    assert "words a moderator hid" not in page
    assert client.get(f"/posts/{post.id}/edit").status_code == 403  # the editor would show the text


def test_who_reacted_to_a_hidden_post_is_not_listed(client):
    ana, ben = make_user("ana"), make_user("ben")
    moss = make_moderator()
    post = make_post(ana, make_thread(), "text")
    toggle_reaction(ben, post, "hug")
    hide_post(moss, post, "Off topic")
    client.login("ben")
    assert client.get(f"/posts/{post.id}/reactions").status_code == 404
    client.logout()
    client.login("moss")
    assert "Ben" in client.get(f"/posts/{post.id}/reactions").page


def test_badge_locked_and_private_threads_are_404(client):
    ana = make_user("ana")
    make_user("ben")
    badge = make_badge("trained", "Trained")
    award_badge(ana, badge)
    locked = make_post(ana, make_thread("Holders only", required_badge=badge), "for holders")
    private = make_post(ana, make_thread("Just us", members=[ana, make_user("cyd")]), "between two")
    client.login("ben")
    for post in (locked, private):
        assert client.get(f"/threads/{post.thread_id}").status_code == 404
        for path in post_paths(post):
            assert client.get(path).status_code == 404, path
    missing = client.get("/posts/99999")
    assert missing.status_code == 404
    # The same answer as nothing at all.
    assert client.get(f"/posts/{private.id}").page_without_csrf_tokens == missing.page_without_csrf_tokens


def test_no_notification_about_a_post_the_recipient_cannot_see(app, gated):
    ana = make_user("ana")
    make_user("ben")
    make_user("tess", age_group="teen")
    make_post(ana, make_thread("Adults", audience="adult"), "hello @tess")
    make_post(ana, make_thread("Gated", kind=GATED), "what do you think, @ben?")
    assert db.session.scalar(select(Notification)) is None


def test_notifications_about_posts_that_became_invisible_disappear(client):
    ana, ben = make_user("ana"), make_user("ben")
    badge = make_badge("trained", "Trained")
    award_badge(ana, badge)
    award_badge(ben, badge)
    thread = make_thread("Holders only", required_badge=badge)
    make_post(ana, thread, "welcome @ben")
    client.login("ben")
    assert "Holders only" in client.get("/notifications").page
    revoke_badge(ben, badge)
    page = client.get("/notifications").page
    assert "Holders only" not in page and "unread" not in page.split("</header>")[0]


def test_notifications_about_hidden_posts_disappear_except_the_authors_notice(client):
    ana = make_user("ana")
    make_user("ben")
    moss = make_moderator()
    post = make_post(ana, make_thread("Loud thread"), "hey @ben, look")
    client.login("ben")
    assert "Loud thread" in client.get("/notifications").page
    hide_post(moss, post, "Spam")
    assert "Loud thread" not in client.get("/notifications").page
    client.logout()
    client.login("ana")
    assert "A moderator hid your post in “Loud thread”: Spam" in client.get("/notifications").page
