"""Taking the mentor role away ends what the person had running as a mentor, as a closing would.

Role removal is often a safety decision: mentees must not keep writing to someone the
community no longer trusts as a mentor, nor wait on a request nobody can accept.

The people: Ada, an admin; Juniper, a mentor who also asked Birch, another mentor, to
mentor her; Rowan, Juniper's mentee; Sage, a listener whose request waits for Juniper.
"""
import re

import pytest
from sqlalchemy import select

from forum.accounts.staff import grant_role, set_roles
from forum.clock import utcnow
from forum.extensions import db
from forum.models.mentors import Review
from forum.models.moderation import AuditEntry
from tests.factories import make_user, notifications_of
from tests.html_checks import box_value
from tests.safety.factories import suspend
from tests.mentors.factories import (
    ask_to_mentor_teens, make_listener, make_mentor, make_mentorship, make_request, make_review, try_to_write,
    write_in_conversation,
)

NO_LONGER_A_MENTOR = "Juniper is no longer a mentor here"
TO_JUNIPER = "you are no longer a mentor here"  # she reads it about herself, addressed to her
WITHOUT_MENTOR = ["member", "listener"]


@pytest.fixture
def juniper_mentoring():
    """Juniper mid-mentorship with Rowan, Sage's request waiting, and Juniper's own request to Birch."""
    make_user("ada", role="admin", display_name="Ada")
    juniper, birch = make_mentor("juniper"), make_mentor("birch")
    rowan, sage = make_listener("rowan"), make_listener("sage")
    with_rowan = make_mentorship(rowan, juniper)
    write_in_conversation(rowan, with_rowan, "Can we talk about my first night shift?")
    from_sage = make_request(sage, juniper)
    to_birch = make_request(juniper.user, birch)
    return dict(juniper=juniper.user, juniper_profile=juniper, rowan=rowan, sage=sage, with_rowan=with_rowan, from_sage=from_sage,
                to_birch=to_birch)


def save_roles(client, username: str, roles: list[str]):
    """As Ada: save someone's roles on the admin page, saving again if it asks first; the page after it."""
    client.login("ada")
    path = f"/admin/users/{username}/roles"
    response = client.submit(path, {"roles": roles}, follow_redirects=True)
    if (agreed := box_value(response.page, "roles_ending")):
        response = client.submit(path, {"roles": roles, "ending": agreed}, follow_redirects=True)
    client.logout()
    return response


def test_taking_the_mentor_role_asks_first_naming_what_it_would_end(client, juniper_mentoring):
    # Ended mentorships don't come back with the role: a box unticked by mistake, saved,
    # ended Rowan's mentorship and Sage's request before Ada read a word about them.
    client.login("ada")
    # What saving would refuse is said first: an admin who agreed to end them was only then refused.
    stale = client.submit("/admin/users/juniper/roles", {"roles": WITHOUT_MENTOR, "opened_with": "listener,member"})
    assert stale.status_code == 409 and "Someone else changed juniper's roles" in stale.page
    assert "Saving takes the mentor role" not in stale.page and not box_value(stale.page, "roles_ending")

    asked = client.submit("/admin/users/juniper/roles", {"roles": WITHOUT_MENTOR})

    assert ("Saving takes the mentor role from juniper and ends 1 mentorship and 1 waiting request: the mentorship "
            "between Rowan and Juniper; Sage's request to Juniper. Both people in each are told why, and giving the "
            "role back reopens none of them. Save again to go ahead.") in asked.page
    ticked = re.findall(r'<input checked id="roles-\d" name="roles" type="checkbox" value="(\w+)"', asked.page)
    assert ticked == WITHOUT_MENTOR  # her choice is kept, to save again
    for kept in ("juniper", "with_rowan", "from_sage"):
        db.session.refresh(juniper_mentoring[kept])
    assert juniper_mentoring["juniper"].role_names == {"member", "listener", "mentor"}
    assert (juniper_mentoring["with_rowan"].status, juniper_mentoring["from_sage"].status) == ("accepted", "pending")
    assert not [told for told in notifications_of(juniper_mentoring["rowan"]) if "ended" in told]
    # An approval to mentor teens goes with the role, and giving the role back does not bring it back: named too.
    juniper_mentoring["juniper_profile"].teens_approved_at = utcnow()
    db.session.commit()
    asked = client.submit("/admin/users/juniper/roles", {"roles": WITHOUT_MENTOR})
    assert ("reopens none of them. Their approval to mentor teens ends too, and giving the role back does not "
            "restore it. Save again to go ahead.") in asked.page
    client.logout()
    moss = make_user("moss")  # suspended, then made an admin: the suspension holds for the new role
    suspend(moss)
    grant_role(moss, "admin")
    client.login("moss")
    refused = client.submit("/admin/users/juniper/roles", {"roles": WITHOUT_MENTOR})
    assert "Your account is suspended until" in refused.page and "Saving takes the mentor role" not in refused.page
    assert not box_value(refused.page, "roles_ending")


def test_taking_the_mentor_role_ends_their_mentorships_and_waiting_requests(client, juniper_mentoring):
    people = juniper_mentoring
    with_rowan, from_sage = people["with_rowan"], people["from_sage"]

    admin_page = save_roles(client, "juniper", WITHOUT_MENTOR)

    assert ("Juniper is no longer a mentor. This ended 1 mentorship and 1 waiting request: the mentorship between "
            "Rowan and Juniper; Sage's request to Juniper. Both people in each were told why.") in admin_page.page
    db.session.refresh(with_rowan)
    db.session.refresh(from_sage)
    assert (with_rowan.status, with_rowan.end_reason) == ("closed", NO_LONGER_A_MENTOR)
    assert (from_sage.status, from_sage.end_reason, from_sage.thread_id) == ("closed", NO_LONGER_A_MENTOR, None)
    assert f"Your mentorship with Juniper ended because {NO_LONGER_A_MENTOR}." in notifications_of(people["rowan"])
    assert f"Your request to Juniper ended because {NO_LONGER_A_MENTOR}." in notifications_of(people["sage"])
    told_juniper = notifications_of(people["juniper"])
    assert f"Your mentorship with Rowan ended because {TO_JUNIPER}." in told_juniper
    assert f"Sage's request to you ended because {TO_JUNIPER}." in told_juniper

    for person in ("rowan", "juniper"):
        client.login(person)
        conversation = client.get(f"/mentors/conversations/{with_rowan.thread_id}").page
        assert "Can we talk about my first night shift?" in conversation  # the history stays readable
        assert f"This mentorship ended because {NO_LONGER_A_MENTOR}." in conversation
        assert "Send" not in conversation
        refused = try_to_write(client, with_rowan, "Are you still there?")
        assert refused.status_code == 422 and "mentorship is closed, so its conversation takes no new" in refused.page
        client.logout()

    client.login("sage")
    request_page = client.get(f"/mentors/requests/{from_sage.id}").page
    assert "Ended" in request_page and f"This request ended because {NO_LONGER_A_MENTOR}." in request_page
    assert "Withdraw my request" not in request_page
    client.logout()
    client.login("juniper")
    assert "Accept" not in client.get(f"/mentors/requests/{from_sage.id}").page


def test_someone_who_is_no_longer_a_mentor_finds_their_mentees_conversations_from_the_mentor_page(
        client, juniper_mentoring):
    """Their mentees' conversations stay for them to read: the list of them stays a link away,
    where it was, while they have any; a listener who never mentored is not offered an empty one."""
    save_roles(client, "juniper", WITHOUT_MENTOR)
    client.login("juniper")
    links = client.get("/mentors").page.split('class="mentor-links"')[1].split("</p>")[0]
    assert '<a href="/mentors/me/mentees">My mentees</a>' in links and "/mentors/me\"" not in links
    mentees = " ".join(client.get("/mentors/me/mentees").page.split())
    assert ("You are not a mentor here now. The requests you were sent as one, and your conversations with your "
            "mentees, stay here for you to read.") in mentees
    assert f'href="/mentors/conversations/{juniper_mentoring["with_rowan"].thread_id}">Conversation' in mentees
    client.logout()
    client.login("rowan")
    assert "My mentees" not in client.get("/mentors").page


def test_the_audit_log_says_what_the_role_change_ended(client, juniper_mentoring):
    save_roles(client, "juniper", WITHOUT_MENTOR)

    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "roles"))
    assert entry.details.startswith("listener, member, mentor → listener, member. This ended 1 mentorship")
    client.login("ada")
    assert "the mentorship between Rowan and Juniper; Sage's request to Juniper" in client.get("/mod/audit").page


WITHDRAWN = "Your request to mentor teens was withdrawn because you are no longer a mentor here."


def test_a_pending_request_to_mentor_teens_alone_is_asked_about_and_said_everywhere(client, juniper_mentoring):
    # Saving cleared it without a word to Ada, to Fern, or in the log: giving the role back
    # does not bring it back, and Fern waited on an answer that would never come.
    fern = make_mentor("fern", headline="Calm on hard nights")
    ask_to_mentor_teens(fern)
    client.login("ada")

    asked = client.submit("/admin/users/fern/roles", {"roles": WITHOUT_MENTOR})

    assert ("Saving takes the mentor role from fern and withdraws their pending request to mentor teens, and giving "
            "the role back does not restore it. Save again to go ahead.") in asked.page
    db.session.refresh(fern)
    assert fern.user.has_role("mentor") and fern.teens_asked_at is not None
    saved = client.submit("/admin/users/fern/roles", {"roles": WITHOUT_MENTOR,
                                                     "ending": box_value(asked.page, "roles_ending")},
                          follow_redirects=True)
    assert "Fern is no longer a mentor. Their pending request to mentor teens was withdrawn with the role." in saved.page
    db.session.refresh(fern)
    assert not fern.user.has_role("mentor") and fern.teens_asked_at is None
    assert notifications_of(fern.user) == [WITHDRAWN]  # which says she is no longer a mentor, once
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "roles"))
    assert entry.details.endswith(
        "→ listener, member. Their pending request to mentor teens was withdrawn with the role.")


def test_a_pending_request_to_mentor_teens_is_named_after_the_mentorships(client, juniper_mentoring):
    ask_to_mentor_teens(juniper_mentoring["juniper_profile"])
    client.login("ada")
    asked = client.submit("/admin/users/juniper/roles", {"roles": WITHOUT_MENTOR})
    assert ("reopens none of them. Their pending request to mentor teens is withdrawn too, and giving the role back "
            "does not restore it. Save again to go ahead.") in asked.page
    client.logout()

    saved = save_roles(client, "juniper", WITHOUT_MENTOR)

    assert "Both people in each were told why. Their pending request to mentor teens was withdrawn" in saved.page
    told = notifications_of(juniper_mentoring["juniper"])
    assert WITHDRAWN in told and f"Your mentorship with Rowan ended because {TO_JUNIPER}." in told


def test_an_approval_to_mentor_teens_is_named_to_the_mentor_who_lost_the_role(client, juniper_mentoring):
    # Ada and the log read it; Juniper read only of her mentorships, and, given the role back,
    # found teens unticked and her approval gone.
    juniper_mentoring["juniper_profile"].teens_approved_at = utcnow()
    db.session.commit()

    save_roles(client, "juniper", WITHOUT_MENTOR)

    told = notifications_of(juniper_mentoring["juniper"])
    assert f"Your approval to mentor teens ended because {TO_JUNIPER}." in told
    assert f"Your mentorship with Rowan ended because {TO_JUNIPER}." in told


def test_their_own_request_as_a_mentee_carries_on(client, juniper_mentoring):
    to_birch = juniper_mentoring["to_birch"]

    save_roles(client, "juniper", WITHOUT_MENTOR)

    db.session.refresh(to_birch)
    assert (to_birch.status, to_birch.end_reason) == ("pending", "")
    client.login("juniper")
    assert "Withdraw my request" in client.get(f"/mentors/requests/{to_birch.id}").page


def test_a_role_change_that_keeps_the_mentor_role_ends_nothing(client, juniper_mentoring):
    with_rowan = juniper_mentoring["with_rowan"]

    admin_page = save_roles(client, "juniper", ["member", "listener", "mentor", "trainer"])

    assert "Juniper is now a trainer." in admin_page.page and "This ended" not in admin_page.page
    db.session.refresh(with_rowan)
    assert with_rowan.status == "accepted"
    client.login("rowan")
    assert try_to_write(client, with_rowan, "Still here, and glad of it").status_code == 302


def test_giving_the_role_back_reopens_nothing(client, juniper_mentoring):
    with_rowan, from_sage = juniper_mentoring["with_rowan"], juniper_mentoring["from_sage"]
    save_roles(client, "juniper", WITHOUT_MENTOR)
    client.login("rowan")
    assert "Juniper" not in client.get("/mentors").page
    assert client.get("/mentors/juniper").status_code == 404
    client.logout()

    admin_page = save_roles(client, "juniper", ["member", "listener", "mentor"])

    assert "This ended" not in admin_page.page
    db.session.refresh(with_rowan)
    db.session.refresh(from_sage)
    assert (with_rowan.status, from_sage.status) == ("closed", "closed")
    client.login("rowan")
    assert "Juniper" in client.get("/mentors").page  # listed again, to be asked afresh
    assert client.get("/mentors/juniper").status_code == 200
    assert try_to_write(client, with_rowan, "Back again?").status_code == 422


def test_removing_the_role_from_the_command_line_ends_them_too(app, juniper_mentoring):
    """set_roles without an admin (`by` None) is the command line or the forum itself."""
    with_rowan = juniper_mentoring["with_rowan"]

    ended = set_roles(juniper_mentoring["juniper"], WITHOUT_MENTOR)

    assert ended.startswith("This ended 1 mentorship and 1 waiting request")
    db.session.refresh(with_rowan)
    assert (with_rowan.status, with_rowan.closed_by_id) == ("closed", None)
    assert f"Your mentorship with Juniper ended because {NO_LONGER_A_MENTOR}." in notifications_of(
        juniper_mentoring["rowan"])


@pytest.mark.parametrize("wrote", [True, False], ids=["after writing", "before writing"])
def test_their_mentee_is_told_juniper_is_no_longer_a_mentor(client, juniper_mentoring, wrote):
    """Not that Juniper's page is closed to them: it is closed to everyone, as Juniper no
    longer mentors; nor to write first, in a conversation that takes no more messages."""
    wren = make_listener("wren")
    mentorship = make_mentorship(wren, juniper_mentoring["juniper_profile"])
    if wrote:
        write_in_conversation(wren, mentorship, "Thanks for the tips on pacing.")
    save_roles(client, "juniper", WITHOUT_MENTOR)
    no_page = "Juniper is no longer a mentor, so there is no mentor page for a review to show on."

    client.login("wren")
    request_page = client.get(f"/mentors/requests/{mentorship.id}").page
    assert no_page in request_page
    assert "not open to you" not in request_page and "Write to your mentor" not in request_page
    assert "Review Juniper" not in request_page
    review_form = client.get(f"/mentors/requests/{mentorship.id}/review")
    assert review_form.status_code == 403 and no_page in review_form.page
    sent = client.submit(f"/mentors/requests/{mentorship.id}/review", {"rating": "5", "body": "Lovely."})
    assert sent.status_code == 403 and no_page in sent.page
    assert db.session.scalar(select(Review.id)) is None


def test_a_mentee_who_reviewed_juniper_is_not_told_to_edit_a_review_nobody_can_open(client, juniper_mentoring):
    wren = make_listener("wren")
    review = make_review(wren, juniper_mentoring["juniper_profile"], close=False)
    save_roles(client, "juniper", WITHOUT_MENTOR)

    client.login("wren")
    request_page = client.get(f"/mentors/requests/{review.request_id}").page
    assert "Juniper is no longer a mentor, so there is no mentor page for a review to show on." in request_page
    assert "you can edit your review" not in request_page
