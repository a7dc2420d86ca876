"""A change that puts a mentorship across the teen/adult line ends it, as a closing would.

The people: Kit, a teen listener; Indigo, a teen mentor of teens only; Juniper, an adult
mentor of teens and adults; Rowan, an adult listener; Moss, a moderator.
"""
import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.mentors import MentorshipRequest
from forum.models.moderation import AuditEntry
from forum.models.posts import Post
from forum.posts.notifications import set_email_kinds
from tests.factories import notifications_of
from tests.mentors.factories import (
    SETTINGS, ask_to_mentor_teens, make_listener, make_mentor, make_mentorship, make_request, save_settings,
    try_to_write, write_in_conversation,
)
from tests.mentors.reading import active_names, card_names
from tests.safety.factories import change_age_group, make_moderator

KIT_MOVED = "Kit's account moved to the adult spaces and Indigo mentors teens only"
# Each of the two reads why in words addressed to them, never about themselves by name.
KIT_MOVED_TO_KIT = "your account moved to the adult spaces and Indigo mentors teens only"
KIT_MOVED_TO_INDIGO = "Kit's account moved to the adult spaces and you mentor teens only"


def move_to_adults(client, username: str):
    """As Moss: move someone to the adult group; the moderator's page after it."""
    client.login("moss")
    response = change_age_group(client, username, "adult", "Turned 18", follow_redirects=True)
    client.logout()
    return response


@pytest.fixture
def kit_with_indigo():
    """Kit and Indigo mid-mentorship, with a message in their conversation."""
    make_moderator()
    kit = make_listener("kit", age_group="teen")
    indigo = make_mentor("indigo", age_group="teen")
    mentorship = make_mentorship(kit, indigo)
    write_in_conversation(kit, mentorship, "How do you deal with rude members?")
    return kit, indigo, mentorship


def test_moving_a_teen_to_adults_ends_their_mentorship_with_a_teens_only_mentor(client, kit_with_indigo):
    kit, indigo, mentorship = kit_with_indigo
    client.login("moss")
    asked = client.submit("/mod/users/kit/age-group", {"age_group": "adult", "reason": "Turned 18"})
    client.logout()
    # Moving back gives nothing back: the page asks first, naming what ends, the reason kept.
    assert asked.status_code == 200 and ("Moving @kit to the adult group ends 1 mentorship: the mentorship between "
                                         "Kit and Indigo. Both people are told why, and moving them back does not "
                                         "reopen it. Change again to go ahead.") in asked.page
    assert 'value="Turned 18"' in asked.page
    db.session.refresh(mentorship)
    assert (mentorship.status, kit.age_group) == ("accepted", "teen")

    moderator_page = move_to_adults(client, "kit")

    assert "@kit is now in the adult group." in moderator_page.page
    assert "This ended the mentorship between Kit and Indigo. Both people were told why." in moderator_page.page
    db.session.refresh(mentorship)
    assert (mentorship.status, mentorship.end_reason) == ("closed", KIT_MOVED)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "age_group"))
    assert "the mentorship between Kit and Indigo" in entry.details
    assert f"Your mentorship with Indigo ended because {KIT_MOVED_TO_KIT}." in notifications_of(kit)
    assert f"Your mentorship with Kit ended because {KIT_MOVED_TO_INDIGO}." in notifications_of(indigo.user)
    for person in ("kit", "indigo"):
        client.login(person)
        conversation = client.get(f"/mentors/conversations/{mentorship.thread_id}").page
        assert "How do you deal with rude members?" in conversation  # the history stays readable
        assert f"This mentorship ended because {KIT_MOVED}." in conversation
        assert "Active" not in conversation and "Send" not in conversation
        refused = try_to_write(client, mentorship, "Still here?")
        assert refused.status_code == 422 and "mentorship is closed, so its conversation takes no new" in refused.page
        client.logout()
    assert db.session.scalar(select(func.count(Post.id))) == 1


def test_a_waiting_request_the_move_makes_unanswerable_ends_too(client):
    make_moderator()
    kit = make_listener("kit", age_group="teen")
    indigo = make_mentor("indigo", age_group="teen")
    request = make_request(kit, indigo)

    moderator_page = move_to_adults(client, "kit")

    assert "This ended Kit's request to Indigo." in moderator_page.page
    db.session.refresh(request)
    assert (request.status, request.thread_id) == ("closed", None)
    assert f"Your request to Indigo ended because {KIT_MOVED_TO_KIT}." in notifications_of(kit)
    assert f"Kit's request to you ended because {KIT_MOVED_TO_INDIGO}." in notifications_of(indigo.user)
    client.login("indigo")
    page = client.get(f"/mentors/requests/{request.id}").page
    assert "Ended" in page and f"This request ended because {KIT_MOVED}." in page
    assert "Accept" not in page


def test_a_mentor_who_stops_mentoring_teens_ends_only_their_teen_mentorships(client):
    juniper = make_mentor("juniper", teens=True, adults=True)
    sunny, rowan = make_listener("sunny", age_group="teen"), make_listener("rowan")
    with_sunny, with_rowan = make_mentorship(sunny, juniper), make_mentorship(rowan, juniper)
    make_request(make_listener("kit", age_group="teen"), juniper)
    write_in_conversation(sunny, with_sunny, "Is it OK to take a break mid-chat?")

    settings_page = save_settings(client, "juniper")  # SETTINGS tick adults only

    assert "Your mentor settings are saved." in settings_page.page
    # Juniper made the change: only the two teens are told ("Both people were told" was untrue).
    assert ("This ended the mentorship between Sunny and Juniper; Kit's request to Juniper. "
            "Sunny and Kit were told why.") in settings_page.page
    assert "Rowan" not in settings_page.page
    db.session.refresh(with_sunny)
    db.session.refresh(with_rowan)
    assert (with_sunny.status, with_rowan.status) == ("closed", "accepted")
    assert "Your mentorship with Juniper ended because Juniper no longer mentors teens." in notifications_of(sunny)
    client.login("sunny")
    conversation = client.get(f"/mentors/conversations/{with_sunny.thread_id}").page
    assert "This mentorship ended because Juniper no longer mentors teens." in conversation
    assert "Is it OK to take a break mid-chat?" in conversation
    assert try_to_write(client, with_sunny, "Hello?").status_code == 422
    client.logout()
    client.login("rowan")
    assert try_to_write(client, with_rowan, "Still going strong").status_code == 302


def test_a_mentor_is_asked_before_a_change_of_whom_they_mentor_ends_a_mentorship(client):
    juniper = make_mentor("juniper", teens=True, adults=True)
    with_sunny = make_mentorship(make_listener("sunny", age_group="teen"), juniper)
    client.login("juniper")
    first = client.submit("/mentors/me/edit", {**SETTINGS, "headline": "Adults from now on"})

    # Ticking teens again would not bring the mentorship back: nothing is saved before they agree.
    assert first.status_code == 200
    # As the page after saving says it: Juniper, who makes the change, is told nothing.
    assert "Saving ends the mentorship between Sunny and Juniper; Sunny is told why." in first.page
    assert 'value="Adults from now on"' in first.page
    db.session.refresh(with_sunny)
    db.session.refresh(juniper)
    assert (with_sunny.status, juniper.mentors_teens, juniper.headline) == ("accepted", True, "Here to help")

    again = client.submit("/mentors/me/edit", {**SETTINGS, "headline": "Adults from now on",
                                               "ending": str(with_sunny.id)}, follow_redirects=True)
    assert "This ended the mentorship between Sunny and Juniper. Sunny was told why." in again.page
    db.session.refresh(with_sunny)
    assert with_sunny.status == "closed"


def test_sunnys_page_of_mentors_no_longer_leads_to_a_mentor_she_cannot_see(client):
    juniper = make_mentor("juniper", teens=True, adults=True)
    sunny = make_listener("sunny", age_group="teen")
    mentorship = make_mentorship(sunny, juniper)
    write_in_conversation(sunny, mentorship, "Thank you for this week.")
    client.login("sunny")
    assert 'href="/mentors/juniper"' in client.get("/mentors/me/mentors").page
    assert client.get(f"/mentors/requests/{mentorship.id}/review").status_code == 200
    client.logout()

    save_settings(client, "juniper")

    client.login("sunny")
    mine = client.get("/mentors/me/mentors").page
    assert "Juniper" in mine and "Closed" in mine
    assert 'href="/mentors/juniper"' not in mine
    assert client.get("/mentors/juniper").status_code == 404  # why the link had to go
    request_page = client.get(f"/mentors/requests/{mentorship.id}").page
    assert "Review Juniper" not in request_page
    assert "Reviews show on Juniper's mentor page, which is not open to you any more." in request_page
    review_form = client.get(f"/mentors/requests/{mentorship.id}/review")
    assert review_form.status_code == 403 and "not open to you any more" in review_form.page


def test_a_mentor_moved_to_the_teen_group_stops_mentoring_adults(client):
    make_moderator()
    birch, rowan = make_mentor("birch", teens=True, adults=True), make_listener("rowan")
    mentorship = make_mentorship(rowan, birch)
    client.login("moss")
    page = change_age_group(client, "birch", "teen", "Is 16", follow_redirects=True).page

    assert "This ended the mentorship between Rowan and Birch." in page
    db.session.refresh(mentorship)
    db.session.refresh(birch)
    assert mentorship.status == "closed" and (birch.mentors_teens, birch.mentors_adults) == (True, False)
    assert ("Your mentorship with Birch ended because Birch's account moved to the teen spaces and "
            "Birch mentors teens only.") in notifications_of(rowan)
    assert ("Your mentorship with Rowan ended because your account moved to the teen spaces and "
            "you mentor teens only.") in notifications_of(birch.user)


def test_a_mentor_of_adults_only_moved_to_the_teen_group_is_not_offered_as_taking_mentees(client):
    make_moderator()
    make_mentor("birch", teens=False, adults=True, seen_minutes_ago=1)
    assert card_names(client.get("/mentors?accepting=1").page) == ["Birch"]
    client.login("moss")
    change_age_group(client, "birch", "teen", "Is 16")
    client.logout()

    directory = client.get("/mentors").page
    assert card_names(client.get("/mentors?accepting=1").page) == []
    assert active_names(directory) == []  # "Mentors taking mentees who are online now"
    assert "Not mentoring at the moment · not taking new mentees" in " ".join(re.sub(r"<[^>]+>", " ", directory).split())


def test_a_mentor_of_adults_only_moved_to_the_teen_group_reads_that_they_mentor_no_one_now(client):
    make_moderator()
    birch, rowan = make_mentor("birch", teens=False, adults=True), make_listener("rowan")
    make_mentorship(rowan, birch)
    client.login("moss")
    change_age_group(client, "birch", "teen", "Is 16")
    client.logout()

    assert ("Your mentorship with Birch ended because Birch's account moved to the teen spaces and "
            "Birch is not mentoring anyone at the moment.") in notifications_of(rowan)
    assert ("Your mentorship with Rowan ended because your account moved to the teen spaces and "
            "you are not mentoring anyone at the moment.") in notifications_of(birch.user)


ASK_WITHDRAWN_BY_MOVE = "Their pending request to mentor teens was withdrawn with the move."
NO_LONGER_ADULTS = "They stopped mentoring adults with the move, so they mentor no one now."
NO_ONE_AFTER = "You mentor no one here now and take no new mentees, until you change that in your mentor settings."


def test_a_pending_request_to_mentor_teens_alone_is_asked_about_before_a_move_to_the_teens(client):
    # The move cleared it without asking, and neither the moderator, the log nor Fern heard of
    # it: moving her back does not bring it back, and she waited on an answer that never came.
    make_moderator()
    fern = make_mentor("fern")
    ask_to_mentor_teens(fern)
    client.login("moss")

    asked = client.submit("/mod/users/fern/age-group", {"age_group": "teen", "reason": "Is 16"})

    assert asked.status_code == 200 and ("Moving @fern to the teen group withdraws their pending request to mentor "
                                         "teens, and moving them back does not restore it. They stop mentoring "
                                         "adults too, so they mentor no one and take no new mentees, and moving them "
                                         "back does not tick “I mentor adult listeners” again. Change again to go "
                                         "ahead.") in asked.page
    db.session.refresh(fern)
    assert (fern.user.age_group, fern.teens_asked_at is not None) == ("adult", True)
    moved = change_age_group(client, "fern", "teen", "Is 16", follow_redirects=True)
    assert f"@fern is now in the teen group. {ASK_WITHDRAWN_BY_MOVE}" in moved.page
    db.session.refresh(fern)
    assert fern.teens_asked_at is None
    # One notice: what the move ended, and whom she mentors now.
    assert ("Your request to mentor teens was withdrawn because your account moved to the teen spaces. You no longer "
            f"mentor adults: teen mentors mentor teens only. {NO_ONE_AFTER}" in notifications_of(fern.user))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "age_group"))
    assert entry.details == f"adult → teen. {ASK_WITHDRAWN_BY_MOVE} {NO_LONGER_ADULTS}"


def test_a_pending_request_to_mentor_teens_is_named_after_the_mentorships_a_move_ends(client):
    make_moderator()
    birch = make_mentor("birch", adults=True)
    make_mentorship(make_listener("rowan"), birch)
    ask_to_mentor_teens(birch)
    client.login("moss")
    asked = client.submit("/mod/users/birch/age-group", {"age_group": "teen", "reason": "Is 16"})
    assert ("Moving @birch to the teen group ends 1 mentorship: the mentorship between Rowan and Birch. Both people "
            "are told why, and moving them back does not reopen it. Their pending request to mentor teens "
            "is withdrawn too, and moving them back does not restore it. They stop mentoring adults too, so they "
            "mentor no one and take no new mentees, and moving them back does not tick “I mentor adult listeners” "
            "again. Change again to go ahead.") in asked.page

    page = change_age_group(client, "birch", "teen", "Is 16", follow_redirects=True).page

    assert f"This ended the mentorship between Rowan and Birch. Both people were told why. " \
           f"{ASK_WITHDRAWN_BY_MOVE} {NO_LONGER_ADULTS}" in page


APPROVAL_ENDED_BY_MOVE = "Their approval to mentor teens ended with the move."


def test_an_approval_to_mentor_teens_alone_is_asked_about_before_a_move_to_the_teens(client):
    # The move ended it without asking, and neither the moderator, the log nor Juniper heard of
    # it: moved back, she would stop mentoring teens until an admin approved her again.
    make_moderator()
    juniper = make_mentor("juniper", teens=True, adults=False)
    mentorship = make_mentorship(make_listener("kit", age_group="teen"), juniper)
    client.login("moss")

    asked = client.submit("/mod/users/juniper/age-group", {"age_group": "teen", "reason": "Is 16"})

    assert asked.status_code == 200 and ("Moving @juniper to the teen group ends their approval to mentor teens, "
                                         "and moving them back does not restore it. Change again to go "
                                         "ahead.") in asked.page
    db.session.refresh(juniper)
    assert (juniper.user.age_group, juniper.teens_approved_at is not None) == ("adult", True)
    moved = change_age_group(client, "juniper", "teen", "Is 16", follow_redirects=True)
    assert f"@juniper is now in the teen group. {APPROVAL_ENDED_BY_MOVE}" in moved.page
    db.session.refresh(juniper)
    db.session.refresh(mentorship)
    # A teen mentors teens without one: Kit's mentorship runs on.
    assert (juniper.teens_approved_at, juniper.mentors_teens, mentorship.status) == (None, True, "accepted")
    assert ("Your approval to mentor teens ended because your account moved to the teen spaces, where you mentor "
            "teens without one." in notifications_of(juniper.user))
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "age_group"))
    assert entry.details == f"adult → teen. {APPROVAL_ENDED_BY_MOVE}"


@pytest.mark.parametrize("change", ["move kit to adults", "juniper stops mentoring adults"])
def test_changes_that_keep_a_mentorship_allowed_leave_it_running(client, change):
    make_moderator()
    juniper = make_mentor("juniper", teens=True, adults=True)
    kit = make_listener("kit", age_group="teen")
    mentorship = make_mentorship(kit, juniper)
    before = notifications_of(kit)

    if change == "move kit to adults":
        page = move_to_adults(client, "kit").page
    else:
        page = save_settings(client, "juniper", mentors_adults="", mentors_teens="y").page

    assert "This ended" not in page
    db.session.refresh(mentorship)
    assert (mentorship.status, mentorship.end_reason) == ("accepted", "")
    assert not [message for message in notifications_of(kit) if message not in before and "ended" in message]
    client.login("kit")
    assert "Active" in client.get(f"/mentors/conversations/{mentorship.thread_id}").page
    assert try_to_write(client, mentorship, "Still here, and glad of it").status_code == 302


def test_an_ordinary_close_still_reads_as_closed_by_a_person(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    client.login("rowan")
    path = f"/mentors/requests/{mentorship.id}"
    client.submit(f"{path}/close", {"confirmed": "yes"})
    db.session.refresh(mentorship)
    assert (mentorship.status, mentorship.end_reason) == ("closed", "")
    assert "This mentorship was closed" in client.get(f"/mentors/conversations/{mentorship.thread_id}").page
    assert db.session.scalar(select(func.count(MentorshipRequest.id))) == 1


@pytest.mark.parametrize("username, age_group, group, told", [
    ("indigo", "adult", "teen", "You no longer mentor teens because your account moved to the adult spaces, where an "
                                "admin approves adults before they mentor teens."),
    ("birch", "teen", "adult", "You no longer mentor adults because your account moved to the teen spaces: teen "
                               "mentors mentor teens only."),
])
def test_a_mentor_a_move_leaves_mentoring_no_one_is_asked_about_first(client, username, age_group, group, told):
    # The move unticked whom they mentor without a word: they stopped taking mentees, no one
    # having heard of it, and moved back they still mentored no one.
    make_moderator()
    mentor = make_mentor(username, age_group="teen" if age_group == "adult" else "adult")
    client.login("moss")

    asked = client.submit(f"/mod/users/{username}/age-group", {"age_group": age_group, "reason": "Birthday"})

    assert asked.status_code == 200 and (
        f"Moving @{username} to the {age_group} group stops them mentoring {group}s, so they mentor no one and take "
        f"no new mentees, and moving them back does not tick “I mentor {group} listeners” again. Change again to go "
        "ahead.") in asked.page
    db.session.refresh(mentor)
    assert (mentor.user.age_group != age_group, mentor.accepting) == (True, True)
    moved = change_age_group(client, username, age_group, "Birthday", follow_redirects=True)
    said = f"They stopped mentoring {group}s with the move, so they mentor no one now."
    assert f"@{username} is now in the {age_group} group. {said}" in moved.page
    db.session.refresh(mentor)
    assert (mentor.mentors_teens, mentor.mentors_adults, mentor.accepting) == (False, False, False)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "age_group"))
    assert entry.details.endswith(f" → {age_group}. {said}")
    assert f"{told} {NO_ONE_AFTER}" in notifications_of(mentor.user)


def test_an_approved_mentor_of_both_groups_moved_to_the_teens_is_told_both_in_one_notice(client, mailbox):
    make_moderator()
    juniper = make_mentor("juniper", teens=True, adults=True)
    before = len(notifications_of(juniper.user))
    set_email_kinds(juniper.user, {"moderation"})
    client.login("moss")

    asked = client.submit("/mod/users/juniper/age-group", {"age_group": "teen", "reason": "Is 16"})

    assert ("Moving @juniper to the teen group ends their approval to mentor teens, and moving them back does not "
            "restore it. They stop mentoring adults too, and moving them back does not tick “I mentor adult "
            "listeners” again. Change again to go ahead.") in asked.page
    moved = change_age_group(client, "juniper", "teen", "Is 16", follow_redirects=True)
    assert (f"@juniper is now in the teen group. {APPROVAL_ENDED_BY_MOVE} They stopped mentoring adults with the "
            "move.") in moved.page
    assert notifications_of(juniper.user)[before:] == [
        "Your approval to mentor teens ended because your account moved to the teen spaces, where you mentor teens "
        "without one. You no longer mentor adults: teen mentors mentor teens only.",
        "A moderator moved your account to the teen spaces."]
    # A moderator's doing, emailed as one: not as an admin giving or taking a role or badge.
    bodies = mailbox.bodies_to(juniper.user.email)
    assert [body.splitlines()[0] for body in bodies] == [
        "Your approval to mentor teens ended because your account moved to the teen spaces, where you mentor teens "
        "without one. You no longer mentor adults: teen mentors mentor teens only.",
        "A moderator moved your account to the teen spaces."]
    assert all("You get this email because you chose “A moderator acts on your account or on something you "
               "wrote”" in " ".join(body.split()) for body in bodies)
