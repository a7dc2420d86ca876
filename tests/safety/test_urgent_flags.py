"""Flags that say someone may be in danger: stored with the flag, first in the queue,
moderators told at once."""
from sqlalchemy import select

from forum.extensions import db
from forum.models.moderation import Flag
from tests.factories import make_post, make_thread, make_user

DANGER_BOX = "Someone may be in danger (they write about hurting themselves or someone else)"


def test_the_flag_form_asks_whether_someone_may_be_in_danger_and_keeps_the_answer(client):
    ana, ben = make_user("ana"), make_user("ben")
    post = make_post(ana, make_thread("Evening check-in"), "I don't see the point of tomorrow.")
    client.login("ben")
    form = client.get(f"/flag/post/{post.id}").page
    assert DANGER_BOX in form and 'type="checkbox"' in form and 'name="urgent"' in form
    response = client.submit(f"/flag/post/{post.id}", {"reason": "Talks of not being here tomorrow", "urgent": "y"})
    assert response.status_code == 302
    flag = db.session.scalar(select(Flag))
    assert (flag.reporter_id, flag.urgent) == (ben.id, True)


def test_a_flag_without_the_box_ticked_is_not_urgent(client):
    ana = make_user("ana")
    make_user("ben")
    post = make_post(ana, make_thread(), "Buy cheap pills here.")
    client.login("ben")
    client.submit(f"/flag/post/{post.id}", {"reason": "Spam"})
    assert db.session.scalar(select(Flag.urgent)) is False


def test_flagging_again_with_the_box_ticked_makes_the_flag_urgent(client):
    ana = make_user("ana")
    make_user("ben")
    post = make_post(ana, make_thread(), "Nobody would notice if I was gone.")
    client.login("ben")
    client.submit(f"/flag/post/{post.id}", {"reason": "Sounds low"})
    client.submit(f"/flag/post/{post.id}", {"reason": "Sounds low", "urgent": "y"})  # same words, box ticked
    flags = db.session.scalars(select(Flag)).all()
    assert [(flag.reason, flag.urgent) for flag in flags] == [("Sounds low", True)]
    client.submit(f"/flag/post/{post.id}", {"reason": "Changed my mind?"})  # unticked later: still urgent
    assert db.session.scalar(select(Flag.urgent)) is True


def test_a_refused_flag_keeps_the_box_ticked(client):
    ana = make_user("ana")
    make_user("ben")
    post = make_post(ana, make_thread())
    client.login("ben")
    response = client.submit(f"/flag/post/{post.id}", {"reason": "   ", "urgent": "y"})
    assert response.status_code == 422
    box = response.page.split('id="urgent"')[0].rsplit("<input", 1)[1] + response.page.split('id="urgent"')[1].split(">")[0]
    assert " checked" in box and "type=\"checkbox\"" in box
    assert db.session.scalar(select(Flag)) is None
