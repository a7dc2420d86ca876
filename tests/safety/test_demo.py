"""The demo community shows the safety features and loads twice without duplicates."""
from sqlalchemy import func, select

from forum.demo import DEMO_PASSWORD
from forum.demo.moderation import DISMISS_NOTE, THREAD_TITLE
from forum.extensions import db
from forum.models.moderation import AuditEntry, Block, Flag
from forum.models.posts import Post


def counts() -> tuple:
    return tuple(db.session.scalar(select(func.count(model.id))) for model in (Post, Flag, AuditEntry, Block))


def test_seed_demo_twice_fills_the_queue_and_dismissed_flags_once(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    first = counts()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts() == first and first[1] == 3
    client.login("moss_mod", DEMO_PASSWORD)
    page = client.get("/mod").page
    assert "Calls people who come here for help weak." in page and "Flagged 2 times" in page
    assert "Advertising is not allowed here." in client.get("/mod/audit").page
    # One flag a moderator dismissed, to reopen from "Dismissed flags"; its flagger was told.
    dismissed = client.get("/mod/dismissed").page
    assert dismissed.count('id="dismissed-') == 1
    assert "Dismissed by @moss_mod" in dismissed and f"“{DISMISS_NOTE}”" in dismissed
    client.logout()
    client.login("rowan_listens", DEMO_PASSWORD)
    assert (f"A moderator looked at the post you flagged in “{THREAD_TITLE}” and left it up: they found nothing "
            "that needs taking down.") in client.get("/notifications").page
