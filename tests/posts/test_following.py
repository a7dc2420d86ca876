"""Following a thread: told of its new posts, gathered in one notification until read."""
import re

import pytest
from sqlalchemy import select, update

from forum.clock import utcnow
from forum.extensions import db
from forum.models.posts import Notification, ThreadFollower
from forum.posts.services import delete_own_post
from tests.factories import make_post, make_thread, make_user
from tests.ideas.factories import make_call, make_moderator, post_idea
from tests.safety.factories import make_block
from tests.training.factories import discussion, discussion_path, enrol, make_program, make_trainer, respond


def _follow(client, thread):
    return client.submit(f"/threads/{thread.id}/follow")


def _notices(client) -> list[str]:
    page = client.get("/notifications").page
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r'id="notification-\d+">([^<]*)<', page)]


def test_a_follower_is_told_of_each_new_post_but_their_own(client):
    ana, ben = make_user("ana"), make_user("ben")
    thread = make_thread("Highs and lows")
    client.login("ana")
    response = _follow(client, thread)
    assert response.status_code == 302 and response.location.endswith(f"/threads/{thread.id}")
    page = client.get(f"/threads/{thread.id}").page
    assert "You're following “Highs and lows”" in page and "Stop following" in page
    make_post(ana, thread, "My own post tells me nothing.")
    assert _notices(client) == []
    post = make_post(ben, thread, "A long week, but a good one.")
    assert _notices(client) == ["New post from Ben in “Highs and lows”"]
    note = db.session.scalar(select(Notification))
    response = client.submit(f"/notifications/{note.id}/read", {"go": "1"})
    assert response.location.endswith(f"/posts/{post.id}")


def test_new_posts_gather_in_one_notification_that_leads_to_the_first_of_them(client, mailbox):
    make_user("ana")
    ben, cleo = make_user("ben"), make_user("cleo")
    thread = make_thread("Highs and lows")
    client.login("ana")
    client.submit("/settings/notifications", {"email_followed": "y"})
    _follow(client, thread)
    first = make_post(ben, thread, "First of the evening.")
    make_post(cleo, thread, "Second of the evening.")
    make_post(ben, thread, "Third of the evening.")
    assert _notices(client) == ["3 new posts in “Highs and lows”, the latest from Ben"]
    assert 'aria-label="1 unread"' in client.get("/").page
    (body,) = mailbox.bodies_to("ana@example.org")  # one email, not one a post
    assert "New post from Ben in “Highs and lows”" in body
    note = db.session.scalar(select(Notification))
    assert note.link.endswith(f"/posts/{first.id}")
    client.submit(f"/notifications/{note.id}/read")
    make_post(cleo, thread, "After you read the rest.")
    assert _notices(client)[0] == "New post from Cleo in “Highs and lows”"


def test_posts_after_the_first_new_one_was_removed_are_still_told(client):
    # The gathered notification leads to the first new post and goes with it when that
    # post is removed: what comes after must make a fresh one, not swell the gone one.
    make_user("ana")
    ben, cleo = make_user("ben"), make_user("cleo")
    thread = make_thread("Highs and lows")
    client.login("ana")
    _follow(client, thread)
    first = make_post(ben, thread, "Posted in the wrong place, sorry.")
    delete_own_post(ben, first)
    assert _notices(client) == []
    make_post(cleo, thread, "Anyone around tonight?")
    assert _notices(client) == ["New post from Cleo in “Highs and lows”"]
    assert 'aria-label="1 unread"' in client.get("/").page


@pytest.mark.parametrize("taken_down", ["removed by its author", "hidden by a moderator"])
def test_posts_gathered_after_the_first_stay_told_when_it_goes(client, taken_down):
    # The first new post went (its author removed it, or a moderator hid it), and the one
    # notification took the second and third with it: Ana never heard of them.
    from forum.posts.services import hide_post

    make_user("ana")
    ben, cleo = make_user("ben"), make_user("cleo")
    moss = make_moderator()
    thread = make_thread("Highs and lows")
    client.login("ana")
    _follow(client, thread)
    first = make_post(ben, thread, "Posted in the wrong place, sorry.")
    second = make_post(cleo, thread, "Anyone around tonight?")
    assert _notices(client) == ["2 new posts in “Highs and lows”, the latest from Cleo"]
    if taken_down == "removed by its author":
        delete_own_post(ben, first)
    else:
        hide_post(moss, first, "Shares a phone number")
    assert _notices(client) == ["New post from Cleo in “Highs and lows”"]
    note = db.session.scalar(select(Notification))
    assert note.link.endswith(f"/posts/{second.id}")
    make_post(ben, thread, "Here is the right place.")
    assert _notices(client) == ["2 new posts in “Highs and lows”, the latest from Ben"]


def test_a_follower_replied_to_or_mentioned_is_told_once(client):
    ana, ben = make_user("ana"), make_user("ben")
    thread = make_thread("Highs and lows")
    mine = make_post(ana, thread, "Mine.")
    client.login("ana")
    _follow(client, thread)
    make_post(ben, thread, "I hear you.", parent=mine)
    make_post(ben, thread, "What do you think, @ana?")
    assert _notices(client) == ["Ben mentioned you in “Highs and lows”", "Ben replied to your post in “Highs and lows”"]


def test_a_follower_is_not_told_of_someone_they_blocked(client):
    ana, ben = make_user("ana"), make_user("ben")
    thread = make_thread("Highs and lows")
    client.login("ana")
    _follow(client, thread)
    make_block(ana, ben)
    make_post(ben, thread, "Hello all.")
    assert _notices(client) == []


def test_a_follower_is_not_told_of_responses_a_discussion_still_hides_from_them(client):
    # A discussion that asks each trainee to post first shows nobody's response before
    # their own: following it tells them of nothing they could not open.
    program = make_program(post_first=True)
    ana, ben = make_user("ana"), make_user("ben")
    for trainee in (ana, ben):
        enrol(trainee, program)
    thread = discussion(program, 1).thread
    client.login("ana")
    page = client.get(discussion_path(program, 1)).page
    assert f'action="/threads/{thread.id}/follow"' in page
    _follow(client, thread)
    respond(ben, program, 1)
    assert _notices(client) == []
    respond(ana, program, 1)
    ben_again = respond(ben, program, 1, body="A second response, now that Ana has posted hers, with enough words.")
    assert _notices(client) == ["New response from Ben in “Discussion 1”"]
    assert db.session.scalar(select(Notification)).post_id == ben_again.id


def test_a_thread_closed_to_a_follower_since_tells_them_nothing_and_leaves_their_list(client):
    sunny = make_user("sunny", age_group="teen")
    ben = make_user("ben", age_group="teen")
    thread = make_thread("Teen corner", audience="teen")
    client.login("sunny")
    _follow(client, thread)
    assert "Teen corner" in client.get("/notifications").page
    sunny.age_group = "adult"
    db.session.commit()
    make_post(ben, thread, "Anyone around tonight?")
    page = client.get("/notifications").page
    assert "Teen corner" not in page


def test_a_call_and_a_discussion_offer_following_and_a_conversation_does_not(client):
    moss, ana = make_moderator("moss"), make_user("ana")
    call = make_call(moss, title="Quiet hours")
    client.login("ana")
    page = client.get(f"/ideas/{call.id}").page
    assert f'action="/threads/{call.thread_id}/follow"' in page
    _follow(client, call.thread)
    post_idea(moss, call, "A quiet hour each evening.")
    assert _notices(client) == ["New idea from Moss in “Quiet hours”"]
    conversation = make_thread("Ana and Moss", members=[ana, moss])
    assert "/follow" not in client.get(f"/threads/{conversation.id}", follow_redirects=True).page
    response = client.submit(f"/threads/{conversation.id}/follow")
    assert response.status_code == 403
    assert db.session.scalar(select(ThreadFollower)).thread_id == call.thread_id


def test_stopping_from_the_list_of_threads_followed(client):
    make_user("ana")
    ben = make_user("ben")
    thread = make_thread("Highs and lows")
    client.login("ana")
    _follow(client, thread)
    _follow(client, thread)  # a second press, from another tab, changes nothing
    assert db.session.query(ThreadFollower).count() == 1
    page = client.get("/notifications").page
    assert "Threads you follow" in page and "Highs and lows" in page
    response = client.submit(f"/threads/{thread.id}/unfollow", {"back": "notifications"})
    assert response.location.endswith("/notifications#followed")
    assert "Threads you follow" not in client.get("/notifications").page
    make_post(ben, thread, "Hello all.")
    assert _notices(client) == []
    assert f'action="/threads/{thread.id}/follow"' in client.get(f"/threads/{thread.id}").page


def test_following_from_a_later_page_comes_back_to_that_page(client):
    # As "Mark read" does: following from page 2, newest first, landed on page 1, oldest first.
    make_user("ana")
    thread = make_thread("Highs and lows")
    client.login("ana")
    page = client.get(f"/threads/{thread.id}?page=2&order=newest").page
    form = re.search(r'<form class="follow-form[^"]*"[^>]*>(.*?)</form>', page, re.S).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    response = client.post(f"/threads/{thread.id}/follow", data=fields)
    assert response.status_code == 302
    assert response.location.endswith(f"/threads/{thread.id}?page=2&order=newest")
    page = client.get(f"/ideas/{make_call(make_moderator('moss')).id}?status=new").page
    form = re.search(r'<form class="follow-form[^"]*" method="post" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    response = client.post(form.group(1), data=dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">',
                                                               form.group(2))))
    assert response.location.endswith("?status=new")


def test_visitors_are_not_offered_following_and_cannot_follow(client):
    thread = make_thread("Highs and lows")
    assert "/follow" not in client.get(f"/threads/{thread.id}").page
    response = client.submit(f"/threads/{thread.id}/follow")
    assert response.status_code == 302 and "/login" in response.location
    assert db.session.query(ThreadFollower).count() == 0


def test_nobody_follows_a_thread_they_cannot_see(client):
    make_user("ana")
    thread = make_thread("Teen corner", audience="teen")
    client.login("ana")
    assert _follow(client, thread).status_code == 404
    assert db.session.query(ThreadFollower).count() == 0


def test_the_list_of_threads_followed_costs_the_same_however_long(client, count_queries):
    # Discussions are linked to their program's page: looked up one by one, each one
    # followed cost the notifications page one more statement.
    ana, tova = make_user("ana"), make_trainer()
    client.login("ana")
    programs = []

    def follow_discussions(first: int, count: int):
        for number in range(first, first + count):
            program = make_program(tova, title=f"Program {number}", discussions=1)
            enrol(ana, program)
            _follow(client, discussion(program, 1).thread)
            programs.append(program)

    def statements() -> int:
        client.get("/notifications")
        with count_queries() as counter:
            page = client.get("/notifications").page
        assert page.count(">Stop following<") == len(db.session.scalars(select(ThreadFollower)).all())
        return counter.count

    follow_discussions(0, 1)
    few = statements()
    follow_discussions(1, 4)
    assert statements() == few
    links = re.findall(r'<li>\s*<a href="([^"]+)">Discussion 1</a>', client.get("/notifications").page)
    assert sorted(client.get(link).location for link in links) == sorted(discussion_path(p, 1) for p in programs)


def test_two_presses_at_the_same_moment_follow_once_without_an_error(app, client):
    # A double-click: the second request finds no row, then the first one's row lands
    # before its own is written. Made to happen here by writing that row on another
    # connection just before this request's is flushed.
    from sqlalchemy import event

    from forum.models.accounts import User
    make_user("ana")
    thread = make_thread("Highs and lows")
    client.login("ana")
    page = f"/threads/{thread.id}"
    token = client.csrf_token()
    ana_id = db.session.scalar(select(User.id).where(User.username == "ana"))

    def the_other_press_lands_first(session, *args):
        with db.engine.begin() as other:
            other.execute(ThreadFollower.__table__.insert().values(thread_id=thread.id, user_id=ana_id,
                                                                   created_at=db.func.now()))

    event.listen(db.session, "before_flush", the_other_press_lands_first, once=True)
    response = client.post(f"/threads/{thread.id}/follow", data={"csrf_token": token})
    assert response.status_code == 302
    assert db.session.query(ThreadFollower).count() == 1
    assert "Stop following" in client.get(page).page


def test_a_post_tells_many_followers_in_as_many_statements_as_a_few(client, count_queries, mailbox):
    # A call staff open may gather hundreds of followers: telling each of them cost two
    # statements of the post's own request (their email choice, their notification). One
    # who asked for email still costs one (the email's link names their notification).
    thread = make_thread("Ideas for quiet hours")
    make_user("ben")

    def followed_by(count: int) -> None:
        for number in range(db.session.query(ThreadFollower).count(), count):
            follower = make_user(f"follower{number}")
            db.session.add(ThreadFollower(thread_id=thread.id, user_id=follower.id))
        db.session.commit()

    def statements_to_post(words: str) -> int:
        # Each post tells everyone afresh: what they were told before has been read.
        db.session.execute(update(Notification).values(read_at=utcnow()))
        db.session.commit()
        client.login("ben")
        client.get(f"/threads/{thread.id}")
        with count_queries() as counter:
            response = client.submit(f"/threads/{thread.id}/posts", {"body": words})
        assert response.status_code == 302
        client.logout()
        return counter.count

    followed_by(3)
    client.login("follower0")
    client.submit("/settings/notifications", {"email_followed": "y"})
    client.logout()
    statements_to_post("A first idea, to start the thread.")
    few = statements_to_post("A second idea.")
    followed_by(30)
    mailbox.clear()
    assert statements_to_post("A third idea.") == few
    told = {n.user_id for n in db.session.query(Notification).filter_by(kind="followed", read_at=None)}
    assert len(told) == 30
    # The one who asked for email got it, with a link that reads their notification; the rest got none.
    (body,) = mailbox.bodies_to("follower0@example.org")
    assert "?notification=" in body
    assert mailbox.bodies_to("follower29@example.org") == []
