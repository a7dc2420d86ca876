"""Moderators clear an offensive profile: the bio goes, the display name goes back to the
username; a reason is asked, the member is told why, and the audit log keeps it."""
import pytest
from sqlalchemy import func, select

from forum.accounts.services import update_profile
from forum.extensions import db
from forum.models.accounts import User
from forum.models.moderation import AuditEntry, Flag
from tests.factories import make_user
from tests.html_checks import box_value, error_beside, error_summary, first_field_after
from tests.safety.factories import make_flag, make_moderator, suspend

OFFENSIVE_BIO = "Everyone here is a worthless idiot."


def _person(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


@pytest.fixture
def ana(app):
    ana = make_user("ana")
    update_profile(ana, display_name="Total Jerk", bio_md=OFFENSIVE_BIO)
    return ana


def test_a_moderator_clears_a_profile_and_the_member_is_told_why(client, ana):
    moss = make_moderator()
    make_flag(make_user("ben"), ana, "Insulting bio")
    make_flag(make_user("cyd"), ana, "Her bio says goodbye to everyone", urgent=True)
    client.login("moss")
    page = client.get("/mod/users/ana").page
    assert OFFENSIVE_BIO in page and "Clear the profile" in page
    response = client.submit("/mod/users/ana/profile", {"remove_bio": "y", "reset_name": "y",
                                                        "reason": "Insults other members", "confirmed": "yes"})
    assert response.status_code == 302
    stored = _person("ana")
    assert (stored.bio_md, stored.bio_html, stored.display_name) == ("", "", "ana")
    assert stored.closed_at is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "clear_profile"))
    assert (entry.actor_id, entry.target_type, entry.target_id, entry.reason) == (
        moss.id, "profile", ana.id, "Insults other members")
    assert "bio removed" in entry.details and "Total Jerk" in entry.details
    assert entry.details.endswith("; closed 2 flags, 1 saying someone may be in danger")
    assert set(db.session.scalars(select(Flag.status))) == {"resolved"}
    assert OFFENSIVE_BIO not in client.get("/users/ana").page
    assert "Cleared the profile" in client.get("/mod/users/ana").page
    client.logout()
    client.login("ana")
    notices = client.get("/notifications").page
    assert "A moderator removed your bio and reset your display name" in notices
    assert "Insults other members" in notices


def test_a_moderator_can_remove_only_the_bio_and_is_asked_first(client, ana):
    make_moderator()
    client.login("moss")
    # The bio is kept nowhere (the log notes only "bio removed"), so ticking it asks first: in a
    # dialog (forum.js reads the box's data-confirm), or without JavaScript on a page of its own
    # that keeps what was sent.
    question = "Remove the bio of @ana for good?"
    assert f'data-confirm="{question}' in client.get("/mod/users/ana").page
    # Come from the queue's second page: confirming goes back there, as one press would have.
    action = "/mod/users/ana/profile?back=/mod?page%3D2"
    asked = client.submit(action, {"remove_bio": "y", "reason": "Insults"})
    assert asked.status_code == 200 and f"<h1>{question}</h1>" in asked.page
    assert 'name="reason" value="Insults"' in asked.page and 'name="remove_bio" value="y"' in asked.page
    assert 'name="reset_name"' not in asked.page and f'<form method="post" action="{action}">' in asked.page
    # "Keep the bio" comes back to the person's page with the reason still in its box, nothing removed,
    # the browser landing at the Profile form as its own button's answers do (#profile-heading).
    assert f'formaction="{action}#profile-heading" name="confirmed" value="no">Keep the bio</button>' in asked.page
    kept = client.submit(action, {"remove_bio": "y", "reason": "Insults", "confirmed": "no"})
    assert kept.status_code == 200 and box_value(kept.page, "profile-reason") == "Insults"
    assert first_field_after(kept.page, "profile-heading") == "remove_bio"
    assert 'href="/mod?page=2"><span aria-hidden="true">←</span> Moderation queue</a>' in kept.page
    assert _person("ana").bio_md == OFFENSIVE_BIO
    sent = {"remove_bio": "y", "reason": "Insults", "confirmed": "yes"}
    done = client.submit(action, sent)
    assert done.status_code == 302 and done.location == "/mod/users/ana?back=/mod?page%3D2"
    stored = _person("ana")
    assert (stored.bio_md, stored.display_name) == ("", "Total Jerk")


@pytest.mark.parametrize("data, message", [
    ({"remove_bio": "y", "reset_name": "y", "reason": ""}, "Say why; the person is told."),
    ({"reason": "Insults"}, "Choose what to remove"),
])
def test_clearing_needs_a_reason_and_a_choice_and_keeps_what_was_typed(client, ana, data, message):
    make_moderator()
    client.login("moss")
    response = client.submit("/mod/users/ana/profile", data)
    assert response.status_code == 422 and message in response.page
    if data["reason"]:
        assert 'value="Insults"' in response.page
    stored = _person("ana")
    assert (stored.bio_md, stored.display_name) == (OFFENSIVE_BIO, "Total Jerk")
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "clear_profile")) == 0


@pytest.mark.parametrize("data, message", [
    ({"remove_bio": "y"}, "They have no bio to remove."),
    ({"reset_name": "y"}, "Their display name is already their username."),
])
def test_clearing_what_is_not_there_is_refused_and_nobody_is_told(client, data, message):
    """A member with no bio, or shown by their username already, was told a moderator had
    removed their bio or reset their name, when nothing of theirs had changed."""
    make_user("ben", display_name="ben")
    make_moderator()
    client.login("moss")
    response = client.submit("/mod/users/ben/profile", {**data, "reason": "Spam"})
    assert response.status_code == 422 and message in response.page and 'value="Spam"' in response.page
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "clear_profile")) == 0
    client.logout()
    client.login("ben")
    assert "A moderator" not in client.get("/notifications").page


def test_removing_the_bio_is_offered_only_for_someone_who_has_one(client, ana):
    """Ticked for someone with no bio, it was refused ("They have no bio to remove")."""
    make_user("ben", display_name="Benny")
    make_moderator()
    client.login("moss")
    assert 'name="remove_bio"' in client.get("/mod/users/ana").page
    page = client.get("/mod/users/ben").page
    assert 'name="remove_bio"' not in page and 'name="reset_name"' in page
    # Sent with nothing ticked, the message stands beside the one box there is.
    refused = client.submit("/mod/users/ben/profile", {"reason": "Spam"})
    assert refused.status_code == 422 and 'name="remove_bio"' not in refused.page
    assert error_beside(refused.page, "reset_name") == "Tick this to clear the profile (they have no bio)."
    assert error_summary(refused.page) == [("reset_name", "Put the display name back to the username: tick this to "
                                                          "clear the profile (they have no bio).")]


def test_the_name_is_offered_only_when_it_is_not_the_username_and_the_form_only_when_something_is(client):
    """Ticked for someone shown by their username, "Put the display name back" was refused; for
    someone with neither a bio nor a name of their own, the whole form could do nothing."""
    update_profile(make_user("ben", display_name="ben"), display_name="ben", bio_md="Buy cheap pills.")
    make_user("cyd", display_name="cyd")
    make_moderator()
    client.login("moss")
    page = client.get("/mod/users/ben").page
    assert 'name="remove_bio"' in page and 'name="reset_name"' not in page
    refused = client.submit("/mod/users/ben/profile", {"reason": "Spam"})
    assert refused.status_code == 422 and 'name="reset_name"' not in refused.page
    assert error_beside(refused.page, "remove_bio") == ("Tick this to clear the profile "
                                                        "(their display name is their username).")
    page = client.get("/mod/users/cyd").page
    assert "/mod/users/cyd/profile" not in page and "Clear the profile" not in page
    assert "Nothing to clear: they have no bio, and their display name is their username." in page
    # Sent from a page opened before that was so: refused, and nobody is told.
    refused = client.submit("/mod/users/cyd/profile", {"reason": "Spam"})
    assert refused.status_code == 422 and "Nothing to clear" in refused.page
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "clear_profile")) == 0


def test_a_refused_form_on_the_persons_page_comes_back_scrolled_to_its_message(client, ana):
    """The person's page is long (suspension, profile, age group, history): on a phone a
    refusal at the top of the page left the moderator looking at the suspension form,
    with the message to read a screen further down. Each form posts to its own section."""
    make_moderator()
    client.login("moss")
    page = client.get("/mod/users/ana").page
    for path, section in (("profile", "profile-heading"), ("suspend", "suspension-heading"),
                          ("age-group", "age-heading")):
        assert f'action="/mod/users/ana/{path}#{section}"' in page and f'id="{section}"' in page
    refused = client.submit("/mod/users/ana/profile", {"reason": "Insults"}).page
    assert 'action="/mod/users/ana/profile#profile-heading"' in refused


def test_a_moderator_cannot_clear_a_colleague_but_an_admin_can(client):
    mila = make_moderator("mila")
    update_profile(mila, display_name="Mila M", bio_md="Mila's own words")
    make_moderator()
    make_user("ada", role="admin")
    client.login("moss")
    assert "Clear the profile" not in client.get("/mod/users/mila").page
    response = client.submit("/mod/users/mila/profile", {"remove_bio": "y", "reason": "x"})
    assert response.status_code == 403
    assert _person("mila").bio_md == "Mila's own words"
    client.logout()
    client.login("ada")
    sent = {"remove_bio": "y", "reason": "x", "confirmed": "yes"}
    assert client.submit("/mod/users/mila/profile", sent).status_code == 302
    assert _person("mila").bio_md == ""


def test_members_and_suspended_moderators_cannot_clear_a_profile(client, ana):
    make_user("ben")
    make_moderator()
    client.login("ben")
    token = client.csrf_token()
    assert client.post("/mod/users/ana/profile", data={"remove_bio": "y", "reason": "x",
                                                       "csrf_token": token}).status_code == 403
    client.logout()
    suspend(_person("moss"), by=make_user("ada", role="admin"))
    client.login("moss")
    assert "Clear the profile" not in client.get("/mod/users/ana").page
    response = client.submit("/mod/users/ana/profile", {"remove_bio": "y", "reason": "x"})
    assert response.status_code == 403 and "suspended" in response.page
    assert _person("ana").bio_md == OFFENSIVE_BIO
