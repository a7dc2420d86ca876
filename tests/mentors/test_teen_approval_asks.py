"""An adult mentor asks to be approved to mentor teens; admins are told and see who waits.

The people: Ada and Bea, admins; Juniper, an adult mentor of adults; Quill, an admin who
mentors; Sunny, a teen listener; Rowan, an adult listener; Indigo, a teen mentor.
"""
import re
from datetime import timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from forum.accounts.staff import grant_role
from forum.extensions import db
from forum.models.accounts import User
from forum.models.mentors import MentorProfile
from forum.models.moderation import AuditEntry
from forum.models.posts import EmailPreference, Notification
from tests.factories import make_user, notifications_of
from tests.html_checks import box_value, error_summary
from tests.mentors.factories import make_listener, make_mentor
from tests.safety.factories import change_age_group, make_block, make_moderator, suspend

ASK = "/mentors/me/teens/ask"
WITHDRAW_ASK = "/mentors/me/teens/withdraw"
SETTINGS_PAGE = "/mentors/me/edit"
WAITING = "/admin/users?view=teens-waiting"
BY_NOBODY = "/admin/users?view=teens-by-nobody"
TOLD = "Juniper (@juniper) asks to be approved to mentor teen listeners."


@pytest.fixture
def people(app):
    ada = make_user("ada", role="admin", display_name="Ada")
    bea = make_user("bea", role="admin", display_name="Bea")
    juniper = make_mentor("juniper", headline="Patient with night owls")
    return dict(ada=ada, bea=bea, juniper=juniper)


def ask(client, username: str = "juniper", note: str = "I volunteer at a youth helpline.", **kwargs):
    client.login(username)
    response = client.submit(ASK, {"note": note}, **kwargs)
    client.logout()
    return response


def words(page: str) -> str:
    """The page's text as read: its tags taken out, its spaces made single."""
    return " ".join(re.sub(r"<[^>]+>", "", page).split())


def profile_of(profile: MentorProfile) -> MentorProfile:
    db.session.refresh(profile)
    return profile


def admin_notices(user) -> list[Notification]:
    """The notices about asks `user` can see: listed (count > 0), read or not."""
    return list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == "teens_asked", Notification.count > 0)))


def waiting_names(client) -> list[str]:
    """The usernames in the admins' list of those waiting, in its order."""
    client.login("ada")
    page = client.get(WAITING).page
    client.logout()
    listed = page.split('id="people-list"', 1)[1]
    return re.findall(r'href="/admin/users/([\w.-]+)"', listed)


def test_a_mentor_asks_with_a_note_and_reads_since_when_it_waits(client, people):
    client.login("juniper")
    form = client.get(SETTINGS_PAGE).page
    assert "Ask an admin to approve me</button>" in form

    page = words(client.submit(ASK, {"note": "I volunteer at a youth helpline."},
                               follow_redirects=True).page)

    juniper = profile_of(people["juniper"])
    assert juniper.teens_asked_at is not None and juniper.teens_ask_note == "I volunteer at a youth helpline."
    since = juniper.teens_asked_at
    assert "Your request is sent: the admins were told." in page
    assert f"Waiting for an admin since {since.day} {since:%b %Y, %H:%M} UTC." in page
    assert "Your note: “I volunteer at a youth helpline.”" in page
    assert "Ask an admin to approve me" not in page
    assert "Withdraw my request" in page


def test_asking_twice_says_it_waits_already_with_when_and_tells_no_admin_again(client, people):
    db.session.execute(update(User).where(User.username == "juniper").values(time_zone="Australia/Sydney"))
    db.session.commit()  # told on her own clock
    ask(client)
    first = profile_of(people["juniper"]).teens_asked_at
    again = words(ask(client, note="Please, it has been a while.", follow_redirects=True).page)

    juniper = profile_of(people["juniper"])
    sydney = first.replace(tzinfo=timezone.utc).astimezone(ZoneInfo("Australia/Sydney"))
    assert f"You asked already, on {sydney.day} {sydney:%b %Y, %H:%M}; it waits for an admin." in again
    assert f"Waiting for an admin since {sydney.day} {sydney:%b %Y, %H:%M}." in again
    assert (juniper.teens_asked_at, juniper.teens_ask_note) == (first, "I volunteer at a youth helpline.")
    assert [len(admin_notices(people[name])) for name in ("ada", "bea")] == [1, 1]


def test_every_acting_admin_is_told_once_and_the_asker_is_not(client, people):
    quill = make_user("quill", role=("admin", "listener", "mentor"), display_name="Quill")
    cora = make_user("cora", role="moderator", display_name="Cora")
    suspend(cora, by=people["ada"])  # a suspended moderator made an admin approves nothing until it ends
    grant_role(cora, "admin")
    make_moderator()  # moderators do not approve

    ask(client)
    ask(client, "quill", note="")

    ada_told = admin_notices(people["ada"])
    assert sorted(notice.message for notice in ada_told) == sorted(
        [TOLD, "Quill (@quill) asks to be approved to mentor teen listeners."])
    assert {notice.link for notice in ada_told} == {"/admin/users/juniper", "/admin/users/quill"}
    assert [notice.message for notice in admin_notices(quill)] == [TOLD]  # not of their own ask
    assert admin_notices(cora) == []
    assert admin_notices(db.session.scalar(select(User).where(User.username == "moss"))) == []
    assert not any("asks to be approved" in message for message in notifications_of(people["juniper"].user))
    client.login("ada")
    assert TOLD in client.get("/notifications").page


def test_an_admin_who_blocked_the_mentor_is_not_emailed_what_their_list_leaves_out(client, people, mailbox):
    for admin in ("ada", "bea"):
        db.session.add(EmailPreference(user_id=people[admin].id, kind="teens_asked"))
    db.session.commit()
    make_block(people["bea"], people["juniper"].user)

    ask(client)

    assert len(mailbox.bodies_to("ada@example.org")) == 1
    client.login("bea")
    assert TOLD not in client.get("/notifications").page  # blocking promises not to hear from them
    assert mailbox.bodies_to("bea@example.org") == []  # so no email names them either


def test_admins_see_who_waits_oldest_first_with_their_note_and_how_many(client, people):
    make_mentor("fern")
    ask(client, "fern", note="Ten years as a school counsellor.")
    ask(client)
    fern = db.session.scalar(select(MentorProfile).join(MentorProfile.user).where(User.username == "fern"))
    fern.teens_asked_at -= timedelta(days=2)  # Fern asked first
    db.session.commit()

    client.login("ada")
    people_page = client.get("/admin/users").page
    assert "Waiting for approval to mentor teens (2)" in people_page
    page = client.get(WAITING).page
    client.logout()
    assert "Ten years as a school counsellor." in page and "I volunteer at a youth helpline." in page
    assert waiting_names(client) == ["fern", "juniper"]


def test_the_notes_line_breaks_are_kept_wherever_it_is_shown_as_typed(client, people):
    typed = "Ten years as a school counsellor.\r\n\r\n\r\n\r\n- <b>evenings</b> only\r\n- *weekends* too  "
    ask(client, note=typed)
    kept = "Ten years as a school counsellor.\n\n- &lt;b&gt;evenings&lt;/b&gt; only\n- *weekends* too"
    assert profile_of(people["juniper"]).teens_ask_note == \
        "Ten years as a school counsellor.\n\n- <b>evenings</b> only\n- *weekends* too"
    shown_as_typed = f'<span class="kept-lines">{kept}</span>'
    client.login("ada")
    assert shown_as_typed in client.get(WAITING).get_data(as_text=True)
    assert f"{shown_as_typed}”." in client.get("/admin/users/juniper").get_data(as_text=True)  # a stop of its own
    client.logout()
    client.login("juniper")
    assert shown_as_typed in client.get(SETTINGS_PAGE).get_data(as_text=True)
    assert "on one line" not in client.get(SETTINGS_PAGE).page
    css = (Path(client.application.static_folder) / "css" / "forum.css").read_text(encoding="utf-8")
    assert re.search(r"\.kept-lines \{[^}]*white-space: pre-line", css)


def test_who_lost_the_mentor_role_or_became_a_teen_leaves_the_list(client, people):
    make_mentor("fern")
    ask(client)
    ask(client, "fern")
    assert sorted(waiting_names(client)) == ["fern", "juniper"]

    client.login("ada")
    asked = client.submit("/admin/users/juniper/roles", {"roles": ["member", "listener"]})
    assert "withdraws their pending request to mentor teens" in asked.page  # asked first, then saved
    client.submit("/admin/users/juniper/roles", {"roles": ["member", "listener"],
                                                 "ending": box_value(asked.page, "roles_ending")})
    client.logout()
    make_moderator()
    client.login("moss")
    asked = client.submit("/mod/users/fern/age-group", {"age_group": "teen", "reason": "Is 16"})
    assert "withdraws their pending request to mentor teens" in asked.page  # here too
    change_age_group(client, "fern", "teen", "Is 16")
    client.logout()

    assert waiting_names(client) == []
    assert admin_notices(people["ada"]) == []  # their unread notices went with the request


def test_approving_clears_the_request_and_the_mentor_is_told(client, people):
    ask(client)
    client.login("ada")
    person_page = words(client.get("/admin/users/juniper").page)
    assert "Juniper asked to be approved on" in person_page
    assert "“I volunteer at a youth helpline.” Everyone waiting" in person_page  # not "helpline.”."
    client.submit("/admin/users/juniper/teen-mentoring", {"approve": "1", "reason": "Vetted in a call"})
    client.logout()

    assert waiting_names(client) == []
    juniper = profile_of(people["juniper"])
    assert (juniper.teens_asked_at, juniper.teens_ask_note) == (None, "")
    assert any("An admin approved you to mentor teen listeners" in m for m in notifications_of(juniper.user))
    assert admin_notices(people["bea"]) == []  # Bea's unread notice is emptied: nothing waits
    client.login("juniper")
    assert "Waiting for an admin since" not in client.get(SETTINGS_PAGE).page


def test_an_admin_declines_with_a_reason_the_mentor_reads_and_may_ask_again(client, people):
    # Before, a request an admin would not approve waited on the admins' list for ever.
    ask(client)
    client.login("ada")
    assert "Decline the request</button>" in client.get("/admin/users/juniper").page
    refused = client.submit("/admin/users/juniper/teen-mentoring/decline", {"reason": "  "})
    assert refused.status_code == 422 and "Say why: Juniper reads it, and it goes in the audit log." in refused.page
    assert profile_of(people["juniper"]).teens_asked_at is not None

    page = words(client.submit("/admin/users/juniper/teen-mentoring/decline",
                               {"reason": "We need a reference first"}, follow_redirects=True).page)
    client.logout()

    assert "juniper's request to mentor teens is declined; they were told why." in page
    assert "Decline the request" not in page and "asked to be approved on" not in page
    assert waiting_names(client) == []
    assert profile_of(people["juniper"]).teens_asked_at is None
    assert admin_notices(people["bea"]) == []  # nothing waits for Bea any more
    assert ("An admin declined your request to mentor teen listeners; you can ask again in your mentor settings. "
            "Why: We need a reference first") in notifications_of(people["juniper"].user)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "teens_decline"))
    assert (entry.actor_id, entry.subject_id, entry.reason) == (people["ada"].id, people["juniper"].user_id,
                                                                "We need a reference first")
    # Where she asked, not only in a notification she may have cleared: when, why, and that she may ask again.
    client.login("juniper")
    settings = words(client.get(SETTINGS_PAGE).page)
    on = entry.created_at
    assert (f"An admin declined your request on {on.day} {on:%b %Y}; you may ask again. "
            "Why: We need a reference first") in settings
    assert "Ask an admin to approve me" in settings
    client.logout()
    ask(client, note="A reference from the helpline is on its way.")
    assert waiting_names(client) == ["juniper"]
    client.login("juniper")
    assert "declined" not in client.get(SETTINGS_PAGE).page  # waiting again: the old answer is not the news


def test_the_mentor_withdraws_their_request(client, people):
    ask(client)
    client.login("juniper")
    page = client.submit(WITHDRAW_ASK, {}, follow_redirects=True).page
    client.logout()

    assert "Your request to mentor teens is withdrawn." in page
    assert "Ask an admin to approve me</button>" in page
    assert profile_of(people["juniper"]).teens_asked_at is None
    assert waiting_names(client) == []
    assert admin_notices(people["ada"]) == []


def test_approved_by_nobody_lists_the_mentors_the_upgrade_approved(client, people):
    approved_before = make_mentor("fern", teens=True)  # approved from the command line: by nobody
    make_mentor("oak", teens=True)
    client.login("ada")
    client.submit("/admin/users/oak/teen-mentoring", {"approve": "0", "reason": "Review"})
    client.submit("/admin/users/oak/teen-mentoring", {"approve": "1", "reason": "Vetted"})
    page = client.get(BY_NOBODY).page
    assert "Approved by nobody (at the upgrade) (1)" in client.get("/admin/users").page
    listed = page.split('id="people-list"', 1)[1]
    assert re.findall(r'href="/admin/users/([\w.-]+)"', listed) == ["fern"]
    approved = approved_before.teens_approved_at
    assert f"{approved.day} {approved:%b %Y}" in listed


@pytest.mark.parametrize("who", ["listener", "teen mentor", "suspended mentor", "approved mentor"])
def test_only_an_adult_mentor_not_yet_approved_and_not_suspended_can_ask(client, people, who):
    if who == "listener":
        make_listener("asker")
    elif who == "teen mentor":
        make_mentor("asker", age_group="teen")
    elif who == "suspended mentor":
        suspend(make_mentor("asker").user)
    else:
        make_mentor("asker", teens=True)

    response = ask(client, "asker")

    assert response.status_code == 403
    assert db.session.scalar(select(MentorProfile.id).where(MentorProfile.teens_asked_at.is_not(None))) is None
    assert admin_notices(people["ada"]) == []


def test_a_request_without_its_token_records_nothing_and_keeps_the_note(client, people):
    client.login("juniper")
    response = client.post(ASK, data={"note": "Kept after the page expired"})
    assert response.status_code == 422
    assert "Kept after the page expired</textarea>" in response.page
    assert profile_of(people["juniper"]).teens_asked_at is None
    assert admin_notices(people["ada"]) == []


def test_a_note_too_long_is_refused_beside_its_box_and_kept(client, people):
    note = "I have mentored teens before. " * 12  # 360 characters
    client.login("juniper")
    response = client.submit(ASK, {"note": note})

    assert response.status_code == 422
    assert "Keep the note under 300 characters (this is 359)." in response.page
    assert error_summary(response.page) == []  # one box: its error is at the form's top already
    assert note + "</textarea>" in response.page
    assert 'value="Patient with night owls"' in response.page  # the settings form is whole too
    assert profile_of(people["juniper"]).teens_asked_at is None
    assert admin_notices(people["ada"]) == []


def test_the_lists_cost_the_same_statements_however_many_wait(client, people, count_queries):
    def statements() -> dict[str, int]:
        counts = {}
        for path in (WAITING, BY_NOBODY, "/admin/users"):
            client.get(path)  # the first visit may record "last seen"
            with count_queries() as counter:
                assert client.get(path).status_code == 200
            counts[path] = counter.count
        return counts

    make_mentor("fern", teens=True)
    ask(client)
    client.login("ada")
    few = statements()
    client.logout()
    for number in range(6):
        make_mentor(f"guide{number}", teens=True)
        ask(client, make_mentor(f"asker{number}").user.username)
    client.login("ada")
    assert "Waiting for approval to mentor teens (7)" in client.get("/admin/users").page
    assert statements() == few
