"""Closing an account: leaving for good, with a say in what happens to what one wrote.

The people: Nia, who leaves; Oren, who replied to her; Ada, an admin."""
import pytest
from sqlalchemy import select

from forum.accounts.closing import close_account
from forum.accounts.services import register_user, update_profile
from forum.accounts.staff import award_badge
from forum.errors import DomainError
from forum.extensions import db
from forum.ideas.services import set_status
from forum.models.accounts import User, UserBadge
from forum.models.moderation import AuditEntry, Block
from forum.models.posts import EmailPreference, Notification, Post, Thread
from tests.factories import PASSWORD, make_badge, make_post, make_thread, make_user, notifications_of
from tests.html_checks import error_beside
from tests.ideas.factories import make_call, make_moderator, post_idea
from tests.mentors.factories import (
    make_flagged_review, make_listener, make_mentor, make_mentorship, make_request, write_in_conversation,
)
from tests.safety.factories import make_block, suspend
from tests.search.pages import search

CLOSE = "/settings/close"
NIAS_WORDS = "Walking at dawn helps me more than any advice about sleep."


@pytest.fixture
def nia_wrote(app):
    """Nia's post, and Oren's reply to it, in a thread for everyone."""
    nia = make_user("nia", email="nia@example.org", display_name="Nia")
    oren = make_user("oren", display_name="Oren")
    thread = make_thread("What helps you sleep?", author=oren)
    post = make_post(nia, thread, NIAS_WORDS)
    make_post(oren, thread, "Dawn walks are underrated, thank you.", parent=post)
    return dict(nia=nia, oren=oren, thread=thread, post=post)


def close(client, writing: str = "keep", password: str = PASSWORD, understood: bool = True, **kwargs):
    data = {"writing": writing, "password": password}
    if understood:
        data["understood"] = "y"
    return client.submit(CLOSE, data, **kwargs)


def test_settings_lead_to_closing_and_the_page_says_what_happens_first(client, nia_wrote):
    client.login("nia")

    assert f'href="{CLOSE}"' in client.get("/settings/account").page
    page = client.get(CLOSE).page
    assert "Close your account" in page
    assert "Your username is retired: no one else can take it" in page
    assert "Reviews you wrote of mentors stay" in page
    assert 'name="writing"' in page and 'name="understood"' in page
    # Someone who needs a break is led to the pause, not to untick every email one by one.
    assert 'href="/settings/notifications#pause-heading">pause every email</a>' in page


def test_closing_and_keeping_the_posts_signs_them_former_member(app, client, nia_wrote, mailbox):
    mailbox.clear()
    phone = app.test_client()
    phone.login("nia", remember="y")
    client.login("nia")

    response = close(client, "keep", follow_redirects=True)

    assert "Your account is closed." in response.page
    assert client.get("/settings/account").status_code == 302  # signed out here
    assert phone.get("/settings/account").status_code == 302  # and on every other device
    thread_page = client.get(f"/threads/{nia_wrote['thread'].id}").page
    assert NIAS_WORDS in thread_page
    assert "Former member" in thread_page and ">Nia<" not in thread_page
    assert "Dawn walks are underrated" in thread_page
    left = db.session.get(User, nia_wrote["nia"].id)
    assert "This account was closed." in client.get(f"/users/{left.username}").page
    assert left.email != "nia@example.org" and left.roles == []
    assert [body for body in mailbox.bodies_to("nia@example.org") if "Your account @nia was closed" in body]
    # The old password signs no one in, by the old name or the new one.
    for login in ("nia", "nia@example.org", left.username):
        refused = client.submit("/login", {"login": login, "password": PASSWORD})
        assert refused.status_code == 200 and "That username or password is not right." in refused.page
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "close_account"))
    assert audit.target_label == "@nia" and audit.details == "their posts kept, signed Former member"


def test_the_name_is_retired_and_its_mentions_lead_to_the_closed_account(client, nia_wrote):
    mention = make_post(nia_wrote["oren"], nia_wrote["thread"], "Like @nia said, walking helps.")
    client.login("nia")
    close(client)
    left = db.session.get(User, nia_wrote["nia"].id)

    with pytest.raises(DomainError, match="That username is taken."):
        register_user(username="NIA", email="someone@example.org", password="another long sentence 7",
                      age_group="adult")
    assert client.submit("/register", {"username": "nia", "email": "someone@example.org",
                                       "password": "another long sentence 7", "age_group": "adult"},
                         ).page.count("That username is taken.") == 1
    # Her address is free: she, or anyone who holds it, may join again.
    register_user(username="nia_again", email="nia@example.org", password="another long sentence 7",
                  age_group="adult")
    assert 'href="/users/nia"' in client.get(f"/threads/{mention.thread_id}").page
    followed = client.get("/users/nia")
    assert followed.status_code == 200 and "This account was closed." in followed.page
    assert left.username not in followed.page  # the old name does not lead on to the new one


def test_closing_and_removing_the_posts_keeps_the_replies_of_others(client, nia_wrote):
    client.login("nia")

    close(client, "remove")

    thread_page = client.get(f"/threads/{nia_wrote['thread'].id}").page
    assert NIAS_WORDS not in thread_page
    assert "Dawn walks are underrated" in thread_page
    client.login("oren")
    assert search(client, "dawn advice sleep") == []
    assert db.session.scalar(select(AuditEntry.details).where(AuditEntry.action == "close_account")) == (
        "their posts removed")


@pytest.mark.parametrize("mistake, message", [
    (dict(password="not my password at all"), "That password is not right, so your account is still open."),
    (dict(understood=False), "Tick the box to say you understand that closing is for good."),
    (dict(writing=""), "Choose what happens to what you wrote."),
])
def test_a_mistake_closes_nothing_and_keeps_the_choices(client, nia_wrote, mistake, message):
    client.login("nia")
    choices = dict(writing="remove", password=PASSWORD, understood=True) | mistake

    response = close(client, **choices)

    assert response.status_code == 200
    assert message in response.page
    if choices["writing"]:
        assert '<input checked id="writing-1" name="writing" required type="radio" value="remove">' in response.page
    assert client.get("/settings/account").status_code == 200  # still signed in
    nia = db.session.get(User, nia_wrote["nia"].id)
    assert (nia.closed_at, nia.username) == (None, "nia")


def test_every_mistake_is_told_at_once_each_beside_its_field(client, nia_wrote):
    client.login("nia")

    response = close(client, writing="", password="not my password at all", understood=False)

    assert error_beside(response.page, "writing") == "Choose what happens to what you wrote."
    assert error_beside(response.page, "password") == "That password is not right, so your account is still open."
    assert error_beside(response.page, "understood") == (
        "Tick the box to say you understand that closing is for good.")
    assert db.session.get(User, nia_wrote["nia"].id).closed_at is None


def test_the_page_offers_a_copy_of_what_they_wrote_before_they_choose(client, nia_wrote):
    client.login("nia")

    page = client.get(CLOSE).page

    link = page.index('href="/settings/account#writing-heading">Download what I wrote</a>')
    assert link < page.index('name="writing"')


def test_the_only_admin_is_asked_to_hand_over_first(client):
    make_user("ada", role="admin", display_name="Ada")
    client.login("ada")

    # Told on opening the page, as a suspended member is: no form to fill in for nothing.
    page = client.get(CLOSE).page
    assert "You are the only admin here. Give the admin role to someone else first" in page
    assert page.index("You are the only admin here") < page.index("What closing does")  # on a phone's first screen
    assert 'name="password"' not in page
    # Nothing is below to choose from: the page says when the choice comes.
    assert "You choose below" not in page
    assert "When you close your account, you choose what happens to your posts" in page
    # Sent from a page opened while there was another admin: refused still, whatever the password.
    response = close(client, password="not my password at all")
    assert "You are the only admin here. Give the admin role to someone else first" in response.page
    assert "That password is not right" not in response.page
    make_user("bea", role="admin", display_name="Bea")
    assert 'name="password"' in client.get(CLOSE).page
    assert "Your account is closed." in close(client, follow_redirects=True).page


def test_closing_ends_mentorships_on_both_sides_and_the_mentor_profile(client):
    juniper, birch = make_mentor("juniper"), make_mentor("birch")
    rowan, sage = make_listener("rowan"), make_listener("sage")
    with_rowan = make_mentorship(rowan, juniper)
    from_sage = make_request(sage, juniper)
    to_birch = make_request(juniper.user, birch)
    client.login("juniper")

    close(client)

    for request in (with_rowan, from_sage, to_birch):
        db.session.refresh(request)
        assert request.status == "closed"
    assert "Your mentorship with Juniper ended because your mentor closed their account." in notifications_of(rowan)
    assert "Your request to Juniper ended because your mentor closed their account." in notifications_of(sage)
    assert "Juniper's request to you ended because they closed their account." in notifications_of(birch.user)
    client.login("rowan")
    assert "Juniper" not in client.get("/mentors").page
    assert client.get("/mentors/juniper").status_code == 404
    conversation = client.get(f"/mentors/conversations/{with_rowan.thread_id}").page
    assert "Your mentorship conversation with Former member" in conversation and "Juniper" not in conversation
    # The title search results show it by.
    assert db.session.get(Thread, with_rowan.thread_id).title == "Mentorship: Rowan and Former member"


def test_closing_needs_a_signed_in_person_and_a_token(client, nia_wrote):
    assert client.get(CLOSE).status_code == 302
    client.login("nia")

    response = client.post(CLOSE, data={"writing": "remove", "password": PASSWORD, "understood": "y"})

    assert "This page was open too long" in response.page
    assert '<input checked id="writing-1" name="writing" required type="radio" value="remove">' in response.page
    assert db.session.get(User, nia_wrote["nia"].id).closed_at is None


def test_a_closed_account_is_not_offered_to_mention(client, nia_wrote):
    client.login("nia")
    close(client)
    client.login("oren")

    for letters in ("for", "ni"):  # "Former member", and the name she had
        response = client.get("/mentions/suggest", query_string={"q": letters})
        assert response.get_json()["users"] == []


def test_removing_everything_tells_staff_of_a_shortlisted_idea_that_went(client):
    moss = make_moderator("moss")
    call = make_call(moss, "Ideas for the mentor page")
    idea = post_idea(make_user("ana", display_name="Ana"), call, "Mentor office hours every Sunday.")
    set_status(moss, idea, "shortlisted", "We'll start with this.")
    client.login("ana")

    close(client, "remove")

    client.login("moss")
    assert (f"Ana removed their idea #{idea.id} (“Mentor office hours every Sunday.”) from “Ideas for the "
            "mentor page”; you had marked it shortlisted.") in client.get("/notifications").page


def test_removing_everything_keeps_the_mentorship_conversation_for_the_other_person(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    write_in_conversation(rowan, mentorship, "I froze when a member talked about exams.")
    client.login("rowan")

    close(client, "remove")

    client.login("juniper")
    conversation = client.get(f"/mentors/conversations/{mentorship.thread_id}").page
    assert "I froze when a member talked about exams." in conversation
    assert "This message was removed." not in conversation


def test_the_audit_log_links_a_closed_account_by_its_new_name(client, nia_wrote):
    make_user("ada", role="admin", display_name="Ada")
    client.login("nia")
    close(client)

    client.login("ada")
    log = client.get("/mod/audit").page

    left = db.session.get(User, nia_wrote["nia"].id)
    assert f'<a href="/mod/users/{left.username}">@nia</a>' in log
    assert 'href="/mod/users/nia"' not in log


def test_a_flagged_review_of_a_mentor_who_left_stays_in_the_queue(client):
    flagged = make_flagged_review(client)
    client.logout()  # making it leaves Moss signed in
    client.login("juniper")
    close(client)

    client.login("moss")
    page = client.get("/mod").page
    assert "She told everyone about Sam&#39;s chat." in page or "She told everyone about Sam's chat." in page
    assert f"/mentors/reviews/{flagged.id}/hide" in page


def test_the_audit_log_finds_what_a_closed_account_did_by_its_old_name(client):
    make_user("ada", role="admin", display_name="Ada")
    moss = make_moderator("moss")
    set_status(moss, post_idea(make_user("ana"), make_call(moss), "An idea."), "shortlisted")
    client.login("moss")
    close(client)

    client.login("ada")
    log = client.get("/mod/audit", query_string={"actor": "moss"}).page

    assert "Closed their account" in log and "shortlisted" in log.lower()


def test_closing_takes_away_what_was_theirs(client, nia_wrote):
    nia, oren = nia_wrote["nia"], nia_wrote["oren"]
    update_profile(nia, display_name="Nia", bio_md="I walk at dawn in **Leeds**.")
    award_badge(nia, make_badge("calm", "Calm"))
    make_block(nia, oren)
    make_post(oren, nia_wrote["thread"], "@nia what time do you set off?")  # a notification for her
    db.session.add(EmailPreference(user_id=nia.id, kind="mention"))
    db.session.commit()
    client.login("nia")

    close(client)

    for table in (Notification, EmailPreference, UserBadge):
        assert db.session.scalars(select(table).where(table.user_id == nia.id)).all() == []
    assert db.session.scalars(select(Block).where(Block.blocker_id == nia.id)).all() == []
    left = db.session.get(User, nia.id)
    assert (left.bio_md, left.bio_html, left.display_name) == ("", "", "Former member")
    assert "Leeds" not in client.get("/users/nia").page


def test_a_suspended_person_closes_once_the_suspension_ends(client, nia_wrote):
    suspend(nia_wrote["nia"], days=3)
    client.login("nia")

    # Told before typing a password and ticking the box, not after.
    page = client.get(CLOSE).page
    assert "You can close it once the suspension ends." in page and "Close my account</button>" not in page
    assert page.index("You can close it once the suspension ends.") < page.index("What closing does")
    assert "You choose below" not in page
    assert "When you close your account, you choose what happens to your posts" in page
    response = close(client)

    assert "You can close it once the suspension ends." in response.page
    assert db.session.get(User, nia_wrote["nia"].id).closed_at is None


def test_nobody_may_call_themselves_former_member(client, nia_wrote):
    client.login("oren")

    response = client.submit("/settings/profile", {"display_name": "former  MEMBER", "bio": ""})

    assert "is how the forum signs what people who left wrote" in response.page
    assert db.session.get(User, nia_wrote["oren"].id).display_name == "Oren"


def test_a_second_press_after_the_account_closed_changes_nothing(app, nia_wrote, mailbox):
    """A second press (another tab, a double-click) reaching the service after the first closed it."""
    mailbox.clear()
    first_press, second_press = db.session.get(User, nia_wrote["nia"].id), nia_wrote["nia"]
    with app.test_request_context():
        close_account(first_press, PASSWORD, remove_writing=False)
        close_account(second_press, PASSWORD, remove_writing=True)

    assert len([body for body in mailbox.bodies_to("nia@example.org") if "was closed" in body]) == 1
    assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "close_account")).all()) == 1
    assert db.session.get(Post, nia_wrote["post"].id).deleted_at is None  # the first press's choice holds
