from sqlalchemy import update

from forum.extensions import db
from forum.models.posts import Post
from tests.factories import make_post, make_thread, make_user


def test_rerender_rebuilds_stored_html_from_markdown(runner):
    ana = make_user("ana")
    post = make_post(ana, make_thread(), "**bold** for @ana")
    db.session.execute(update(Post).values(body_html="<p>stale</p>"))
    db.session.commit()
    result = runner.invoke(args=["rerender"])
    assert result.exit_code == 0 and "posts: 1 changed" in result.output
    stored = db.session.get(Post, post.id)
    db.session.refresh(stored)
    assert "<strong>bold</strong>" in stored.body_html and 'href="/users/ana"' in stored.body_html


def test_posts_show_the_authors_badges(client):
    from tests.factories import make_badge
    from forum.accounts.staff import award_badge

    ana = make_user("ana")
    award_badge(ana, make_badge("verified", "Verified Listener", icon="✔"))
    post = make_post(ana, make_thread())
    assert "Verified Listener badge" in client.get(f"/threads/{post.thread_id}").page
