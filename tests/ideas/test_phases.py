"""Phases: what each phase lets people do, who may change it, who hears about it."""
import re

import pytest
from sqlalchemy import func, select

from forum.errors import DomainError, Forbidden
from forum.extensions import db
from forum.ideas.policy import PHASE_REFUSALS
from forum.ideas.services import change_phase, set_status
from forum.models.accounts import User
from forum.models.posts import Notification, Post
from forum.posts.services import hide_post
from tests.factories import make_user
from tests.ideas.factories import make_call, make_moderator, post_idea, react, reply_to
from tests.ideas.pages import visible_text


@pytest.fixture
def call(app):
    return make_call(make_moderator("moss"))


def set_phase(call, phase):
    call.phase = phase
    db.session.commit()


def share(client, call, body="Another idea."):
    return client.submit(f"/threads/{call.thread_id}/posts", {"body": body})


def count_posts() -> int:
    return db.session.scalar(select(func.count()).select_from(Post))


def test_collecting_takes_ideas(client, call):
    make_user("ana")
    client.login("ana")
    assert share(client, call, "A mentor room open every evening.").status_code == 302
    assert "A mentor room open every evening." in client.get(f"/ideas/{call.id}").page


@pytest.mark.parametrize("phase, message", [
    ("evaluating", "Ideas are being evaluated, so this call takes no new ideas."),
    ("shortlisted", "The shortlist is published, so this call takes no new ideas."),
    ("closed", "This call for ideas is closed."),
])
def test_no_new_ideas_outside_collecting(client, call, phase, message):
    make_user("ana")
    set_phase(call, phase)
    client.login("ana")
    assert message in client.get(f"/ideas/{call.id}").page  # shown instead of the idea box
    response = share(client, call, "My late idea")
    assert response.status_code == 422
    assert message in response.page
    assert count_posts() == 0


@pytest.mark.parametrize("phase", ["evaluating", "shortlisted", "closed"])
def test_a_call_taking_no_ideas_invites_nobody_to_share_one(client, call, phase):
    make_user("ana")
    assert 'href="#idea-box"' in client.get(f"/ideas/{call.id}").text
    set_phase(call, phase)
    visitor = client.get(f"/ideas/{call.id}")
    assert 'href="#idea-box"' not in visitor.text  # the header's "Share an idea" led to a refusal
    assert "Sign in to share an idea" not in visitor.page and PHASE_REFUSALS[phase] in visitor.page
    client.login("ana")
    assert 'href="#idea-box"' not in client.get(f"/ideas/{call.id}").text


def in_the_calls_words(response, call) -> str:
    """The page a refused idea comes back on, checked to read as the call's idea box."""
    text = visible_text(response)
    assert "Share your idea" in text and call.title in text and "Share one idea per post." in text
    assert "Your idea" in text and "Post my idea" in response.page
    assert "New post" not in text and "Your post" not in text
    return text


def test_an_idea_sent_after_collecting_ended_comes_back_in_the_calls_words_with_its_text(client, call):
    make_user("ana")
    client.login("ana")
    client.get(f"/ideas/{call.id}")
    set_phase(call, "evaluating")  # while Ana was still writing
    response = share(client, call, "Evening drop-in rooms with a mentor.")
    assert response.status_code == 422
    text = visible_text(response)
    assert "Share your idea" in text and call.title in text and "Share one idea per post." in text
    assert "New post" not in text and "Your post" not in text
    assert "Ideas are being evaluated, so this call takes no new ideas." in text
    assert "Evening drop-in rooms with a mentor." in text  # kept to copy
    assert "the ideas below" not in text  # there are none below on this page
    assert count_posts() == 0


def test_an_empty_idea_comes_back_in_the_calls_words(client, call):
    make_user("ana")
    client.login("ana")
    response = share(client, call, "   ")
    assert response.status_code == 422
    assert "Write something before posting." in in_the_calls_words(response, call)
    assert count_posts() == 0


def test_an_idea_sent_too_quickly_comes_back_in_the_calls_words_with_its_text(make_app):
    limited = make_app(RATELIMIT_ENABLED=True)
    with limited.app_context():
        make_user("ana")
        call = make_call(make_moderator("moss"))
        client = limited.test_client()
        client.login("ana")
        assert share(client, call, "A mentor room open every evening.").status_code == 302
        refused = share(client, call, "Badges for patient listeners.")
        assert refused.status_code == 429
        text = in_the_calls_words(refused, call)
        assert "posting very quickly" in text and "Badges for patient listeners." in refused.page
        assert count_posts() == 1


def test_discussion_and_reactions_go_on_while_evaluating(client, call):
    ana, _ = make_user("ana"), make_user("ben")
    idea = post_idea(ana, call)
    set_phase(call, "evaluating")
    client.login("ben")
    response = client.submit(f"/posts/{idea.id}/replies", {"body": "Still a good one."})
    assert response.status_code == 302
    assert client.submit(f"/posts/{idea.id}/react", {"kind": "heart"}).status_code == 302
    assert "Discuss this idea" in client.get(f"/ideas/{call.id}").page
    db.session.refresh(idea)
    assert (idea.reply_count, idea.reaction_count) == (1, 1)


def test_a_closed_call_takes_no_replies(client, call):
    ana, _ = make_user("ana"), make_user("ben")
    idea = post_idea(ana, call)
    set_phase(call, "closed")
    client.login("ben")
    response = client.submit(f"/posts/{idea.id}/replies", {"body": "Too late?"})
    assert response.status_code == 422 and "closed, so it takes no new replies" in response.page
    assert "Discuss this idea" not in client.get(f"/ideas/{call.id}").page
    assert count_posts() == 1


def test_staff_change_the_phase_and_every_contributor_hears(client, call):
    ana, ben, cleo, onlooker = make_user("ana"), make_user("ben"), make_user("cleo"), make_user("onlooker")
    idea = post_idea(ana, call)
    reply_to(ben, idea)
    post_idea(cleo, call, "Weekly mentor office hours.")
    react(onlooker, idea)  # reacting alone is not contributing
    client.login("moss")
    # A mis-tap on the list tells nobody: the script asks the chosen phase's question...
    # Said the same before and after, and as the test below finds it: a hidden or removed post tells nobody.
    told_all = ("Everyone who posted an idea or a reply in this call is told, "
                "unless all they posted was removed or hidden.")
    call_page = client.get(f"/ideas/{call.id}").page
    assert f'data-confirm="Move this call to “Closed”? It takes no new ideas or replies. {told_all}"' in call_page
    assert f'<p class="hint">{told_all}</p>' in call_page  # under the phase menu
    # ...and without one a page asks it, with a way back that changes nothing.
    asked = client.submit(f"/ideas/{call.id}/phase", {"phase": "evaluating"})
    assert asked.status_code == 200
    assert (f"Move this call to “Evaluating”? It takes no new ideas; discussion and reactions go on. {told_all}"
            in visible_text(asked))
    assert 'name="phase" value="evaluating"' in asked.page and "Keep it in “Collecting ideas”" in asked.page
    db.session.refresh(call)
    assert call.phase == "collecting"
    assert not db.session.scalar(select(func.count()).where(Notification.kind == "idea_phase"))
    response = client.submit(f"/ideas/{call.id}/phase", {"phase": "evaluating", "confirmed": "yes"})
    assert response.status_code == 302
    db.session.refresh(call)
    assert call.phase == "evaluating"
    assert f"The call is now in the phase “Evaluating”. {told_all}" in visible_text(client.get(f"/ideas/{call.id}"))
    told = {user_id: message for user_id, message in db.session.execute(
        select(Notification.user_id, Notification.message).where(Notification.kind == "idea_phase"))}
    assert set(told) == {ana.id, ben.id, cleo.id}
    assert "takes no new ideas now" in told[ana.id]


def test_someone_whose_only_post_was_hidden_is_not_told_as_one_who_took_part(client, call):
    moss = db.session.scalar(select(User).where(User.username == "moss"))
    ana, dana, eli = make_user("ana"), make_user("dana"), make_user("eli")
    idea = post_idea(ana, call)
    hide_post(moss, post_idea(dana, call, "Buy my course at example.com"), "Advertising.")
    hide_post(moss, reply_to(eli, idea, "An unkind remark."), "Unkind.")
    reply_to(eli, idea, "Sorry, I meant: a list by topic would help too.")  # Eli still takes part
    client.login("moss")
    call_page = visible_text(client.get(f"/ideas/{call.id}"))
    assert "Contributors 2" in call_page  # Ana and Eli: a hidden post is not counted
    client.submit(f"/ideas/{call.id}/phase", {"phase": "evaluating", "confirmed": "yes"})
    told = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "idea_phase")))
    assert told == {ana.id, eli.id}


def test_shortlist_phase_notification_links_to_the_shortlist(client, call):
    set_status(call.opened_by, post_idea(make_user("ana"), call), "shortlisted")
    client.login("moss")
    client.submit(f"/ideas/{call.id}/phase", {"phase": "shortlisted", "confirmed": "yes"})
    link = db.session.scalar(select(Notification.link).where(Notification.kind == "idea_phase"))
    assert link == f"/ideas/{call.id}/shortlist"


def test_members_cannot_change_the_phase(client, call):
    make_user("ana")
    client.login("ana")
    for phase in ("closed", "finished"):
        response = client.submit(f"/ideas/{call.id}/phase", {"phase": phase})
        assert response.status_code == 403
    assert "Move the call to" not in client.get(f"/ideas/{call.id}").page
    db.session.refresh(call)
    assert call.phase == "collecting"


def test_phase_service_refuses_non_staff_unknown_and_unchanged_phases(call):
    moss, ana = call.opened_by, make_user("ana")
    with pytest.raises(Forbidden):
        change_phase(ana, call, "closed")
    with pytest.raises(DomainError, match="Choose one of the phases"):
        change_phase(moss, call, "finished")
    with pytest.raises(DomainError, match="already in the phase “Collecting ideas”"):
        change_phase(moss, call, "collecting")


def test_an_unknown_phase_posted_is_a_clear_400_not_a_change(client, call):
    client.login("moss")
    response = client.submit(f"/ideas/{call.id}/phase", {"phase": "finished"})
    assert response.status_code == 400 and "Choose one of the options in the list." in response.page
    db.session.refresh(call)
    assert call.phase == "collecting"


def test_the_same_phase_again_is_a_notice_not_a_change(client, call):
    client.login("moss")
    response = client.submit(f"/ideas/{call.id}/phase", {"phase": "collecting"},
                             follow_redirects=True)
    assert "already in the phase" in response.page
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_reaction_counts_hide_while_collecting_when_the_call_asks(client):
    moss = make_moderator("moss")
    call = make_call(moss, hide_reactions_while_collecting=True)
    ana, ben = make_user("ana"), make_user("ben")
    idea = post_idea(ana, call, "Mentor spotlight posts.")
    react(ben, idea, "hug")
    client.login("ben")
    page = client.get(f"/ideas/{call.id}").page
    assert "Reaction counts are hidden" in page
    assert 'class="reaction-count"' not in page and "Who reacted" not in page
    assert "<dt>Reactions</dt><dd>hidden</dd>" in page
    assert "sort=reactions" not in page
    refused = client.get(f"/ideas/{call.id}?sort=reactions")
    assert refused.status_code == 400 and "hidden while ideas are collected" in refused.page
    # Nor do the engine's own pages give the counts away.
    assert client.get(f"/posts/{idea.id}/reactions").status_code == 403
    assert 'class="reaction-count"' not in client.get(f"/posts/{idea.id}/replies").page
    toggled = client.submit(f"/posts/{idea.id}/react", {"kind": "heart"},
                            headers={"Accept": "application/json"})
    answer = toggled.get_json()
    assert {key: answer[key] for key in ("kind", "active", "count")} == {"kind": "heart", "active": True, "count": None}
    # The reaction area sent back to the script hides them as the page does: no counts, no names.
    assert 'class="reaction-count"' not in answer["html"] and "Who reacted" not in answer["html"]
    assert 'title="Hug"' in answer["html"] and "Ben" not in answer["html"]
    # Nor the review page to staff, who judge the ideas the counts would steer.
    client.logout()
    client.login("moss")
    review = visible_text(client.get(f"/ideas/{call.id}/ideas/{idea.id}/review"))
    assert "0 replies" in review and not re.search(r"\d+ reactions? ·", review)
    client.logout()
    client.login("ben")
    set_phase(call, "evaluating")
    page = client.get(f"/ideas/{call.id}").page
    assert '<span class="reaction-count">1</span>' in page and "sort=reactions" in page
    assert client.get(f"/posts/{idea.id}/reactions").status_code == 200


def test_an_empty_shortlist_is_not_published(client, call):
    # Staff could publish a "shortlist" with nothing on it, and every contributor was told.
    idea = post_idea(make_user("ana"), call)
    client.login("moss")
    response = client.submit(f"/ideas/{call.id}/phase", {"phase": "shortlisted", "confirmed": "yes"},
                             follow_redirects=True)
    assert "There is nothing on the shortlist yet" in response.page
    db.session.refresh(call)
    assert call.phase == "collecting"
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0

    set_status(call.opened_by, idea, "shortlisted", "")
    client.submit(f"/ideas/{call.id}/phase", {"phase": "shortlisted", "confirmed": "yes"})
    db.session.refresh(call)
    assert call.phase == "shortlisted"


def test_an_empty_shortlist_is_refused_before_staff_are_asked_to_publish_it(client, call):
    # Staff were asked "Move this call to 'Shortlist published'?" (a dialog, or a page
    # without JavaScript), said yes, and only then were told there was nothing to publish.
    post_idea(make_user("ana"), call)
    client.login("moss")
    page = client.get(f"/ideas/{call.id}").page
    assert not re.search(r'data-confirm="Move this call to “Shortlist published”', page)
    assert re.search(r'data-confirm="Move this call to “Evaluating”', page)
    response = client.submit(f"/ideas/{call.id}/phase", {"phase": "shortlisted"}, follow_redirects=True)
    assert "There is nothing on the shortlist yet" in response.page
    assert "Publish the shortlist" not in visible_text(response)


def test_taking_a_published_shortlist_back_says_so_before_and_after(client, call):
    # Moving a call back to "Evaluating" took its published shortlist down, and neither the
    # question nor the notice afterwards said so.
    set_status(call.opened_by, post_idea(make_user("ana"), call), "shortlisted", "")
    set_phase(call, "shortlisted")
    client.login("moss")
    taken_down = "Its shortlist is no longer published: only staff can read it until it is published again."
    page = client.get(f"/ideas/{call.id}").page
    assert re.search(r'data-confirm="Move this call to “Evaluating”\?[^"]*' + re.escape(taken_down), page)
    assert re.search(r'data-confirm="Move this call to “Collecting ideas”\?[^"]*' + re.escape(taken_down), page)
    assert not re.search(r'data-confirm="Move this call to “Closed”\?[^"]*shortlist', page)
    assert taken_down in visible_text(client.submit(f"/ideas/{call.id}/phase", {"phase": "evaluating"}))
    done = client.submit(f"/ideas/{call.id}/phase", {"phase": "evaluating", "confirmed": "yes"}, follow_redirects=True)
    assert "The call is now in the phase “Evaluating”. Its shortlist is no longer published" in visible_text(done)
    # Closing a call keeps its shortlist published: nothing to say.
    client.submit(f"/ideas/{call.id}/phase", {"phase": "shortlisted", "confirmed": "yes"})
    closed = client.submit(f"/ideas/{call.id}/phase", {"phase": "closed", "confirmed": "yes"}, follow_redirects=True)
    assert "no longer published" not in visible_text(closed)


def test_a_shortlist_of_removed_ideas_only_is_empty(call):
    idea = post_idea(make_user("ana"), call)
    set_status(call.opened_by, idea, "planned", "")
    hide_post(call.opened_by, idea, "Off topic.")
    with pytest.raises(DomainError, match="There is nothing on the shortlist yet"):
        change_phase(call.opened_by, call, "shortlisted")
