"""Suspensions: read but not write, told why and until when, signed out elsewhere."""
import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from forum.accounts.closing import close_account
from forum.accounts.permissions import not_suspended_at, suspension_refusal
from forum.accounts.staff import grant_role
from forum.clock import utcnow
from forum.errors import Forbidden
from forum.extensions import db
from forum.models.accounts import User
from forum.models.moderation import AuditEntry, Flag, Suspension
from forum.models.posts import Notification, Post, Reaction
from forum.moderation.services import lift_suspension
from tests.factories import PASSWORD, make_post, make_thread, make_user
from tests.safety.factories import make_flag, make_moderator, suspend


@pytest.fixture
def people(app):
    return make_user("ana"), make_user("ben"), make_moderator()


def test_a_moderator_suspends_with_a_period_and_a_reason_and_it_is_logged(client, people):
    ana, _, moss = people
    client.login("moss")
    page = client.get("/mod/users/ana").page
    assert "Not suspended." in page
    response = client.submit("/mod/users/ana/suspend", {"days": "7", "reason": "Repeated insults"})
    assert response.status_code == 302
    stored = db.session.scalar(select(Suspension))
    assert (stored.user_id, stored.by_id, stored.reason) == (ana.id, moss.id, "Repeated insults")
    assert stored.ends_at - stored.starts_at == timedelta(days=7)
    assert db.session.get(User, ana.id).suspended_until == stored.ends_at
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.target_type, entry.target_id, entry.reason) == ("suspend", "user", ana.id, "Repeated insults")
    assert "7 days" in entry.details


def test_a_suspension_sent_twice_suspends_and_tells_the_person_once(client, people):
    # A double-click on "Suspend": two suspensions, two audit entries, and the person told twice.
    ana, _, _ = people
    client.login("moss")
    token = client.csrf_token()
    sent = {"days": "7", "reason": "Repeated insults", "csrf_token": token}
    first = client.post("/mod/users/ana/suspend", data=sent)
    again = client.post("/mod/users/ana/suspend", data=sent)
    assert first.status_code == again.status_code == 302
    assert db.session.scalar(select(func.count(Suspension.id))) == 1
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "suspend")) == 1
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == ana.id)) == 1
    # A second suspension with other words is the moderator's decision, and stands.
    assert client.submit("/mod/users/ana/suspend", {"days": "7", "reason": "And again today"}).status_code == 302
    assert db.session.scalar(select(func.count(Suspension.id))) == 2


def test_a_suspension_without_a_reason_is_refused_and_the_form_kept(client, people):
    client.login("moss")
    response = client.submit("/mod/users/ana/suspend", {"days": "3", "reason": ""})
    assert response.status_code == 422 and "Say why" in response.page
    assert db.session.scalar(select(func.count(Suspension.id))) == 0


@pytest.mark.parametrize("days", ["", "a week", "2", "-1"])
def test_a_length_not_in_the_list_is_refused_in_plain_words(client, people, days):
    client.login("moss")
    response = client.submit("/mod/users/ana/suspend", {"days": days, "reason": "Insults"})
    assert response.status_code == 422
    assert "Choose one of the options in the list." in response.page
    assert "coerce" not in response.page
    assert db.session.scalar(select(func.count(Suspension.id))) == 0


def test_a_suspended_person_reads_but_cannot_post_reply_react_or_edit(client, people):
    ana, ben, _ = people
    thread = make_thread("Highs and lows")
    theirs = make_post(ben, thread, "Ben's post")
    mine = make_post(ana, thread, "Ana's post")
    suspend(ana)
    client.login("ana")
    page = client.get(f"/threads/{thread.id}").page
    assert "Ben's post" in page  # reading still works
    assert "suspended until" in page and "Cooling off after a heated thread." in page  # the banner says why
    assert "reaction-form" not in page and f"/posts/{theirs.id}/reply" not in page
    before = db.session.scalar(select(func.count(Post.id)))
    response = client.submit(f"/threads/{thread.id}/posts", {"body": "Still here"})
    assert response.status_code == 422 and "suspended until" in response.page and "Still here" in response.page
    client.submit(f"/posts/{theirs.id}/replies", {"body": "A reply"})
    assert client.submit(f"/posts/{theirs.id}/react", {"kind": "hug"}).status_code == 403
    assert client.get(f"/posts/{mine.id}/edit").status_code == 403
    assert db.session.scalar(select(func.count(Post.id))) == before
    assert db.session.scalar(select(func.count(Reaction.id))) == 0


def test_suspension_ends_every_session_of_the_person(make_app, people):
    app = make_app()
    phone, laptop = app.test_client(), app.test_client()
    phone.login("ana")
    laptop.login("ana", remember="y")
    with app.app_context():
        ana = db.session.scalar(select(User).where(User.username == "ana"))
        suspend(ana, by=db.session.scalar(select(User).where(User.username == "moss")))
    for client in (phone, laptop):
        assert client.get("/settings/account").location.startswith("/login")
    phone.login("ana")  # they can sign in again, to read and to see why
    assert "suspended until" in phone.get("/").page


def test_the_suspension_runs_out_by_itself(app, people):
    ana = people[0]
    suspend(ana, days=1)
    now = utcnow()
    assert suspension_refusal(ana, now) is not None
    assert suspension_refusal(ana, now + timedelta(days=1, seconds=1)) is None


def test_lifting_a_suspension_restores_posting_and_is_logged(client, people):
    ana, _, moss = people
    thread = make_thread()
    suspend(ana, by=moss)
    client.login("moss")
    client.submit("/mod/users/ana/lift")
    assert db.session.get(User, ana.id).suspended_until is None
    assert db.session.scalar(select(Suspension.lifted_by_id)) == moss.id
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "lift"
    client.logout()
    client.login("ana")
    assert client.submit(f"/threads/{thread.id}/posts", {"body": "Back"}).status_code == 302


def test_who_may_suspend_whom(app):
    member, other = make_user("ana"), make_user("ben")
    moss, mira = make_moderator(), make_moderator("mira")
    ada = make_user("ada", role="admin")
    with pytest.raises(Forbidden):
        suspend(member, by=other)  # members can't
    with pytest.raises(Forbidden):
        suspend(mira, by=moss)  # moderators can't suspend moderators
    with pytest.raises(Forbidden):
        suspend(ada, by=moss)  # nobody suspends an admin
    with pytest.raises(Forbidden):
        suspend(moss, by=moss)
    assert suspend(mira, by=ada).user_id == mira.id  # admins can suspend moderators


@pytest.mark.parametrize("viewer, colleague, words", [
    ("moss", "mira", ["You can't suspend this person: only an admin can suspend a moderator.",
                      "You can't clear this person's profile: only an admin can clear a moderator's.",
                      "You can't change this person's age group: only an admin can move a moderator."]),
    ("moss", "ada", ["You can't suspend this person: nobody suspends an admin.",
                     "You can't clear this person's profile: nobody clears an admin's profile.",
                     "You can't change this person's age group: only an admin can move an admin."]),
    ("ada", "bea", ["You can't suspend this person: nobody suspends an admin.",
                     "You can't clear this person's profile: nobody clears an admin's profile."]),
])
def test_a_colleagues_page_says_why_its_forms_are_not_offered(client, people, viewer, colleague, words):
    """Moss on Mira's or Ada's page read only "You can't suspend this person." and
    wondered whether something was wrong with the account."""
    make_moderator("mira")
    make_user("ada", role="admin")
    make_user("bea", role="admin")
    client.login(viewer)
    page = client.get(f"/mod/users/{colleague}").page
    for sentence in words:
        assert sentence in page
    if viewer == "ada":
        assert "Change age group</button>" in page  # admins move anyone, admins included


def test_other_parts_ask_the_same_predicate(app, people):
    ana = people[0]
    assert suspension_refusal(ana, utcnow()) is None
    suspend(ana, days=14)
    message = suspension_refusal(ana, utcnow())
    assert "suspended until" in message and "send requests or write reviews" in message
    assert suspension_refusal(None, utcnow()) is None


def test_a_suspended_person_cannot_flag_but_keeps_the_reason(client, people):
    ana, ben, _ = people
    post = make_post(ben, make_thread("Highs and lows"), "Ben's post")
    suspend(ana)
    client.login("ana")
    thread_page = client.get(f"/threads/{post.thread_id}").page
    assert f"/flag/post/{post.id}" not in thread_page
    # The Flag links are gone: the banner says so, and where to turn for someone who may be in danger.
    banner = " ".join(thread_page.split('class="notice suspension-banner"')[1].split("</div>")[0].split())
    assert "You can read, but not post, react, flag, send requests or write reviews until then." in banner
    assert 'If you are worried someone may be in danger, <a href="/help">Help now</a> says what to do.' in banner
    assert f"/flag/profile/{ben.id}" not in client.get("/users/ben").page
    response = client.submit(f"/flag/post/{post.id}", {"reason": "He is picking on me"})
    assert response.status_code == 403
    assert "suspended until" in response.page and "He is picking on me" in response.page
    assert "not post, react, flag, send requests" in response.page  # the refusal names what was refused
    assert db.session.scalar(select(func.count(Flag.id))) == 0


def test_a_suspended_moderator_made_an_admin_can_have_the_suspension_lifted(client, people):
    """Nobody suspends an admin, but Moss was suspended as a moderator and then made an
    admin: another admin can still end it early, from her page; she can't end her own."""
    _, _, moss = people
    ada = make_user("ada", role="admin")
    suspend(moss, by=ada)
    grant_role(moss, "admin", by=ada)
    client.login("moss")
    assert client.submit("/mod/users/moss/lift").status_code == 403
    assert db.session.get(User, moss.id).suspended_until is not None
    client.logout()

    client.login("ada")
    assert "Lift the suspension now" in client.get("/mod/users/moss").page
    response = client.submit("/mod/users/moss/lift", follow_redirects=True)
    assert "@moss can take part again." in response.page
    assert db.session.get(User, moss.id).suspended_until is None
    assert db.session.scalar(select(Suspension.lifted_by_id)) == ada.id


@pytest.mark.parametrize("target, lifter, may", [
    ("ana", "moss", True), ("ana", "ada", True),  # a member's: any moderator
    ("mira", "moss", False), ("mira", "ada", True),  # a moderator's: admins
    ("moss", "moss", False),  # never your own: suspended, she acts on nothing
])
def test_who_may_lift_whose_suspension(app, people, target, lifter, may):
    make_moderator("mira")
    ada = make_user("ada", role="admin")
    person = db.session.scalar(select(User).where(User.username == target))
    suspend(person, by=ada)
    by = db.session.scalar(select(User).where(User.username == lifter))
    if may:
        lift_suspension(by, person)
        assert db.session.get(User, person.id).suspended_until is None
    else:
        with pytest.raises(Forbidden):
            lift_suspension(by, person)
        assert db.session.get(User, person.id).suspended_until is not None


def test_the_banner_tells_a_suspended_moderator_her_role_waits_too(client, people):
    ana, ben, moss = people
    ada = make_user("ada", role="admin")
    suspend(moss, by=ada)
    client.login("moss")
    banner = " ".join(client.get("/").page.split("suspension-banner")[1].split("</div>")[0].split())
    assert "What your roles let you do waits too (moderating); you can still read their pages." in banner
    suspend(ana, by=ada)
    client.logout()
    client.login("ana")
    assert "Your account is suspended until" in client.get("/").page
    assert "What your roles let you do" not in client.get("/").page  # a member has no role to pause


@pytest.mark.parametrize("action", ["suspend", "hide"])
def test_a_suspended_moderator_is_told_what_she_cant_do_as_a_moderator(client, people, action):
    ana, ben, moss = people
    post = make_post(ben, make_thread("Highs and lows"), "Ben's post")
    suspend(moss, by=make_user("ada", role="admin"))
    client.login("moss")
    path, data = {"suspend": ("/mod/users/ana/suspend", {"days": "3", "reason": "Insults"}),
                  "hide": (f"/posts/{post.id}/hide", {"reason": "Unkind"})}[action]
    response = client.submit(path, data)
    assert response.status_code == 403
    assert "Your account is suspended until" in response.page
    assert "you can read the queue, the audit log and people's pages but not hide or restore" in response.page
    assert db.session.get(User, ana.id).suspended_until is None and db.session.get(Post, post.id).hidden_at is None


def test_a_suspended_person_s_display_name_and_bio_stay_as_they_are(client, people):
    """A display name and a bio are read by everyone, on every post and notification that
    names the person: while suspended they stay as they are, as a suspended mentor's
    profile does."""
    ana, _, moss = people
    suspend(ana, by=moss)
    client.login("ana")
    assert "not change your display name or bio" in client.get("/settings/profile").page
    response = client.submit("/settings/profile", {"display_name": "Ana the Loud", "bio": "Everyone here is a fool"})
    assert response.status_code == 403
    assert "Your account is suspended until" in response.page and "not change your display name or bio" in response.page
    assert "Ana the Loud" in response.page and "Everyone here is a fool" in response.page  # nothing typed is lost
    stored = db.session.get(User, ana.id)
    assert (stored.display_name, stored.bio_md) == ("Ana", "")
    client.logout()

    client.login("moss")
    client.submit("/mod/users/ana/lift")
    client.logout()
    client.login("ana")
    assert client.submit("/settings/profile", {"display_name": "Ana B", "bio": "Back, and calmer."}).status_code == 302
    assert db.session.get(User, ana.id).display_name == "Ana B"


def test_a_shorter_suspension_on_top_of_a_longer_one_says_when_it_really_ends(client, people):
    """Ana is suspended for 30 days, then for a day by another moderator: she stays suspended
    for the 30 days, and neither she nor the moderator is told she is back tomorrow."""
    ana, _, moss = people
    suspend(ana, by=make_moderator("mira"), days=30, reason="Repeated insults")
    until = db.session.get(User, ana.id).suspended_until
    longest = f"{until.day} {until:%b %Y, %H:%M} UTC"  # as read in UTC
    client.login("moss")
    response = client.submit("/mod/users/ana/suspend", {"days": "1", "reason": "Also spammed a link"}, follow_redirects=True)
    assert f"@ana is suspended until {longest} (an earlier, longer suspension was already in force)" in response.page
    assert db.session.get(User, ana.id).suspended_until == until
    client.logout()

    client.login("ana")
    newest = client.get("/notifications").page.split('<li class="notification')[1]
    assert (f"Your account is suspended until {longest}, as an earlier suspension runs until then. "
            "A moderator also suspended you for 1 day: Also spammed a link") in newest
    assert f"Your account is suspended until {longest}" in client.get("/").page


def test_suspending_from_the_queue_leads_back_to_the_queue_page_the_moderator_was_on(client):
    make_moderator("moss")
    thread = make_thread("Busy week")
    reporters = [make_user(f"reporter{n}") for n in range(3)]
    for n in range(21):  # a second page of flags
        make_flag(reporters[n % 3], make_post(make_user(f"writer{n}"), thread, f"Post number {n}."))
    client.login("moss")
    queue = client.get("/mod?page=2")
    person = re.search(r'<a class="button" href="([^"]+)">Suspend or review @(\w+)</a>', queue.text)
    page = client.get(unescape(person.group(1)))
    suspend = unescape(re.search(r'<form method="post" action="([^"]+/suspend[^"]*)"', page.text).group(1))
    response = client.submit(suspend, {"days": "3", "reason": "Insults"})
    assert response.status_code == 302
    after = client.get(response.headers["Location"])
    assert f"@{person.group(2)} is suspended until" in after.page
    # The way up is a breadcrumb landmark, its arrow not read out ("left arrow Moderation queue").
    up = '<nav aria-label="Breadcrumb"><p><a href="{}"><span aria-hidden="true">←</span> Moderation queue</a></p></nav>'
    assert up.format("/mod?page=2") in after.text
    # Only the queue is a place to go back to.
    elsewhere = client.get(f"/mod/users/{person.group(2)}?back=https://example.com/mod")
    assert up.format("/mod") in elsewhere.text


def test_a_closed_account_is_offered_no_suspension_or_move_and_refuses_both(client):
    nia = make_user("nia")
    make_moderator()
    close_account(nia, PASSWORD, remove_writing=False)
    client.login("moss")
    page = client.get(f"/mod/users/former-{nia.id}").page
    assert "This account is closed: there is nobody to suspend or move between groups." in page
    assert "Suspend</button>" not in page and "Change age group</button>" not in page
    tried = client.submit(f"/mod/users/former-{nia.id}/suspend", {"days": "7", "reason": "Spam"})
    assert tried.status_code == 403
    moved = client.submit(f"/mod/users/former-{nia.id}/age-group", {"age_group": "teen", "reason": "Said so"})
    assert moved.status_code == 403
    assert db.session.scalar(select(func.count(Suspension.id))) == 0
    assert db.session.get(User, nia.id).age_group == "adult"
    assert db.session.scalars(select(AuditEntry.action)).all() == ["close_account"]


def test_whom_lists_of_people_acting_now_leave_out_is_whom_a_suspension_refuses(app):
    # The lists (mentors taking mentees, admins and moderators told at once) and the check
    # before writing agree: a suspension ending at this very moment has ended.
    now = utcnow()
    ends = {"never": None, "ended": now - timedelta(minutes=1), "ends_now": now, "runs_on": now + timedelta(minutes=1)}
    people = {name: make_user(name) for name in ends}
    for name, until in ends.items():
        people[name].suspended_until = until
    db.session.commit()
    listed = set(db.session.scalars(select(User.username).where(
        User.id.in_([person.id for person in people.values()]), not_suspended_at(now))))
    refused_by_none = {name for name, person in people.items() if suspension_refusal(person, now) is None}
    assert listed == refused_by_none == {"never", "ended", "ends_now"}
