"""The demo community shows the safety features: flags in the queue, one dismissed, the audit log."""
from sqlalchemy import func, select

from forum.demo import DEMO_PASSWORD
from forum.demo.moderation import DISMISS_NOTE, THREAD_TITLE
from forum.extensions import db
from forum.models.moderation import Flag


def test_seed_demo_fills_the_queue_and_dismissed_flags(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # loading it twice: tests/test_cli.py
    assert db.session.scalar(select(func.count(Flag.id))) == 3
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
