"""Writing posts and replies: what is stored, what is refused, and what is kept."""
import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.posts import Post, Thread
from tests.factories import make_badge, make_post, make_thread, make_user


def posts_stored() -> int:
    return db.session.scalar(select(func.count(Post.id)))


@pytest.fixture
def thread(app):
    return make_thread("Three highs and three lows")


@pytest.fixture
def ana(app):
    return make_user("ana", role="listener")


def write(client, thread, body, **extra):
    return client.submit(f"/threads/{thread.id}/posts", {"body": body, **extra})


def test_a_post_is_stored_rendered_and_shown_with_its_author(client, thread, ana):
    client.login("ana")
    response = write(client, thread, "3 highs: *meeting people*")
    assert response.status_code == 302
    post = db.session.scalar(select(Post))
    assert post.body_md == "3 highs: *meeting people*"
    assert post.body_html == "<p>3 highs: <em>meeting people</em></p>"
    assert response.location.endswith(f"/posts/{post.id}")
    page = client.get(f"/threads/{thread.id}").page
    assert "<em>meeting people</em>" in page and "Ana" in page and f'id="post-{post.id}"' in page
    assert db.session.get(Thread, thread.id).post_count == 1


def test_a_reply_sits_under_its_post_and_counts(client, thread, ana):
    ben = make_user("ben")
    post = make_post(ben, thread, "It can be hard to join a busy room.")
    client.login("ana")
    client.submit(f"/posts/{post.id}/replies", {"body": "Structured rooms help me."})
    reply = db.session.scalar(select(Post).where(Post.parent_id == post.id))
    assert reply.body_md == "Structured rooms help me."
    assert db.session.get(Post, post.id).reply_count == 1
    page = client.get(f"/threads/{thread.id}").page
    assert page.index("busy room") < page.index("Structured rooms")


def test_a_reply_to_a_reply_joins_the_top_post(client, thread, ana):
    ben = make_user("ben")
    top = make_post(ben, thread)
    first = make_post(ana, thread, "first reply", parent=top)
    client.login("ben")
    client.submit(f"/posts/{first.id}/replies", {"body": "answering the reply"})
    newest = db.session.scalar(select(Post).order_by(Post.id.desc()))
    assert newest.parent_id == top.id


@pytest.mark.parametrize("body, message", [
    ("", "Write something before posting."),
    ("   \n\t  ", "Write something before posting."),
    ("x" * 20_001, "Keep it under 20,000 characters"),
])
def test_bad_posts_are_refused_and_the_text_kept(client, thread, ana, body, message):
    client.login("ana")
    response = write(client, thread, body)
    assert response.status_code == 422
    assert message in response.page
    assert posts_stored() == 0
    if body.strip():
        assert body in response.page


def test_no_post_box_cuts_a_long_paste_short(client, thread, ana):
    """A browser cuts a paste at maxlength without a word, so the boxes carry none; the
    server's refusal is the feedback, with the real count and the text kept."""
    make_post(make_user("ben"), thread, "A post to reply to.")
    client.login("ana")
    page = client.get(f"/threads/{thread.id}").page
    assert page.count("<textarea") == 2  # the new post's box and a reply box
    assert "maxlength" not in "".join(re.findall(r"<textarea[^>]*>", page))

    pasted = "a long paste " * 5_385  # 70,005 characters
    for path in (f"/threads/{thread.id}/posts", f"/posts/{db.session.scalar(select(Post.id))}/replies"):
        response = client.submit(path, {"body": pasted})
        assert response.status_code == 422
        assert "Keep it under 20,000 characters (this is 70,004)." in response.page
        assert pasted.strip() in response.page
    assert posts_stored() == 1


def test_an_expired_form_keeps_the_text(client, thread, ana):
    client.login("ana")
    response = client.post(f"/threads/{thread.id}/posts", data={"body": "my careful words", "csrf_token": "old"})
    assert response.status_code == 422
    assert "my careful words" in response.page and "send it again" in response.page
    assert posts_stored() == 0


def test_a_double_submitted_form_posts_once(client, thread, ana):
    client.login("ana")
    data = {"body": "only once please", "submission_token": "token-123"}
    first = write(client, thread, **data)
    second = write(client, thread, **data)
    assert first.location == second.location
    assert posts_stored() == 1
    assert db.session.get(Thread, thread.id).post_count == 1


def test_a_tampered_submission_token_still_posts_once_and_never_fails(client, thread, ana):
    client.login("ana")
    response = write(client, thread, "my words, whatever the hidden field says", submission_token="x" * 70_000)
    assert response.status_code == 302
    assert posts_stored() == 1
    assert db.session.scalar(select(Post.body_md)) == "my words, whatever the hidden field says"


def test_locked_threads_take_no_posts_or_replies(client, ana):
    locked = make_thread("Closed", locked=True)
    other = make_thread("Open")
    post = make_post(make_user("ben"), other)
    client.login("ana")
    response = write(client, locked, "hello?")
    assert response.status_code == 422 and "locked" in response.page
    other.locked = True
    db.session.commit()
    response = client.submit(f"/posts/{post.id}/replies", {"body": "hi"})
    assert response.status_code == 422 and "locked" in response.page
    assert posts_stored() == 1


def test_threads_the_user_cannot_see_answer_404(client, ana):
    teen_space = make_thread("Teens only", audience="teen")
    badge_space = make_thread("Badge holders", required_badge=make_badge("trained", "Trained"))
    client.login("ana")
    for thread in (teen_space, badge_space):
        assert client.get(f"/threads/{thread.id}").status_code == 404
        assert write(client, thread, "let me in").status_code == 404
    assert posts_stored() == 0


def test_a_thread_or_post_kept_from_someone_is_not_said_to_be_gone(client, ana):
    # Nor said to be there: "can't be found" is true for a teen space and for a typo alike,
    # where "That thread doesn't exist. … it may not be open to you." said both at once.
    teen_space = make_thread("Teens only", audience="teen")
    post = make_post(make_user("tia", age_group="teen"), teen_space, "Hello teens")
    client.login("ana")
    for path, what in ((f"/threads/{teen_space.id}", "thread"), ("/threads/999999", "thread"),
                       (f"/posts/{post.id}", "post"), ("/posts/999999", "post")):
        page = client.get(path).page
        assert f"<p>That {what} can't be found.</p>" in page, path
        assert "It may have moved, or it may not be open to you." in page, path
        assert "doesn't exist" not in page, path
    # The same for the parts' own pages: a program or a mentor kept from a teen.
    from tests.mentors.factories import make_mentor
    from tests.training.factories import make_program
    adults_program = make_program(title="For adults", audience="adult")
    make_mentor("tom", teens=False, adults=True)
    client.logout()
    client.login("tia")
    for path, what in ((f"/programs/{adults_program.slug}", "program"), ("/mentors/tom", "mentor")):
        page = client.get(path).page
        assert f"<p>That {what} can't be found.</p>" in page, path
        assert "It may have moved, or it may not be open to you." in page, path


def test_unknown_and_removed_posts(client, thread, ana):
    client.login("ana")
    assert client.get("/posts/999999").status_code == 404
    assert client.submit("/posts/999999/replies", {"body": "hi"}).status_code == 404
    ben = make_user("ben")
    post = make_post(ben, thread)
    post.deleted_at = post.created_at
    db.session.commit()
    response = client.submit(f"/posts/{post.id}/replies", {"body": "hello"})
    assert response.status_code == 422 and "removed" in response.page


def test_anonymous_visitors_are_asked_to_sign_in(client, thread):
    assert "Sign in" in client.get(f"/threads/{thread.id}").page
    response = client.post(f"/threads/{thread.id}/posts", data={"body": "x"})
    assert response.status_code in (302, 400)
    assert posts_stored() == 0


def test_titles_are_plain_text(client, ana):
    thread = make_thread("<script>alert(1)</script> & friends")
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_preview_renders_like_a_saved_post(client, ana):
    client.login("ana")
    token = client.csrf_token()
    response = client.post("/preview", data={"body": "**bold** <script>x</script> @ana"}, headers={"X-CSRFToken": token})
    html = response.get_json()["html"]
    assert "<strong>bold</strong>" in html and "&lt;script&gt;" in html and 'class="mention"' in html
    assert posts_stored() == 0


def test_preview_needs_a_token_and_a_sign_in(client, ana):
    assert client.post("/preview", data={"body": "x"}).status_code == 400
    token = client.csrf_token()
    assert client.post("/preview", data={"body": "x"}, headers={"X-CSRFToken": token}).status_code == 302


def test_preview_counts_a_text_the_post_box_would_take_as_the_post_does(client, thread, ana):
    # A browser sends each line end as \r\n; the post counts it as one character, so a
    # text the post box takes must preview too, not be refused as too long.
    client.login("ana")
    token = client.csrf_token()
    lines = ("x" * 99 + "\r\n") * 200
    response = client.post("/preview", data={"body": lines}, headers={"X-CSRFToken": token})
    assert response.status_code == 200 and response.get_json()["html"].count("x" * 99) == 200
    assert write(client, thread, lines).status_code == 302

    too_long = lines + "y"
    response = client.post("/preview", data={"body": too_long}, headers={"X-CSRFToken": token})
    assert response.status_code == 400
    assert response.get_json()["error"] == "Keep it under 20,000 characters (this is 20,001)."


def test_previewing_an_empty_box_says_there_is_nothing_to_show_yet(client, ana):
    client.login("ana")
    token = client.csrf_token()
    for blank in ["", "  \r\n ", "\u200b"]:
        response = client.post("/preview", data={"body": blank}, headers={"X-CSRFToken": token})
        assert response.get_json() == {"error": "Nothing to preview yet: write something in the box first."}
