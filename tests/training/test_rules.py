"""The completion rules and their edge cases, each through the pages where a user meets it."""
import re

import pytest
from flask import current_app
from sqlalchemy import func, select, update

from forum.errors import DomainError
from forum.extensions import db
from forum.models.posts import Post
from forum.models.training import Discussion, DiscussionCompletion, Enrollment, Program
from forum.posts.services import delete_own_post, edit_post, hide_post, restore_post, write_post
from forum.training import services
from forum.training.requirements import count_words
from tests.factories import make_badge, make_user
from tests.safety.factories import make_moderator
from tests.training.factories import (
    add_discussion_later, complete, completed_positions, discussion, discussion_path, enrol, long_response,
    make_program, make_trainer, reply, respond, response_of,
)
from tests.spoken_text import spoken


@pytest.fixture
def program(app):
    return make_program(min_words=8, peers=2)


@pytest.fixture
def trainees(program):
    people = [make_user(name, role="listener") for name in ("ana", "ben", "cleo")]
    for person in people:
        enrol(person, program)
    return people


def on_screen(html: str) -> str:
    """What the eye reads of `html`: its words, less those kept for screen readers only."""
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_breadcrumbs_show_their_separators_but_do_not_read_them_out_and_none_trails(client, program, trainees):
    client.login("ana")
    for path, shown in ((f"/programs/{program.slug}", "Training programs"),
                        (discussion_path(program, 1), "Training programs › Group Support Basics › Discussion 1 of 3")):
        # A landmark, so a screen reader can list it and jump to it, as to the header's links.
        trail = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumb">.*?</nav>', client.get(path).page,
                          flags=re.S)[0]
        assert on_screen(trail) == shown
        assert spoken(trail) == shown.replace(" ›", "")


def test_the_way_to_the_discussions_either_side_says_previous_and_next_in_words(client, program, trainees):
    complete(trainees, program, 1)
    complete(trainees, program, 2)
    client.login("ana")
    way = re.search(r'<nav class="discussion-nav".*?</nav>', client.get(discussion_path(program, 2)).page, flags=re.S)[0]
    assert on_screen(way) == "← Discussion 1 Discussion 3 →"
    # Before, the arrows alone said which way, read out as "left arrow Discussion 1".
    assert spoken(way) == "Previous discussion: Discussion 1 Next discussion: Discussion 3"


def test_check_marks_and_badge_icons_beside_their_words_are_not_read_out(client):
    make_badge("helper", "Group Helper", icon="🤝")
    program = make_program(awarded_badge="helper", peers=1)
    ana, ben = make_user("ana"), make_user("ben")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    client.login("ana")
    page = client.get(f"/programs/{program.slug}").page
    listed = spoken(page.split("<h2>Discussions</h2>")[1].split("</section>")[0])
    assert "Done" in listed and "Current" in listed and "✓" not in listed and "▶" not in listed
    for position in (2, 3):
        complete([ana, ben], program, position)
    mine = client.get(f"/programs/{program.slug}").page.split('id="my-progress"')[1].split("</section>")[0]
    assert "You completed this program and earned the Group Helper badge." in spoken(mine)
    assert "✓" not in spoken(mine) and "🤝" not in spoken(mine)
    assert "✓" in mine and "🤝" in mine  # still there for the eye


def test_words_of_the_template_do_not_count():
    template = "3 highs:\n1.\n2.\n3."
    assert count_words(template, template) == 0
    assert count_words("3 highs:\n1. good people here\n2.\n3.", template) == 3
    assert count_words("It's well-known: don't   panic!") == 4


def test_list_markers_are_not_words_but_numbers_in_the_text_are():
    assert count_words("1. tired\n2. sad\n3. ok") == 3
    assert count_words("1) tired\n- sad\n  * 2. ok\n+ fine\n> 10. calm") == 5
    assert count_words("my 3 highs\n2 friends came\n- 4 laughs") == 8
    # A number with a decimal point or thousands separators is one word, as a reader counts it.
    assert count_words("slept 7.5 hours, walked 10,000 steps") == 6


def test_a_short_response_is_refused_with_the_text_kept(client, program, trainees):
    client.login("ana")
    thread_id = discussion(program, 1).thread_id
    response = client.submit(f"/threads/{thread_id}/posts", {"body": "3 highs:\n1. nice people"})
    assert response.status_code == 422
    assert "Your response has 2 words of your own; this discussion asks for at least 8" in response.page
    assert "1. nice people" in response.page
    assert db.session.scalar(select(func.count(Post.id))) == 0


def test_a_response_left_as_the_template_is_told_it_has_no_words_of_its_own(client, program, trainees):
    client.login("ana")
    first = discussion(program, 1)
    response = client.submit(f"/threads/{first.thread_id}/posts", {"body": first.response_template})
    assert response.status_code == 422
    assert "no words of your own yet" in response.page and "don't count" in response.page
    assert "Add a little more" not in response.page  # there was nothing of theirs to add to


def test_a_refused_response_comes_back_on_a_page_worded_as_the_discussion(client, program, trainees):
    client.login("ana")
    first = discussion(program, 1)
    response = client.submit(f"/threads/{first.thread_id}/posts", {"body": "   "})
    assert response.status_code == 422
    page = response.page
    assert first.title in page and "Share 3 highs and 3 lows." in page  # the discussion and its prompt
    assert "Your response" in page and "Post response" in page and "Write something before posting." in page
    assert "New post" not in page and "Your post" not in page


def test_replies_to_yourself_do_not_count(client, program, trainees):
    ana, ben, _ = trainees
    own = respond(ana, program, 1)
    reply(ana, own, "Adding a thought to my own post.")
    reply(ana, respond(ben, program, 1))
    assert completed_positions(ana, program) == []
    client.login("ana")
    assert "1 of 2 replies" in client.get(discussion_path(program, 1)).page


def test_two_replies_to_the_same_trainee_count_once(program, trainees):
    ana, ben, cleo = trainees
    respond(ana, program, 1)
    bens = respond(ben, program, 1)
    reply(ana, bens, "First thought.")
    reply(ana, bens, "Second thought.")
    assert completed_positions(ana, program) == []
    reply(ana, respond(cleo, program, 1))
    assert completed_positions(ana, program) == [1]


def test_replies_to_someone_not_enrolled_do_not_count(program, trainees):
    ana, ben, _ = trainees
    trainer = make_user("tess", role="trainer")
    respond(ana, program, 1)
    reply(ana, respond(trainer, program, 1, "Welcome everyone, I'm your trainer for this program."))
    reply(ana, respond(ben, program, 1))
    assert completed_positions(ana, program) == []


def test_a_locked_discussion_shows_its_title_and_reason_and_takes_no_posts(client, program, trainees):
    ana, ben, cleo = trainees
    dan = make_user("dan")
    enrol(dan, program)
    complete([ben, cleo, dan], program, 1)
    bens_second = respond(ben, program, 2)
    client.login("ana")
    page = client.get(discussion_path(program, 2))
    assert page.status_code == 403
    assert "Discussion 2" in page.page and "opens when you complete “Discussion 1”" in page.page
    assert bens_second.body_md not in page.page
    thread_id = discussion(program, 2).thread_id
    posted = client.submit(f"/threads/{thread_id}/posts", {"body": long_response()})
    replied = client.submit(f"/posts/{bens_second.id}/replies", {"body": "hi"})
    assert posted.status_code == 404 and replied.status_code == 404  # the engine: not visible to ana
    with pytest.raises(DomainError):
        with current_app.test_request_context("/"):
            write_post(ana, discussion(program, 2).thread, long_response())
    assert db.session.scalar(select(func.count(Post.id)).where(Post.author_id == ana.id)) == 0


def test_not_enrolled_or_signed_out_readers_see_the_reason(client, program):
    assert "Sign in and enrol in “Group Support Basics”" in client.get(discussion_path(program, 1)).page
    make_user("dora")
    client.login("dora")
    page = client.get(discussion_path(program, 1))
    assert page.status_code == 403 and "Enrol in “Group Support Basics” to open its discussions" in page.page


def test_a_locked_discussion_offers_enrolment_to_whoever_may_enrol(client, program):
    from tests.safety.factories import suspend
    make_user("dora")
    client.login("dora")
    locked = client.get(discussion_path(program, 2)).page
    assert f'action="/programs/{program.slug}/enrol"' in locked and "Enrol in this program" in locked
    enrolled = client.submit(f"/programs/{program.slug}/enrol")
    assert enrolled.headers["Location"].endswith(discussion_path(program, 1))
    # Enrolled, the page says where to carry on instead.
    assert "Enrol in this program" not in client.get(discussion_path(program, 2)).page
    client.logout()
    suspend(make_user("eli"))
    client.login("eli")
    assert "Enrol in this program" not in client.get(discussion_path(program, 2)).page


def test_an_unpublished_program_is_not_there_for_trainees(client, app):
    draft = make_program(published=False)
    make_user("ana")
    client.login("ana")
    assert client.get(f"/programs/{draft.slug}").status_code == 404
    assert client.get(discussion_path(draft, 1)).status_code == 404
    assert client.submit(f"/programs/{draft.slug}/enrol").status_code == 404
    assert "Group Support Basics" not in client.get("/programs").page
    assert db.session.scalar(select(func.count(Enrollment.id))) == 0


def test_a_discussion_that_is_not_there_says_what_is_missing(client, program):
    # A draft with no discussions yet: only its trainers see it.
    empty = make_program(make_trainer("tess"), title="Still being written", discussions=0, published=False)
    client.login("tess")
    missing = {discussion_path(program, 4): "“Group Support Basics” has no discussion 4.",
               discussion_path(empty, 1): "“Still being written” has no discussion 1.",
               "/programs/no-such-program/discussions/1": "That program can't be found."}
    for path, told in missing.items():
        response = client.get(path)
        assert response.status_code == 404 and told in response.page, path


def test_unpublishing_closes_the_discussions_to_enrolled_trainees(client, program, trainees):
    from forum.training import authoring
    trainer = make_trainer("tess")
    authoring.set_published(trainer, program, False)
    client.login("ana")
    assert client.get(discussion_path(program, 1)).status_code == 404


def test_a_program_for_the_other_age_group_does_not_exist_for_them(client):
    trainer = make_trainer()
    program = make_program(trainer, title="For grown-ups", audience="adult")
    make_program(trainer, title="For everyone", audience="everyone")
    make_user("tia", age_group="teen")
    make_user("ada_adult")
    client.login("tia")
    catalogue = client.get("/programs").page
    assert "For everyone" in catalogue and "For grown-ups" not in catalogue
    assert "For grown-ups" not in client.get("/").page
    for path in (f"/programs/{program.slug}", discussion_path(program, 1), f"/programs/{program.slug}/certificate"):
        assert client.get(path).status_code == 404, path
    response = client.submit(f"/programs/{program.slug}/enrol")
    assert response.status_code == 404
    assert db.session.scalar(select(func.count(Enrollment.id))) == 0
    client.logout()
    assert client.get(f"/programs/{program.slug}").status_code == 404  # nor to strangers, as for its threads
    client.login("ada_adult")
    assert "For grown-ups" in client.get("/programs").page
    assert client.submit(f"/programs/{program.slug}/enrol").status_code == 302


def test_a_visitor_who_sees_no_program_is_asked_to_sign_in_not_told_there_are_none(client):
    make_program(make_trainer(), title="For grown-ups", audience="adult")
    page = client.get("/programs").page
    assert "No programs are open to visitors." in page and ">Sign in</a> to see the ones open to you." in page
    assert '<p class="muted">No programs are open to visitors.' in page and 'class="program-list' not in page
    make_user("tia", age_group="teen")
    client.login("tia")
    assert "No programs are open to you yet." in client.get("/programs").page


def test_someone_with_no_program_open_to_them_is_shown_where_to_go_next(client):
    make_program(make_trainer(), title="For grown-ups", audience="adult")
    make_user("tia", age_group="teen")
    client.login("tia")
    page = client.get("/programs").page
    assert "New ones are listed here" in page
    # Said as a paragraph: a screen reader announced "list, 1 item" before it.
    assert '<p class="muted">No programs are open to you yet.' in page and 'class="program-list' not in page
    assert 'href="/ideas">share your ideas</a>' in page and 'href="/mentors">meet the mentors</a>' in page
    assert client.get("/ideas").status_code == 200 and client.get("/mentors").status_code == 200


def test_a_catalogue_page_past_the_last_says_how_many_there_are_not_that_no_program_is_open(client, program):
    make_user("tia")
    client.login("tia")
    page = client.get("/programs?page=3").page  # an old link, or a number typed in
    assert "No programs are open to you yet." not in page
    assert "There is only 1 page:" in page and 'href="/programs?page=1">go to the last</a>' in page


def test_staff_of_the_other_age_group_are_refused_enrolment_in_plain_words(client):
    program = make_program(audience="teen")
    make_user("moss", role="moderator")
    client.login("moss")
    assert client.get(f"/programs/{program.slug}").status_code == 200  # moderators see every space
    response = client.submit(f"/programs/{program.slug}/enrol")
    assert response.status_code == 403 and "This program is for teens only." in response.page
    assert db.session.scalar(select(func.count(Enrollment.id))) == 0


def test_a_trainee_without_the_required_badge_cannot_enrol_until_they_hold_it(client):
    from forum.accounts.staff import award_badge
    badge = make_badge("verified", "Verified Listener")
    program = make_program(required_badge="verified")
    ana = make_user("ana")
    client.login("ana")
    assert "Locked: You need the ★ Verified Listener badge" in client.get("/programs").page
    response = client.submit(f"/programs/{program.slug}/enrol")
    assert response.status_code == 403 and "Verified Listener badge" in response.page
    award_badge(ana, badge)
    assert client.submit(f"/programs/{program.slug}/enrol").status_code == 302
    assert client.get(discussion_path(program, 1)).status_code == 200


def test_the_front_page_marks_a_badge_locked_program_before_a_newcomer_picks_it(client):
    from forum.accounts.staff import award_badge
    badge = make_badge("verified", "Verified Listener")
    trainer = make_trainer()
    make_program(trainer, title="Open to all")
    make_program(trainer, title="For verified listeners", required_badge="verified")
    ana = make_user("ana")
    client.login("ana")
    panel = client.get("/").page.split('id="home-training"')[1].split("</section>")[0]
    assert "For verified listeners</a> <span class=\"locked-reason\">" in panel
    assert "You need the ★ Verified Listener badge to enter this program." in panel
    assert panel.count("locked-reason") == 1  # the open program carries no lock
    award_badge(ana, badge)
    assert "locked-reason" not in client.get("/").page.split('id="home-training"')[1].split("</section>")[0]


def test_the_front_page_suggests_training_only_where_a_program_is_open_to_the_reader(client):
    suggestion = "Work through training programs"
    assert suggestion not in client.get("/").page  # no program at all
    trainer = make_trainer()
    make_program(trainer, title="For adults", audience="adult")
    make_user("sunny", age_group="teen")
    make_user("ana")
    assert suggestion not in client.get("/").page  # a visitor sees no program for adults
    client.login("ana")
    assert suggestion in client.get("/").page
    client.logout()
    client.login("sunny")  # nothing here is open to a teen: no program to work through
    hero = client.get("/").page.split('class="hero"')[1].split("</section>")[0]
    assert suggestion not in hero and "Share ideas that shape the community" in hero
    make_program(trainer, title="For everyone")
    assert suggestion in client.get("/").page
    client.logout()
    assert suggestion in client.get("/").page  # and a visitor, once a program is for everyone


def test_the_front_page_and_the_catalogue_lead_a_returning_trainee_to_their_next_discussion(client, program, trainees):
    complete(trainees, program, 1)
    make_user("dana", role="listener")
    next_link = f'href="{discussion_path(program, 2)}">Continue with “Discussion 2”</a>'

    client.login("ana")
    panel = client.get("/").page.split('id="home-continue"')[1].split("</section>")[0]
    assert program.title in panel and next_link in panel and "1 of 3 discussions done" in panel
    entry = client.get("/programs").page.split(f">{program.title}</a></h2>")[1].split("program-card")[0]
    assert next_link in entry
    client.logout()

    client.login("dana")  # not enrolled: nothing to carry on with
    assert 'id="home-continue"' not in client.get("/").page
    assert "Continue with" not in client.get("/programs").page
    client.logout()

    complete(trainees, program, 2)
    complete(trainees, program, 3)
    client.login("ana")  # the program is complete: the certificate, not a next step
    assert 'id="home-continue"' not in client.get("/").page
    assert "Continue with" not in client.get("/programs").page


def test_enrolling_twice_says_so_and_keeps_one_enrolment(client, program):
    make_user("ana")
    client.login("ana")
    client.submit(f"/programs/{program.slug}/enrol")
    again = client.submit(f"/programs/{program.slug}/enrol", follow_redirects=True)
    assert "You are already enrolled in this program." in again.page
    assert db.session.scalar(select(func.count(Enrollment.id))) == 1


def test_a_reply_in_another_discussion_does_not_count_here(program, trainees):
    ana, ben, cleo = trainees
    complete(trainees, program, 1)
    bens_first = db.session.scalar(select(Post).where(Post.author_id == ben.id, Post.parent_id.is_(None)))
    respond(ana, program, 2)
    reply(ana, respond(cleo, program, 2))
    reply(ana, bens_first, "Back in discussion 1 to say one more thing.")
    assert completed_positions(ana, program) == [1]
    with pytest.raises(DomainError, match="another thread"):
        with current_app.test_request_context("/"):
            write_post(ana, discussion(program, 2).thread, "Crossing over", parent=bens_first)


def test_a_completion_stays_when_the_response_is_removed(client, program, trainees):
    ana = trainees[0]
    complete(trainees, program, 1)
    mine = db.session.scalar(select(Post).where(Post.author_id == ana.id, Post.parent_id.is_(None)))
    client.login("ana")
    assert client.submit(f"/posts/{mine.id}/delete", {"confirmed": "yes"}).status_code == 302
    assert db.session.get(Post, mine.id).deleted_at is not None
    assert completed_positions(ana, program) == [1]
    assert client.get(discussion_path(program, 2)).status_code == 200


@pytest.mark.parametrize("restore", ["/mod/posts/{id}/restore", "/posts/{id}/restore"])
def test_a_response_a_moderator_restores_completes_the_discussion_as_a_post_would(client, program, trainees, restore):
    ana, ben, cleo = trainees
    mine = respond(ana, program, 1)
    hide_post(make_moderator(), mine, "Names a member outside the program")
    reply(ana, respond(ben, program, 1)), reply(ana, respond(cleo, program, 1))
    assert completed_positions(ana, program) == []  # her response is hidden: it does not count
    client.login("moss")
    assert client.submit(restore.format(id=mine.id)).status_code == 302
    assert completed_positions(ana, program) == [1]
    client.logout()
    client.login("ana")
    assert "✓</span> You completed this discussion" in client.get(discussion_path(program, 1)).page
    assert client.get(discussion_path(program, 2)).status_code == 200


def test_a_response_its_author_removed_completes_the_discussion_once_a_moderator_restores_it(program, trainees):
    # Authors cannot restore what they removed: they ask a moderator, who can.
    ana, ben, cleo = trainees
    mine = respond(ana, program, 1)
    delete_own_post(ana, mine)
    reply(ana, respond(ben, program, 1)), reply(ana, respond(cleo, program, 1))
    assert completed_positions(ana, program) == []
    restore_post(make_moderator(), mine)
    assert completed_positions(ana, program) == [1]


def test_a_restored_reply_completes_the_discussion_for_the_trainee_who_wrote_it(program, trainees):
    ana, ben, cleo = trainees
    bens, cleos = respond(ben, program, 1), respond(cleo, program, 1)
    respond(ana, program, 1)
    to_ben = reply(ana, bens)
    moss = make_moderator()
    hide_post(moss, to_ben, "Quotes a private message")
    reply(ana, cleos)
    assert completed_positions(ana, program) == []  # 1 of 2 fellow trainees while it is hidden
    restore_post(moss, to_ben)
    assert completed_positions(ana, program) == [1]
    assert completed_positions(ben, program) == []  # it counts for its author, not for the one it answers


def test_post_first_hides_the_others_until_you_have_posted(client):
    program = make_program(post_first=True, peers=1)
    ana, ben = make_user("ana"), make_user("ben")
    enrol(ana, program), enrol(ben, program)
    bens = respond(ben, program, 1, long_response(who="Ben"))
    client.login("ana")
    page = client.get(discussion_path(program, 1)).page
    assert "Benword1" not in page and "appear here once you have posted yours" in page
    assert "Post your response to see the others'" not in page  # said once, not twice over
    refused = client.submit(f"/posts/{bens.id}/replies", {"body": "hi"})
    # Until she posts, Ben's response does not exist for her: no reply page, no reply.
    assert refused.status_code == 404
    assert db.session.scalar(select(func.count(Post.id)).where(Post.parent_id == bens.id)) == 0
    respond(ana, program, 1)
    assert "Benword1" in client.get(discussion_path(program, 1)).page


def test_the_thread_address_leads_to_the_discussion_page(client, program, trainees):
    client.login("ana")
    response = client.get(f"/threads/{discussion(program, 1).thread_id}")
    assert response.status_code == 302 and response.headers["Location"].endswith(discussion_path(program, 1))


def test_thread_lists_show_only_the_discussions_opened_to_the_reader(program, trainees):
    from forum.models.posts import Thread
    from forum.posts.visibility import visible_threads_clause
    ana, ben, cleo = trainees
    complete(trainees, program, 1)

    def visible(user):
        return sorted(db.session.scalars(select(Thread.title).where(visible_threads_clause(user))))
    assert visible(ana) == ["Discussion 1", "Discussion 2"]
    assert visible(make_trainer("tess")) == ["Discussion 1", "Discussion 2", "Discussion 3"]
    assert visible(make_user("dora")) == []
    assert db.session.scalar(select(func.count(DiscussionCompletion.id))) == 3


def test_post_first_holds_for_permalinks_reply_pages_and_quotes_too(client):
    """Others' responses stay hidden until you post, however you reach them."""
    program = make_program(discussions=1, post_first=True, peers=1)
    ana, ben = make_user("ana_trainee", role="listener"), make_user("ben_trainee", role="listener")
    enrol(ana, program)
    enrol(ben, program)
    response = respond(ana, program, 1)
    client.login("ben_trainee")
    paths = [f"/posts/{response.id}", f"/posts/{response.id}/replies", f"/posts/{response.id}/reply"]
    for path in paths:
        assert client.get(path).status_code == 404, path
    respond(ben, program, 1)
    for path in paths:
        assert client.get(path).status_code in (200, 302), path


@pytest.mark.parametrize("peers, asked", [
    (1, "then reply to at least 1 fellow trainee's response."),
    (2, "then reply to at least 2 fellow trainees' responses."),
])
def test_the_activity_reads_right_for_one_fellow_trainee_or_several(client, peers, asked):
    program = make_program(peers=peers)
    enrol(make_user("ana"), program)
    client.login("ana")
    assert asked in client.get(discussion_path(program, 1)).page


@pytest.mark.parametrize("peers, asked, checklist", [
    (1, "Requirements: a response of at least 8 words; a reply to a fellow trainee.",
     "0 of 1 reply to a fellow trainee"),
    (2, "Requirements: a response of at least 8 words; replies to 2 different fellow trainees.",
     "0 of 2 replies to different fellow trainees"),
])
def test_the_requirements_and_checklist_read_right_for_one_fellow_trainee_or_several(client, peers, asked,
                                                                                     checklist):
    program = make_program(peers=peers)
    enrol(make_user("ana"), program)
    client.login("ana")
    assert asked in " ".join(client.get(f"/programs/{program.slug}").page.split())
    assert checklist in " ".join(client.get(discussion_path(program, 1)).page.split())


def test_once_a_response_counts_another_may_be_short(client, program, trainees):
    client.login("ana")
    thread_id = discussion(program, 1).thread_id
    first = client.submit(f"/threads/{thread_id}/posts", {"body": long_response()})
    assert first.status_code == 302
    assert "your first one already counts" in client.get(discussion_path(program, 1)).page
    second = client.submit(f"/threads/{thread_id}/posts", {"body": "Also: thank you all."})
    assert second.status_code == 302
    assert db.session.scalar(select(func.count(Post.id)).where(Post.thread_id == thread_id)) == 2
    assert "Response posted" in client.get(discussion_path(program, 1)).page


def test_a_response_that_no_longer_counts_is_not_said_to_count(client, program, trainees):
    from forum.training.discussion_authoring import update_discussion
    respond(trainees[0], program, 1)  # 12 words, then the trainer asks for 40
    first = discussion(program, 1)
    update_discussion(make_trainer("tess"), first, title=first.title, lesson_md=first.lesson_md,
                      prompt=first.prompt, response_template=first.response_template, min_words=40,
                      required_peer_replies=2, post_first=False)
    client.login("ana")
    page = client.get(discussion_path(program, 1)).page
    assert "Response posted, but it has 12 words of your own; 40 needed" in page
    assert "already counts" not in page
    short = client.submit(f"/threads/{first.thread_id}/posts", {"body": "Also: thank you all."})
    assert short.status_code == 422
    assert "Your response has 4 words of your own; this discussion asks for at least 40" in short.page


def test_a_completed_discussion_whose_response_was_edited_short_does_not_ask_for_more(client, program, trainees):
    complete(trainees, program, 1)
    mine = response_of(trainees[0], program, 1)
    edit_post(trainees[0], mine, "Just thanks.")  # as the Edit page does
    client.login("ana")
    page = client.get(discussion_path(program, 1)).page
    assert "You completed this discussion" in page
    assert "8 needed" not in page  # nothing is left to do here: it would read as if there were
    assert "it has 2 words of your own now" in page and "your completion stands" in page
    # The box offers another response, folded away, as after any completion: not "Your response" again.
    assert '<h2 id="respond-heading">Another response</h2>' in page and "Your response</h2>" not in page
    assert "Write another response (your completion stands)" in page and "already counts" not in page


def test_a_completed_discussion_whose_response_was_removed_does_not_ask_for_one(client, program, trainees):
    complete(trainees, program, 1)
    delete_own_post(trainees[0], response_of(trainees[0], program, 1))
    client.login("ana")
    page = client.get(discussion_path(program, 1)).page
    assert "You completed this discussion" in page
    checklist = page.split('id="checklist-heading"')[1].split("</section>")[0]
    assert "Response not posted yet" not in checklist and "unmet" not in checklist
    assert "was removed or hidden since, but your completion stands" in " ".join(checklist.split())
    assert '<h2 id="respond-heading">Another response</h2>' in page and "Your response</h2>" not in page
    assert "Write another response (your completion stands)" in page


def test_a_completed_discussion_whose_reply_was_removed_does_not_ask_for_more(client, program, trainees):
    complete(trainees, program, 1)
    ana, ben = trainees[0], trainees[1]
    to_ben = db.session.scalar(select(Post).where(Post.author_id == ana.id,
                                                  Post.parent_id == response_of(ben, program, 1).id))
    delete_own_post(ana, to_ben)
    reply(ana, response_of(ana, program, 1))  # under her own response: it never counts
    client.login("ana")
    checklist = client.get(discussion_path(program, 1)).page.split('id="checklist-heading"')[1].split("</section>")[0]
    assert "You completed this discussion" in checklist
    # Before: "○ 1 of 2 replies…", unticked, and "reply under a fellow trainee's response", as if more were due.
    assert "unmet" not in checklist and "1 of 2 replies" not in checklist and "doesn't count" not in checklist
    assert "1 of the 2 asked counts now, but your completion stands" in " ".join(checklist.split())


def test_the_checklist_counts_one_word_as_a_word(client):
    """A discussion asking a single word, and a response of a single word, read as such."""
    from forum.training.discussion_authoring import update_discussion
    program = make_program(min_words=1)
    ana = make_user("ana")
    enrol(ana, program)
    client.login("ana")
    assert "Response not posted yet (1 word or more)" in " ".join(client.get(discussion_path(program, 1)).page.split())

    first = discussion(program, 1)
    posted = client.submit(f"/threads/{first.thread_id}/posts", {"body": "Grateful."})
    assert posted.status_code == 302
    update_discussion(make_trainer("tess"), first, title=first.title, lesson_md=first.lesson_md,
                      prompt=first.prompt, response_template=first.response_template, min_words=5,
                      required_peer_replies=2, post_first=False)
    page = " ".join(client.get(discussion_path(program, 1)).page.split())
    assert "Response posted, but it has 1 word of your own; 5 needed" in page


def test_a_graduate_is_shown_the_programs_their_new_badge_opens(client):
    make_badge("group-basics", "Group Basics", icon="🤝")
    trainer = make_trainer()
    program = make_program(trainer, title="Foundations", discussions=1, awarded_badge="group-basics")
    make_program(trainer, title="Ready to host?", discussions=1, required_badge="group-basics")
    make_program(trainer, title="Hosting for teens", discussions=1, required_badge="group-basics", audience="teen")
    make_program(trainer, title="Hosting drafts", discussions=1, required_badge="group-basics", published=False)
    trainees = [make_user(name, role="listener", age_group="adult") for name in ("ana", "ben", "cleo")]
    for trainee in trainees:
        enrol(trainee, program)
    client.login("ana")
    # Before she completes it, nothing is promised on her program page.
    assert "opens" not in client.get(f"/programs/{program.slug}").page.split('id="my-progress"')[1].split("</section>")[0]
    complete(trainees, program, 1)
    mine = client.get(f"/programs/{program.slug}").page.split('id="my-progress"')[1].split("</section>")[0]
    assert "Your <span aria-hidden=\"true\">🤝</span> Group Basics badge opens" in mine
    assert '<a href="/programs/ready-to-host">Ready to host?</a>”</p>' in mine  # its own sentence: no stop after
    # Not what her age group or a draft keeps from her.
    assert "Hosting for teens" not in mine and "Hosting drafts" not in mine
    # Nor one she has completed since: it opens nothing new to her.
    make_program(trainer, title="Co-hosting", discussions=1, required_badge="group-basics")
    hosting = db.session.scalar(select(Program).where(Program.slug == "ready-to-host"))
    for trainee in trainees:
        enrol(trainee, hosting)
    complete(trainees, hosting, 1)
    mine = client.get(f"/programs/{program.slug}").page.split('id="my-progress"')[1].split("</section>")[0]
    assert "Co-hosting" in mine and "Ready to host?" not in mine
    # Nor once an admin takes the badge back: it opens nothing for her then.
    from forum.accounts.staff import badge_by_slug, revoke_badge
    revoke_badge(trainees[0], badge_by_slug("group-basics"))
    assert "badge opens" not in client.get(f"/programs/{program.slug}").page


def test_the_catalogue_offers_enrolment_only_where_the_program_page_would(client):
    from tests.safety.factories import suspend
    trainer = make_trainer()
    make_program(trainer, title="Ready")
    make_program(trainer, title="Still a draft", published=False)

    def entry(title):
        return client.get("/programs").page.split(f">{title}</a></h2>")[1].split("program-card")[0]

    client.login("tova")
    assert "Open to you" in entry("Ready")
    # A draft takes nobody's enrolment yet, the trainer's included.
    assert "Open to you" not in entry("Still a draft")
    assert "This program is not open for enrolment yet." in entry("Still a draft")
    client.logout()
    suspend(make_user("ana"))
    client.login("ana")
    assert "Open to you" not in entry("Ready") and "Your account is suspended until" in entry("Ready")


def test_a_trainee_who_posts_first_is_told_the_replies_wait_for_fellow_trainees(client, program, trainees):
    ana, ben, cleo = trainees

    def checklist():
        page = client.get(discussion_path(program, 1)).page
        return " ".join(page.split('id="checklist-heading"')[1].split("</section>")[0].split())

    client.login("ana")
    respond(ana, program, 1)
    assert "No fellow trainee has posted a response here yet" in checklist()
    write_post(program.created_by, discussion(program, 1).thread, "Welcome, all!")  # a trainer is no trainee
    assert "No fellow trainee has posted a response here yet" in checklist()
    respond(ben, program, 1)
    assert ("Only 1 fellow trainee has posted a response here so far; replies to 2 different ones are asked: "
            "you are waiting for 1 more to post theirs, so come back later.") in checklist()
    respond(cleo, program, 1)
    assert "posted a response here" not in checklist()


def test_a_trainee_asked_for_more_replies_than_the_program_has_fellow_trainees_is_told_they_cannot_yet(client):
    """Three trainees each have two others: replies to three can't be had by waiting, and
    the checklist says what would let them finish rather than "come back later"."""
    program = make_program(peers=3)
    ana, ben, cleo = (make_user(name, role="listener") for name in ("ana", "ben", "cleo"))
    for person in (ana, ben, cleo):
        enrol(person, program)
    client.login("ana")
    respond(ana, program, 1)
    reply(ana, respond(ben, program, 1)), reply(ana, respond(cleo, program, 1))
    page = client.get(discussion_path(program, 1)).page
    checklist = " ".join(page.split('id="checklist-heading"')[1].split("</section>")[0].split())
    assert "2 of 3 replies to different fellow trainees" in checklist
    assert ("Replies to 3 different fellow trainees are asked here, but only 2 fellow trainees have responded or "
            "still have to respond here: you can complete it once more trainees enrol, or if a trainer asks for "
            "fewer replies.") in checklist
    assert "come back" not in checklist
    # The locked page of the next discussion says so too, where it said only "replies to 2 of 3".
    locked = " ".join(client.get(discussion_path(program, 2)).page.split())
    assert "In “Discussion 1” so far: response posted; replies to 2 of 3 fellow trainees." in locked
    assert ("Replies to 3 different fellow trainees are asked in “Discussion 1”, but only 2 fellow trainees have "
            "responded or still have to respond there: you can complete it once more trainees enrol, or if a trainer "
            "asks for fewer replies.") in locked
    # A fellow who posts and then leaves is one still (what they wrote stays): reachable again.
    dora = make_user("dora", role="listener")
    enrol(dora, program)
    doras = respond(dora, program, 1)
    services.leave(dora, program)
    assert "once more trainees enrol" not in client.get(discussion_path(program, 1)).page
    reply(ana, doras)
    assert completed_positions(ana, program) == [1]


def test_graduates_a_discussion_added_later_is_only_offered_to_are_not_awaited_there(client):
    """Ana and Ben completed the program before discussion 2 was added: it is not asked of
    them, so Cleo is not told to wait for their responses, but one they write counts."""
    program = make_program(discussions=1, peers=1)
    ana, ben, cleo = (make_user(name, role="listener") for name in ("ana", "ben", "cleo"))
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    add_discussion_later(program, peers=1)
    enrol(cleo, program)
    reply(cleo, response_of(ana, program, 1)), respond(cleo, program, 1)
    respond(cleo, program, 2)
    client.login("cleo")

    def checklist():
        page = client.get(discussion_path(program, 2)).page
        return " ".join(page.split('id="checklist-heading"')[1].split("</section>")[0].split())

    assert ("A reply to a fellow trainee is asked here, but no fellow trainee has responded or still has to "
            "respond here: you can complete it once more trainees enrol") in checklist()
    assert "come back later" not in checklist()
    dan = make_user("dan", role="listener")
    enrol(dan, program)  # discussion 2 is asked of him: he is awaited
    assert "No fellow trainee has posted a response here yet" in checklist()
    services.leave(dan, program)
    respond(ben, program, 2)  # offered to him, and answered: a reply to it counts
    assert "posted a response here" not in checklist() and "once more trainees enrol" not in checklist()


def test_a_trainee_who_completed_a_discussion_before_more_replies_were_asked_is_not_told_to_wait(
        client, program, trainees):
    complete(trainees, program, 1)
    db.session.execute(update(Discussion).where(Discussion.id == discussion(program, 1).id)
                       .values(required_peer_replies=3))
    db.session.commit()
    client.login("ana")
    page = client.get(discussion_path(program, 1)).page
    checklist = " ".join(page.split('id="checklist-heading"')[1].split("</section>")[0].split())
    assert "You completed this discussion" in checklist and "unmet" not in checklist
    assert "2 of the 3 asked count now, but your completion stands" in checklist
    assert "come back" not in checklist and "once more trainees enrol" not in checklist


def test_a_badge_added_to_a_program_part_way_does_not_send_its_trainees_round_in_a_circle(client, program, trainees):
    from forum.training import authoring
    make_badge("verified", "Verified Listener")
    complete(trainees, program, 1)
    authoring.update_program(program.created_by, program, title=program.title, slug=program.slug,
                             summary_md=program.summary_md, audience=program.audience,
                             required_badge="verified", awarded_badge="")
    client.login("ana")
    locked = client.get(discussion_path(program, 2))
    assert locked.status_code == 403 and "You need the ★ Verified Listener badge" in locked.page
    # "Go to “Discussion 2”" would lead back to this very page, shut for the same reason.
    assert "Go to “" not in locked.page
    # Her program page says why too, rather than offering to continue into that page.
    mine = client.get(f"/programs/{program.slug}").page.split('id="my-progress"')[1].split("</section>")[0]
    assert "You need the ★ Verified Listener badge" in mine and "Continue with" not in mine
    # And its list of discussions: none current or open, and no link into one (each leads to a locked page).
    listed = " ".join(client.get(f"/programs/{program.slug}").page.split("<h2>Discussions</h2>")[1].split())
    assert "Current" not in listed and "state-open" not in listed and "/discussions/" not in listed
    assert listed.count("Locked</span>") == 2 and "✓</span> Done" in listed
    assert listed.count("You need the ★ Verified Listener badge to enter this program.") == 2
    assert "opens when you complete" not in listed
    # So does her card in the catalogue, with how far she got.
    card = client.get("/programs").page.split(f">{program.title}</a></h2>")[1].split("program-card")[0]
    assert "Locked: You need the ★ Verified Listener badge" in card and "Your progress is kept." in card
    assert "Continue with" not in card and "1 of 3" in card


def test_a_badge_added_part_way_closes_nothing_to_an_enrolled_moderator_and_their_pages_say_so(
        client, program, trainees):
    """Moderators (and trainers) read every discussion, badge or not: their progress, card and
    front page offer them the way on rather than a lock their discussions' links belie."""
    from forum.training import authoring
    moss = make_moderator()
    enrol(moss, program)
    make_badge("verified", "Verified Listener")
    complete([*trainees, moss], program, 1)
    authoring.update_program(program.created_by, program, title=program.title, slug=program.slug,
                             summary_md=program.summary_md, audience=program.audience,
                             required_badge="verified", awarded_badge="")
    client.login("moss")
    page = client.get(f"/programs/{program.slug}").page
    mine = page.split('id="my-progress"')[1].split("</section>")[0]
    assert "You need the" not in mine and "Continue with “Discussion 2”" in mine
    assert "You need the" not in page.split("<h2>Discussions</h2>")[1]
    card = client.get("/programs").page.split(f">{program.title}</a></h2>")[1].split("program-card")[0]
    assert "Locked" not in card and "Continue with “Discussion 2”" in card
    assert "Discussion 2" in client.get("/").page


@pytest.mark.parametrize("staff", [make_moderator, make_trainer])
def test_an_enrolled_trainer_or_moderator_is_shown_every_discussion_open_as_it_is_to_them(
        client, program, trainees, staff):
    """Staff read and post in every discussion: their progress ahead of them is shown open,
    not "Locked: opens when you complete …" over a link that opens."""
    person = staff("staffer")
    enrol(person, program)
    client.login("staffer")
    listed = client.get(f"/programs/{program.slug}").page.split("<h2>Discussions</h2>")[1]
    assert "opens when you complete" not in listed and "Locked" not in listed
    assert listed.count('<span class="state state-open">Open</span>') == 2  # discussions 2 and 3
    assert "Locked" not in client.get(discussion_path(program, 3)).page


def test_a_fellow_who_only_replied_to_you_is_not_counted_as_someone_to_reply_to(client):
    """Replies count when they answer a fellow trainee's response: a fellow whose only post
    is a reply under yours gives nobody to reply to yet, and the checklist says so."""
    program = make_program(peers=1)
    ana, ben = make_user("ana"), make_user("ben")
    enrol(ana, program), enrol(ben, program)
    mine = respond(ana, program, 1)
    bens_reply = reply(ben, mine, "Thank you for sharing, I felt the same in busy rooms.")
    reply(ana, bens_reply, "Thanks Ben!")  # joins her own response: it cannot count
    client.login("ana")
    page = client.get(discussion_path(program, 1)).page
    checklist = " ".join(page.split('id="checklist-heading"')[1].split("</section>")[0].split())
    assert "0 of 1 reply to a fellow trainee" in checklist
    assert "No fellow trainee has posted a response here yet" in checklist


def test_a_trainee_whose_reply_does_not_count_is_told_why(client, program, trainees):
    """Answering a fellow's reply under your own response is a reply to yourself: the
    checklist says why it stays at 0, rather than leaving the trainee to guess."""
    ana, ben, _ = trainees
    mine = respond(ana, program, 1)
    respond(ben, program, 1)
    bens_reply = reply(ben, mine, "Busy rooms are hard for me too.")
    client.login("ana")
    answered = client.submit(f"/posts/{bens_reply.id}/replies", {"body": "Thanks Ben!"})
    assert answered.status_code == 302
    page = client.get(discussion_path(program, 1)).page
    checklist = " ".join(page.split('id="checklist-heading"')[1].split("</section>")[0].split())
    assert "0 of 2 replies to different fellow trainees" in checklist
    assert ("Your reply under your own response doesn't count: reply under a fellow trainee's response."
            in checklist)
    reply(ana, mine, "And one more thought of mine.")
    page = client.get(discussion_path(program, 1)).page
    assert "Your 2 replies under your own response don't count" in " ".join(page.split())
    # Two replies to the same fellow count once: said too, rather than a silent "1 of 2".
    bens = response_of(ben, program, 1)
    reply(ana, bens), reply(ana, bens, "One more thing, Ben.")
    page = client.get(discussion_path(program, 1)).page
    checklist = " ".join(page.split('id="checklist-heading"')[1].split("</section>")[0].split())
    assert "1 of 2 replies to different fellow trainees" in checklist
    assert ("Your second reply under the same fellow trainee's response doesn't count: each fellow trainee counts "
            "once, so reply under another fellow trainee's response.") in checklist
    reply(ana, bens, "And another.")
    page = client.get(discussion_path(program, 1)).page
    assert "Your 2 more replies under responses you had replied under already don't count" in " ".join(page.split())


def test_a_reply_to_a_response_a_moderator_hid_since_still_counts_and_the_checklist_says_what_is_left(
        client, program, trainees):
    ana, ben, cleo = trainees
    respond(ana, program, 1)
    bens = respond(ben, program, 1)
    reply(ana, bens, "Busy rooms are hard for me too.")
    hide_post(make_moderator(), bens, "Shares a phone number")
    cleos = respond(cleo, program, 1)
    client.login("ana")
    page = client.get(discussion_path(program, 1)).page
    checklist = " ".join(page.split('id="checklist-heading"')[1].split("</section>")[0].split())
    assert "1 of 2 replies to different fellow trainees" in checklist
    # Cleo's response is there to reply to, and one more reply completes it: no waiting.
    assert "come back" not in checklist
    reply(ana, cleos)
    assert completed_positions(ana, program) == [1]


def test_a_badge_locked_program_says_which_program_earns_the_badge(client):
    make_badge("group-basics", "Group Basics", icon="🤝")
    trainer = make_trainer()
    make_program(trainer, title="Foundations", discussions=1, awarded_badge="group-basics")
    make_program(trainer, title="Foundations for teens", discussions=1, awarded_badge="group-basics", audience="teen")
    make_program(trainer, title="Foundations draft", discussions=1, awarded_badge="group-basics", published=False)
    locked = make_program(trainer, title="Hosting sessions", discussions=1, required_badge="group-basics")
    make_user("ana", role="listener", age_group="adult")
    client.login("ana")
    take_part = client.get(f"/programs/{locked.slug}").page.split('id="enrol-heading"')[1].split("</section>")[0]
    assert "You need the 🤝 Group Basics badge to enter this program." in take_part
    assert "You earn it by completing" in take_part
    assert '<a href="/programs/foundations">Foundations</a>' in take_part
    # Not a program her age group or a draft keeps from her: it would be no way on.
    assert "Foundations for teens" not in take_part and "Foundations draft" not in take_part
    # The locked discussion page says the same.
    assert "You earn it by completing" in client.get(discussion_path(locked, 1)).page
    # So do the catalogue's card and the front page, where she meets the lock first.
    for path in ("/programs", "/"):
        page = client.get(path).page
        card = page.split("Group Basics badge to enter this program.")[1].split("</li>")[0]
        assert '<a href="/programs/foundations">Foundations</a>' in card, path
        assert "Foundations for teens" not in card and "Foundations draft" not in card, path


def test_a_badge_no_program_awards_is_locked_without_a_promise(client):
    make_badge("verified", "Verified Listener")
    locked = make_program(title="For verified listeners", required_badge="verified")
    make_user("ana")
    client.login("ana")
    page = client.get(f"/programs/{locked.slug}").page
    assert "You need the ★ Verified Listener badge" in page and "You earn it by completing" not in page


def test_a_locked_discussion_says_what_is_left_to_do_in_the_one_before_it(client):
    program = make_program(make_trainer(), peers=2, min_words=8)
    ana, ben, cleo, dan = (make_user(name, role="listener") for name in ("ana", "ben", "cleo", "dan"))
    for trainee in (ana, ben, cleo, dan):
        enrol(trainee, program)
    # Ana responded and replied to one fellow trainee of the two asked; Dan has not started.
    ben_response = respond(ben, program, 1)
    respond(cleo, program, 1)
    respond(ana, program, 1)
    reply(ana, ben_response)

    client.login("ana")
    locked = client.get(discussion_path(program, 2))
    assert locked.status_code == 403
    said = " ".join(locked.page.split())
    assert "“Discussion 2” opens when you complete “Discussion 1”." in said
    assert "In “Discussion 1” so far: response posted; replies to 1 of 2 fellow trainees." in said
    client.logout()

    client.login("dan")
    said = " ".join(client.get(discussion_path(program, 3)).page.split())
    # Two discussions away: what is left in discussion 1 is not what opens discussion 3.
    assert "“Discussion 3” opens when you complete “Discussion 2”." in said and "so far" not in said
    said = " ".join(client.get(discussion_path(program, 2)).page.split())
    assert "In “Discussion 1” so far: no response yet; replies to 0 of 2 fellow trainees." in said


@pytest.mark.parametrize("taken_away", ["removed by her", "hidden by a moderator"])
def test_post_first_does_not_hide_the_others_again_once_the_discussion_is_done(client, taken_away):
    program = make_program(post_first=True, peers=1)
    ana, ben = make_user("ana", role="listener"), make_user("ben", role="listener")
    enrol(ana, program), enrol(ben, program)
    mine, bens = respond(ana, program, 1), respond(ben, program, 1, long_response(who="Ben"))
    reply(ana, bens), reply(ben, mine)
    if taken_away == "removed by her":
        delete_own_post(ana, mine)
    else:
        hide_post(make_moderator(), mine, "Names a member outside the program")
    assert completed_positions(ana, program) == [1]

    client.login("ana")
    page = client.get(discussion_path(program, 1)).page
    # She completed it: her fellows' responses stay readable, as on the day she did.
    assert "Benword1" in page and "appear here once you have posted yours" not in page
    assert client.get(f"/posts/{bens.id}").status_code in (200, 302)
    from tests.search.pages import search, texts
    assert any("Benword1" in text for text in texts(search(client, "Benword1")))
