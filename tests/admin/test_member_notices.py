"""People hear when an admin gives them a role or badge, or takes one away.

The people (tests/admin/conftest.py): Ada, an admin; Pebble, a member; Moss, a listener
and moderator. Juniper, a mentor, joins where mentoring matters."""
from email.header import decode_header, make_header

from forum.extensions import db
from forum.models.accounts import user_by_username
from tests.factories import make_badge
from tests.html_checks import box_value
from tests.mentors.factories import make_listener, make_mentor, make_mentorship
from tests.training.factories import enrol, make_program, make_trainer


def notifications_page(app, username: str) -> str:
    """What `username` reads on their notifications page."""
    client = app.test_client()
    client.login(username)
    return client.get("/notifications").page


def save_roles(admin, username: str, roles: list[str]):
    """Saved again when the page asks first (taking the mentor role from someone mentoring)."""
    response = admin.submit(f"/admin/users/{username}/roles", {"roles": roles})
    if (agreed := box_value(response.page, "roles_ending")):
        response = admin.submit(f"/admin/users/{username}/roles", {"roles": roles, "ending": agreed})
    return response


def test_a_member_given_roles_reads_what_they_are_now(app, admin):
    save_roles(admin, "pebble", ["member", "trainer", "moderator"])

    assert "You are now a trainer and a moderator here." in notifications_page(app, "pebble")


def test_a_listener_whose_role_is_taken_reads_what_they_are_no_longer(app, admin):
    save_roles(admin, "moss", ["member", "moderator"])

    page = notifications_page(app, "moss")
    assert "You are no longer a listener here." in page
    assert "You are now" not in page


def test_a_mentor_with_no_one_to_mentor_reads_that_they_are_no_longer_a_mentor(app, admin):
    make_mentor("juniper")

    save_roles(admin, "juniper", ["member", "listener"])

    assert notifications_page(app, "juniper").count("You are no longer a mentor here.") == 1


def test_a_mentor_whose_mentorship_ended_hears_it_once_with_the_ending(app, admin):
    """The ending already says "because you are no longer a mentor here": no second notice."""
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    make_mentorship(rowan, juniper)

    save_roles(admin, "juniper", ["member", "listener", "trainer"])

    page = notifications_page(app, "juniper")
    assert "Your mentorship with Rowan ended because you are no longer a mentor here." in page
    assert "You are no longer a mentor here." not in page
    assert "You are now a trainer here." in page


def test_an_awarded_badge_is_announced_with_why(app, admin):
    make_badge("kind-words", "Kind Words", icon="💬")

    admin.submit("/admin/users/pebble/badges", {"badge": "kind-words", "reason": "For gentle replies"})

    assert "You were given the badge 💬 Kind Words. Why: For gentle replies" in notifications_page(app, "pebble")


def test_a_reason_with_a_line_break_is_mailed_on_one_line(app, admin, mailbox):
    make_badge("kind-words", "Kind Words", icon="💬")
    pebble = app.test_client()
    pebble.login("pebble")
    pebble.submit("/settings/notifications", {"email_roles_and_badges": "y"})

    response = admin.submit("/admin/users/pebble/badges", {"badge": "kind-words", "reason": "For gentle\r\nreplies"})

    assert response.status_code == 302
    (mail,) = [m for m in mailbox.messages if m["To"] == "pebble@example.org"]
    assert str(make_header(decode_header(mail["Subject"]))) == "You were given the badge 💬 Kind Words. Why: For gentle replies"
    assert "Why: For gentle replies" in notifications_page(app, "pebble")


def test_a_badge_taken_away_is_announced(app, admin):
    make_badge("kind-words", "Kind Words", icon="💬")
    admin.submit("/admin/users/pebble/badges", {"badge": "kind-words"})

    admin.submit("/admin/users/pebble/badges/kind-words/revoke",
                 {"reason": "Left the listeners' team", "confirmed": "yes"})

    page = notifications_page(app, "pebble")
    assert "You were given the badge 💬 Kind Words." in page
    assert "The badge 💬 Kind Words was taken away from you. Why: Left the listeners' team" in page


def test_the_command_line_tells_people_too(app, runner, people):
    make_badge("kind-words", "Kind Words", icon="💬")

    runner.invoke(args=["grant-role", "pebble", "listener"])
    runner.invoke(args=["award-badge", "pebble", "kind-words", "--reason", "Helped at the meetup"])

    page = notifications_page(app, "pebble")
    assert "You are now a listener here." in page
    assert "You were given the badge 💬 Kind Words. Why: Helped at the meetup" in page


def test_people_can_choose_to_have_these_by_email(app, people):
    client = app.test_client()
    client.login("pebble")

    assert "An admin gives you a role or badge, or takes one away" in client.get("/settings/notifications").page


def test_a_trainee_whose_badge_is_taken_reads_which_programs_it_closes(app, admin):
    make_badge("kind-words", "Kind Words", icon="💬")
    admin.submit("/admin/users/pebble/badges", {"badge": "kind-words"})
    pebble, tova = db.session.scalar(user_by_username("pebble")), make_trainer("tova")
    for title in ("Holding Space", "Group Support Basics", "Listening Well"):
        enrol(pebble, make_program(tova, title=title, required_badge="kind-words" if title != "Listening Well" else ""))

    admin.submit("/admin/users/pebble/badges/kind-words/revoke", {"reason": "Left the team", "confirmed": "yes"})

    page = notifications_page(app, "pebble")
    assert ("The badge 💬 Kind Words was taken away from you. The programs “Group Support Basics” and "
            "“Holding Space” need it, so they are closed to you now; your progress there is kept. "
            "Why: Left the team") in page
    assert "Listening Well" not in page


def test_the_front_page_does_not_lead_a_trainee_into_a_program_their_lost_badge_closed(app, admin):
    """"Continue with" under "Your training" went straight to a locked discussion: the
    program waits for the badge, not for them. A program that needs no badge stays."""
    make_badge("kind-words", "Kind Words", icon="💬")
    admin.submit("/admin/users/pebble/badges", {"badge": "kind-words"})
    pebble, tova = db.session.scalar(user_by_username("pebble")), make_trainer("tova")
    enrol(pebble, make_program(tova, title="Holding Space", required_badge="kind-words"))
    enrol(pebble, make_program(tova, title="Listening Well"))
    client = app.test_client()
    client.login("pebble")
    assert "Continue with" in client.get("/").page.split("Holding Space")[1].split("</li>")[0]

    admin.submit("/admin/users/pebble/badges/kind-words/revoke", {"confirmed": "yes"})

    training = client.get("/").page.split('id="home-continue"')[1].split("</section>")[0]
    assert "Holding Space" not in training
    assert "Listening Well" in training and "Continue with" in training
