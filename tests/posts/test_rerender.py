from sqlalchemy import select, update

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


def test_rerender_rebuilds_the_markdown_of_every_part_not_only_posts_and_bios(runner):
    # Reviews, mentor replies, mentor profile sections, program summaries, lessons and
    # calls' questions are rendered on write too; when the text rules change (a link's
    # class no longer kept), `flask rerender` must clean what they stored as well.
    from forum.clock import utcnow
    from forum.mentors import reviews, services as mentor_services
    from forum.models.ideas import IdeaCall
    from forum.models.mentors import ProfileSection, Review
    from forum.models.training import Discussion, Program
    from tests.ideas.factories import make_call, make_moderator
    from tests.mentors.factories import make_listener, make_mentor, make_review
    from tests.training.factories import make_program

    profile = make_mentor("juniper")
    review = make_review(make_listener("rowan"), profile, body="**Kind** and patient.")
    reviews.reply_to_review(profile.user, review, "Thank *you*.", utcnow())
    mentor_services.edit_section(profile.user, profile, "about", "I **listen**.", False)
    make_program(discussions=1)
    make_call(make_moderator(), question="What would **help**?")
    stale = "<p>stale</p>"
    for model, column in [(Review, "body_html"), (Review, "mentor_reply_html"), (ProfileSection, "body_html"),
                          (Program, "summary_html"), (Discussion, "lesson_html"), (IdeaCall, "question_html")]:
        db.session.execute(update(model).where(getattr(model, column) != "").values({column: stale}))
    db.session.commit()

    result = runner.invoke(args=["rerender"])

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    review = db.session.get(Review, review.id)
    assert "<strong>Kind</strong>" in review.body_html and "<em>you</em>" in review.mentor_reply_html
    about = db.session.scalar(select(ProfileSection).where(ProfileSection.kind == "about"))
    assert "<strong>listen</strong>" in about.body_html
    assert "<strong>support groups</strong>" in db.session.scalar(select(Program.summary_html))
    assert db.session.scalar(select(Discussion.lesson_html)) == "<p>Lesson 1.</p>"
    assert "<strong>help</strong>" in db.session.scalar(select(IdeaCall.question_html))
