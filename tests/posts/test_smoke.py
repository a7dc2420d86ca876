from sqlalchemy import select

from forum.extensions import db
from forum.models.posts import Notification, Post, Reaction
from tests.factories import make_post, make_thread, make_user


def test_post_reply_react_and_read_the_thread(client):
    ana, ben = make_user("ana"), make_user("ben")
    thread = make_thread("Highs and lows")
    client.login("ana")
    response = client.submit(f"/threads/{thread.id}/posts", {"body": "3 highs: **people**"}, page=f"/threads/{thread.id}")
    assert response.status_code == 302
    post = db.session.scalar(select(Post))
    client.logout()
    client.login("ben")
    client.submit(f"/posts/{post.id}/replies", {"body": "Agreed, @ana!"}, page=f"/threads/{thread.id}")
    client.submit(f"/posts/{post.id}/react", {"kind": "hug"}, page=f"/threads/{thread.id}")
    page = client.get(f"/threads/{thread.id}").page
    assert "<strong>people</strong>" in page
    assert 'class="mention" href="/users/ana"' in page
    assert db.session.scalar(select(Reaction.kind)) == "hug"
    kinds = sorted(db.session.scalars(select(Notification.kind).where(Notification.user_id == ana.id)))
    assert kinds == ["mention", "reaction"]  # a reply that mentions notifies once
