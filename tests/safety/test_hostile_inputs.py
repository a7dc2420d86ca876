"""Hostile input thrown at every field a person can write: no 5xx, nothing executable.

Each test walks the whole corpus (tests/safety/hostile_inputs.py) through the Markdown fields,
and its plain-text probes through the plain ones, and reports every input that broke a
field, by label."""
import re
from urllib.parse import quote

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.accounts import PendingRegistration, User
from forum.models.moderation import Flag
from forum.models.posts import Notification, Post
from tests.factories import PASSWORD, make_post, make_thread, make_user
from tests.safety.factories import make_flag, make_moderator, suspend
from tests.safety.findings import Findings, every_page
from tests.safety.hostile_inputs import (
    CHOICE_PROBES, FORGED_FIELDS, HIDDEN_TEEN, HOSTILE_INPUTS, HOSTILE_QUERY_VALUES, PLAIN_TEXT_INPUTS,
    PLAIN_TEXT_PROBES, markup_problems,
)


def test_the_corpus_has_fifty_inputs_of_every_kind_the_issue_names():
    assert len(HOSTILE_INPUTS) >= 50
    labels = " | ".join(label for label, _ in HOSTILE_INPUTS)
    for kind in ("javascript link", "script tag", "img onerror", "fifty mentions", "mention of a hidden teen",
                 "right-to-left override", "zero-width", "nul bytes", "over the post limit", "over the request limit"):
        assert kind in labels
    assert len(HOSTILE_QUERY_VALUES) >= 20
    assert {"role", "author_id", "age_group", "status"} <= set(FORGED_FIELDS)
    # Every probe thrown at the choices and at plain text is still in the corpus, under the same label.
    assert CHOICE_PROBES | PLAIN_TEXT_PROBES <= {label for label, _ in HOSTILE_INPUTS}


@pytest.fixture
def world(app):
    ana = make_user("ana", role="listener")
    teen = make_user(HIDDEN_TEEN, age_group="teen")
    ben = make_user("ben")
    moss = make_moderator()
    ada = make_user("ada", role="admin")
    thread = make_thread("Open room")
    adult = make_thread("Adults only", audience="adult")
    return {"ana": ana, "teen": teen, "ben": ben, "moss": moss, "ada": ada, "thread": thread, "adult": adult,
            "post": make_post(ben, thread, "A starting post")}


def test_post_bodies(client, world):
    findings = Findings()
    client.login("ana")
    thread = world["thread"]
    token = client.csrf_token()
    for label, text in HOSTILE_INPUTS:
        response = client.post(f"/threads/{thread.id}/posts", data={"body": text, "csrf_token": token})
        findings.check(response, f"posting {label}")
    every_page(client, f"/threads/{thread.id}", findings, "thread")
    every_page(client, f"/threads/{thread.id}?order=newest", findings, "thread, newest first")
    for post_id in db.session.scalars(select(Post.id).where(Post.thread_id == thread.id)):
        findings.check(client.get(f"/posts/{post_id}", follow_redirects=True), f"permalink {post_id}")
    client.logout()
    findings.check(client.get(f"/threads/{thread.id}"), "thread read anonymously")
    findings.assert_none()
    assert not any("\x00" in body for body in db.session.scalars(select(Post.body_md)))


def test_mentions_cannot_page_a_crowd_or_reach_the_hidden(client, world):
    people = [make_user(f"someone{n}") for n in range(50)]
    client.login("ana")
    for thread in (world["thread"], world["adult"]):
        for label, text in HOSTILE_INPUTS:
            if label.startswith(("fifty", "mention")):
                client.submit(f"/threads/{thread.id}/posts", {"body": text})
    mentioned = db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id.in_([person.id for person in people])))
    assert mentioned == 2 * 10  # at most ten people per post, in each of the two posts
    teen_notes = db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == world["teen"].id))
    # Neither room reaches her: the adults-only room is closed to her, and in the open one an
    # adult's mention of a teen, typed by hand, tells her nothing (the mention box never offers her).
    assert teen_notes == 0


def test_replies_and_quotes(client, world):
    findings = Findings()
    parent = world["post"]
    client.login("ana")
    token = client.csrf_token()
    for label, text in HOSTILE_INPUTS:
        findings.check(client.post(f"/posts/{parent.id}/replies", data={"body": text, "csrf_token": token}),
                       f"replying {label}")
    every_page(client, f"/posts/{parent.id}/replies", findings, "replies")
    for reply_id in db.session.scalars(select(Post.id).where(Post.parent_id == parent.id)):
        findings.check(client.get(f"/posts/{parent.id}/reply?quote={reply_id}"), f"quoting reply {reply_id}")
    findings.assert_none()


def test_edits_and_their_history(client, world):
    findings = Findings()
    post = make_post(world["ana"], world["thread"], "An honest first draft")
    client.login("ana")
    token = client.csrf_token()
    for label, text in HOSTILE_INPUTS:
        findings.check(client.post(f"/posts/{post.id}/edit", data={"body": text, "csrf_token": token}), f"editing {label}")
        findings.check(client.get(f"/posts/{post.id}/edit"), f"edit form after {label}")
    findings.check(client.get(f"/posts/{post.id}/history"), "history")
    findings.check(client.get(f"/threads/{post.thread_id}"), "thread")
    findings.assert_none()


def test_profile_display_name_and_bio(client, world):
    findings = Findings()
    make_post(world["ana"], world["thread"], "so my name shows in the thread")
    client.login("ana")
    token = client.csrf_token()
    for label, text in HOSTILE_INPUTS:
        # The name is plain text; the bio is Markdown.
        for field in ("display_name", "bio") if label in PLAIN_TEXT_PROBES else ("bio",):
            data = {"display_name": "Ana", "bio": "", field: text, "csrf_token": token}
            findings.check(client.post("/settings/profile", data=data), f"{field} {label}")
            findings.check(client.get("/users/ana"), f"profile after {field} {label}")
        findings.check(client.get(f"/threads/{world['thread'].id}"), f"thread after {label}")
    name = db.session.scalar(select(User.display_name).where(User.username == "ana"))
    assert "\u202e" not in name and "\x00" not in name
    findings.assert_none()


def test_registration_sign_in_and_reset_fields(client, world, mailbox):
    findings = Findings()
    good = {"username": "newcomer", "email": "newcomer@example.org", "password": PASSWORD, "age_group": "adult",
            "display_name": "New"}
    token = client.csrf_token()
    for label, text in PLAIN_TEXT_INPUTS:  # every field here is plain text or a choice
        for field in ("username", "display_name", "email", "password", "age_group"):
            response = client.post("/register", data={**good, field: text, "csrf_token": token})
            findings.check(response, f"register {field} {label}")
        findings.check(client.post("/login", data={"login": text, "password": text, "csrf_token": token}),
                       f"sign in {label}")
        findings.check(client.post("/reset", data={"email": text, "csrf_token": token}), f"reset {label}")
    assert db.session.scalar(select(func.count(User.id)).where(User.username == "newcomer")) == 0
    findings.assert_none()


def test_a_hostile_display_name_survives_joining_by_email(client, world, mailbox):
    findings = Findings()
    for number, (label, text) in enumerate(HOSTILE_INPUTS[:40]):
        username = f"joiner{number}"
        client.submit("/register", {"username": username, "email": f"{username}@example.org", "password": PASSWORD,
                                    "age_group": "adult", "display_name": text[:50]})
        bodies = mailbox.bodies_to(f"{username}@example.org")
        if not bodies:
            continue
        link = re.search(r"(/register/confirm/\S+)", bodies[0]).group(1)
        findings.check(client.get(link), f"confirm page {label}")
        findings.check(client.submit(link, follow_redirects=True), f"welcome {label}")
        findings.check(client.get(f"/users/{username}"), f"new profile {label}")
        client.logout()
    findings.assert_none()
    assert db.session.scalar(select(func.count(PendingRegistration.id))) == 0


def test_query_parameters(client, world):
    findings = Findings()
    thread, post = world["thread"], world["post"]
    client.login("ada")
    for label, value in HOSTILE_QUERY_VALUES:
        v = quote(value, safe="")
        for url in (f"/?q={v}", f"/threads/{thread.id}?page={v}&order={v}", f"/posts/{post.id}/reply?quote={v}",
                    f"/posts/{post.id}/replies?page={v}", f"/posts/{post.id}/reactions?page={v}",
                    f"/admin/users?q={v}&page={v}", f"/mod?page={v}&urgent={v}", f"/mod?what={v}",
                    f"/notifications?page={v}", f"/settings/blocked?page={v}",
                    f"/mod/audit?actor={v}&action={v}&target_type={v}&since={v}&until={v}&page={v}"):
            findings.check(client.get(url), f"{url[:30]} {label}")
        findings.check(client.get(f"/login?next={v}"), f"next {label}")
    findings.assert_none()


def test_path_segments(client, world):
    findings = Findings()
    client.login("ada")
    for label, value in HOSTILE_QUERY_VALUES:
        v = quote(value[:300], safe="") or "x"
        for url in (f"/users/{v}", f"/reset/{v}", f"/register/confirm/{v}", f"/flag/{v}/1", f"/mod/users/{v}",
                    f"/admin/users/{v}", f"/threads/1-{v}", f"/threads/{v}", f"/posts/{v}", f"/posts/{v}/reply"):
            findings.check(client.get(url), f"{url[:24]} {label}")
    findings.assert_none()


def test_ids_past_the_databases_integers_are_not_found_in_any_script(client, world):
    """Ids are PostgreSQL `integer`s: 3000000000 failed the query (a 500) rather than find nothing."""
    client.login("ada")
    thread, post = world["thread"], world["post"]
    for number in ("2147483648", "3000000000", "٣٠٠٠٠٠٠٠٠٠"):
        for url in (f"/posts/{number}", f"/threads/{number}", f"/ideas/{number}",
                    f"/posts/{post.id}/reply?quote={number}", f"/threads/{thread.id}?quote={number}"):
            response = client.get(url)
            assert response.status_code == 404, f"{url}: {response.status_code}"


def test_a_long_number_typed_into_a_search_box_is_searched_for(client, world):
    make_post(world["ana"], world["thread"], "My order number is 12345678901234567890, can anyone help?")
    client.login("ana")
    response = client.get("/search?q=12345678901234567890")
    assert response.status_code == 200
    assert "My order number is" in response.page
    assert client.get("/search?q=help&author=99999999999999999999").status_code == 400  # nobody's name


def test_moderation_reasons_and_notes(client, world):
    findings = Findings()
    ana = world["ana"]
    # Reasons and notes are plain text.
    posts = [make_post(ana, world["thread"], f"post {number}") for number in range(len(PLAIN_TEXT_INPUTS))]
    client.login("ben")
    for post, (label, text) in zip(posts, PLAIN_TEXT_INPUTS):
        findings.check(client.submit(f"/flag/post/{post.id}", {"reason": text}), f"flag reason {label}")
    client.logout()
    client.login("moss")
    every_page(client, "/mod", findings, "queue with every reason")
    for post, (label, text) in zip(posts[::2], PLAIN_TEXT_INPUTS[::2]):
        findings.check(client.submit(f"/mod/posts/{post.id}/hide", {"reason": text}), f"hide {label}")
    for post, (label, text) in zip(posts[1::2], PLAIN_TEXT_INPUTS[1::2]):
        findings.check(client.submit(f"/posts/{post.id}/hide", {"reason": text}), f"hide in place {label}")
    every_page(client, "/mod", findings, "queue")
    for label, text in PLAIN_TEXT_INPUTS:
        findings.check(client.submit("/mod/users/ben/age-group", {"age_group": "teen", "reason": text}),
                       f"age reason {label}")
        findings.check(client.submit("/mod/users/ben/age-group", {"age_group": "adult", "reason": text}),
                       f"age reason back {label}")
        findings.check(client.submit("/mod/users/ben/profile", {"remove_bio": "y", "reason": text}),
                       f"profile clearing reason {label}")
        flag = db.session.scalar(select(Flag).where(Flag.status == "open").limit(1))
        if flag:
            findings.check(client.submit(f"/mod/flags/{flag.id}/dismiss", {"note": text}),
                           f"dismiss note {label}")
    findings.check(client.submit("/mod/users/ana/suspend", {"days": "1", "reason": HOSTILE_INPUTS[0][1]}),
                   "suspension reason")
    every_page(client, "/mod/audit", findings, "audit log")
    findings.check(client.get("/mod/users/ana"), "moderators' person page")
    findings.check(client.get("/mod/users/ben"), "moderators' page of a cleared profile")
    client.logout()
    client.login("ana")
    every_page(client, "/notifications", findings, "the author's notifications")
    findings.check(client.get(f"/threads/{world['thread'].id}"), "hidden posts seen by their author")
    findings.check(client.get("/"), "suspension banner")
    findings.assert_none()


def test_suspension_banner_with_every_reason(client, world):
    findings = Findings()
    client.login("ana")
    for label, text in PLAIN_TEXT_INPUTS:
        if not text.strip() or len(text) > 500:
            continue
        suspend(world["ana"], by=world["moss"], reason=text.replace("\x00", ""))
        client.login("ana")
        findings.check(client.get("/"), f"banner {label}")
    findings.assert_none()


def test_admin_badge_fields(client, world):
    findings = Findings()
    client.login("ada")
    for number, (label, text) in enumerate(PLAIN_TEXT_INPUTS):  # a badge's fields are plain text
        findings.check(client.submit("/admin/badges", {"slug": f"b{number}x", "name": text[:60] or "x",
                                                       "description": text[:300], "icon": text[:8]}),
                       f"badge {label}")
        findings.check(client.submit("/admin/users/ana/badges", {"badge": f"b{number}x", "reason": text[:200]}), f"award {label}")
        if number % 2:  # half taken away again, with the same text as the reason; half kept to show
            findings.submitted(client.submit(f"/admin/users/ana/badges/b{number}x/revoke",
                                             {"reason": text[:200], "confirmed": "yes"}),
                               f"take away {label}", text[:200])
    findings.check(client.get("/admin/badges"), "badges page")
    findings.check(client.get("/users/ana"), "profile with badges")
    findings.check(client.get("/admin/users/ana"), "admin person page")
    client.logout()
    client.login("ana")
    every_page(client, "/notifications", findings, "notifications: why each badge was given or taken away")
    findings.assert_none()


def test_thread_titles_written_by_other_parts(client, world):
    findings = Findings()
    ana, ben = world["ana"], world["ben"]
    for label, text in PLAIN_TEXT_INPUTS:
        if not text.strip() or len(text) > 200:
            continue
        thread = make_thread(text.replace("\x00", ""))
        post = make_post(ben, thread, "look, @ana")
        make_flag(ana, post)
        findings.check(client.get(f"/threads/{thread.id}"), f"thread titled {label}")
    client.login("ana")
    every_page(client, "/notifications", findings, "notifications")
    client.logout()
    client.login("moss")
    every_page(client, "/mod", findings, "queue")
    findings.assert_none()


def test_forged_fields_reach_nothing(client, world):
    ana, thread = world["ana"], world["thread"]
    client.login("ana")
    client.submit(f"/threads/{thread.id}/posts", {"body": "mine", **FORGED_FIELDS, "author_id": str(world["ada"].id)})
    post = db.session.scalar(select(Post).where(Post.body_md == "mine"))
    assert post.author_id == ana.id and post.hidden_at is None
    client.submit("/settings/profile", {"display_name": "Ana", "bio": "", **FORGED_FIELDS})
    client.submit(f"/flag/post/{world['post'].id}", {"reason": "real reason", **FORGED_FIELDS})
    flag = db.session.scalar(select(Flag))
    assert (flag.status, flag.reporter_id) == ("open", ana.id)
    stored = db.session.get(User, ana.id)
    assert stored.role_names == {"member", "listener"} and stored.age_group == "adult" and stored.suspended_until is None
    client.logout()
    client.submit("/register", {"username": "forger", "email": "forger@example.org", "password": PASSWORD,
                                "age_group": "teen", **{k: v for k, v in FORGED_FIELDS.items() if k != "age_group"}})
    pending = db.session.scalar(select(PendingRegistration))
    assert (pending.username, pending.age_group) == ("forger", "teen")
    assert client.get("/admin/users").status_code == 302  # still nobody


def test_json_and_odd_bodies_are_refused_plainly(client, world):
    client.login("ana")
    thread = world["thread"]
    for body, content_type in (('"just a string"', "application/json"), ("[1, 2]", "application/json"),
                               ("{not json", "application/json"), ("\x00\x01\x02", "application/octet-stream")):
        response = client.post(f"/threads/{thread.id}/posts", data=body, content_type=content_type)
        assert response.status_code < 500
        assert markup_problems(response.get_data(as_text=True)) == []
