"""A moderator never decides about flags or hides that concern them: their own post, their
profile, a review of their mentoring or one they wrote. Another moderator does; admins too."""
import pytest
from sqlalchemy import select

from forum.accounts.staff import grant_role
from forum.extensions import db
from forum.models.accounts import User
from forum.models.mentors import Review
from forum.models.moderation import Flag
from forum.models.posts import Post
from forum.posts.services import hide_post
from tests.factories import make_post, make_thread, make_user
from tests.mentors.factories import make_listener, make_mentor, make_review
from tests.safety.factories import make_flag, make_moderator

OWN_POST = "This post is yours: another moderator decides what happens to it."
OWN_PROFILE = "This profile is yours: another moderator decides what happens to it."
OWN_MENTORING = "This review is of your own mentoring: another moderator decides whether it stays."
OWN_REVIEW = "You wrote this review: another moderator decides whether it stays."


def flag_status(flag) -> str:
    db.session.expire_all()
    return db.session.get(Flag, flag.id).status


def post_hidden(post) -> bool:
    db.session.expire_all()
    return db.session.get(Post, post.id).hidden_at is not None


def entry_of(page: str, flag) -> str:
    """The flag's entry in the queue page."""
    return page.split(f'id="flag-{flag.id}"')[1].split('<li class="card queue-entry"')[0].split("</ol>")[0]


@pytest.fixture
def own_post(client):
    """Moss, a moderator, wrote a post Ben flagged; Fern is another moderator."""
    moss = make_moderator("moss")
    make_moderator("fern")
    post = make_post(moss, make_thread("Evening check-in"), "Stop whining, all of you.")
    flag = make_flag(make_user("ben"), post, "Harsh on newcomers.")
    client.login("moss")
    return post, flag


def test_the_queue_tells_a_moderator_their_own_post_is_for_another_moderator(client, own_post):
    post, flag = own_post
    entry = entry_of(client.get("/mod").page, flag)
    assert OWN_POST in entry and "Harsh on newcomers." in entry
    for action in (f"/mod/flags/{flag.id}/dismiss", f"/mod/flags/{flag.id}/resolve", f"/mod/posts/{post.id}/hide"):
        assert action not in entry


@pytest.mark.parametrize("action, data", [("flags/{flag}/dismiss", {}), ("flags/{flag}/resolve", {"note": "Fine"}),
                                          ("posts/{post}/hide", {"reason": "Nothing wrong"})])
def test_a_moderator_is_refused_in_words_on_their_own_post_and_the_flag_stays(client, own_post, action, data):
    post, flag = own_post
    path = "/mod/" + action.format(flag=flag.id, post=post.id)
    response = client.submit(path, {**data, "back": "/mod"}, follow_redirects=True)
    assert response.status_code == 200 and OWN_POST in response.page
    assert flag_status(flag) == "open" and not post_hidden(post)
    client.logout()
    client.login("fern")  # the flag waits for another moderator, who can act on it
    assert f"/mod/flags/{flag.id}/dismiss" in entry_of(client.get("/mod").page, flag)
    client.submit(path, {**data, "back": "/mod"})
    assert flag_status(flag) != "open"


def test_a_moderator_cannot_restore_their_own_hidden_post_from_the_thread_or_the_queue(client, own_post):
    post, flag = own_post
    hide_post(db.session.scalar(select(User).where(User.username == "fern")), post, "Harsh on newcomers.")
    thread = client.get(f"/threads/{post.thread_id}").page
    assert "Hidden by a moderator: Harsh on newcomers." in thread
    assert f"/posts/{post.id}/restore" not in thread and f"/posts/{post.id}/hide" not in thread
    for path, page in ((f"/posts/{post.id}/restore", f"/threads/{post.thread_id}"),
                       (f"/mod/posts/{post.id}/restore", "/mod")):
        response = client.submit(path, {"back": "/mod"}, follow_redirects=True)
        assert response.status_code == 200 and OWN_POST in response.page
        assert post_hidden(post)
    client.logout()
    client.login("fern")
    assert f"/posts/{post.id}/restore" in client.get(f"/threads/{post.thread_id}").page
    client.submit(f"/posts/{post.id}/restore")
    assert not post_hidden(post)


def test_a_moderator_cannot_rewrite_their_own_post_another_moderator_hid(client, own_post):
    """A member cannot edit their hidden post; a moderator is no different with their own,
    or they could reword what their colleague judged before anyone reads the flag."""
    post, flag = own_post
    hide_post(db.session.scalar(select(User).where(User.username == "fern")), post, "Harsh on newcomers.")
    thread = client.get(f"/threads/{post.thread_id}").page
    assert f"/posts/{post.id}/edit" not in thread
    response = client.get(f"/posts/{post.id}/edit")
    assert response.status_code == 403 and OWN_POST in response.page
    response = client.submit(f"/posts/{post.id}/edit", {"body": "Welcome, everyone."})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Post, post.id).body_md == "Stop whining, all of you."
    client.logout()
    client.login("fern")  # another moderator may still edit it (taking out a phone number)
    assert client.get(f"/posts/{post.id}/edit").status_code == 200


def test_a_moderator_can_still_bring_back_a_post_they_removed_themselves(client):
    """Undoing their own removal judges nobody: Restore is there, as before the rule."""
    moss = make_moderator("moss")
    post = make_post(moss, make_thread("Evening check-in"), "Posted in the wrong thread, sorry.")
    client.login("moss")
    client.submit(f"/posts/{post.id}/delete", {"confirmed": "yes"})
    db.session.expire_all()
    assert db.session.get(Post, post.id).deleted_at is not None
    assert f"/posts/{post.id}/restore" in client.get(f"/threads/{post.thread_id}").page
    client.submit(f"/posts/{post.id}/restore")
    db.session.expire_all()
    assert db.session.get(Post, post.id).deleted_at is None


def test_admins_are_bound_the_same_way_and_cannot_delete_their_own_flagged_post(client):
    admin = make_user("ada", role=("listener", "admin"))
    make_moderator("fern")
    post = make_post(admin, make_thread(), "A sharp word.")
    flag = make_flag(make_user("ben"), post)
    client.login("ada")
    entry = entry_of(client.get("/mod").page, flag)
    assert OWN_POST in entry and "/delete" not in entry and "/dismiss" not in entry
    for path, data in ((f"/mod/flags/{flag.id}/dismiss", {}), (f"/mod/posts/{post.id}/delete", {"reason": "Mine"})):
        response = client.submit(path, data, follow_redirects=True)
        assert OWN_POST in response.page
    assert flag_status(flag) == "open" and db.session.get(Post, post.id) is not None


def test_a_moderator_leaves_flags_on_their_own_profile_to_another_moderator(client):
    moss = make_moderator("moss")
    make_moderator("fern")
    flag = make_flag(make_user("ben"), moss, "Impersonates staff.")
    client.login("moss")
    entry = entry_of(client.get("/mod").page, flag)
    assert OWN_PROFILE in entry and "/dismiss" not in entry
    response = client.submit(f"/mod/flags/{flag.id}/dismiss", {"back": "/mod"}, follow_redirects=True)
    assert OWN_PROFILE in response.page and flag_status(flag) == "open"
    client.logout()
    client.login("fern")
    client.submit(f"/mod/flags/{flag.id}/resolve", {"note": "Talked with Moss"})
    assert flag_status(flag) == "resolved"


@pytest.mark.parametrize("who, words", [("juniper", OWN_MENTORING), ("rowan", OWN_REVIEW)])
def test_flags_on_a_review_of_their_mentoring_or_by_them_are_for_another_moderator(client, who, words):
    juniper = make_mentor("juniper")
    review = make_review(make_listener("rowan"), juniper, rating=1, body="Unkind and late.")
    flag = make_flag(make_listener("wren"), review, "Names a mentee.")
    grant_role(review.mentor if who == "juniper" else review.author, "moderator")
    make_moderator("fern")
    client.login(who)
    entry = entry_of(client.get("/mod").page, flag)
    assert words in entry and "/dismiss" not in entry and "/resolve" not in entry
    for action in ("dismiss", "resolve"):
        response = client.submit(f"/mod/flags/{flag.id}/{action}", {"back": "/mod"},
                                 follow_redirects=True)
        assert words in response.page
    assert flag_status(flag) == "open"
    client.logout()
    client.login("fern")
    client.submit(f"/mod/flags/{flag.id}/dismiss")
    assert flag_status(flag) == "dismissed"
    assert db.session.scalar(select(Flag.resolved_by_id).where(Flag.id == flag.id)) is not None


@pytest.mark.parametrize("who, words", [("juniper", OWN_MENTORING), ("rowan", OWN_REVIEW)])
def test_hiding_a_review_of_their_mentoring_or_by_them_is_refused_in_words_as_for_a_post(client, who, words):
    review = make_review(make_listener("rowan"), make_mentor("juniper"), rating=1, body="Unkind and late.")
    grant_role(review.mentor if who == "juniper" else review.author, "moderator")
    client.login(who)
    response = client.submit(f"/mentors/reviews/{review.id}/hide", {"reason": "Unfair", "back": "/mod"},
                             follow_redirects=True)
    assert response.status_code == 200 and words in response.page
    db.session.expire_all()
    assert db.session.get(Review, review.id).hidden_at is None


def test_a_moderator_reads_why_their_own_post_was_flagged_but_not_who_flagged_it(client, own_post):
    """The flag form promises "The person is not told who flagged": a moderator is a person
    too. Another moderator, who decides, sees who it was."""
    post, flag = own_post
    entry = entry_of(client.get("/mod").page, flag)
    assert "Harsh on newcomers." in entry
    assert "@ben" not in entry and "Ben" not in entry
    client.logout()
    client.login("fern")
    assert "@ben" in entry_of(client.get("/mod").page, flag)
