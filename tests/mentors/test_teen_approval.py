"""An adult mentor mentors teens only once an admin approved it; withdrawing it ends what ran with teens.

The people: Ada, an admin; Juniper, an adult mentor of adults; Sunny, a teen listener;
Rowan, an adult listener; Indigo, a teen mentor (who needs no approval); Moss, a moderator.
"""
import pytest
from sqlalchemy import select

from forum.clock import utcnow
from forum.extensions import db
from forum.mentors.permissions import request_refusal
from forum.mentors.services import ensure_profile
from forum.models.mentors import MentorProfile
from forum.models.moderation import AuditEntry
from tests.factories import make_user, notifications_of
from tests.html_checks import box_value
from tests.mentors.factories import (
    SETTINGS, make_listener, make_mentor, make_mentorship, make_request, make_review, save_settings, try_to_write,
)
from tests.mentors.reading import active_names, card_names
from tests.search.pages import search
from tests.safety.factories import change_age_group, make_moderator

APPROVAL_NEEDED = ("An admin approves adults before they mentor teens: mentorship conversations are private, "
                   "and teen spaces are kept apart. To mentor teens, ask an admin to approve you; you will be "
                   "told in your notifications when they do.")
NO_LONGER = "Juniper no longer mentors teens here"
TO_JUNIPER = "an admin withdrew your approval to mentor teens"


@pytest.fixture
def people(app):
    ada = make_user("ada", role="admin", display_name="Ada")
    juniper = make_mentor("juniper", headline="Patient with night owls", seen_minutes_ago=1)
    sunny = make_listener("sunny", age_group="teen")
    return dict(ada=ada, juniper=juniper, sunny=sunny)


def teen_mentoring(client, username: str, approve: str, reason: str = "Vetted in a call with two admins"):
    """As Ada: approve ("1") or withdraw ("0") on the person's admin page, withdrawing again
    if it asks first; the page after it."""
    client.login("ada")
    path, sent = f"/admin/users/{username}/teen-mentoring", {"approve": approve, "reason": reason}
    response = client.submit(path, sent, follow_redirects=True)
    if (agreed := box_value(response.page, "teens_ending")):
        response = client.submit(path, {**sent, "ending": agreed}, follow_redirects=True)
    client.logout()
    return response


def profile_of(username_profile: MentorProfile) -> MentorProfile:
    db.session.refresh(username_profile)
    return username_profile


def teen_sees(client, profile: MentorProfile) -> dict[str, bool]:
    """Where Sunny meets Juniper: the directory, "active now", search and the profile page."""
    client.login("sunny")
    directory = client.get("/mentors").page
    seen = {"directory": "Juniper" in card_names(directory), "active now": "Juniper" in active_names(directory),
            "search": any(r.link == "/mentors/juniper" for r in search(client, "night owls")),
            "profile": client.get("/mentors/juniper").status_code == 200}
    client.logout()
    return seen


def test_an_adult_mentor_reads_that_an_admin_approves_adults_for_teens_and_whom_to_ask(client, people):
    client.login("juniper")
    form = client.get("/mentors/me/edit").page
    assert APPROVAL_NEEDED in form
    assert 'href="/u/ada"' in form or "Ada (@ada)" in form
    assert 'name="mentors_teens"' not in form  # no box that could only be refused
    assert 'name="mentors_adults"' in form


def test_before_approval_ticking_teens_is_refused_and_what_was_typed_stays(client, people):
    client.login("juniper")
    response = client.submit("/mentors/me/edit", {**SETTINGS, "mentors_teens": "y", "headline": "Teens welcome"})

    assert response.status_code == 422
    assert APPROVAL_NEEDED in response.page and 'value="Teens welcome"' in response.page
    juniper = profile_of(people["juniper"])
    assert (juniper.mentors_teens, juniper.headline) == (False, "Patient with night owls")


def test_before_approval_a_teen_neither_finds_nor_can_ask_an_adult_mentor(client, people):
    juniper, sunny = people["juniper"], people["sunny"]
    # Even with the box ticked behind the settings' back (an old row, a slip in a script).
    juniper.mentors_teens = True
    db.session.commit()

    assert teen_sees(client, juniper) == {"directory": False, "active now": False, "search": False, "profile": False}
    client.login("sunny")
    assert "Juniper" not in card_names(client.get("/mentors?audience=teens").page)
    assert client.get("/mentors/juniper/request").status_code == 404
    assert request_refusal(sunny, juniper, now=utcnow()) == "Juniper mentors adults only."


def test_an_admin_approves_an_adult_mentor_for_teens_and_the_mentor_then_takes_teens(client, people):
    juniper = people["juniper"]
    page = teen_mentoring(client, "juniper", "1").page

    assert "juniper is approved to mentor teens; they were told." in page
    assert "Approved to mentor teens on" in page and "by Ada." in " ".join(page.split())
    juniper = profile_of(juniper)
    assert juniper.teens_approved_by_id == people["ada"].id and juniper.teens_approved_at is not None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "teens_approve"))
    assert (entry.actor_id, entry.subject_id, entry.reason) == (people["ada"].id, juniper.user_id,
                                                                "Vetted in a call with two admins")
    told = notifications_of(juniper.user)
    assert any("An admin approved you to mentor teen listeners" in message for message in told)
    assert not any("Vetted" in message for message in told)  # the reason stays between the admins
    # Approval alone changes nothing teens see: Juniper ticks teens when she is ready.
    assert teen_sees(client, juniper) == {"directory": False, "active now": False, "search": False, "profile": False}

    client.login("juniper")
    form = client.get("/mentors/me/edit").page
    assert 'name="mentors_teens"' in form and APPROVAL_NEEDED not in form
    client.submit("/mentors/me/edit", {**SETTINGS, "headline": "Patient with night owls", "mentors_teens": "y"})
    client.logout()

    assert teen_sees(client, juniper) == {"directory": True, "active now": True, "search": True, "profile": True}
    assert request_refusal(people["sunny"], juniper, now=utcnow()) is None


def test_withdrawing_the_approval_ends_mentorships_and_requests_with_teens_only(client, people):
    juniper, sunny = people["juniper"], people["sunny"]
    teen_mentoring(client, "juniper", "1")
    save_settings(client, "juniper", headline="Patient with night owls", mentors_teens="y")
    kit, rowan = make_listener("kit", age_group="teen"), make_listener("rowan")
    with_sunny, from_kit = make_mentorship(sunny, juniper), make_request(kit, juniper)
    with_rowan = make_mentorship(rowan, juniper)
    client.login("ada")
    # The reason is checked before it asks: an admin who confirms is not then refused for it.
    refused = client.submit("/admin/users/juniper/teen-mentoring", {"approve": "0", "reason": "  "})
    assert refused.status_code == 422 and "Say why; it goes in the audit log." in refused.page
    assert "Withdraw again to go ahead" not in refused.page and not box_value(refused.page, "teens_ending")
    asked = client.submit("/admin/users/juniper/teen-mentoring",
                          {"approve": "0", "reason": "A report we are looking into"})
    client.logout()
    # Ended mentorships don't come back with the approval: the button asks first, the reason kept.
    assert ("Withdrawing juniper's approval to mentor teens ends 1 mentorship and 1 waiting request: the mentorship "
            "between Sunny and Juniper; Kit's request to Juniper. Both people in each are told why, and approving "
            "again reopens none of them. Withdraw again to go ahead.") in asked.page
    assert box_value(asked.page, "teens_reason") == "A report we are looking into"
    db.session.refresh(with_sunny)
    assert with_sunny.status == "accepted" and profile_of(juniper).teens_approved_at is not None

    page = teen_mentoring(client, "juniper", "0", reason="A report we are looking into").page

    assert ("juniper is no longer approved to mentor teens; they were told. This ended 1 mentorship and 1 waiting "
            "request: the mentorship between Sunny and Juniper; Kit's request to Juniper.") in page
    assert "Not approved" in page
    for request in (with_sunny, from_kit, with_rowan):
        db.session.refresh(request)
    assert (with_sunny.status, with_sunny.end_reason) == ("closed", NO_LONGER)
    assert (from_kit.status, from_kit.end_reason) == ("closed", NO_LONGER)
    assert with_rowan.status == "accepted"
    juniper = profile_of(juniper)
    assert (juniper.teens_approved_at, juniper.teens_approved_by_id, juniper.mentors_teens) == (None, None, False)
    assert f"Your mentorship with Juniper ended because {NO_LONGER}." in notifications_of(sunny)
    assert f"Your request to Juniper ended because {NO_LONGER}." in notifications_of(kit)
    told_juniper = notifications_of(juniper.user)
    assert f"Your mentorship with Sunny ended because {TO_JUNIPER}." in told_juniper
    assert not any("report" in message for message in notifications_of(sunny) + told_juniper)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "teens_withdraw"))
    assert entry.reason == "A report we are looking into" and "Sunny and Juniper" in entry.details

    assert teen_sees(client, juniper) == {"directory": False, "active now": False, "search": False, "profile": False}
    client.login("sunny")
    assert try_to_write(client, with_sunny, "Are you still there?").status_code == 422
    client.logout()
    client.login("juniper")
    assert APPROVAL_NEEDED in client.get("/mentors/me/edit").page


def test_withdrawing_an_approval_with_no_teen_to_end_still_tells_the_mentor(client, people):
    teen_mentoring(client, "juniper", "1")
    client.login("ada")
    sent = client.submit("/admin/users/juniper/teen-mentoring", {"approve": "0", "reason": "Stepping back"})
    assert sent.status_code == 302  # nothing to end: nothing to ask first
    assert "An admin withdrew your approval to mentor teens; you mentor adults only now." in notifications_of(
        people["juniper"].user)


@pytest.mark.parametrize("approve", ["1", "0"])
def test_the_same_button_sent_twice_changes_nothing_twice(client, people, approve):
    if approve == "0":
        teen_mentoring(client, "juniper", "1")
    teen_mentoring(client, "juniper", approve)
    again = teen_mentoring(client, "juniper", approve).page
    assert "already" in again or "(any more)" in again
    action = "teens_approve" if approve == "1" else "teens_withdraw"
    assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()) == 1


def test_an_approval_needs_a_reason_and_keeps_nothing_half_done(client, people):
    client.login("ada")
    response = client.submit("/admin/users/juniper/teen-mentoring", {"approve": "1", "reason": "  "})
    assert response.status_code == 422 and "Say why; it goes in the audit log." in response.page
    assert profile_of(people["juniper"]).teens_approved_at is None


def test_only_an_admin_approves(client, people):
    make_moderator()
    client.login("moss")
    response = client.submit("/admin/users/juniper/teen-mentoring", {"approve": "1", "reason": "Looks fine"})
    assert response.status_code == 403
    assert profile_of(people["juniper"]).teens_approved_at is None


def test_an_admin_who_mentors_is_approved_by_another_admin(client, people):
    make_user("quill", role=("admin", "listener", "mentor"), display_name="Quill")
    client.login("quill")
    response = client.submit("/admin/users/quill/teen-mentoring", {"approve": "1", "reason": "I am fine"})
    assert response.status_code == 422 and "Another admin approves you" in response.page
    assert db.session.scalar(select(MentorProfile.teens_approved_at).join(MentorProfile.user).where(
        MentorProfile.user.has(username="quill"))) is None


def test_a_post_without_its_token_changes_nothing(client, people):
    client.login("ada")
    response = client.post("/admin/users/juniper/teen-mentoring", data={"approve": "1", "reason": "Vetted"})
    assert response.status_code in (400, 422)
    assert profile_of(people["juniper"]).teens_approved_at is None


def test_teen_mentors_need_no_approval_and_the_admin_page_offers_none(client, people):
    make_mentor("indigo", age_group="teen", teens=True)
    client.login("ada")
    page = client.get("/admin/users/indigo").page
    assert "Mentoring teens" not in page
    listener_page = client.get("/admin/users/sunny").page
    assert "Mentoring teens" not in listener_page  # not a mentor
    response = client.submit("/admin/users/indigo/teen-mentoring", {"approve": "1", "reason": "Vetted"})
    assert response.status_code == 422 and "teen mentors mentor teens without an approval" in response.page


def test_losing_the_mentor_role_takes_the_approval_with_it(client, people):
    teen_mentoring(client, "juniper", "1")
    client.login("ada")
    # It does not come back with the role: with no mentorship to end, it alone is asked about first.
    asked = client.submit("/admin/users/juniper/roles", {"roles": ["member", "listener"]})
    assert ("Saving takes the mentor role from juniper and ends their approval to mentor teens, and giving the role "
            "back does not restore it. Save again to go ahead.") in asked.page
    assert profile_of(people["juniper"]).teens_approved_at is not None
    page = client.submit("/admin/users/juniper/roles", {"roles": ["member", "listener"],
                                                        "ending": box_value(asked.page, "roles_ending")},
                         follow_redirects=True).page
    assert "Their approval to mentor teens ended with the role." in page
    client.submit("/admin/users/juniper/roles", {"roles": ["member", "listener", "mentor"]})
    assert "Not approved" in client.get("/admin/users/juniper").page
    assert profile_of(people["juniper"]).teens_approved_at is None


def test_a_teen_mentor_moved_to_the_adults_stops_mentoring_teens_until_approved(client, people):
    make_moderator()
    indigo = make_mentor("indigo", age_group="teen", teens=True)
    with_sunny = make_mentorship(people["sunny"], indigo)
    client.login("moss")
    page = change_age_group(client, "indigo", "adult", "Turned 18", follow_redirects=True).page

    assert "This ended the mentorship between Sunny and Indigo." in page
    db.session.refresh(with_sunny)
    db.session.refresh(indigo)
    assert with_sunny.status == "closed" and (indigo.mentors_teens, indigo.accepting) == (False, False)


def test_an_approved_adult_moved_to_the_teens_is_asked_afresh_if_moved_back(client, people):
    make_moderator()
    teen_mentoring(client, "juniper", "1")
    client.login("moss")
    for age_group in ("teen", "adult"):  # moving to the teens asks first, naming the approval that ends
        change_age_group(client, "juniper", age_group, "A mix-up")
    assert profile_of(people["juniper"]).teens_approved_at is None


def test_a_mentor_of_teens_only_whose_approval_is_withdrawn_is_not_told_they_mentor_adults(client, people):
    teen_mentoring(client, "juniper", "1")
    save_settings(client, "juniper", headline="Patient with night owls", mentors_teens="y", mentors_adults="")
    teen_mentoring(client, "juniper", "0")

    told = notifications_of(people["juniper"].user)
    assert not any("you mentor adults only now" in message for message in told)
    assert ("An admin withdrew your approval to mentor teens, so you mentor no one here now: tick “I mentor adult "
            "listeners” in your mentor settings to take mentees again.") in told


def test_an_admin_who_mentors_is_pointed_to_the_other_admins_not_to_themselves(client, people):
    make_user("quill", role=("admin", "listener", "mentor"), display_name="Quill")
    client.login("quill")
    form = client.get("/mentors/me/edit").page
    assert APPROVAL_NEEDED in form
    assert "Ada (@ada)" in form
    assert "Quill (@quill)" not in form  # they can't approve themselves


def test_an_admin_who_mentors_reads_on_their_own_admin_page_that_another_admin_approves_them(client, people):
    ensure_profile(make_user("quill", role=("admin", "listener", "mentor"), display_name="Quill"))
    db.session.commit()
    client.login("quill")
    page = client.get("/admin/users/quill").page
    assert "Another admin approves you: nobody vets themselves to mentor teens." in page
    assert "Approve to mentor teens</button>" not in page  # no button that could only be refused
    client.logout()
    client.login("ada")
    assert "Approve to mentor teens</button>" in client.get("/admin/users/quill").page


NOT_TO_TEENS = ("Sunny is a teen, and an adult mentor answers a teen's review only while an admin approves them "
                "to mentor teens. You can ask an admin to approve you in your mentor settings.")


def reviewed_by_sunny_then_withdrawn(client, people, reply: str | None = None):
    """Sunny reviews Juniper while an admin approves her for teens (Juniper replying, if
    `reply`); then the approval is withdrawn. The review."""
    juniper, sunny = people["juniper"], people["sunny"]
    teen_mentoring(client, "juniper", "1")
    save_settings(client, "juniper", headline="Patient with night owls", mentors_teens="y")
    review = make_review(sunny, juniper, body="Juniper helped me through exams.")
    if reply is not None:
        client.login("juniper")
        client.submit(f"/mentors/reviews/{review.id}/reply", {"body": reply})
        client.logout()
    teen_mentoring(client, "juniper", "0", reason="A report we are looking into")
    return review


def test_after_the_approval_is_withdrawn_the_mentor_cannot_reply_to_a_teens_review(client, people):
    # A reply is public words from an adult no longer vetted for teens, under a teen's name.
    review = reviewed_by_sunny_then_withdrawn(client, people)
    rowans = make_review(make_listener("rowan"), people["juniper"], body="Kind and clear.")
    before = notifications_of(people["sunny"])

    client.login("juniper")
    page = client.get("/mentors/juniper").page
    assert f"/mentors/reviews/{review.id}/reply" not in page  # no link that could only be refused
    assert f"/mentors/reviews/{rowans.id}/reply" in page  # an adult's review takes her reply
    refused = client.get(f"/mentors/reviews/{review.id}/reply")
    assert refused.status_code == 403 and NOT_TO_TEENS in refused.page
    sent = client.submit(f"/mentors/reviews/{review.id}/reply", {"body": "Write to me elsewhere: my handle is jun1per."})
    assert sent.status_code == 403 and NOT_TO_TEENS in sent.page
    assert "my handle is jun1per" in sent.page  # what she typed is still there to copy

    db.session.refresh(review)
    assert (review.replied_at, review.mentor_reply_md) == (None, "")
    assert notifications_of(people["sunny"]) == before


def test_after_the_approval_is_withdrawn_the_mentor_cannot_change_her_reply_to_a_teens_review(client, people):
    review = reviewed_by_sunny_then_withdrawn(client, people, reply="Thank you, Sunny. Good luck with the exams.")

    client.login("juniper")
    page = client.get("/mentors/juniper").page
    assert f"/mentors/reviews/{review.id}/reply/edit" not in page
    refused = client.get(f"/mentors/reviews/{review.id}/reply/edit")
    assert refused.status_code == 403 and NOT_TO_TEENS in refused.page
    sent = client.submit(f"/mentors/reviews/{review.id}/reply/edit", {"body": "Write to me elsewhere: jun1per."})
    assert sent.status_code == 403 and NOT_TO_TEENS in sent.page and "Write to me elsewhere: jun1per." in sent.page
    client.logout()

    db.session.refresh(review)
    assert review.mentor_reply_md == "Thank you, Sunny. Good luck with the exams." and review.reply_edited_at is None
    # Written while she was approved, the reply stays, as her conversations with teens do,
    # for those who can open her page.
    make_listener("rowan")
    client.login("rowan")
    assert "Good luck with the exams." in client.get("/mentors/juniper").page


def test_approved_again_the_mentor_replies_to_a_teens_review(client, people):
    review = reviewed_by_sunny_then_withdrawn(client, people)
    teen_mentoring(client, "juniper", "1")
    client.login("juniper")
    assert f"/mentors/reviews/{review.id}/reply" in client.get("/mentors/juniper").page
    client.submit(f"/mentors/reviews/{review.id}/reply", {"body": "Thank you, Sunny."})
    db.session.refresh(review)
    assert review.mentor_reply_md == "Thank you, Sunny."


@pytest.mark.parametrize("stops", ["admin", "mentor"])
def test_when_the_mentor_stops_mentoring_teens_a_teens_unread_reply_to_her_review_is_taken_back_and_no_email_tells_it(
        client, people, runner, mailbox, stops):
    # Juniper answered Sunny's review while approved; Sunny reads her notifications in one
    # email a day. Before that email goes, an admin withdraws the approval: "Juniper replied
    # to your review" would be a word from an adult no longer vetted for teens, on a page
    # that answers her "That review can't be found."
    juniper, sunny = people["juniper"], people["sunny"]
    teen_mentoring(client, "juniper", "1")
    save_settings(client, "juniper", headline="Patient with night owls", mentors_teens="y")
    review = make_review(sunny, juniper, body="Juniper helped me through exams.")
    client.login("sunny")
    client.submit("/settings/notifications", {"email_mentor_review": "y", "delivery": "daily"})
    client.logout()
    client.login("juniper")
    client.submit(f"/mentors/reviews/{review.id}/reply", {"body": "Write to me elsewhere: my handle is jun1per."})
    client.logout()
    client.login("sunny")
    assert "Juniper replied to your review" in client.get("/notifications").page
    client.logout()

    if stops == "admin":
        teen_mentoring(client, "juniper", "0", reason="A report we are looking into")
    else:  # Juniper unticks teens herself: her page is closed to teens all the same
        save_settings(client, "juniper", headline="Patient with night owls")

    client.login("sunny")
    assert "Juniper replied to your review" not in client.get("/notifications").page
    client.logout()
    assert runner.invoke(args=["send-digests"]).output == "0 daily emails sent.\n"
    assert not [mail for mail in mailbox.messages if "replied to your review" in mail.as_string()]
