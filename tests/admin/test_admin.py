"""Admin pages: only admins, finding people, roles and badges."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.accounts.closing import close_account
from forum.accounts.staff import award_badge, grant_role
from forum.clock import utcnow
from forum.extensions import db
from forum.forms import EXPIRED_BUTTON_MESSAGE
from forum.local_time import local_date
from forum.models.accounts import Badge, User, UserBadge
from forum.models.moderation import AuditEntry
from tests.factories import PASSWORD, make_badge, make_user
from tests.html_checks import box_value, error_beside, first_field_after
from tests.safety.factories import suspend


def user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


PAGES = ["/admin/users", "/admin/users/pebble", "/admin/badges"]
ACTIONS = [
    ("/admin/users/pebble/roles", {"roles": ["member", "admin"]}),
    ("/admin/users/pebble/badges", {"badge": "trained"}),
    ("/admin/users/pebble/badges/trained/revoke", {}),
    ("/admin/badges", {"slug": "sneaky", "name": "Sneaky"}),
]


@pytest.mark.parametrize("path", PAGES)
def test_strangers_are_asked_to_sign_in(client, people, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("who", ["pebble", "moss"])
@pytest.mark.parametrize("path", PAGES)
def test_people_who_are_not_admins_are_refused(app, people, who, path):
    client = app.test_client()
    client.login(who)
    response = client.get(path)
    assert response.status_code == 403
    # Says whose pages these are and whom to ask: "ask a moderator" sent a moderator round in a circle.
    assert "<h1>For admins only</h1>" in response.page
    assert "Only admins can open the admin pages" in response.page and "ask an admin" in response.page
    assert "ask a moderator" not in response.page


@pytest.mark.parametrize("who", [None, "pebble"])
@pytest.mark.parametrize("path, data", ACTIONS)
def test_only_admins_change_anything(app, people, who, path, data):
    make_badge("trained", "Trained")
    client = app.test_client()
    if who:
        client.login(who)

    response = client.submit(path, data)

    assert response.status_code == (302 if who is None else 403)
    assert user("pebble").role_names == {"member"}
    assert db.session.scalar(select(func.count(UserBadge.id))) == 0
    assert db.session.scalar(select(func.count(Badge.id))) == 1


def test_admins_reach_every_admin_page(admin):
    for path in PAGES:
        assert admin.get(path).status_code == 200, path


def test_header_offers_admin_pages_only_to_admins(app, people, admin):
    assert ">Admin</a>" in admin.get("/").page
    pebble = app.test_client()
    pebble.login("pebble")
    assert ">Admin</a>" not in pebble.get("/").page


# Finding people

def listed(response) -> list[str]:
    """Usernames in the result table, in order."""
    return re.findall(r'<td><a href="/admin/users/(\w+)">', response.text)


@pytest.fixture
def kit(app):
    """A teen whose display name holds a percent sign."""
    return make_user("kit", age_group="teen", display_name="Kit 100% here")


def test_everyone_is_listed_without_a_query(admin, kit):
    assert listed(admin.get("/admin/users")) == ["ada", "kit", "moss", "pebble"]


@pytest.mark.parametrize("query, found", [
    ("peb", ["pebble"]),
    ("PEBBLE", ["pebble"]),
    ("moss@example", ["moss"]),
    ("@pebble", ["pebble"]),  # as every page writes a username
    ("@example.org", ["ada", "kit", "moss", "pebble"]),  # an address's domain still finds
    ("100%", ["kit"]),
    ("%", ["kit"]),  # a percent sign, not everyone
    ("_", []),
    ("a%e", []),
    ("\\", []),
    ("nobody", []),
])
def test_find_a_person(admin, kit, query, found):
    response = admin.get("/admin/users", query_string={"q": query})
    assert response.status_code == 200
    assert listed(response) == found
    if not found:
        assert f'Nobody matches "{query}".' in response.page


@pytest.mark.parametrize("query", ["wren teen", "Wren  Teen", "wren_teen", "@wren teen"])
def test_a_space_finds_the_underscore_in_a_username(admin, query):
    # Usernames have no spaces: "wren teen" is how a person says wren_teen.
    make_user("wren_teen", age_group="teen", display_name="Wren")
    assert listed(admin.get("/admin/users", query_string={"q": query})) == ["wren_teen"]


def test_a_page_past_the_last_leads_back_rather_than_saying_nobody_matches(admin, kit):
    """An old link or a typed number past the end: everyone is still there, on page 1."""
    response = admin.get("/admin/users", query_string={"page": 9})
    assert response.status_code == 200
    assert "Nobody matches" not in response.page
    assert "There is only 1 page:" in response.page
    assert '<a href="/admin/users?page=1">go to the last</a>' in response.text

    response = admin.get("/admin/users", query_string={"q": "peb", "page": 3})
    assert "Nobody matches" not in response.page
    assert '<a href="/admin/users?page=1&amp;q=peb">go to the last</a>' in response.text


def test_nul_in_the_query_is_refused_plainly(admin):
    response = admin.get("/admin/users", query_string={"q": "peb\x00"})
    assert response.status_code == 400
    assert "NUL character" in response.page


def test_long_queries_are_cut_short_not_refused(admin):
    response = admin.get("/admin/users", query_string={"q": "peb" + "x" * 500})
    assert response.status_code == 200
    assert listed(response) == []


def row_of(page: str, username: str) -> str:
    """The People list's row of `username`, as text."""
    row = re.search(rf'<tr>\s*<td><a href="/admin/users/{username}">.*?</tr>', page, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", row).split())


def test_people_and_a_persons_page_say_who_is_suspended_or_whose_account_is_closed(admin, people, kit,
                                                                                   count_queries):
    with count_queries() as nobody_stopped:
        admin.get("/admin/users")
    suspend(people["pebble"], by=people["ada"], days=3)
    suspend(people["moss"], by=people["ada"], days=1)
    user("moss").suspended_until = utcnow() - timedelta(minutes=1)  # it ran out
    db.session.commit()
    close_account(kit, PASSWORD, remove_writing=False)
    until = local_date(user("pebble").suspended_until)

    with count_queries() as some_stopped:
        page = admin.get("/admin/users").page
    assert some_stopped.count == nobody_stopped.count
    assert f"Suspended until {until}" in row_of(page, "pebble")
    assert "Account closed" in row_of(page, f"former-{kit.id}")
    assert "Suspended" not in row_of(page, "moss") and "closed" not in row_of(page, "moss")
    assert f"Suspended until {until}" in admin.get("/admin/users/pebble").page
    assert "Account closed" in admin.get(f"/admin/users/former-{kit.id}").page
    assert "Suspended" not in admin.get("/admin/users/moss").page


def test_unknown_person_is_a_404(admin):
    assert admin.get("/admin/users/nobody_here").status_code == 404


# Roles

def test_change_roles(admin):
    response = admin.submit("/admin/users/pebble/roles", {"roles": ["member", "listener", "moderator"]})

    assert response.headers["Location"] == "/admin/users/pebble"
    assert "Pebble is now a listener and a moderator." in admin.get("/admin/users/pebble").page
    assert user("pebble").role_names == {"member", "listener", "moderator"}
    assert '<span class="role role-moderator">moderator</span>' in admin.get("/users/pebble").page


def test_taking_roles_away(admin):
    admin.submit("/admin/users/moss/roles", {"roles": ["member", "admin"]})
    assert "Moss is now an admin, and no longer a listener or a moderator." in admin.get("/admin/users/moss").page
    assert user("moss").role_names == {"member", "admin"}
    assert "role-moderator" not in admin.get("/users/moss").page


def test_saving_roles_unchanged_says_nothing_changed(admin):
    admin.submit("/admin/users/moss/roles", {"roles": ["member", "listener", "moderator"]})
    page = admin.get("/admin/users/moss").page
    assert "Nothing changed." in page and "is now" not in page
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_the_roles_boxes_say_what_ticking_means_under_the_roles_heading(admin):
    page = admin.get("/admin/users/moss").page
    assert "<h2>Roles</h2>" in page
    assert "<legend>Tick every role Moss should have</legend>" in page


def test_an_admin_cannot_take_the_admin_role_from_themselves(admin):
    """Ada unticking her own admin box would lock her out of the page she is on (and could
    leave the forum with no admin); another admin, or the command line, can do it."""
    response = admin.submit("/admin/users/ada/roles", {"roles": ["member", "moderator"]})

    assert response.status_code == 200
    assert "You can't take the admin role from yourself" in response.page
    assert user("ada").role_names == {"member", "admin"}
    assert admin.get("/admin/users").status_code == 200  # still an admin
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_an_admin_still_changes_their_other_roles(admin):
    admin.submit("/admin/users/ada/roles", {"roles": ["member", "admin", "moderator"]})
    assert user("ada").role_names == {"member", "admin", "moderator"}


def test_unknown_role_is_refused(admin):
    response = admin.submit("/admin/users/pebble/roles", {"roles": ["member", "wizard"]})
    assert response.status_code == 200
    assert "is not a valid choice" in response.page
    assert user("pebble").role_names == {"member"}


def test_roles_saved_from_a_page_opened_before_another_admin_changed_them_do_not_undo_it_unseen(admin, people):
    # Ada opened Moss's roles; meanwhile another admin made Moss a mentor. Ada then unticked
    # "listener" and saved: the mentor role, unticked on her page, went too, without a word
    # (and with it Moss's mentorships), undoing the other admin's decision.
    opened = admin.get("/admin/users/moss").page
    assert box_value(opened, "roles_opened_with") == "listener,member,moderator"
    grant_role(user("moss"), "mentor", by=None)  # another admin, meanwhile
    wanted = {"roles": ["member", "moderator"], "opened_with": "listener,member,moderator"}
    stale = admin.submit("/admin/users/moss/roles", wanted)
    assert stale.status_code == 409
    assert ("Someone else changed moss's roles since you opened this page: they are now member, listener, "
            "mentor, moderator.") in stale.page
    assert user("moss").role_names == {"member", "listener", "mentor", "moderator"}
    assert box_value(stale.page, "roles_opened_with") == "listener,member,mentor,moderator"
    # Having seen it, saving again is her decision, and goes through.
    again = admin.submit("/admin/users/moss/roles", {"roles": ["member", "mentor", "moderator"],
                                                    "opened_with": box_value(stale.page, "roles_opened_with")})
    assert again.status_code == 302
    assert user("moss").role_names == {"member", "mentor", "moderator"}


def test_roles_form_shows_the_current_roles(admin):
    page = admin.get("/admin/users/moss").text
    ticked = re.findall(r'<input checked id="roles-\d" name="roles" type="checkbox" value="(\w+)"', page)
    assert ticked == ["member", "listener", "moderator"]


# Badges

def test_create_a_badge(admin):
    response = admin.submit("/admin/badges", {"slug": "group-basics", "name": "Group Basics",
                                              "description": "Finished the group support course.", "icon": "🌱"})

    assert response.headers["Location"] == "/admin/badges"
    page = admin.get("/admin/badges").page
    assert "Badge Group Basics created." in page
    assert '<span aria-hidden="true">🌱</span> Group Basics' in page
    badge = db.session.scalar(select(Badge))
    assert (badge.slug, badge.name, badge.icon) == ("group-basics", "Group Basics", "🌱")


def test_a_badge_sent_twice_is_created_once_and_said_so(admin):
    # A double-click on Create: the second send answered "A badge with that short name
    # exists already." beside the form, as if the badge had not been made.
    fields = {"slug": "group-basics", "name": "Group Basics", "description": "Finished it.", "icon": "🌱"}
    token = admin.csrf_token()
    first = admin.post("/admin/badges", data={**fields, "csrf_token": token})
    again = admin.post("/admin/badges", data={**fields, "csrf_token": token})
    assert first.status_code == again.status_code == 302
    assert "Badge Group Basics created." in admin.get(again.headers["Location"]).page
    assert db.session.scalar(select(func.count(Badge.id))) == 1
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "badge_create")) == 1
    # Another badge under the same short name is still refused.
    refused = admin.submit("/admin/badges", {**fields, "name": "Group Basics II"})
    assert "A badge with that short name exists already." in refused.page


@pytest.mark.parametrize("slug, message", [
    ("has space", "Use 2 to 40 lower-case letters, digits or dashes."),
    ("under_score", "Use 2 to 40 lower-case letters, digits or dashes."),
    ("émoji", "Use 2 to 40 lower-case letters, digits or dashes."),
    ("trained", "A badge with that short name exists already."),
    ("TRAINED", "A badge with that short name exists already."),
    ("x", "Use 2 to 40 characters (this is 1)."),
    ("", "Give a short name."),
])
def test_bad_badge_short_name_is_explained(admin, slug, message):
    make_badge("trained", "Trained")

    response = admin.submit("/admin/badges", {"slug": slug, "name": "Group Basics"})

    assert response.status_code == 200
    assert message in response.page
    assert 'value="Group Basics"' in response.page
    assert db.session.scalar(select(func.count(Badge.id))) == 1


def test_award_and_revoke_a_badge(admin):
    make_badge("trained", "Trained", icon="🎓")

    response = admin.submit("/admin/users/pebble/badges", {"badge": "trained", "reason": "Finished the course"})

    assert response.headers["Location"] == "/admin/users/pebble"
    assert "pebble now holds Trained." in admin.get("/admin/users/pebble").page
    assert '<span aria-hidden="true">🎓</span> Trained' in admin.get("/users/pebble").page
    held = db.session.scalar(select(UserBadge))
    assert (held.user.username, held.reason, held.awarded_by_id) == ("pebble", "Finished the course", user("ada").id)

    too_long = "Stopped training others; " * 8 + "x"  # 201 characters
    response = admin.submit("/admin/users/pebble/badges/trained/revoke", {"reason": too_long})

    assert response.status_code == 200  # told beside the badge's box, what was typed kept to shorten
    assert error_beside(response.page, "revoke-reason-trained") == "Keep it to 200 characters or fewer (this is 201)."
    assert box_value(response.page, "revoke-reason-trained") == too_long
    assert db.session.scalar(select(func.count(UserBadge.id))) == 1

    # One click took it and told Pebble at once: the button asks first, in a dialog
    # (forum.js reads the form's question) or, without JavaScript, on a page of its own.
    question = "Take Trained away from Pebble?"
    assert f'data-confirm="{question} Pebble is told at once' in admin.get("/admin/users/pebble").page
    asked = admin.submit("/admin/users/pebble/badges/trained/revoke", {"reason": "Stopped training others"})

    assert f"<h1>{question}</h1>" in asked.page
    assert 'value="Stopped training others"' in asked.page  # sent with the answer
    # "Keep the badge" comes back to the person's page with the reason still in the badge's box,
    # and the browser lands at that badge, not at the top of a long page (#badge-trained).
    assert ('formaction="/admin/users/pebble/badges/trained/revoke#badge-trained" name="confirmed" value="no">'
            'Keep the badge</button>') in asked.page
    kept = admin.submit("/admin/users/pebble/badges/trained/revoke",
                        {"reason": "Stopped training others", "confirmed": "no"})
    assert kept.status_code == 200 and box_value(kept.page, "revoke-reason-trained") == "Stopped training others"
    assert first_field_after(kept.page, "badge-trained") == "revoke-reason-trained"
    assert db.session.scalar(select(func.count(UserBadge.id))) == 1
    response = admin.submit("/admin/users/pebble/badges/trained/revoke",
                            {"reason": "Stopped training others", "confirmed": "yes"})

    assert "Trained taken from pebble." in admin.get(response.headers["Location"]).page
    assert "🎓 Trained" not in admin.get("/users/pebble").page
    assert db.session.scalar(select(func.count(UserBadge.id))) == 0
    revoked = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "badge_revoke"))
    assert (revoked.reason, revoked.details) == ("Stopped training others", "Trained (trained)")


def test_each_take_away_button_names_its_badge_to_a_screen_reader(admin):
    """Read out of context (a list of buttons), "Take away, Take away" does not say which badge goes."""
    for slug, name in (("trained", "Trained"), ("kind", "Kind words")):
        award_badge(user("pebble"), make_badge(slug, name), by=user("ada"))
    page = admin.get("/admin/users/pebble").page
    for name in ("Trained", "Kind words"):
        assert f'Take away<span class="visually-hidden"> {name}</span></button>' in page


def test_awarding_twice_keeps_one(admin):
    make_badge("trained", "Trained")
    for _ in range(2):
        response = admin.submit("/admin/users/pebble/badges", {"badge": "trained"})
    assert "pebble already holds Trained." in admin.get(response.headers["Location"]).page
    assert db.session.scalar(select(func.count(UserBadge.id))) == 1


def test_the_award_form_offers_only_the_badges_they_do_not_hold(admin, count_queries):
    """Offered a badge Pebble holds, an admin who chose it was only told she holds it."""
    trained, kind = make_badge("trained", "Trained"), make_badge("kind", "Kind words")
    make_badge("calm", "Calm")
    award_badge(user("pebble"), trained, by=user("ada"))
    with count_queries() as one_held:
        page = admin.get("/admin/users/pebble").page
    assert re.findall(r'<option value="([\w-]+)"', page) == ["calm", "kind"]
    for badge in (kind, db.session.scalar(select(Badge).where(Badge.slug == "calm"))):
        award_badge(user("pebble"), badge, by=user("ada"))
    with count_queries() as all_held:
        page = admin.get("/admin/users/pebble").page
    assert all_held.count == one_held.count  # however many badges they hold
    assert "Award badge" not in page and "<option" not in page
    assert "Pebble holds every badge there is." in page and 'href="/admin/badges">Create a badge</a>' in page


def test_taking_away_a_badge_already_gone_says_so(admin):
    """A double-click on "Take away", or another admin who took it first: nothing was taken."""
    award_badge(user("pebble"), make_badge("trained", "Trained"), by=user("ada"))
    for _ in range(2):  # each answer read before the next press, as a second admin would
        response = admin.submit("/admin/users/pebble/badges/trained/revoke", {"confirmed": "yes"})
        page = admin.get(response.headers["Location"]).page
    assert "pebble does not hold Trained (any more)." in page
    assert "Trained taken from pebble." not in page
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "badge_revoke")) == 1


def test_the_award_form_waits_for_a_badge_to_be_chosen(admin):
    """Awarding tells the person at once: a press with no badge chosen gave them the first on the list."""
    make_badge("calm", "Calm")
    make_badge("trained", "Trained")
    page = admin.get("/admin/users/pebble").page
    assert re.findall(r'<option[^>]*value="([\w-]*)"', page) == ["", "calm", "trained"]
    assert "selected" not in page.split('id="badge"')[1].split("</select>")[0]
    # The list is required: unless the form leaves checking to the forum, the browser stops the
    # press with its own bubble ("Please select an item in the list.") and "Choose a badge." is never said.
    [award_form] = re.findall(r'<form[^>]*action="/admin/users/pebble/badges"[^>]*>', page)
    assert "novalidate" in award_form

    response = admin.submit("/admin/users/pebble/badges", {"badge": "", "reason": "Finished the course"})

    assert response.status_code == 200
    assert error_beside(response.page, "badge") == "Choose a badge."
    assert box_value(response.page, "reason") == "Finished the course"
    assert db.session.scalar(select(func.count(UserBadge.id))) == 0


def test_awarding_an_unknown_badge_is_refused(admin):
    make_badge("trained", "Trained")
    response = admin.submit("/admin/users/pebble/badges", {"badge": "imaginary"})
    assert response.status_code == 200
    assert "Choose one of the options in the list." in response.page
    assert db.session.scalar(select(func.count(UserBadge.id))) == 0


def test_revoking_an_unknown_badge_is_a_404(admin):
    response = admin.submit("/admin/users/pebble/badges/imaginary/revoke")
    assert response.status_code == 404


# A suspended admin

def held_badges() -> set[tuple[str, str]]:
    return {(held.user.username, held.badge.slug) for held in db.session.scalars(select(UserBadge))}


# Each admin action: where it is sent from, what is sent, what it changes, and what was typed.
SUSPENDED_ATTEMPTS = {
    "roles": ("/admin/users/pebble", "/admin/users/pebble/roles", {"roles": ["member", "admin"]},
              lambda: user("pebble").role_names, None),
    "award a badge": ("/admin/users/pebble", "/admin/users/pebble/badges",
                      {"badge": "trained", "reason": "Finished the course"}, held_badges, "Finished the course"),
    "take a badge away": ("/admin/users/kit", "/admin/users/kit/badges/trained/revoke",
                          {"reason": "Stopped training others", "confirmed": "yes"}, held_badges,
                          "Stopped training others"),
    "create a badge": ("/admin/badges", "/admin/badges", {"slug": "group-basics", "name": "Group Basics"},
                       lambda: set(db.session.scalars(select(Badge.slug))), "Group Basics"),
}


@pytest.mark.parametrize("name", SUSPENDED_ATTEMPTS)
def test_a_suspended_admin_reads_but_changes_nothing_until_it_ends(app, people, name):
    """Nobody suspends an admin, but Moss was suspended as a moderator and then made an
    admin; the suspension holds for the new role too, as it does for every other."""
    page, path, data, state, typed = SUSPENDED_ATTEMPTS[name]
    ada, moss = user("ada"), user("moss")
    award_badge(make_user("kit"), make_badge("trained", "Trained"), by=ada)
    suspend(moss, by=ada)
    grant_role(moss, "admin", by=ada)
    before = state()
    client = app.test_client()
    client.login("moss")
    assert client.get(page).status_code == 200  # she still reads the admin pages

    response = client.submit(path, data)

    if response.status_code == 302:  # a button with nothing typed: back to the page, told why
        assert response.headers["Location"] == page
        response = client.get(page)
    assert response.status_code == 200
    # Said where the answer to a button goes (the banner above every page says it too).
    assert re.search(r'role="alert">\s*(<p>)?Your account is suspended until', response.page)
    # and says what she can't do as an admin, not what a member can't
    assert "you can read the admin pages but not change roles or badges." in response.page
    assert "write reviews" not in response.page.split('role="alert"')[1].split("</")[0]
    if typed:
        assert typed in response.page  # nothing typed is lost
    assert state() == before
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.actor_id == moss.id)) == 0

    user("moss").suspended_until = utcnow() - timedelta(minutes=1)  # it ran out
    db.session.commit()
    assert client.submit(path, data).status_code == 302
    assert state() != before


def test_revoking_from_an_expired_page_says_so_and_keeps_the_badge(admin):
    make_badge("trained", "Trained")
    admin.submit("/admin/users/pebble/badges", {"badge": "trained"})

    response = admin.post("/admin/users/pebble/badges/trained/revoke",
                          data={"csrf_token": "expired", "reason": "Stopped training others"})

    page = admin.get(response.location).page if response.status_code == 302 else response.page
    assert EXPIRED_BUTTON_MESSAGE in page
    assert "Your reason, to send again: “Stopped training others”" in page
    assert box_value(page, "revoke-reason-trained") == "Stopped training others"
    assert "taken from" not in page
    assert db.session.scalar(select(func.count(UserBadge.id))) == 1


def test_a_closed_account_is_given_no_roles_or_badges(admin, people):
    pebble = people["pebble"]
    make_badge("trained", "Trained")
    close_account(pebble, PASSWORD, remove_writing=False)
    page = admin.get(f"/admin/users/former-{pebble.id}").page
    assert "This account is closed: it can't be given roles or badges." in page
    assert "Save roles" not in page and "Award badge" not in page
    roles = admin.submit(f"/admin/users/former-{pebble.id}/roles", {"roles": ["member", "moderator"]})
    assert "This account is closed" in roles.page
    badge = admin.submit(f"/admin/users/former-{pebble.id}/badges", {"badge": "trained"})
    assert "This account is closed" in badge.page
    closed = db.session.get(User, pebble.id)
    assert closed.role_names == set() and closed.badges == []
    assert not db.session.scalars(select(AuditEntry).where(AuditEntry.action.in_(["roles", "badge_award"]))).all()
