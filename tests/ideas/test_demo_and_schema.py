"""The demo calls tell their story, and the migration matches the models."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from forum.demo import DEMO_PASSWORD, seed_all
from forum.demo.ideas import MENTOR_IDEAS, MENTORS_CALL, TEEN_CALL
from forum.extensions import db
from forum.search.schema import include_object  # the search indexes are raw SQL, not models
from forum.models.ideas import IdeaCall, IdeaStatus
from forum.models.posts import Mention, Post, Reaction, Thread
from tests.ideas.pages import visible_text


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_demo_tells_the_story_of_a_call_that_staff_follow(client):
    seed_all()  # loading it twice: tests/test_cli.py
    assert count(IdeaCall) == 2
    mentors = db.session.scalar(select(IdeaCall).join(IdeaCall.thread).where(Thread.title == MENTORS_CALL))
    ideas = Post.thread_id == mentors.thread_id
    assert count(Post, ideas, Post.parent_id.is_(None)) == len(MENTOR_IDEAS) == 12
    assert count(Post, ideas, Post.parent_id.is_not(None)) >= 5
    assert count(Post, ideas, Post.body_md.startswith("> @")) >= 2  # quotes
    assert count(Mention) >= 5 and count(Reaction) >= 20
    assert {kind for kind in db.session.scalars(select(Reaction.kind))} >= {"hug", "high_five", "heart", "lightbulb"}
    statuses = dict(db.session.execute(select(IdeaStatus.status, func.count()).group_by(IdeaStatus.status)).all())
    assert statuses["merged"] == 1 and statuses["shortlisted"] >= 2 and statuses["planned"] >= 1
    assert statuses["under_review"] >= 2
    assert mentors.phase == "shortlisted"
    assert "Ideas to help listeners and mentors talk more" in visible_text(client.get("/ideas"))
    assert TEEN_CALL not in visible_text(client.get("/ideas"))  # a teen-only call
    shortlist = visible_text(client.get(f"/ideas/{mentors.id}/shortlist"))
    assert "mentors online now" in shortlist and "by Rowan @rowan_listens" in shortlist

    # The question reads as sentences: a single newline is a line break here (as in every
    # post), and one mid-sentence left "single" alone at the end of a line above "message."
    for question_html in db.session.scalars(select(IdeaCall.question_html)):
        assert "<br>" not in question_html

    # Without one followed thread the demo never showed "Threads you follow" nor a
    # gathered notification: nobody trying the forum could find the feature.
    client.login("moss_mod", DEMO_PASSWORD)
    page = visible_text(client.get("/notifications"))
    assert "Threads you follow" in page and MENTORS_CALL in page.split("Threads you follow")[1]
    assert f"new posts in “{MENTORS_CALL}”" in page
    client.logout()
    client.login("sunny_teen", DEMO_PASSWORD)
    assert TEEN_CALL in visible_text(client.get("/notifications")).split("Threads you follow")[1]


def test_the_migration_creates_the_idea_tables_as_the_models_describe(app):
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"include_object": include_object}), db.metadata)
    ours = [difference for difference in differences if "idea_" in repr(difference)]
    assert ours == []
