"""Editing keeps history; removing is soft; moderators hide and restore."""
import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.forms import EXPIRED_BUTTON_MESSAGE
from forum.models.moderation import AuditEntry
from forum.models.posts import Notification, Post, PostRevision
from tests.factories import make_post, make_thread, make_user
from tests.html_checks import box_value


@pytest.fixture
def post(app):
    return make_post(make_user("ana"), make_thread("Lows"), "Some people speak over you.")


def test_editing_keeps_a_revision_and_shows_edited(client, post):
    client.login("ana")
    assert client.get(f"/posts/{post.id}/edit").status_code == 200
    response = client.submit(f"/posts/{post.id}/edit", {"body": "Some people talk over you."})
    assert response.status_code == 302
    stored = db.session.get(Post, post.id)
    assert stored.body_md == "Some people talk over you." and stored.edited_at is not None
    assert db.session.scalar(select(PostRevision.body_md)) == "Some people speak over you."
    page = client.get(f"/threads/{post.thread_id}").page
    assert "talk over you" in page and ">edited<" in page
    history = client.get(f"/posts/{post.id}/history").page
    assert "speak over you" in history and "talk over you" in history
    assert "<title>History of Ana's post · " in history


@pytest.mark.parametrize("who, status", [("ben", 403), ("moss", 200)])
def test_history_is_for_the_author_and_moderators(client, post, who, status):
    make_user("ben")
    make_user("moss", role="moderator")
    client.login(who)
    assert client.get(f"/posts/{post.id}/history").status_code == status


def test_others_cannot_edit(client, post):
    make_user("ben")
    client.login("ben")
    response = client.submit(f"/posts/{post.id}/edit", {"body": "vandalised"})
    assert response.status_code == 403
    assert "Only the person who wrote a post can edit it." in response.page
    assert db.session.get(Post, post.id).body_md == "Some people speak over you."
    assert "Only the person who wrote a post can edit it." in client.get(f"/posts/{post.id}/edit").page


def test_a_refusal_without_a_reason_of_ours_shows_no_server_jargon(client, post):
    make_user("ben")
    client.login("ben")
    page = client.get(f"/posts/{post.id}/history").page
    assert "You can't do that here" in page
    assert "read-protected" not in page and "requested resource" not in page


@pytest.mark.parametrize("taken_down, refusal", [
    ("removed by its author", "That post was removed, so it can no longer be edited."),
    # Told "A moderator hid your post", she was not to read that it was removed (by whom?).
    ("hidden by a moderator", "That post was hidden by a moderator, so it can no longer be edited."),
])
def test_saving_an_edit_after_the_post_was_taken_down_keeps_the_typed_text(client, post, taken_down, refusal):
    """The edit page was open in one tab while the post was removed in another (or hidden
    by a moderator): Save says why it can't, and shows what was typed to copy."""
    client.login("ana")
    assert client.get(f"/posts/{post.id}/edit").status_code == 200
    if taken_down == "removed by its author":
        client.submit(f"/posts/{post.id}/delete", {"confirmed": "yes"})
    else:
        post.hidden_at, post.hidden_reason = post.created_at, "Shares a phone number"
        db.session.commit()
    typed = "Some people talk over you & <that> hurts."
    response = client.submit(f"/posts/{post.id}/edit", {"body": typed})
    assert response.status_code == 403
    assert refusal in response.page
    assert "Your text, kept so you can copy it" in response.page
    assert f'<textarea id="kept-text" readonly rows="6">{typed}</textarea>' in response.page
    assert db.session.get(Post, post.id).body_md == "Some people speak over you."


def test_an_edit_begun_before_a_moderator_changed_the_post_does_not_undo_their_change(client, post):
    """Ana opened the edit page; meanwhile a moderator took her phone number out. Saving
    her stale page must not quietly put it back: she sees the post as it reads now, with
    her own text still in the box, and saving again is then her choice."""
    make_user("moss", role="moderator")
    client.login("ana")
    opened = box_value(client.get(f"/posts/{post.id}/edit").page, "based_on")
    client.logout()
    client.login("moss")
    moss_page = client.get(f"/posts/{post.id}/edit").page
    client.submit(f"/posts/{post.id}/edit", {"body": "Some people speak over you. [number removed]",
                                             "based_on": box_value(moss_page, "based_on")})
    client.logout()
    client.login("ana")
    typed = "Some people speak over you. Call me on 0700 000 000, I mean it."
    response = client.submit(f"/posts/{post.id}/edit", {"body": typed, "based_on": opened})
    assert response.status_code == 409
    assert "changed since you opened this page" in response.page
    assert "[number removed]" in response.page  # the post as it reads now
    assert typed in response.page  # what she typed, still in the box
    assert db.session.get(Post, post.id).body_md == "Some people speak over you. [number removed]"
    # Having seen it, saving again is her decision, and goes through.
    again = client.submit(f"/posts/{post.id}/edit", {"body": "Some people speak over you. Sorry!",
                                                     "based_on": box_value(response.page, "based_on")})
    assert again.status_code == 302
    assert db.session.get(Post, post.id).body_md == "Some people speak over you. Sorry!"


def test_saving_the_same_page_twice_is_not_a_clash_with_yourself(client, post):
    client.login("ana")
    opened = box_value(client.get(f"/posts/{post.id}/edit").page, "based_on")
    data = {"body": "Some people talk over you.", "based_on": opened}
    assert client.submit(f"/posts/{post.id}/edit", data).status_code == 302
    # The same words again (a second press, a resent form): nothing to clash with.
    assert client.submit(f"/posts/{post.id}/edit", data).status_code == 302
    assert db.session.scalar(select(func.count(PostRevision.id))) == 1


def test_a_locked_thread_says_why_its_posts_cannot_be_edited(client, post):
    post.thread.locked = True
    db.session.commit()
    client.login("ana")
    assert "This thread is locked; its posts can no longer be edited." in client.get(f"/posts/{post.id}/edit").page


def test_an_empty_edit_is_refused_and_kept_out(client, post):
    client.login("ana")
    response = client.submit(f"/posts/{post.id}/edit", {"body": "  "})
    assert "Write something" in response.page
    assert db.session.get(Post, post.id).body_md == "Some people speak over you."


def test_removing_your_post_leaves_a_placeholder_and_the_replies(client, post):
    ben = make_user("ben")
    make_post(ben, post.thread, "I feel that too.", parent=post)
    client.login("ana")
    client.submit(f"/posts/{post.id}/delete", {"confirmed": "yes"})
    assert db.session.get(Post, post.id).deleted_at is not None
    client.logout()
    page = client.get(f"/threads/{post.thread_id}").page
    assert "This post was removed." in page
    assert "speak over you" not in page
    assert "I feel that too." in page


def test_moderators_hide_with_a_reason_the_author_is_told_and_restore(client, post):
    make_user("moss", role="moderator")
    client.login("moss")
    response = client.submit(f"/posts/{post.id}/hide", {"reason": "Shares a phone number"})
    assert response.status_code == 302
    stored = db.session.get(Post, post.id)
    assert stored.hidden_at is not None and stored.hidden_reason == "Shares a phone number"
    note = db.session.scalar(select(Notification).where(Notification.kind == "moderation"))
    assert "Shares a phone number" in note.message
    client.logout()
    assert "hidden by a moderator" in client.get(f"/threads/{post.thread_id}").page
    client.login("moss")
    client.submit(f"/posts/{post.id}/restore")
    assert db.session.get(Post, post.id).hidden_at is None


def test_hiding_from_an_expired_thread_page_changes_nothing_and_gives_the_reason_back(client, post):
    """Hide on the thread checks its own token, to give back the reason typed: an expired
    or missing token is refused all the same, back at the post, nothing hidden or logged,
    the reason in the message and back in the post's Hide box."""
    make_user("moss", role="moderator")
    client.login("moss")
    for token in ("expired", None):
        data = {"reason": "Shares a phone number"} | ({"csrf_token": token} if token else {})
        response = client.post(f"/posts/{post.id}/hide", data=data)
        assert response.status_code == 302 and response.location.endswith(f"#post-{post.id}")
        shown = client.get(response.location)
        assert EXPIRED_BUTTON_MESSAGE in shown.page and "“Shares a phone number”" in shown.page
        html = shown.get_data(as_text=True)
        assert box_value(html, f"hide-reason-{post.id}") == "Shares a phone number"
        assert '<details class="inline-details" open>' in html  # unfolded, to press Hide again
        html = client.get(response.location).get_data(as_text=True)
        assert box_value(html, f"hide-reason-{post.id}") == ""  # that page only, as the message
        db.session.expire_all()
        assert db.session.get(Post, post.id).hidden_at is None
        assert db.session.scalar(select(func.count(AuditEntry.id))) == 0

    client.submit(f"/posts/{post.id}/hide", {"reason": "Shares a phone number"})
    assert db.session.get(Post, post.id).hidden_reason == "Shares a phone number"
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1


def test_hiding_needs_a_reason_and_a_moderator(client, post):
    make_user("moss", role="moderator")
    make_user("ben")
    client.login("moss")
    client.submit(f"/posts/{post.id}/hide", {"reason": " "})
    assert db.session.get(Post, post.id).hidden_at is None
    client.logout()
    client.login("ben")
    assert client.submit(f"/posts/{post.id}/hide", {"reason": "mine"}).status_code == 403
    assert client.submit(f"/posts/{post.id}/restore").status_code == 403


def test_the_confirmation_and_the_edit_page_name_what_was_written_and_whose(client):
    from tests.ideas.factories import make_call, make_moderator
    moss = make_moderator("moss")
    call = make_call(moss, title="Quiet hours")
    make_user("ana", display_name="Ana")
    client.login("ana")
    response = client.submit(f"/threads/{call.thread_id}/posts", {"body": "A quiet hour each evening."})
    assert "Your idea is up." in client.get(response.location, follow_redirects=True).page
    idea = db.session.scalar(select(Post).where(Post.thread_id == call.thread_id))
    assert "<h1>Edit your idea</h1>" in client.get(f"/posts/{idea.id}/edit").page
    client.logout()
    # A moderator editing it is not told it is theirs.
    client.login("moss")
    assert "<h1>Edit Ana's idea</h1>" in client.get(f"/posts/{idea.id}/edit").page


def test_removing_says_what_was_removed_and_speaks_of_replies_only_when_there_are_some(client, post):
    ben = make_user("ben")
    reply = make_post(ben, post.thread, "I feel that too.", parent=post)
    client.login("ben")
    thread_page = client.get(f"/threads/{post.thread_id}").page
    assert "Remove your reply? Only a moderator can bring it back." in thread_page
    page = client.submit(f"/posts/{reply.id}/delete", {"confirmed": "yes"}, follow_redirects=True).page
    assert "Your reply is removed." in page and "Replies to it stay" not in page
    client.logout()

    client.login("ana")
    assert "Remove your post? Replies to it stay" in client.get(f"/threads/{post.thread_id}").page
    page = client.submit(f"/posts/{post.id}/delete", {"confirmed": "yes"}, follow_redirects=True).page
    assert "Your post is removed. Replies to it stay." in page


def test_an_idea_s_buttons_and_removal_question_call_it_an_idea(client):
    from tests.ideas.factories import make_call, make_moderator, post_idea
    call = make_call(make_moderator("moss"), title="Quiet hours")
    post_idea(make_user("ana", display_name="Ana"), call, "A quiet hour each evening.")
    client.login("ana")
    page = client.get(f"/ideas/{call.id}").page
    assert "Remove your idea? Replies to it stay, and only a moderator can bring it back." in page
    assert "Remove your post?" not in page
    assert 'Edit<span class="visually-hidden"> Ana\'s idea</span>' in page


def test_the_edit_box_is_named_for_what_is_edited_and_says_markdown_works(client, post):
    reply = make_post(make_user("ben"), post.thread, "I feel that too.", parent=post)
    client.login("ben")
    page = client.get(f"/posts/{reply.id}/edit").text
    assert '<label for="body">Your reply</label>' in page
    assert "Markdown works. @name mentions someone; &gt; quotes." in page
    make_user("moss", role="moderator")
    client.logout()
    client.login("moss")
    assert '<label for="body">Ana&#39;s post</label>' in client.get(f"/posts/{post.id}/edit").text


def test_remove_pressed_twice_says_it_is_removed_already(client, post):
    # A double-click, or Remove pressed again in a tab left open: it used to answer
    # "Only the author can remove this post." to the author, on a 403 page.
    client.login("ana")
    token = client.csrf_token()
    first = client.post(f"/posts/{post.id}/delete", data={"csrf_token": token, "confirmed": "yes"})
    again = client.post(f"/posts/{post.id}/delete", data={"csrf_token": token, "confirmed": "yes"}, follow_redirects=True)
    assert first.status_code == 302 and again.status_code == 200
    assert "Your post is removed already." in again.page
    assert "Only the author" not in again.page


@pytest.mark.parametrize("which", ["post", "reply"])
def test_without_javascript_remove_asks_on_a_page_first(client, post, which):
    """forum.js asks "Remove your post?"; without it the plain form removed it on one press,
    and only a moderator could bring it back. Now a page asks, and only its button removes."""
    target = post if which == "post" else make_post(post.author, post.thread, "And it happens at work.", parent=post)
    client.login("ana")
    asked = client.submit(f"/posts/{target.id}/delete", {"query": "order=newest"})
    assert asked.status_code == 200
    assert f"<h1>Remove your {which}?</h1>" in asked.page
    assert ("Replies to it stay" in asked.page) == (which == "post")
    assert "nly a moderator can bring it back." in asked.page
    assert 'name="confirmed" value="yes"' in asked.page and 'name="query" value="order=newest"' in asked.page
    assert db.session.get(Post, target.id).deleted_at is None

    done = client.submit(f"/posts/{target.id}/delete", {"confirmed": "yes"}, follow_redirects=True)
    assert f"Your {which} is removed." in done.page
    assert db.session.get(Post, target.id).deleted_at is not None
