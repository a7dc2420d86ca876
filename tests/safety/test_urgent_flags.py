"""Flags that say someone may be in danger: stored with the flag, first in the queue,
moderators told at once."""
import re

from sqlalchemy import select

from forum.accounts.closing import close_account
from forum.extensions import db
from forum.models.accounts import User
from forum.models.moderation import Flag
from forum.models.posts import Notification
from forum.posts.notifications import email_kinds
from tests.factories import PASSWORD, make_post, make_thread, make_user
from tests.safety.factories import make_block, make_flag, make_moderator, suspend

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


def words(page: str) -> str:
    """The page as read, tags left out."""
    return " ".join(re.sub(r"<[^>]+>", "", page).split())


def entry_headings(page: str) -> list[str]:
    return [" ".join(part.split("</h2>")[0].split()) for part in page.split('class="card queue-entry')[1:]]


def test_a_flag_saying_someone_may_be_in_danger_goes_first_in_the_queue_in_words(client):
    """On a bad evening the danger flag comes last, behind the spam: it is read first."""
    reporter, other = make_user("cyd"), make_user("dee")
    make_moderator()
    thread = make_thread("Evening check-in")
    spam = [make_post(make_user(f"spammer{n}"), thread, f"cheap pills {n}") for n in range(22)]
    for post in spam:
        make_flag(reporter, post, "Spam")
    low = make_post(make_user("wren"), thread, "I have the pills counted out.")
    make_flag(other, low, "Sounds like she means it", urgent=True)
    make_flag(reporter, spam[3], "Spam again")
    client.login("moss")
    page = client.get("/mod").page
    headings = entry_headings(page)
    assert len(headings) == 20 and "wren" in headings[0] and "spammer0" in headings[1]
    first_entry = page.split('class="card queue-entry')[1].split("</li>")[0]
    assert "May be in danger" in first_entry
    assert all("May be in danger" not in entry.split("</li>")[0] for entry in page.split('class="card queue-entry')[2:])
    assert "23 flagged items wait; 1 may be about someone in danger." in words(page)
    assert "23 flagged items wait; 1 may be about someone in danger." in words(client.get("/mod?page=2").page)
    assert "wren" not in client.get("/mod?page=2").page


def test_a_group_is_urgent_while_any_of_its_open_flags_says_so(client):
    ana, ben, cyd = make_user("ana"), make_user("ben"), make_user("cyd")
    make_moderator()
    thread = make_thread("Night owls")
    older = make_post(ana, thread, "Older words.")
    newer = make_post(ana, thread, "Newer words.")
    make_flag(ben, older, "Unkind")
    make_flag(ben, newer, "Unkind too")
    make_flag(cyd, newer, "She says she will hurt herself tonight", urgent=True)  # a second flag on it
    client.login("moss")
    page = client.get("/mod").page
    assert page.index("Newer words.") < page.index("Older words.")
    assert "2 flagged items wait; 1 may be about someone in danger." in words(page)
    entry = page.split('class="card queue-entry')[1].split("</li>")[0]
    assert "May be in danger" in entry and "Flagged 2 times" in entry


def test_the_header_and_front_page_say_how_many_urgent_things_wait_to_moderators_only(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_moderator()
    thread = make_thread()
    spam, low = make_post(ana, thread, "Spam."), make_post(ana, thread, "Low.")
    make_flag(ben, spam, "Spam")
    client.login("moss")
    home = client.get("/").page
    assert "may be in danger" not in home.lower()
    make_flag(ben, low, "Says goodbye to everyone", urgent=True)
    home = client.get("/").page
    nav = home.split("<nav")[1].split("</nav>")[0]
    assert "1 may be in danger" in nav
    assert "2 flagged items wait in the moderation queue; 1 may be about someone in danger" in home
    client.logout()
    client.login("ben")
    assert "may be in danger" not in client.get("/").page.lower()


def danger_notices(user) -> list[Notification]:
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id,
                                                         Notification.kind == "urgent_flag")
                              .order_by(Notification.id)).all()


def test_every_acting_moderator_is_told_at_once_without_the_flaggers_name(client):
    ana, ben = make_user("ana"), make_user("ben", display_name="Benedict")
    moss, ada = make_moderator("moss"), make_user("ada", role="admin")
    resting = make_moderator("resting")
    suspend(resting, by=ada)  # only admins suspend moderators
    closed = make_moderator("gone")
    close_account(closed, PASSWORD, remove_writing=False)
    member = make_user("cyd")
    post = make_post(ana, make_thread("Evening check-in"), "I have the pills counted out.")
    make_flag(ben, post, "Spam?")  # not urgent: nobody is told
    assert danger_notices(moss) == []
    make_flag(member, post, "She says she has the pills counted out", urgent=True)
    for moderator in (moss, ada):
        (notice,) = danger_notices(moderator)
        # Straight to what is urgent, not the whole queue to search through.
        assert notice.link == "/mod?urgent=1" and notice.read_at is None
        assert "may be in danger" in notice.message
        assert notice.actor_id is None and "cyd" not in notice.message.lower() and "benedict" not in notice.message.lower()
    for person in (resting, closed, member, ben, ana):
        assert danger_notices(person) == []
    client.login("moss")
    page = client.get("/notifications").page
    assert "may be in danger" in page and "Cyd" not in page


def test_urgent_flags_gather_in_one_unread_notification_until_it_is_read(client, mailbox):
    ana, ben, cyd = make_user("ana"), make_user("ben"), make_user("cyd")
    moss = make_moderator("moss")
    thread = make_thread()
    posts = [make_post(ana, thread, f"Low words {n}.") for n in range(4)]
    client.login("moss")
    client.submit("/settings/notifications", {"email_urgent_flag": "y"})
    make_flag(ben, posts[0], "Talks of ending it", urgent=True)
    make_flag(cyd, posts[0], "Same, please look", urgent=True)
    (notice,) = danger_notices(moss)
    assert notice.read_at is None and "2 flags" in notice.message
    (body,) = mailbox.bodies_to("moss@example.org")  # one email, not one a flag on the same post
    assert "may be in danger" in body and "/mod?urgent=1&" in body  # only those flags, not the whole queue
    assert "Ben" not in body and "Cyd" not in body
    client.submit(f"/notifications/{notice.id}/read")
    make_flag(ben, posts[2], "Another", urgent=True)
    assert len(danger_notices(moss)) == 2 and danger_notices(moss)[1].read_at is None
    assert len(mailbox.bodies_to("moss@example.org")) == 2


def test_a_danger_flag_about_another_thing_is_emailed_though_the_alert_is_unread(client, mailbox):
    """Moss read the first email and works the queue from a bookmark, never opening the
    notice: a second person in danger still reaches Moss's inbox, a repeat flag does not."""
    ana, ben, cyd, dee = make_user("ana"), make_user("ben"), make_user("cyd"), make_user("dee")
    moss = make_moderator("moss")
    thread = make_thread()
    hers, his = make_post(ana, thread, "I have the pills counted out."), make_post(dee, thread, "Goodbye, all.")
    client.login("moss")
    client.submit("/settings/notifications", {"email_urgent_flag": "y"})
    make_flag(ben, hers, "Talks of ending it", urgent=True)
    make_flag(ben, his, "Says goodbye", urgent=True)
    make_flag(cyd, his, "Same, please look", urgent=True)  # the same post again: counted, not emailed
    make_flag(cyd, dee, "Profile says goodbye too", urgent=True)  # his profile: another thing flagged
    bodies = mailbox.bodies_to("moss@example.org")
    assert len(bodies) == 3
    assert "2 flags say someone may be in danger" in bodies[1] and "4 flags say" in bodies[2]
    (notice,) = danger_notices(moss)  # still one notice, counting them all
    assert notice.read_at is None and notice.count == 4
    assert all(f"/mod?urgent=1&notification={notice.id}" in body for body in bodies[1:])


def test_a_moderator_who_blocked_the_flagger_and_the_writer_is_still_emailed_of_danger(client, mailbox):
    # Blocking hides what someone says to you; it must not keep a moderator from someone in danger.
    ana, ben = make_user("ana"), make_user("ben")
    moss = make_moderator("moss")
    make_block(moss, ana), make_block(moss, ben)
    client.login("moss")
    client.submit("/settings/notifications", {"email_urgent_flag": "y"})
    make_flag(ben, make_post(ana, make_thread(), "I can't keep going."), "Talks of ending it", urgent=True)
    assert "may be in danger" in client.get("/notifications").page
    (body,) = mailbox.bodies_to("moss@example.org")
    assert "may be in danger" in body


def test_flagging_again_with_the_box_ticked_tells_the_moderators_once(client):
    ana, ben = make_user("ana"), make_user("ben")
    moss = make_moderator("moss")
    post = make_post(ana, make_thread(), "Nobody would notice if I was gone.")
    make_flag(ben, post, "Sounds low")
    assert danger_notices(moss) == []
    make_flag(ben, post, "Sounds low", urgent=True)
    assert [notice.count for notice in danger_notices(moss)] == [1]
    make_flag(ben, post, "Still low", urgent=True)  # already said: not a new arrival
    assert [notice.count for notice in danger_notices(moss)] == [1]


def test_a_moderator_the_flagged_thing_is_about_is_not_told(client):
    make_user("ben")
    moss, rowan = make_moderator("moss"), make_moderator("rowan")
    post = make_post(moss, make_thread(), "Rough day, not sure I can keep going.")
    make_flag(db.session.scalar(select(User).where(User.username == "ben")), post, "Worried", urgent=True)
    assert danger_notices(moss) == []
    assert len(danger_notices(rowan)) == 1
    make_flag(rowan, moss, "Profile says goodbye", urgent=True)  # the flagger is not told of their own flag
    assert danger_notices(moss) == [] and [notice.count for notice in danger_notices(rowan)] == [1]


def test_only_staff_are_offered_the_danger_notices_by_email(client):
    make_user("ana")
    make_moderator("moss")
    client.login("ana")
    assert "may be in danger" not in client.get("/settings/notifications").page
    client.submit("/settings/notifications", {"email_urgent_flag": "y", "email_reply": "y"})
    ana = db.session.scalar(select(User).where(User.username == "ana"))
    assert email_kinds(ana) == {"reply"}
    client.logout()
    client.login("moss")
    assert "A flag says someone may be in danger" in client.get("/settings/notifications").page


TOLD_AT_ONCE = "The moderators have been told at once, and they will look at it first."
EMERGENCY = "If someone is in immediate danger, contact your local emergency services now."


def test_the_flagger_is_told_moderators_know_at_once_and_where_to_turn_in_immediate_danger(client):
    ana = make_user("ana")
    make_user("ben")
    make_moderator()
    thread = make_thread()
    low, spam = make_post(ana, thread, "I can't do this anymore."), make_post(ana, thread, "Cheap pills.")
    client.login("ben")
    page = client.submit(f"/flag/post/{low.id}", {"reason": "She talks of ending it", "urgent": "y"},
                         follow_redirects=True).page
    assert "Thank you; nobody else is told you flagged it. " + TOLD_AT_ONCE + " " + EMERGENCY in page
    assert EMERGENCY + ' <a href="/help">Help now</a> lists crisis lines.' in page  # one tap from the numbers
    page = client.submit(f"/flag/post/{spam.id}", {"reason": "Spam"}, follow_redirects=True).page
    assert "Thank you. A moderator will look at it" in page and TOLD_AT_ONCE not in page and EMERGENCY not in page


def test_flagging_again_with_the_box_ticked_says_the_moderators_were_told(client):
    ana = make_user("ana")
    make_user("ben")
    make_moderator()
    post = make_post(ana, make_thread(), "Nobody would notice if I was gone.")
    client.login("ben")
    client.submit(f"/flag/post/{post.id}", {"reason": "Sounds low"})
    page = client.submit(f"/flag/post/{post.id}", {"reason": "She said goodbye", "urgent": "y"},
                         follow_redirects=True).page
    assert "You flagged this already" in page and TOLD_AT_ONCE in page and EMERGENCY in page


def test_once_no_danger_flag_waits_the_other_moderators_notice_is_gone_from_their_header(client):
    """Rowan handled the goodbye while Moss was away: Moss is not sent to a queue with
    nothing in danger, nor told of '2 flags' when the next one comes alone."""
    ana, ben = make_user("ana"), make_user("ben")
    moss = make_moderator("moss")
    make_moderator("rowan")
    thread = make_thread()
    low, lower, later = (make_post(ana, thread, f"Low words {n}.") for n in range(3))
    make_flag(ben, low, "Talks of ending it", urgent=True)
    make_flag(ben, lower, "Goodbye post", urgent=True)
    client.login("rowan")
    queue = client.get("/mod").page
    first_ids = re.findall(r'action="/mod/flags/(\d+)/resolve"', queue)
    client.submit(f"/mod/flags/{first_ids[0]}/resolve")
    client.logout()
    client.login("moss")
    nav = client.get("/").page.split("<nav")[1].split("</nav>")[0]
    assert '1 unread' in nav and "1 may be in danger" in nav  # one still waits: still told
    client.logout()
    client.login("rowan")
    client.submit(f"/mod/flags/{first_ids[1]}/dismiss")
    client.logout()
    client.login("moss")
    nav = client.get("/").page.split("<nav")[1].split("</nav>")[0]
    assert "unread" not in nav and "may be in danger" not in nav
    assert "may be in danger" not in client.get("/notifications").page
    make_flag(ben, later, "Another goodbye", urgent=True)
    (notice,) = [notice for notice in danger_notices(moss) if notice.count]
    assert notice.message.startswith("A flag says someone may be in danger.")
    # Read later, the log says the flags Rowan closed, and the ones put back, were about danger.
    client.submit(f"/mod/flags/{first_ids[1]}/reopen")
    log = client.get("/mod/audit").page
    assert log.count("1 flag, saying someone may be in danger") == 2
    assert "1 flag dismissed by @rowan, saying someone may be in danger" in log


def test_when_no_moderator_could_be_told_the_flagger_is_not_told_they_were(client):
    """A small forum's only moderator writes that they can't go on: a flag about them tells
    nobody at once, and the member who flagged it must know to act themselves."""
    make_user("ben")
    moss = make_moderator("moss")
    post = make_post(moss, make_thread(), "Rough day, not sure I can keep going.")
    client.login("ben")
    page = client.submit(f"/flag/post/{post.id}", {"reason": "Worried about Moss", "urgent": "y"},
                         follow_redirects=True).page
    assert TOLD_AT_ONCE not in page
    assert ("Thank you; nobody else is told you flagged it. It waits first in the moderators' queue, "
            "but no moderator can be told at once right now. " + EMERGENCY) in page
