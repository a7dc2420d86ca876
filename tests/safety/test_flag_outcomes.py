"""Flaggers hear what became of their flag, and a moderator can reopen flags dismissed by mistake."""
import re

from sqlalchemy import select

from forum.extensions import db
from forum.models.moderation import AuditEntry, Flag
from forum.models.posts import Notification
from tests.factories import make_post, make_thread, make_user
from tests.ideas.factories import make_call, post_idea
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, make_review, write_in_conversation
from tests.training.factories import discussion, enrol, make_program, respond
from forum.moderation.flags import close_flag_group
from tests.safety.factories import make_flag, make_moderator


def words(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", page).split())


def notices_read_by(client, username: str) -> str:
    """The notifications page as `username` reads it."""
    client.logout()
    client.login(username)
    page = client.get("/notifications").page
    return words(page.split("<main", 1)[1])


def outcome_notices(user) -> list[str]:
    return list(db.session.scalars(select(Notification.message).where(
        Notification.user_id == user.id, Notification.kind == "flag_outcome", Notification.count > 0)))


def test_a_flagger_is_told_when_the_post_they_flagged_is_hidden(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_moderator("moss")
    post = make_post(ana, make_thread("Evening check-in"), "Something cruel.")
    make_flag(ben, post, "Mocks a newcomer")
    client.login("moss")
    client.submit(f"/mod/posts/{post.id}/hide", {"reason": "Unkind to a newcomer"})
    read = notices_read_by(client, "ben")
    assert "A moderator looked at the post you flagged in “Evening check-in” and took it down." in read
    assert "moss" not in read and "Unkind to a newcomer" not in read  # never the moderator, nor their reason


def test_a_flagger_is_told_when_their_flag_is_dismissed_and_the_post_stays_up(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_moderator("moss")
    post = make_post(ana, make_thread("Evening check-in"), "Blunt but fair.")
    flag = make_flag(ben, post, "Harsh")
    client.login("moss")
    client.submit(f"/mod/flags/{flag.id}/dismiss", {"note": "Blunt, not unkind"})
    read = notices_read_by(client, "ben")
    assert ("A moderator looked at the post you flagged in “Evening check-in” and left it up: "
            "they found nothing that needs taking down.") in read
    assert "moss" not in read and "Blunt, not unkind" not in read


def test_someone_who_flagged_a_danger_is_thanked_and_not_told_nothing_needed_doing(client):
    """A moderator answers a danger flag by reaching out, not by taking the post down:
    "they found nothing that needs taking down" would read as if nobody cared."""
    ana, ben = make_user("ana"), make_user("ben")
    make_moderator("moss")
    post = make_post(ana, make_thread("Night owls"), "I don't see the point any more.")
    flag = make_flag(ben, post, "She sounds hopeless", urgent=True)
    client.login("moss")
    client.submit(f"/mod/flags/{flag.id}/dismiss", {"note": "Reached out to her"})
    read = notices_read_by(client, "ben")
    assert ("Thank you for telling us someone may be in danger. A moderator looked at the post you flagged "
            "in “Night owls”; it stays up. If you are still worried, see Help now.") in read
    assert "nothing that needs taking down" not in read and "Reached out to her" not in read


def test_a_danger_flag_dismissed_then_reopened_takes_back_its_thanks_unread(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_moderator("moss")
    post = make_post(ana, make_thread("Night owls"), "I don't see the point any more.")
    flag = make_flag(ben, post, "She sounds hopeless", urgent=True)
    client.login("moss")
    client.submit(f"/mod/flags/{flag.id}/dismiss", {})
    assert len(outcome_notices(ben)) == 1
    client.submit(f"/mod/flags/{flag.id}/reopen", {})
    assert outcome_notices(ben) == []


def test_a_flagger_is_told_when_flags_are_marked_handled_and_a_hidden_review_is_taken_down(client):
    mentor, listener, cyd = make_mentor("juniper"), make_listener("lee"), make_user("cyd")
    make_moderator("moss")
    review = make_review(listener, mentor, 1, "A rude review.")
    post = make_post(make_user("ana"), make_thread("Highs"), "Pushy.")
    make_flag(cyd, review, "Rude")
    flag = make_flag(cyd, post, "Pushy")
    client.login("moss")
    client.submit(f"/mentors/reviews/{review.id}/hide", {"reason": "Rude"})
    client.submit(f"/mod/flags/{flag.id}/resolve", {"note": "Talked with ana"})
    assert sorted(outcome_notices(cyd)) == sorted([
        "A moderator looked at the review of Juniper you flagged and took it down.",
        "A moderator looked at the post you flagged in “Highs” and dealt with it; it stays up.",
    ])


def test_a_flagger_and_the_queue_name_a_response_an_idea_or_a_message_as_its_part_does(client):
    """"The post you flagged" left someone who flagged a training response, an idea or a
    mentor's message wondering which of the things they had flagged it was."""
    ana, ben = make_user("ana"), make_user("ben")
    moss = make_moderator("moss")
    program = make_program(peers=1)
    enrol(ana, program), enrol(ben, program)
    respond(ben, program, 1)
    response = respond(ana, program, 1)
    idea = post_idea(ana, make_call(moss, "Quiet hours"))
    lee, juniper = make_listener("lee"), make_mentor("juniper")
    message = write_in_conversation(juniper.user, make_mentorship(lee, juniper), "Stop asking me things.")
    for flagger, post in ((ben, response), (ben, idea), (lee, message)):
        make_flag(flagger, post, "Unkind")
    client.login("moss")
    queue = words(client.get("/mod").page)
    title = discussion(program, 1).thread.title
    assert f"Response by Ana @ana in “{title}”" in queue and "Idea by Ana @ana in “Quiet hours”" in queue
    assert "Message by Juniper @juniper in" in queue and "Post by" not in queue
    hidden = client.submit(f"/mod/posts/{idea.id}/hide", {"reason": "Unkind"}, follow_redirects=True)
    assert "The idea by @ana in “Quiet hours” is hidden" in hidden.page  # as its heading named it
    for post in (response, message):
        client.submit(f"/mod/posts/{post.id}/hide", {"reason": "Unkind"})
    assert sorted(outcome_notices(ben)) == [
        "A moderator looked at the idea you flagged in “Quiet hours” and took it down.",
        f"A moderator looked at the response you flagged in “{title}” and took it down."]
    assert outcome_notices(lee)[0].startswith("A moderator looked at the message you flagged in “")


def test_two_flags_by_the_same_member_bring_one_notice_and_each_flagger_gets_one(client):
    ana, ben, cyd = make_user("ana"), make_user("ben"), make_user("cyd")
    make_moderator("moss")
    post = make_post(ana, make_thread("Evening check-in"), "Something cruel.")
    make_flag(ben, post, "Mocks a newcomer")
    make_flag(cyd, post, "Cruel")
    # Two open flags of ben's on one post, as reopening a dismiss leaves them when he flagged anew.
    db.session.add(Flag(reporter_id=ben.id, target_type="post", target_id=post.id, reason="Still cruel"))
    db.session.commit()
    client.login("moss")
    client.submit(f"/mod/posts/{post.id}/hide", {"reason": "Cruel"})
    expected = ["A moderator looked at the post you flagged in “Evening check-in” and took it down."]
    assert outcome_notices(ben) == expected and outcome_notices(cyd) == expected


def test_the_flagged_author_is_told_of_the_hide_but_never_who_flagged(client):
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Benedict Flagger")
    make_moderator("moss")
    post = make_post(ana, make_thread("Evening check-in"), "Something cruel.")
    make_flag(ben, post, "Mocks a newcomer")
    client.login("moss")
    client.submit(f"/mod/posts/{post.id}/hide", {"reason": "Unkind to a newcomer"})
    read = notices_read_by(client, "ana")
    assert "A moderator hid your post in “Evening check-in”: Unkind to a newcomer" in read
    assert "ben" not in read.lower() and "Flagger" not in read and "flagged" not in read
    assert outcome_notices(ana) == []


def test_a_flagger_of_a_post_deleted_for_good_is_told_and_led_to_its_thread(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_user("ada", role="admin")
    post = make_post(ana, make_thread("Evening check-in"), "Something cruel.")
    make_flag(ben, post, "Mocks a newcomer")
    reply = make_post(ana, post.thread, "And I know where you live.", parent=post)
    make_flag(make_user("cyd"), reply, "A threat to hurt him", urgent=True)
    thread_id = post.thread_id
    client.login("ada")
    client.submit(f"/mod/posts/{post.id}/delete", {"reason": "Doxxing", "confirmed": "yes"})
    notice = db.session.scalar(select(Notification).where(Notification.user_id == ben.id))
    assert notice.message == "A moderator looked at the post you flagged in “Evening check-in” and took it down."
    assert notice.link == f"/threads/{thread_id}" and notice.actor_id is None
    # The log says the flags on its replies went with it, and that one was about danger.
    assert db.session.scalar(select(AuditEntry.details).where(AuditEntry.action == "delete")) == (
        "with 1 reply; closed 2 flags, 1 saying someone may be in danger")


def danger_notices(user) -> list[str]:
    return list(db.session.scalars(select(Notification.message).where(
        Notification.user_id == user.id, Notification.kind == "urgent_flag", Notification.count > 0,
        Notification.read_at.is_(None))))


def test_a_moderator_reopens_dismissed_flags_they_wait_in_the_queue_again_and_the_log_says_so(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_moderator("moss")
    post = make_post(ana, make_thread("Evening check-in"), "Something cruel.")
    flag = make_flag(ben, post, "Mocks a newcomer")
    client.login("moss")
    client.submit(f"/mod/flags/{flag.id}/dismiss", {})
    assert "Something cruel." not in client.get("/mod").page
    dismissed = client.get("/mod/dismissed").page
    assert "Something cruel." in dismissed and "Mocks a newcomer" in dismissed
    assert f'action="/mod/flags/{flag.id}/reopen"' in dismissed
    response = client.submit(f"/mod/flags/{flag.id}/reopen", {}, follow_redirects=True)
    assert "1 flag on the post by @ana in “Evening check-in” waits in the queue again." in words(response.page)
    queue = client.get("/mod").page
    assert "Something cruel." in queue and "1 flagged item waits." in words(queue)
    assert db.session.get(Flag, flag.id).status == "open"
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.target_type, entry.target_id, entry.actor.username) == ("reopen", "post", post.id, "moss")
    assert "Reopened dismissed flags" in words(client.get("/mod/audit").page)
    again = client.submit(f"/mod/flags/{flag.id}/reopen", {}, follow_redirects=True)
    assert "Those flags are not dismissed" in words(again.page) and again.status_code == 200


def test_the_dismissed_flags_page_shows_every_flag_one_dismiss_closed_and_none_raised_since(client):
    ana = make_user("ana")
    moss = make_moderator("moss")
    post = make_post(ana, make_thread("Evening check-in"), "Something cruel.")
    first = make_flag(make_user("ben"), post, "Mocks a newcomer")
    make_flag(make_user("cleo"), post, "Unkind to someone new")
    close_flag_group(moss, first, "dismissed")
    make_flag(make_user("dara"), post, "Still cruel today")  # waits in the queue
    client.login("moss")
    page = client.get("/mod/dismissed").page
    entry = words(page.split(f'id="dismissed-{first.id}"', 1)[1].split("</ul>", 1)[0])
    assert "“Mocks a newcomer” — Ben @ben" in entry and "“Unkind to someone new” — Cleo @cleo" in entry
    assert "Still cruel today" not in page
    assert page.count("Reopen: put back in the queue") == 1


def test_reopening_a_danger_flag_counts_it_again_and_tells_the_other_moderators(client):
    ana, ben = make_user("ana"), make_user("ben")
    moss, mira = make_moderator("moss"), make_moderator("mira")
    post = make_post(ana, make_thread("Night owls"), "I have the pills counted out.")
    flag = make_flag(ben, post, "She means it", urgent=True)
    client.login("moss")
    client.submit(f"/mod/flags/{flag.id}/dismiss", {})
    assert "may be about someone in danger" not in words(client.get("/mod").page)
    assert danger_notices(mira) == danger_notices(moss) == []  # emptied with the dismiss
    client.submit(f"/mod/flags/{flag.id}/reopen", {})
    queue = words(client.get("/mod").page)
    assert "1 flagged item waits; 1 may be about someone in danger." in queue
    assert "May be in danger" in queue
    assert danger_notices(moss) == []  # who reopened it knows
    read = notices_read_by(client, "mira")
    assert "A flag says someone may be in danger. It waits first in the moderation queue." in read
    # Dismissed again: the notice goes again with the count.
    client.logout()
    client.login("moss")
    client.submit(f"/mod/flags/{flag.id}/dismiss", {})
    assert danger_notices(mira) == []


def test_someone_who_is_not_a_moderator_cannot_reopen_dismissed_flags(client):
    ana, ben = make_user("ana"), make_user("ben")
    moss = make_moderator("moss")
    post = make_post(ana, make_thread("Evening check-in"), "Something cruel.")
    flag = make_flag(ben, post, "Mocks a newcomer")
    close_flag_group(moss, flag, "dismissed")
    client.login("ben")
    assert client.get("/mod/dismissed").status_code == 403
    assert client.submit(f"/mod/flags/{flag.id}/reopen", {}).status_code == 403
    client.logout()
    client.login("moss")
    # Without the form's CSRF token nothing changes either.
    assert client.post(f"/mod/flags/{flag.id}/reopen", data={}).status_code in (302, 400)
    assert db.session.get(Flag, flag.id).status == "dismissed"
    assert not db.session.scalar(select(AuditEntry).where(AuditEntry.action == "reopen"))


def test_the_dismissed_flags_page_costs_the_same_number_of_queries_for_2_or_12_dismissals(client, count_queries):
    moss = make_moderator("moss")
    reporter = make_user("reporter")

    def dismiss(count):
        for n in range(count):
            author = make_user()
            flag = make_flag(reporter, make_post(author, make_thread(f"Thread {n}"), f"words {n}"), urgent=n % 2 == 0)
            close_flag_group(moss, flag, "dismissed")
            close_flag_group(moss, make_flag(reporter, author, "odd profile"), "dismissed")

    client.login("moss")
    dismiss(1)
    with count_queries() as small:
        assert client.get("/mod/dismissed").status_code == 200
    dismiss(5)
    with count_queries() as large:
        page = client.get("/mod/dismissed").page
    assert page.count("Reopen: put back in the queue") == 12
    assert large.count == small.count


def test_a_dismiss_taken_back_takes_back_the_flaggers_unread_left_it_up_notice(client):
    ana, ben, cyd = make_user("ana"), make_user("ben"), make_user("cyd")
    make_moderator("moss")
    post = make_post(ana, make_thread("Evening check-in"), "Stop whining. Grow up.")
    flag = make_flag(ben, post, "Rude to someone struggling")
    make_flag(cyd, post, "Unkind")
    client.login("moss")
    client.submit(f"/mod/flags/{flag.id}/dismiss", {})  # the wrong entry
    left_up = ("A moderator looked at the post you flagged in “Evening check-in” and left it up: "
               "they found nothing that needs taking down.")
    taken_down = "A moderator looked at the post you flagged in “Evening check-in” and took it down."
    client.logout()
    client.login("cyd")  # cyd reads hers before the dismiss is taken back
    cyds = db.session.scalar(select(Notification.id).where(Notification.user_id == cyd.id))
    client.submit(f"/notifications/{cyds}/read", {})
    client.logout()
    client.login("moss")
    client.submit(f"/mod/flags/{flag.id}/reopen", {})
    # Back in the queue, nobody has decided yet: ben no longer reads that it stays up, nor is counted it.
    assert left_up not in notices_read_by(client, "ben")
    assert "Notifications 1" not in words(client.get("/").page)
    assert left_up in notices_read_by(client, "cyd")  # what she read stays in her list
    client.logout()
    client.login("moss")
    client.submit(f"/mod/posts/{post.id}/hide", {"reason": "Unkind to someone struggling"})
    read = notices_read_by(client, "ben")
    assert taken_down in read and left_up not in read
    assert outcome_notices(ben) == [taken_down]


def test_a_flagger_no_longer_let_into_the_space_is_not_told_its_title(client):
    from forum.accounts.staff import award_badge, revoke_badge
    from tests.factories import make_badge

    badge = make_badge("trained", "Trained")
    ana, ben = make_user("ana"), make_user("ben")
    award_badge(ana, badge), award_badge(ben, badge)
    make_moderator("moss")
    post = make_post(ana, make_thread("Trained listeners' back room", required_badge=badge, author=ana), "Harsh.")
    make_flag(ben, post, "Harsh on a trainee")
    revoke_badge(ben, badge)  # the back room is closed to him now: its page answers "not found"
    client.login("moss")
    client.submit(f"/mod/posts/{post.id}/hide", {"reason": "Harsh"})

    read = notices_read_by(client, "ben")
    assert "A moderator looked at a post you flagged and took it down." in read
    assert "back room" not in read
    notice = db.session.scalar(select(Notification).where(Notification.user_id == ben.id))
    assert client.get(notice.link).status_code == 200
    # An idea in a call for the badge's holders is named as its part names it, with its article.
    award_badge(ben, badge)
    idea = post_idea(ana, make_call(make_moderator("mona"), "Back-room hours", badge_slug=badge.slug))
    make_flag(ben, idea, "Harsh")
    revoke_badge(ben, badge)
    client.logout()
    client.login("moss")
    client.submit(f"/mod/posts/{idea.id}/hide", {"reason": "Harsh"})
    assert "A moderator looked at an idea you flagged and took it down." in outcome_notices(ben)


def test_a_moderator_whose_post_was_deleted_for_good_is_not_told_who_flagged_it_on_the_dismissed_page(client):
    mira, ben = make_moderator("mira"), make_user("ben", display_name="Benedict Flagger")
    moss = make_moderator("moss")
    make_user("ada", role="admin")
    post = make_post(mira, make_thread("Evening check-in"), "Something blunt.")
    flag = make_flag(ben, post, "Too blunt")
    close_flag_group(moss, flag, "dismissed")
    client.login("mira")
    assert "Benedict Flagger" not in client.get("/mod/dismissed").page  # her own post: "a member"
    client.logout()
    client.login("ada")
    client.submit(f"/mod/posts/{post.id}/delete", {"reason": "Shared an address", "confirmed": "yes"})

    client.logout()
    client.login("mira")
    page = words(client.get("/mod/dismissed").page)
    assert "Too blunt" in page and "— a member" in page
    assert "Benedict Flagger" not in page and "@ben" not in page


def test_a_notice_of_a_dismissed_flag_still_leads_somewhere_once_the_post_is_deleted_for_good(client):
    ana, ben = make_user("ana"), make_user("ben")
    moss = make_moderator("moss")
    make_user("ada", role="admin")
    post = make_post(ana, make_thread("Evening check-in"), "Blunt but fair.")
    close_flag_group(moss, make_flag(ben, post, "Harsh"), "dismissed")
    thread_id = post.thread_id
    client.login("ada")
    client.submit(f"/mod/posts/{post.id}/delete", {"reason": "Shared an address", "confirmed": "yes"})

    client.logout()
    client.login("ben")
    notice = db.session.scalar(select(Notification).where(Notification.user_id == ben.id))
    pressed = client.submit(f"/notifications/{notice.id}/read", {"go": "1"})
    assert pressed.location == f"/threads/{thread_id}"
    assert client.get(pressed.location, follow_redirects=True).status_code == 200
