"""Every route, for every kind of person: the answer each one gets.

ROUTES has one entry per endpoint. A new route without an entry fails
`test_every_endpoint_has_an_entry`; to add one, write its path with fields of the world
(`"/posts/{post.id}/edit"`, see `build_world`; the parts' entries and what they need are
in tests/safety/part_routes.py) and what each persona gets for GET and/or POST: a status
code, or LOGIN for "sent to the sign-in page". Helpers say it briefly (tests/safety/
route_table.py): `everyone(200)`, `signed_in(302)`, `staff_only(200)`, `admin_only(302)`,
or `expect(default, teen=404, ...)` for anything else. Form data (names and values) may
use the world's fields and `{persona}`. The personas ask one after another in one world;
mark a route `isolate=True` when one persona's POST would change the next one's answer.
"""
import re
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from sqlalchemy import event, select

from forum.accounts.registration import _hash
from forum.accounts.staff import award_badge
from forum.extensions import db
from forum.forms import EXPIRED_BUTTON_MESSAGE, EXPIRED_MESSAGE
from forum.models.accounts import PendingRegistration
from forum.models.posts import Notification
from tests.database import empty_all_tables
from tests.factories import PASSWORD, make_badge, make_post, make_thread, make_user
from tests.safety.factories import make_flag
from tests.safety.part_routes import PART_ROUTES, PART_WORLDS, build_part_world
from tests.safety.route_table import (
    LOGIN, PERSONAS, Route, admin_only, everyone, signed_in, signed_out_only, staff_only, succeeds,
)

CONFIRM_TOKEN = "a-pending-registration-token"

ROUTES: dict[str, Route] = {
    "static": Route("/static/css/forum.css", get=everyone(200)),
    "home.index": Route("/", get=everyone(200)),
    "home.help_now": Route("/help", get=everyone(200)),
    "ops.healthz": Route("/healthz", get=everyone(200)),
    "search.index": Route("/search?q=hello&part=threads", get=everyone(200)),
    # Accounts
    "accounts.register": Route("/register", get=signed_out_only(200), post=everyone(302), data={
        "username": "table_newcomer", "email": "newcomer@example.org", "password": PASSWORD, "age_group": "adult"}),
    "accounts.registration_sent": Route("/register/sent", get=everyone(200)),
    "accounts.confirm_registration": Route(f"/register/confirm/{CONFIRM_TOKEN}", get=everyone(200), post=everyone(302),
                                           isolate=True),
    "accounts.login": Route("/login", get=signed_out_only(200), post=signed_out_only(200),
                            data={"login": "author", "password": "not the password"}),
    # Pressed once already signed out (another tab, a session ended elsewhere): signed out, not sent to sign in.
    "accounts.logout": Route("/logout", post=everyone(302)),
    "accounts.reset_request": Route("/reset", get=everyone(200), post=everyone(302), data={"email": "a@example.org"}),
    "accounts.reset_password": Route("/reset/not-a-real-token", get=everyone(302), post=everyone(302)),
    "accounts.profile": Route("/users/{author.username}", get=everyone(200)),
    "accounts.edit_profile": Route("/settings/profile", get=signed_in(200), post=signed_in(302),
                                   data={"display_name": "Renamed", "bio": "Hello"}),
    "accounts.settings": Route("/settings/account", get=signed_in(200)),
    "accounts.change_password": Route("/settings/password", post=signed_in(302), csrf_field="pw-csrf_token", data={
        "pw-current_password": PASSWORD, "pw-password": "another long passphrase"}),
    "accounts.sign_out_elsewhere": Route("/settings/sign-out-elsewhere", post=signed_in(302)),
    "accounts.download_writing": Route("/settings/writing.csv", post=signed_in(200)),
    "accounts.change_time_zone": Route("/settings/time-zone", post=signed_in(302), data={"time_zone": "Europe/Lisbon"}),
    "accounts.change_email": Route("/settings/email", post=signed_in(302), csrf_field="em-csrf_token", data={
        "em-email": "changed_{persona}@example.org", "em-password": PASSWORD}),
    # The only admin of the table is asked to hand the role over first: the page says so, refusing.
    "accounts.close_account": Route("/settings/close", get=signed_in(200), post=signed_in(302, admin=403), data={
        "writing": "keep", "password": PASSWORD, "understood": "y"}),
    "accounts.confirm_email_change": Route("/settings/email/confirm/not-a-real-token", get=everyone(302),
                                           post=everyone(302)),
    # Admin
    "admin.users": Route("/admin/users", get=admin_only(200)),
    "admin.user": Route("/admin/users/{author.username}", get=admin_only(200)),
    "admin.update_roles": Route("/admin/users/{author.username}/roles", post=admin_only(302),
                                data={"roles": "listener"}),
    "admin.award_badge": Route("/admin/users/{author.username}/badges", post=admin_only(302), data={"badge": "calm"}),
    "admin.teen_mentoring": Route("/admin/users/{mentor.username}/teen-mentoring", post=admin_only(302),
                                  data={"approve": "1", "reason": "From the table"}),
    "admin.decline_teen_mentoring": Route("/admin/users/{mentor.username}/teen-mentoring/decline",
                                          post=admin_only(302), data={"reason": "From the table"}),
    "admin.revoke_badge": Route("/admin/users/{author.username}/badges/calm/revoke", post=admin_only(302),
                                data={"reason": "From the table", "confirmed": "yes"}),
    "admin.badges": Route("/admin/badges", get=admin_only(200), post=admin_only(302),
                          data={"slug": "table-badge", "name": "Table badge"}),
    # Posts (the thread is for adults: teens and strangers get 404, as for a missing one)
    "posts.thread": Route("/threads/{adult_thread.id}", get=everyone(200) | {"anonymous": 404, "teen": 404}),
    "posts.create": Route("/threads/{thread.id}/posts", post=signed_in(302), data={"body": "From the table"}),
    "posts.follow": Route("/threads/{thread.id}/follow", post=signed_in(302)),
    "posts.unfollow": Route("/threads/{thread.id}/unfollow", post=signed_in(302)),
    "posts.reply": Route("/posts/{post.id}/replies", post=signed_in(302), data={"body": "A reply from the table"}),
    "posts.reply_form": Route("/posts/{post.id}/reply", get=signed_in(200)),
    "posts.permalink": Route("/posts/{post.id}", get=everyone(302)),
    "posts.replies": Route("/posts/{post.id}/replies", get=everyone(200)),
    "posts.edit": Route("/posts/{post.id}/edit", get=staff_only(200), post=staff_only(302), data={"body": "Edited"}),
    "posts.history": Route("/posts/{post.id}/history", get=staff_only(200)),
    "posts.delete": Route("/posts/{post.id}/delete", post=signed_in(403)),  # only its author
    "posts.hide": Route("/posts/{post.id}/hide", post=staff_only(302), data={"reason": "From the table"}),
    "posts.restore": Route("/posts/{post.id}/restore", post=staff_only(302)),
    "posts.react": Route("/posts/{post.id}/react", post=signed_in(302), data={"kind": "hug"}),
    "posts.reactions": Route("/posts/{post.id}/reactions", get=everyone(200)),
    "posts.preview": Route("/preview", post=signed_in(200), data={"body": "**Does this look right?**"}),
    "posts.notifications_page": Route("/notifications", get=signed_in(200)),
    "posts.read_notification": Route("/notifications/{notification.id}/read", post=signed_in(404)),  # the author's
    "posts.read_all_notifications": Route("/notifications/read-all", post=signed_in(302)),
    "posts.notification_settings": Route("/settings/notifications", get=signed_in(200), post=signed_in(302),
                                         data={"email_mention": "y"}),
    "posts.pause_emails": Route("/settings/notifications/pause", post=signed_in(302), data={"pause_for": "day"}),
    "posts.resume_emails": Route("/settings/notifications/resume", post=signed_in(302)),
    # A link from an email, judged by its own signature: a made-up one stops nothing for anyone.
    "posts.stop_emails": Route("/email/stop/not-a-real-link", get=everyone(404), post=everyone(404)),
    # Moderation
    "moderation.queue": Route("/mod", get=staff_only(200)),
    "moderation.audit_log": Route("/mod/audit", get=staff_only(200)),
    "moderation.user": Route("/mod/users/{author.username}", get=staff_only(200)),
    "moderation.suspend": Route("/mod/users/{author.username}/suspend", post=staff_only(302),
                                data={"days": "1", "reason": "From the table"}),
    "moderation.clear_profile": Route("/mod/users/{author.username}/profile", post=staff_only(302),
                                      data={"reset_name": "y", "reason": "From the table"}, isolate=True),
    "moderation.lift": Route("/mod/users/{author.username}/lift", post=staff_only(302)),
    "moderation.change_age_group": Route("/mod/users/{author.username}/age-group", post=staff_only(302),
                                         data={"age_group": "teen", "reason": "From the table"}, isolate=True),
    "moderation.dismiss": Route("/mod/flags/{flag.id}/dismiss", post=staff_only(302)),
    "moderation.resolve": Route("/mod/flags/{flag.id}/resolve", post=staff_only(302)),
    "moderation.reopen": Route("/mod/flags/{flag.id}/reopen", post=staff_only(302)),
    "moderation.dismissed": Route("/mod/dismissed", get=staff_only(200)),
    "moderation.hide_post": Route("/mod/posts/{post.id}/hide", post=staff_only(302), data={"reason": "From the table"}),
    "moderation.restore_post": Route("/mod/posts/{post.id}/restore", post=staff_only(302)),
    "moderation.delete_post": Route("/mod/posts/{post.id}/delete", post=admin_only(302),
                                   data={"reason": "Table", "confirmed": "yes"}),
    "moderation.flag": Route("/flag/post/{post.id}", get=signed_in(200), post=signed_in(302), data={"reason": "Unkind"}),
    "moderation.block": Route("/users/{author.username}/block", post=signed_in(302)),
    "moderation.unblock": Route("/users/{author.username}/unblock", post=signed_in(302)),
    "moderation.blocked_people": Route("/settings/blocked", get=signed_in(200)),
    **PART_ROUTES,
}


def username_of(persona: str) -> str:
    return f"as_{persona}"  # role names themselves are reserved usernames


def build_world(*parts: str) -> SimpleNamespace:
    """One of each thing the core routes need, a person for each persona, and what the
    routes of each of `parts` (training, ideas, mentors) name."""
    people = {persona: make_user(username_of(persona), age_group="teen" if persona == "teen" else "adult",
                                 role=persona if persona in ("listener", "mentor", "trainer", "moderator", "admin")
                                 else "member")
              for persona in PERSONAS if persona != "anonymous"}
    author = make_user("author")
    badge = make_badge("calm", "Calm")
    award_badge(author, badge)
    thread = make_thread("Open to everyone")
    adult_thread = make_thread("For adults", audience="adult")
    post = make_post(author, thread, "The author's post")
    make_post(author, adult_thread, "A post for adults")
    reply = make_post(people["member"], thread, "A reply to the author", parent=post)  # notifies the author
    flag = make_flag(people["member"], post)
    notification = db.session.scalar(select(Notification).where(Notification.user_id == author.id))
    db.session.add(PendingRegistration(token_hash=_hash(CONFIRM_TOKEN), username="confirmed_here",
                                       email="confirmed@example.org", display_name="Confirmed", age_group="adult",
                                       password_hash="pbkdf2:sha256:1000$x$y"))
    db.session.commit()
    return SimpleNamespace(author=author, thread=thread, adult_thread=adult_thread, post=post, reply=reply,
                           flag=flag, notification=notification, badge=badge, **people,
                           **{name: thing for part in parts
                              for name, thing in build_part_world(people, author, part).items()})


def parts_named_by(endpoint: str) -> tuple[str, ...]:
    """The part whose things the endpoint's path names: its blueprint, for the parts' routes."""
    return (endpoint.split(".")[0],) if endpoint in PART_ROUTES else ()


def outcome(response):
    if response.status_code == 302 and response.location.startswith("/login?next="):
        return LOGIN
    return response.status_code


def client_for(app, persona: str):
    client = app.test_client()
    if persona != "anonymous":
        client.login(username_of(persona))
    return client


def fresh_world(parts: tuple[str, ...]) -> SimpleNamespace:
    db.session.commit()
    db.session.close()
    empty_all_tables(db)
    return build_world(*parts)


@pytest.mark.parametrize("endpoint", ROUTES)
def test_each_persona_gets_the_expected_answer(app, endpoint):
    """...and no GET, whoever sends it, changes anything stored."""
    route = ROUTES[endpoint]
    parts = parts_named_by(endpoint)
    world = build_world(*parts)
    answers, expected, changed_by_get = {}, {}, []
    posted_a_change = False
    for persona in PERSONAS:
        # Only a POST that wrote something can change the next persona's answer: most are
        # refused, and building the world again for each of them was most of these tests' time.
        if route.isolate and posted_a_change:
            world = fresh_world(parts)
        client = client_for(app, persona)
        url = route.url(world)
        if route.get is not None:
            with writes_sent() as writes:
                response = client.get(url)
                response.close()
            answers[f"GET {persona}"], expected[f"GET {persona}"] = outcome(response), route.get[persona]
            changed_by_get += [f"{persona}: {write}" for write in writes]
        if route.post is not None:
            data = {**route.form(world, persona), route.csrf_field: client.csrf_token()}
            with writes_sent() as writes:
                response = client.post(url, data=data)
            posted_a_change = bool(writes)
            answers[f"POST {persona}"], expected[f"POST {persona}"] = outcome(response), route.post[persona]
    assert answers == expected
    assert changed_by_get == []


def test_every_endpoint_has_an_entry(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(ROUTES)) == [], "add these endpoints to ROUTES"
    assert sorted(set(ROUTES) - endpoints) == [], "these entries name no endpoint"


def test_each_entry_reaches_its_own_endpoint(app):
    world = build_world(*PART_WORLDS)
    adapter = app.url_map.bind("localhost")
    for endpoint, route in ROUTES.items():
        for method, expected in (("GET", route.get), ("POST", route.post)):
            if expected is not None:
                matched, _ = adapter.match(route.url(world).split("?")[0], method=method)
                assert matched == endpoint, f"{method} {route.path} reaches {matched}, not {endpoint}"


# Statements that can change stored rows. Reading a page may move when the reader was
# last seen, and nothing else.
WRITE = re.compile(r"^(INSERT|UPDATE|DELETE|REPLACE|MERGE|CREATE|DROP|ALTER|TRUNCATE)\b", re.IGNORECASE)
LAST_SEEN = re.compile(r"^UPDATE users SET last_seen_at=\S+( WITHOUT TIME ZONE)? WHERE users\.id = \S+$")


@contextmanager
def writes_sent():
    """The statements that could change stored rows, sent to the database inside the block.

    Stricter than comparing the tables before and after (a write that happens to leave a
    value as it was still counts), and it costs nothing per table: comparing every row of
    every table around each of the thousand-odd requests was most of this file's time."""
    writes = []

    def record(_connection, _cursor, statement, *_):
        sql = " ".join(statement.split())
        if WRITE.match(sql) and not LAST_SEEN.match(sql):
            writes.append(sql[:160])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield writes
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


POST_ROUTES = [endpoint for endpoint, route in ROUTES.items() if route.post is not None]


# Routes whose link carries a token of its own, judged before the form's: a made-up link
# is answered about the link (in plain words), whatever the CSRF token.
LINK_JUDGED_FIRST = {"accounts.reset_password", "accounts.confirm_email_change"}
# Sign out, pressed by someone signed out already (another tab): done, since it changes
# nothing; the signed in still need the token, and are the ones told.
ASKS_NO_TOKEN_SIGNED_OUT = {"accounts.logout"}


@pytest.mark.parametrize("endpoint", POST_ROUTES)
def test_a_post_without_a_csrf_token_changes_nothing_and_says_so_in_plain_words(app, endpoint):
    """Sent by a stranger, and by someone whose POST would have changed something with a
    token: refused outright, or the form shown again to send once more, or sent elsewhere;
    never done. And an expired page is never silent: the answer (or the page it sends to)
    says the form was not accepted and to try again, in the forum's words, not 'CSRF token'."""
    route = ROUTES[endpoint]
    world = build_world(*parts_named_by(endpoint))
    may_post = route.persona_who_may_post() or "admin"
    anonymous_told = succeeds(route.post["anonymous"]) and endpoint not in ASKS_NO_TOKEN_SIGNED_OUT
    told = "anonymous" if anonymous_told else may_post
    for persona in ("anonymous", may_post):
        client = client_for(app, persona)
        with writes_sent() as writes:
            response = client.post(route.url(world), data=route.form(world, persona))
        assert response.status_code in (302, 400) or EXPIRED_MESSAGE in response.page, persona
        assert writes == [], persona
        if persona != told:
            continue
        if response.status_code == 302:
            response = client.get(response.location)
        if endpoint in LINK_JUDGED_FIRST:
            assert "expired or was already used" in response.page
        else:
            assert EXPIRED_MESSAGE in response.page or EXPIRED_BUTTON_MESSAGE in response.page, persona
        assert "CSRF" not in response.page
