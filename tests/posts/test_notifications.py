"""The notifications page, reading them, and choosing email."""
import html
from email.header import decode_header, make_header
import re
from urllib.parse import urlsplit
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.accounts.staff import set_roles
from forum.clock import utcnow
from forum.extensions import db
from forum.forms import EXPIRED_MESSAGE
from forum.ideas.services import merge_idea
from forum.models.accounts import User
from forum.models.posts import Notification
from forum.posts.notifications import email_kinds, notify
from forum.posts.services import delete_own_post
from tests.factories import PASSWORD, make_post, make_thread, make_user
from tests.ideas.factories import make_call, make_moderator, post_idea, reply_to
from tests.safety.factories import suspend


def test_a_reply_notifies_the_author_with_a_link_to_the_post(client):
    ana, ben = make_user("ana"), make_user("ben")
    post = make_post(ana, make_thread("Highs"))
    reply = make_post(ben, post.thread, "me too", parent=post)
    client.login("ana")
    page = client.get("/notifications").page
    assert "Ben replied to your post in “Highs”" in page
    note = db.session.scalar(select(Notification))
    response = client.submit(f"/notifications/{note.id}/read", {"go": "1"})
    assert response.location.endswith(f"/posts/{reply.id}")
    assert db.session.get(Notification, note.id).read_at is not None


def test_replying_to_a_reply_tells_the_one_replied_to(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_user("cara")
    post = make_post(ana, make_thread("Highs"))
    answer = make_post(ben, post.thread, "Me too, every week.", parent=post)
    client.login("cara")
    card = client.get(f"/threads/{post.thread_id}").page.split(f'id="post-{answer.id}"')[1].split("</article>")[0]
    reply_page = client.get(html.unescape(re.search(r'href="([^"]*/reply)"', card).group(1))).page
    assert "Reply to Ben" in reply_page and "Me too, every week." in reply_page
    action = re.search(r'<form[^>]*action="([^"]*/replies)"', reply_page).group(1)
    client.submit(action, {"body": "Same here."})
    told_ben = db.session.scalars(select(Notification.message).where(Notification.user_id == ben.id)).all()
    assert told_ben == ["Cara replied to your reply in “Highs”"]
    client.logout()
    client.login("ana")
    assert "Cara replied to your post in “Highs”" in client.get("/notifications").page


def test_a_reply_that_also_names_you_is_told_once_as_a_reply(client):
    ana, ben = make_user("ana"), make_user("ben")
    post = make_post(ana, make_thread("Highs"))
    make_post(ben, post.thread, "You're right, @ana.", parent=post)
    told_ana = db.session.scalars(select(Notification.message).where(Notification.user_id == ana.id)).all()
    assert told_ana == ["Ben replied to your post in “Highs”"]


def test_a_reply_names_what_it_answered_as_its_part_does(client):
    moss, ana, ben = make_moderator("moss"), make_user("ana"), make_user("ben")
    idea = post_idea(ana, make_call(moss, title="Quiet hours"), "A quiet hour each evening.")
    reply_to(ben, idea, "Yes please, after dinner.")
    client.login("ana")
    assert "Ben replied to your idea in “Quiet hours”" in client.get("/notifications").page


def test_mark_all_read_empties_the_count(client):
    make_user("ana")
    ben = make_user("ben")
    for text in ("one @ana", "two @ana"):
        make_post(ben, make_thread(), text)
    client.login("ana")
    assert 'aria-label="2 unread"' in client.get("/").page
    client.submit("/notifications/read-all")
    assert "unread" not in client.get("/").page.split("</header>")[0]


def test_a_newcomer_with_no_notifications_is_not_offered_to_mark_them_read(client):
    make_user("ana")
    client.login("ana")
    page = client.get("/notifications").page
    assert "Nothing yet." in page and "Mark all read" not in page
    make_post(make_user("ben"), make_thread(), "welcome @ana")
    assert "Mark all read" in client.get("/notifications").page
    client.submit("/notifications/read-all")
    page = client.get("/notifications").page
    assert "mentioned you" in page and "Mark all read" not in page  # all read: nothing left to mark


def test_an_empty_notifications_page_names_everything_that_lands_there(client):
    # New posts in followed threads, mentorships, training, ideas, roles and moderators'
    # actions land here too: a newcomer told only of mentions, replies and reactions
    # would not know to look here for them.
    make_user("ana")
    client.login("ana")
    page = client.get("/notifications").page
    for kind in ("quotes you", "a thread you follow", "mentorships", "training", "ideas", "badges", "moderators"):
        assert kind in page


def test_nobody_reads_anyone_elses_notifications(client):
    make_user("ana")
    ben = make_user("ben")
    make_post(ben, make_thread(), "hi @ana")
    note = db.session.scalar(select(Notification))
    client.login("ben")
    assert client.submit(f"/notifications/{note.id}/read").status_code == 404
    assert db.session.get(Notification, note.id).read_at is None


def test_chosen_kinds_also_arrive_by_email(client, mailbox):
    make_user("ana")
    ben = make_user("ben")
    client.login("ana")
    client.submit("/settings/notifications", {"email_mention": "y"})
    make_post(ben, make_thread("Mentor ideas"), "what do you think, @ana?")
    make_post(ben, make_thread("Other"), "no mention here", parent=None)
    (body,) = mailbox.bodies_to("ana@example.org")
    assert "Ben mentioned you in “Mentor ideas”" in body
    assert "/posts/" in body


def test_a_long_subject_ends_at_a_word(client, mailbox):
    make_user("ana")
    ben = make_user("ben")
    client.login("ana")
    client.submit("/settings/notifications", {"email_mention": "y"})
    title = "Ideas to help listeners and mentors talk more with each other during the long quiet evening and night hours"
    make_post(ben, make_thread(title), "what do you think, @ana?")
    (mail,) = [m for m in mailbox.messages if m["To"] == "ana@example.org"]
    subject = str(make_header(decode_header(mail["Subject"])))
    assert subject == "Ben mentioned you in “Ideas to help listeners and mentors talk more with each other during the long quiet evening and…"


def test_a_link_in_an_email_opened_signed_out_leads_through_sign_in_to_the_post(client, mailbox):
    # Mail is often read where nobody is signed in; the space is not open to strangers.
    make_user("ana")
    ben = make_user("ben")
    client.login("ana")
    client.submit("/settings/notifications", {"email_mention": "y"})
    client.logout()
    post = make_post(ben, make_thread("Adults only", audience="adult"), "what do you think, @ana?")
    (body,) = mailbox.bodies_to("ana@example.org")
    path = urlsplit(re.search(r"http://\S+", body).group(0)).path
    response = client.get(path)
    assert response.status_code == 404
    sign_in = re.search(r'<a href="(/login\?next=[^"]+)">Sign in</a>', response.get_data(as_text=True))
    assert sign_in, "the page offers no way to sign in and come back"
    response = client.submit(html.unescape(sign_in.group(1)), {"login": "ana", "password": PASSWORD}, follow_redirects=True)
    assert f'id="post-{post.id}"' in response.page


def test_kinds_not_chosen_send_no_email(client, mailbox):
    ana, ben = make_user("ana"), make_user("ben")
    post = make_post(ana, make_thread())
    make_post(ben, post.thread, "reply", parent=post)
    assert mailbox.bodies_to("ana@example.org") == []


def test_email_choices_sent_from_an_expired_page_come_back_ticked_and_say_so(client):
    ana = make_user("ana")
    client.login("ana")
    response = client.post("/settings/notifications", data={"email_mention": "y", "csrf_token": "expired"})
    assert response.status_code == 200
    assert EXPIRED_MESSAGE in response.page
    assert 'checked id="email_mention"' in response.page  # the tick is kept to send again
    assert email_kinds(ana) == set()


def test_the_notifications_page_gives_each_id_once(client):
    # Each notification has its own forms, whose hidden CSRF inputs all carried
    # id="csrf_token": an id must name one element of a page, for assistive technology
    # and for links to it.
    make_user("ana")
    ben = make_user("ben")
    for text in ("one @ana", "two @ana"):
        make_post(ben, make_thread(), text)
    client.login("ana")
    page = client.get("/notifications").text
    assert page.count('name="csrf_token"') >= 5  # mark all, and open and mark each
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert [name for name, seen in Counter(ids).items() if seen > 1] == []
    # Nor is a form put in a paragraph, which the browser would end where the form starts.
    assert not re.search(r"<p[ >](?:(?!</p>).)*?<form[ >]", page, re.S)


def test_a_page_of_notifications_past_the_last_says_how_many_there_are_not_nothing_yet(client):
    make_user("ana")
    ben = make_user("ben")
    make_post(ben, make_thread("Highs"), "@ana hello")
    client.login("ana")
    page = client.get("/notifications?page=3").page
    assert "Nothing yet" not in page
    assert "There is only 1 page:" in page
    assert '<a href="/notifications?page=1">go to the last</a>' in client.get("/notifications?page=3").text


def test_marking_one_read_on_a_later_page_stays_on_that_page(client):
    from forum.posts.notification_views import NOTIFICATIONS_PER_PAGE

    ana = make_user("ana")
    for number in range(NOTIFICATIONS_PER_PAGE + 3):
        notify(ana, "mention", f"Someone mentioned you, number {number}", "/")
    db.session.commit()
    client.login("ana")
    page = client.get("/notifications?page=2").page
    oldest = db.session.scalar(select(Notification).order_by(Notification.id))
    assert "number 0" in page
    assert '<input type="hidden" name="page" value="2">' in client.get("/notifications?page=2").text
    response = client.submit(f"/notifications/{oldest.id}/read", {"page": "2"})
    # At the notification marked: on a phone, the top of the page was a long scroll from it.
    assert response.location.endswith(f"/notifications?page=2#notification-{oldest.id}")
    assert f'id="notification-{oldest.id}"' in client.get("/notifications?page=2").text
    assert db.session.get(Notification, oldest.id).read_at is not None


def _mark_read_fields(page: str, notification_id: int) -> dict:
    """The hidden fields of the "Mark read" form of one notification, as its page sends them."""
    form = next(part for part in page.split("</form>") if f'id="mark-read-{notification_id}"' in part)
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))


def _three_mentions(user) -> None:
    """Three unread notices for `user`, a minute apart."""
    for minutes_ago in (3, 2, 1):
        notify(user, "mention", f"Mentioned {minutes_ago} min ago", "/").created_at = utcnow() - timedelta(
            minutes=minutes_ago)
    db.session.commit()


def _newest_first() -> list[Notification]:
    return db.session.scalars(select(Notification).order_by(Notification.created_at.desc())).all()


def test_marking_the_top_notification_read_keeps_the_page_where_the_reader_was(client):
    _three_mentions(make_user("ana"))
    newest, below, _ = _newest_first()
    client.login("ana")
    fields = _mark_read_fields(client.get("/notifications").text, newest.id)
    response = client.post(f"/notifications/{newest.id}/read", data=fields)
    # Unread come first, so the one marked read moves below them all: at it, a phone showed the
    # foot of the list, a long scroll from the next one to read. The one below takes its place.
    assert response.location.endswith(f"/notifications#notification-{below.id}")
    page = client.get("/notifications").page
    assert page.index("Mentioned 2 min") < page.index("Mentioned 3 min") < page.index("Mentioned 1 min")


def test_marking_the_last_notification_on_a_page_read_keeps_the_page_where_the_reader_was(client):
    _three_mentions(make_user("ana"))
    _, above, last = _newest_first()
    client.login("ana")
    fields = _mark_read_fields(client.get("/notifications").text, last.id)
    response = client.post(f"/notifications/{last.id}/read", data=fields)
    # It has none below to take its place; with more pages it moves off this one, and the page
    # came back at the top. The one above it stays where it was.
    assert response.location.endswith(f"/notifications#notification-{above.id}")


def test_a_notification_email_links_to_where_such_emails_are_stopped(client, mailbox):
    # "In your settings" alone left the reader hunting for the page among the settings.
    make_user("ana")
    ben = make_user("ben")
    client.login("ana")
    client.submit("/settings/notifications", {"email_mention": "y"})
    make_post(ben, make_thread("Mentor ideas"), "what do you think, @ana?")
    (body,) = mailbox.bodies_to("ana@example.org")
    links = [urlsplit(url).path for url in re.findall(r"http://\S+", body)]
    assert "/settings/notifications" in links
    page = client.get("/settings/notifications").page
    assert "Someone @mentions or quotes you" in page


def test_the_email_choice_for_moderators_names_the_account_they_act_on_too(client, mailbox):
    # A suspension is sent under this choice: read as "something you wrote" only, someone
    # untouched by it would not expect (or could not find how to stop) a suspension email.
    ana = make_user("ana")
    client.login("ana")
    settings = client.get("/settings/notifications").page
    assert "A moderator acts on your account or on something you wrote" in settings
    client.submit("/settings/notifications", {"email_moderation": "y"})
    suspend(ana)
    (body,) = mailbox.bodies_to("ana@example.org")
    assert "Your account is suspended until" in body
    assert "“A moderator acts on your account or on something you wrote”" in body


def test_each_mark_read_button_says_which_notification_it_marks(client):
    # A screen reader's list of buttons read "Mark read, Mark read, ..." with nothing to tell
    # them apart; each now carries its notification (in words only a screen reader reads).
    make_user("ana")
    ben = make_user("ben")
    make_post(ben, make_thread("Highs"), "one @ana")
    make_post(ben, make_thread("Lows"), "two @ana")
    client.login("ana")
    page = client.get("/notifications").page
    texts = {id_: html.unescape(text) for id_, text in re.findall(r'<button[^>]* id="([^"]+)"[^>]*>([^<]*)</button>', page)}
    names = sorted(" ".join(texts[id_] for id_ in ids.split())
                   for ids in re.findall(r'aria-labelledby="([^"]+)"[^>]*>Mark read<', page))
    assert names == ["Mark read Ben mentioned you in “Highs”", "Mark read Ben mentioned you in “Lows”"]
    assert page.count("Ben mentioned you in “Highs”") == 1  # named by reference, not written twice


def _emailed_post_link(body: str) -> str:
    """The emailed link to what a notification tells of, as a path with its query."""
    url = urlsplit(re.search(r"See it here: (http://\S+)", body).group(1))
    return url.path + (f"?{url.query}" if url.query else "")


def test_following_a_notification_email_reads_the_notification(client, mailbox):
    # Read by email, the post was still "1 unread" in the header until it was found again
    # on the notifications page; pressing it there reads it, and so does the email's link.
    make_user("ana")
    ben = make_user("ben")
    client.login("ana")
    client.submit("/settings/notifications", {"email_mention": "y"})
    post = make_post(ben, make_thread("Mentor ideas"), "what do you think, @ana?")
    assert 'aria-label="1 unread"' in client.get("/").page
    (body,) = mailbox.bodies_to("ana@example.org")
    response = client.get(_emailed_post_link(body), follow_redirects=True)
    assert f'id="post-{post.id}"' in response.page
    assert "unread" not in response.page.split("</header>")[0]
    assert db.session.scalar(select(Notification)).read_at is not None
    assert "notification=" not in response.request.full_path  # the address left is the page's own


def test_an_emailed_link_opened_signed_out_reads_the_notification_once_signed_in(client, mailbox):
    make_user("ana")
    ben = make_user("ben")
    client.login("ana")
    client.submit("/settings/notifications", {"email_mention": "y"})
    client.logout()
    post = make_post(ben, make_thread("Adults only", audience="adult"), "what do you think, @ana?")
    (body,) = mailbox.bodies_to("ana@example.org")
    response = client.get(_emailed_post_link(body))
    sign_in = re.search(r'<a href="(/login\?next=[^"]+)">Sign in</a>', response.get_data(as_text=True))
    response = client.submit(html.unescape(sign_in.group(1)), {"login": "ana", "password": PASSWORD}, follow_redirects=True)
    assert f'id="post-{post.id}"' in response.page
    assert "unread" not in response.page.split("</header>")[0]


def test_an_emailed_link_to_a_thread_anyone_reads_opened_signed_out_reads_it_once_signed_in(client, mailbox):
    # Readable signed out, the post's page dropped the notification from its address on
    # the way there, so signing in from it left "1 unread" for the post just read.
    make_user("ana")
    ben = make_user("ben")
    client.login("ana")
    client.submit("/settings/notifications", {"email_mention": "y"})
    client.logout()
    post = make_post(ben, make_thread("Mentor ideas"), "what do you think, @ana?")
    (body,) = mailbox.bodies_to("ana@example.org")
    response = client.get(_emailed_post_link(body), follow_redirects=True)
    assert f'id="post-{post.id}"' in response.page
    sign_in = re.search(r'<a href="(/login\?next=[^"]+)">Sign in</a>', response.get_data(as_text=True))
    response = client.submit(html.unescape(sign_in.group(1)), {"login": "ana", "password": PASSWORD}, follow_redirects=True)
    assert f'id="post-{post.id}"' in response.page
    assert "unread" not in response.page.split("</header>")[0]
    assert db.session.scalar(select(Notification)).read_at is not None


def test_someone_elses_emailed_link_reads_nothing_of_theirs_and_still_opens_the_page(client, mailbox):
    make_user("ana")
    ben = make_user("ben")
    make_user("cleo")
    client.login("ana")
    client.submit("/settings/notifications", {"email_mention": "y"})
    client.logout()
    post = make_post(ben, make_thread("Mentor ideas"), "what do you think, @ana?")
    (body,) = mailbox.bodies_to("ana@example.org")
    client.login("cleo")  # Ana forwarded the email
    response = client.get(_emailed_post_link(body), follow_redirects=True)
    assert f'id="post-{post.id}"' in response.page
    assert db.session.scalar(select(Notification)).read_at is None


def test_the_email_choices_are_one_named_group_so_each_box_is_read_as_an_email_choice(client):
    """Tabbing through the boxes, a screen reader read "Someone replies to your post,
    checkbox" with nothing saying the box is about email: the group's name says it."""
    make_user("ana")
    client.login("ana")

    page = client.get("/settings/notifications").page

    group = re.search(r"<fieldset[^>]*>\s*<legend>([^<]+)</legend>(.*?)</fieldset>", page, re.S)
    assert group and group.group(1).strip() == "Also email me when"
    assert 'name="email_reply"' in group.group(2) and 'name="email_mention"' in group.group(2)


@pytest.mark.parametrize("choices, said", [
    ({"email_mention": "y", "email_reply": "y", "delivery": "each"},
     "Saved: an email each time for the 2 kinds you ticked."),
    ({"email_mention": "y", "delivery": "daily"},
     "Saved: one email a day for the 1 kind you ticked."),
    # A daily email of nothing is no email: not "saved", leaving them to wonder when it comes.
    ({"delivery": "daily"},
     "Saved: no emails. Your notifications still show in the forum."),
])
def test_saving_the_email_choices_says_what_now_comes(client, choices, said):
    make_user("ana")
    client.login("ana")
    page = client.submit("/settings/notifications", choices, follow_redirects=True).page
    assert said in page


def test_saving_a_daily_email_names_what_still_comes_at_once(client):
    make_moderator("moss")
    client.login("moss")
    page = client.submit("/settings/notifications", {"email_urgent_flag": "y", "email_reply": "y", "delivery": "daily"},
                         follow_redirects=True).page
    assert ("Saved: one email a day for the 1 kind you ticked, and an email at once for "
            "“A flag says someone may be in danger") in page


ARABIC_TITLE = " ".join(["مساء الخير"] * 18)  # 197 characters, in an isolate wherever it is named


def balanced(text: str) -> bool:
    return text.count("\u2068") == text.count("\u2069")


def test_a_long_right_to_left_subject_is_cut_with_its_isolate_closed(client, mailbox):
    make_user("ana")
    ben = make_user("ben")
    client.login("ana")
    client.submit("/settings/notifications", {"email_mention": "y"})
    make_post(ben, make_thread(ARABIC_TITLE), "what do you think, @ana?")
    (mail,) = [m for m in mailbox.messages if m["To"] == "ana@example.org"]
    subject = str(make_header(decode_header(mail["Subject"])))
    assert subject.startswith("Ben mentioned you in “\u2068مساء الخير") and subject.endswith("\u2069…")
    assert balanced(subject)


def test_a_notice_cut_at_its_limit_leaves_no_name_open(client):
    moss = make_moderator("moss")
    call = make_call(moss, ARABIC_TITLE)
    nour = make_user("nour", display_name="نور " * 12)
    omar = make_user("omar", display_name="Omar, who listens on quiet evenings by the sea")
    kept, merged = post_idea(omar, call, "Evening check-ins."), post_idea(nour, call, "Check in every evening.")
    merge_idea(moss, merged, kept.id, "The same idea.")
    delete_own_post(omar, kept)
    notice = db.session.scalar(select(Notification).where(Notification.kind == "idea_removed"))
    assert len(notice.message) <= 300 and balanced(notice.message)
    assert notice.message.endswith("…")  # cut, and says so
    client.login("moss")
    shown = client.get("/notifications").page
    assert notice.message in shown


MENTORSHIP = "Mentorship requests, answers and conversation messages"
REVIEWS_OF_MENTORING = "Reviews of your mentoring"
REPLIES_TO_REVIEWS = "Replies to your reviews of your mentors"
SHORTLIST = "an idea you put on the shortlist"


@pytest.mark.parametrize("role, age_group, offered, not_offered", [
    ("member", "adult", [], [MENTORSHIP, REVIEWS_OF_MENTORING, REPLIES_TO_REVIEWS, SHORTLIST]),
    ("listener", "teen", [MENTORSHIP, REPLIES_TO_REVIEWS], [REVIEWS_OF_MENTORING, SHORTLIST]),
    (("listener", "mentor"), "adult", [MENTORSHIP, "Reviews of your mentoring, and replies to your reviews"],
     [REPLIES_TO_REVIEWS, SHORTLIST]),
    ("moderator", "adult", [SHORTLIST], [MENTORSHIP, REVIEWS_OF_MENTORING, REPLIES_TO_REVIEWS]),
])
def test_the_email_settings_offer_only_the_kinds_a_person_can_be_sent(client, role, age_group, offered, not_offered):
    # Everyone was offered every kind: a member who is no mentor ticked "Reviews of your mentoring".
    make_user("ana", role=role, age_group=age_group)
    client.login("ana")
    page = html.unescape(client.get("/settings/notifications").page)
    assert "Someone replies to your post" in page
    for label in offered:
        assert label in page
    for label in not_offered:
        assert label not in page


def test_a_kind_not_offered_and_sent_anyway_is_left_out(client):
    make_user("ana")
    client.login("ana")
    response = client.submit("/settings/notifications",
                             {"email_reply": "y", "email_mentor_review": "y", "email_idea_removed": "y"},
                             follow_redirects=True)
    assert "Saved: an email each time for the 1 kind you ticked." in response.page
    ana = db.session.scalar(select(User).where(User.username == "ana"))
    assert email_kinds(ana) == {"reply"}


def test_choices_of_a_kind_no_longer_offered_stay_when_the_settings_are_saved(client):
    """Someone whose role is taken away keeps what they chose for its kinds: given back the
    role, they find their choice as they left it."""
    ana = make_user("ana", role="moderator")
    client.login("ana")
    client.submit("/settings/notifications", {"email_reply": "y", "email_idea_removed": "y"})
    set_roles(ana, ["member"])
    assert SHORTLIST not in html.unescape(client.get("/settings/notifications").page)
    client.submit("/settings/notifications", {"email_mention": "y"})
    assert email_kinds(ana) == {"mention", "idea_removed"}
    set_roles(ana, ["member", "moderator"])
    assert 'checked id="email_idea_removed"' in client.get("/settings/notifications").page
