"""Merging an idea into another: the rules, the link, closed replies, the supporters told."""
import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.ideas.services import change_phase, merge_idea, set_status
from forum.models.accounts import User
from forum.models.ideas import IdeaStatus
from forum.models.posts import Notification, Post
from forum.posts.page_cache import kept_pages
from forum.posts.services import hide_post
from tests.factories import make_user
from tests.ideas.factories import make_call, make_moderator, post_idea, react, reply_to
from tests.ideas.pages import visible_text


@pytest.fixture
def call(app):
    return make_call(make_moderator("moss"))


@pytest.fixture
def ideas(call):
    ana, ben = make_user("ana"), make_user("ben")
    return post_idea(ana, call, "A live list of mentors."), post_idea(ben, call, "Show who is online now.")


def merge(client, idea, target, note="", confirmed="yes"):
    """Merge as staff do: the number typed, then "yes" on the page that shows the idea it names."""
    url = f"/ideas/{idea.thread_id}/ideas/{idea.id}/merge"
    return client.submit(url, {"target": str(target), "note": note, "confirmed": confirmed})


def status_of(idea):
    db.session.expire_all()
    return db.session.get(IdeaStatus, idea.id)


def test_a_merged_idea_links_to_the_one_it_joined_and_takes_no_replies(client, ideas):
    kept, merged = ideas
    client.login("moss")
    # A number typed wrong would merge into some other idea and tell everyone: the idea it
    # names is shown first, the note kept, and nothing changes until staff say yes.
    asked = merge(client, merged, f"#{kept.id}", note="Same wish", confirmed="")
    assert asked.status_code == 200
    assert f"Merge idea #{merged.id} into idea #{kept.id} by Ana?" in visible_text(asked)
    assert "A live list of mentors." in visible_text(asked)
    assert 'name="note" value="Same wish"' in asked.page
    assert status_of(merged).status == "new"
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    assert merge(client, merged, f"#{kept.id}").status_code == 302
    record = status_of(merged)
    assert (record.status, record.merged_into_id) == ("merged", kept.id)
    page = client.get(f"/ideas/{kept.thread_id}").page
    assert f'<a href="/posts/{kept.id}">idea #{kept.id} by Ana</a>' in page
    assert "This idea joined another one, so it takes no new replies." in page
    client.logout()
    make_user("cleo")
    client.login("cleo")
    response = client.submit(f"/posts/{merged.id}/replies", {"body": "Me too!"})
    assert response.status_code == 422 and "merged into another one" in response.page
    assert db.session.scalar(select(func.count()).select_from(Post).where(Post.parent_id == merged.id)) == 0
    assert client.submit(f"/posts/{kept.id}/replies", {"body": "Me too!"}).status_code == 302


def test_supporters_and_the_author_of_a_merged_idea_are_told(client, ideas):
    kept, merged = ideas
    fan, replier, both = make_user("fan"), make_user("replier"), make_user("both")
    react(fan, merged, "hug")
    reply_to(replier, merged)
    react(both, merged, "heart")
    reply_to(both, merged, "Second this.")
    react(make_user("elsewhere"), kept)  # supported the other idea only
    client.login("moss")
    merge(client, merged, kept.id, "Same idea, two wordings.")
    told = db.session.execute(select(Notification.user_id, Notification.kind, Notification.link)
                              .where(Notification.kind.in_(("idea_merged", "idea_status")))).all()
    assert sorted((user_id, kind) for user_id, kind, _ in told) == sorted([
        (fan.id, "idea_merged"), (replier.id, "idea_merged"), (both.id, "idea_merged"),
        (merged.author_id, "idea_status")])
    assert {link for *_, link in told} == {f"/posts/{kept.id}"}


@pytest.mark.parametrize("target, message", [
    ("abc", "Type the idea's number, like 42"),
    ("", "Type the idea's number, like 42"),
    ("12²", "Type the idea's number, like 42"),
    ("999999", "There is no idea #999999."),
    # Past PostgreSQL's integer ids: looked up, it failed the query (a server error).
    ("3000000000", "There is no idea #3000000000."),
    ("#٣٠٠٠٠٠٠٠٠٠", "There is no idea #3000000000."),
])
def test_bad_merge_numbers_are_refused_by_the_field(client, ideas, target, message):
    _, merged = ideas
    client.login("moss")
    response = merge(client, merged, target, "My note stays")
    assert response.status_code == 422
    assert message in response.page and 'id="target-error"' in response.text and "My note stays" in response.page
    assert status_of(merged).status == "new"


def test_an_idea_cannot_merge_into_itself(client, ideas):
    kept, _ = ideas
    client.login("moss")
    response = merge(client, kept, kept.id)
    assert response.status_code == 422 and "can't be merged into itself" in response.page
    assert status_of(kept).status == "new"


def test_an_idea_cannot_merge_into_another_calls_idea(client, ideas):
    kept, _ = ideas
    other_call = make_call(kept.thread.author, "Another call")
    elsewhere = post_idea(make_user("cleo"), other_call)
    client.login("moss")
    response = merge(client, kept, elsewhere.id)
    assert response.status_code == 422 and "belongs to another call" in response.page
    assert status_of(kept).status == "new"


def test_an_idea_cannot_merge_into_a_reply_or_a_removed_idea(client, ideas):
    kept, merged = ideas
    reply = reply_to(make_user("cleo"), kept)
    client.login("moss")
    assert "is a reply, not an idea" in merge(client, merged, reply.id).page
    kept.deleted_at = kept.created_at
    db.session.commit()
    assert "was removed" in merge(client, merged, kept.id).page
    assert status_of(merged).status == "new"


def test_merge_chains_may_not_loop(client, call, ideas):
    first, second = ideas
    third = post_idea(make_user("cleo"), call, "Mentor availability on profiles.")
    client.login("moss")
    assert merge(client, first, second.id).status_code == 302
    assert merge(client, second, third.id).status_code == 302  # a chain: first -> second -> third
    for looping, target in ((third, first), (third, second)):
        response = merge(client, looping, target.id)
        assert response.status_code == 422 and "go round in a circle" in response.page
    assert status_of(third).status == "new"
    assert db.session.scalar(select(func.count()).select_from(IdeaStatus).where(IdeaStatus.status == "merged")) == 2


def test_an_idea_is_not_merged_into_one_that_is_itself_merged(client, call, ideas):
    # Its supporters would be told the discussion goes on in an idea that takes no replies.
    kept, merged = ideas
    late = post_idea(make_user("cleo"), call, "Mentors online now, on the front page.")
    client.login("moss")
    assert merge(client, merged, kept.id).status_code == 302
    for confirmed in ("", "yes"):
        refused = merge(client, late, merged.id, note="Same wish again", confirmed=confirmed)
        assert refused.status_code == 422 and 'id="target-error"' in refused.text
        assert (f"Idea #{merged.id} is merged into idea #{kept.id}, so it takes no new replies. "
                f"Merge into idea #{kept.id} instead.") in visible_text(refused)
        assert "Same wish again" in refused.page
    assert status_of(late).status == "new"
    assert merge(client, late, kept.id).status_code == 302


def test_merging_twice_into_the_same_idea_is_refused_and_unmerging_reopens_replies(client, ideas):
    kept, merged = ideas
    client.login("moss")
    merge(client, merged, kept.id)
    assert "already merged into idea" in merge(client, merged, kept.id).page
    review = f"/ideas/{merged.thread_id}/ideas/{merged.id}/review"
    assert client.submit(review, {"status": "under_review"}).status_code == 302
    record = status_of(merged)
    assert (record.status, record.merged_into_id) == ("under_review", None)
    assert "Discuss this idea" in client.get(f"/ideas/{merged.thread_id}").page


def test_a_merged_idea_is_not_merged_again_until_staff_take_it_out_of_its_merge(client, call, ideas):
    kept, merged = ideas
    other = post_idea(make_user("cleo"), call, "Mentor availability on profiles.")
    review = f"/ideas/{merged.thread_id}/ideas/{merged.id}/review"
    client.login("moss")
    assert merge(client, merged, kept.id).status_code == 302
    page = visible_text(client.get(review))
    assert f"This idea is already merged into idea #{kept.id}. To merge it into another one" in page
    assert f'action="{review.replace("/review", "/merge")}"' not in client.get(review).text
    # Sent from a page loaded before the merge (another moderator's, say): refused, and
    # what was typed comes back in the form to copy or send again later.
    refused = merge(client, merged, other.id, note="Same ask as the availability idea.")
    assert refused.status_code == 422 and f"already merged into idea #{kept.id}" in refused.page
    assert "Same ask as the availability idea." in refused.page and f'value="{other.id}"' in refused.text
    assert status_of(merged).merged_into_id == kept.id
    told = select(func.count()).select_from(Notification).where(Notification.user_id == merged.author_id,
                                                                 Notification.message.contains("was merged into"))
    assert db.session.scalar(told) == 1
    assert client.submit(review, {"status": "under_review"}).status_code == 302
    assert merge(client, merged, other.id).status_code == 302
    assert status_of(merged).merged_into_id == other.id


def test_an_idea_merged_into_one_deleted_for_good_can_be_reviewed_and_reopened(client, call, ideas):
    kept, merged = ideas
    make_user("ada", role="admin")
    call_page = f"/ideas/{merged.thread_id}"
    review = f"/ideas/{merged.thread_id}/ideas/{merged.id}/review"
    client.login("moss")
    assert merge(client, merged, kept.id).status_code == 302
    client.logout()
    client.login("ada")
    deleted = client.submit(f"/mod/posts/{kept.id}/delete", {"reason": "Shared a phone number.", "confirmed": "yes"})
    assert deleted.status_code == 302
    assert status_of(merged).merged_into_id is None
    shown = visible_text(client.get(call_page))
    assert "The idea this one joined was removed, so it takes no new replies until staff review it again." in shown
    page = client.get(review)
    assert page.status_code == 200
    assert "Now: Status: Merged into an idea that has since been removed" in visible_text(page)
    assert 'value="None"' not in page.text
    late = post_idea(make_user("cleo"), call, "Mentors online now, on the front page.")
    refused = merge(client, late, merged.id)
    assert refused.status_code == 422 and f"Idea #{merged.id} joined an idea that was removed" in refused.page
    assert client.submit(review, {"status": "under_review"}).status_code == 302
    assert status_of(merged).status == "under_review"
    assert "Discuss this idea" in client.get(call_page).page


def test_the_reply_page_of_an_idea_whose_merge_target_was_deleted_for_good_says_so(client, ideas):
    kept, merged = ideas
    make_user("ada", role="admin")
    client.login("moss")
    assert merge(client, merged, kept.id).status_code == 302
    client.logout()
    client.login("ada")
    deleted = client.submit(f"/mod/posts/{kept.id}/delete", {"reason": "Shared a phone number.", "confirmed": "yes"})
    assert deleted.status_code == 302
    client.logout()
    make_user("cleo")
    client.login("cleo")
    deleted = "The idea this one joined was removed, so it takes no new replies until staff review it again."
    page = visible_text(client.get(f"/posts/{merged.id}/reply"))
    assert deleted in page and "carry on the discussion there" not in page
    refused = client.submit(f"/posts/{merged.id}/replies", {"body": "Me too!"})
    assert refused.status_code == 422 and deleted in visible_text(refused) and "Me too!" in refused.page
    assert db.session.scalar(select(func.count()).select_from(Post).where(Post.parent_id == merged.id)) == 0


def test_a_kept_call_page_shows_each_status_change_at_once(app, client, ideas):
    # The call's page keeps its ideas' statuses with its posts (forum/posts/page_cache.py):
    # each view below follows a change made after the page was first kept.
    kept, merged = ideas
    page = f"/ideas/{kept.thread_id}"
    link = f'<a href="/posts/{kept.id}">idea #{kept.id} by '
    client.login("ana")
    assert f"Idea #{merged.id} by Ben Status: New" in visible_text(client.get(page))
    assert len(kept_pages(app)) > 0, "the page was not kept: this test would prove nothing"
    client.logout()
    client.login("moss")
    review = f"/ideas/{merged.thread_id}/ideas/{merged.id}/review"
    assert client.submit(review, {"status": "planned", "note": "Next month."}).status_code == 302
    shown = visible_text(client.get(page))
    assert f"Idea #{merged.id} by Ben Status: Planned" in shown and "Note from staff: Next month." in shown
    assert merge(client, merged, kept.id).status_code == 302
    assert link + "Ana</a>" in client.get(page).page
    client.logout()
    client.login("ana")
    assert client.submit("/settings/profile", {"display_name": "Ana Lucia", "bio": ""}).status_code == 302
    shown = client.get(page).page
    assert link + "Ana Lucia</a>" in shown and "This idea joined another one, so it takes no new replies." in shown


def test_members_cannot_merge(client, ideas):
    kept, merged = ideas
    client.login("ana")
    assert merge(client, merged, kept.id).status_code == 403
    assert merge(client, merged, "not a number").status_code == 403
    assert status_of(merged).status == "new"
    with pytest.raises(Exception, match="Only moderators and admins can merge"):
        merge_idea(kept.author, merged, kept.id)


def test_someone_whose_only_reply_to_a_merged_idea_was_hidden_is_not_told_as_a_supporter(client, ideas):
    kept, merged = ideas
    moss = db.session.scalar(select(User).where(User.username == "moss"))
    unkind, kind = make_user("unkind"), make_user("kind")
    hide_post(moss, reply_to(unkind, merged, "An unkind remark."), "Unkind.")
    reply_to(kind, merged, "A list by topic would help too.")
    client.login("moss")
    merge(client, merged, kept.id)
    told = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "idea_merged")))
    assert told == {kind.id}  # as with the phase news: a hidden post is not taking part


def test_the_shortlist_credits_the_authors_of_ideas_merged_into_a_shortlisted_one(client, call, ideas):
    kept, merged = ideas
    moss = db.session.scalar(select(User).where(User.username == "moss"))
    gone = post_idea(make_user("dee"), call, "Mentors online, listed by topic.")
    merge_idea(moss, merged, kept.id, "Same idea, two wordings.")
    merge_idea(moss, gone, kept.id)
    gone.deleted_at = gone.created_at  # its author removed it afterwards: no credit for it
    set_status(moss, kept, "shortlisted", "We build this first.")
    change_phase(moss, call, "shortlisted")
    text = visible_text(client.get(f"/ideas/{call.id}/shortlist"))
    assert f"Idea #{kept.id} by Ana @ana" in text
    assert f"Merged into it: idea #{merged.id} by Ben" in text
    assert f"#{gone.id}" not in text and "Dee" not in text
    assert "With thanks to Ana, Ben, and to everyone who joined the discussion." in text


def test_the_author_of_a_merged_idea_is_told_the_staff_note(client, ideas):
    kept, merged = ideas
    client.login("moss")
    merge(client, merged, kept.id, "Same idea, two wordings: talk it over under Ana's.")
    client.logout()
    client.login("ben")
    text = visible_text(client.get("/notifications"))
    assert ("was merged into Ana's idea: Same idea, two wordings: talk it over under Ana's." in text)


def test_the_author_of_an_idea_merged_without_a_note_is_told_plainly(client, ideas):
    kept, merged = ideas
    client.login("moss")
    merge(client, merged, kept.id)
    message = db.session.scalar(select(Notification.message).where(Notification.kind == "idea_status"))
    assert message.endswith("was merged into Ana's idea.")


def test_an_idea_merged_into_one_its_author_then_removed_is_not_left_pointing_at_it(client, call, ideas):
    kept, merged = ideas
    other = post_idea(make_user("cleo"), call, "Mentor office hours.")
    client.login("moss")
    assert merge(client, merged, kept.id, "Same idea.").status_code == 302
    client.logout()
    client.login("ana")
    assert client.submit(f"/posts/{kept.id}/delete", {"confirmed": "yes"}).status_code == 302
    client.logout()
    client.login("ben")
    shown = visible_text(client.get(f"/ideas/{call.id}"))
    removed = "The idea this one joined was removed, so it takes no new replies until staff review it again."
    assert removed in shown and "This idea joined another one" not in shown
    assert removed in visible_text(client.get(f"/posts/{merged.id}/reply"))
    client.logout()
    # The moderator who merged it is told, and may merge it anew.
    told = db.session.scalars(select(Notification.message).where(Notification.user_id == call.opened_by_id)).all()
    assert any(f"idea #{merged.id} by Ben" in message and "review it again" in message for message in told)
    client.login("moss")
    review = visible_text(client.get(f"/ideas/{call.id}/ideas/{merged.id}/review"))
    assert "Merged into an idea that has since been removed" in review and "Merge into idea number" in review
    assert merge(client, merged, other.id).status_code == 302
    assert status_of(merged).merged_into_id == other.id
