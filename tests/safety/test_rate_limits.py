"""Rate limits: refused with the text kept and a plain "try again in ..." (status 429)."""
import os
import re
import socket
import threading
import time

import limits.storage.memory
import pytest
from sqlalchemy import func, select

import forum.extensions
import forum.rate_limits
from forum.accounts.passwords import password_matches
from forum.errors import DomainError
from forum.extensions import db
from forum.models.accounts import PendingRegistration
from forum.models.moderation import Flag
from forum.models.posts import Post, Reaction
from forum.rate_limits import RateLimited, client_address, hit
from tests.factories import PASSWORD, make_post, make_thread, make_user
from tests.training.factories import discussion, enrol, long_response, make_program

REDIS_URL = os.environ.get("FORUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class Clock:
    """The limits' clock, moved by hand: waiting an hour in a test is not an option."""

    def __init__(self):
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(limits.storage.memory, "time", fake)
    monkeypatch.setattr(forum.rate_limits, "time", fake)
    return fake


@pytest.fixture
def limited(make_app, clock):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    with app.app_context():
        yield app


def sign_in(client, login, password="wrong password", address="10.0.0.1"):
    return client.submit("/login", {"login": login, "password": password},
                         environ_base={"REMOTE_ADDR": address})


def test_sign_in_is_refused_after_6_failures_a_minute_from_one_address(limited, clock):
    make_user("ana")
    client = limited.test_client()
    for _ in range(6):
        assert sign_in(client, "ana").status_code == 200
    refused = sign_in(client, "ana", PASSWORD)  # even the right password waits
    assert refused.status_code == 429
    assert "Too many sign-in attempts" in refused.page and "try again in" in refused.page
    assert 'value="ana"' in refused.page  # what was typed is still there
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert sign_in(client, "ana", PASSWORD, address="10.0.0.2").status_code == 429  # and the account too
    clock.advance(61)
    assert sign_in(client, "ana", PASSWORD).status_code == 302


def test_30_failures_an_hour_from_one_address_close_it_for_the_hour(limited, clock):
    for n in range(6):
        make_user(f"member{n}")
    client = limited.test_client()
    for minute in range(5):
        for _ in range(6):
            assert sign_in(client, f"member{minute}").status_code == 200
        clock.advance(61)
    refused = sign_in(client, "member5", PASSWORD)
    assert refused.status_code == 429 and "minutes" in refused.page
    assert sign_in(client, "member5", PASSWORD, address="10.0.0.9").status_code == 302


def test_the_account_limit_counts_across_addresses_and_spellings(limited, clock):
    make_user("ana")
    client = limited.test_client()
    for n, login in enumerate(["ana", "ANA", "ana@example.org", "ana", "Ana@Example.org", "ana"]):
        assert sign_in(client, login, address=f"10.0.1.{n}").status_code == 200
    refused = sign_in(client, "ana", PASSWORD, address="10.0.1.99")
    assert refused.status_code == 429 and "for this account" in refused.page


def test_30_failures_an_hour_for_one_account_close_it_for_the_hour(limited, clock):
    make_user("ana")
    client = limited.test_client()
    for minute in range(5):
        for n in range(6):
            assert sign_in(client, "ana", address=f"10.0.3.{minute * 6 + n}").status_code == 200
        clock.advance(61)
    refused = sign_in(client, "ana", PASSWORD, address="10.0.3.99")
    assert refused.status_code == 429 and "for this account" in refused.page and "minutes" in refused.page
    assert 60 < int(refused.headers["Retry-After"]) <= 3600
    clock.advance(3600)
    assert sign_in(client, "ana", PASSWORD, address="10.0.3.99").status_code == 302


def test_successful_sign_ins_are_not_counted(limited, clock):
    make_user("ana")
    client = limited.test_client()
    for _ in range(8):
        assert sign_in(client, "ana", PASSWORD).status_code == 302
        client.logout()


def send_settings(client, form: str, data: dict):
    """Post one of the two settings forms, whose fields (and token) carry a prefix."""
    prefix, action = {"password": ("pw", "/settings/password"), "email": ("em", "/settings/email")}[form]
    fields = {f"{prefix}-{name}": value for name, value in data.items()}
    fields[f"{prefix}-csrf_token"] = client.csrf_token()
    return client.post(action, data=fields)


NEW_PASSWORD = "a brand new sentence 42"


def test_wrong_current_passwords_on_the_settings_page_are_limited_like_sign_in(limited, clock, mailbox):
    """Someone at Ana's unlocked laptop can't guess her password through the settings
    forms without end: both forms ask it, and their wrong guesses count together."""
    ana = make_user("ana", email="ana@example.org")
    laptop = limited.test_client()
    laptop.login("ana")
    for n in range(3):
        wrong = send_settings(laptop, "password", {"current_password": f"guess {n}", "password": NEW_PASSWORD})
        assert wrong.status_code == 200 and "Your current password is not right." in wrong.page
        wrong = send_settings(laptop, "email", {"email": "ana.new@example.org", "password": f"guess {n}"})
        assert wrong.status_code == 200 and "Your password is not right." in wrong.page

    refused = send_settings(laptop, "email", {"email": "ana.new@example.org", "password": PASSWORD})

    assert refused.status_code == 429
    assert "Too many wrong passwords for this account." in refused.page and "try again in" in refused.page
    assert "use “Forgot your password?” to choose a new one by email" in refused.page  # the owner's way out
    assert "Change your email" in refused.page  # the settings page, not an error page
    assert 'value="ana.new@example.org"' in refused.page  # what was typed is still there
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    refused = send_settings(laptop, "password", {"current_password": PASSWORD, "password": NEW_PASSWORD})
    assert refused.status_code == 429 and "Too many wrong passwords" in refused.page
    db.session.refresh(ana)
    assert password_matches(ana.password_hash, PASSWORD) and ana.email == "ana@example.org"
    assert mailbox.messages == []

    clock.advance(61)
    assert send_settings(laptop, "email", {"email": "ana.new@example.org", "password": PASSWORD}).status_code == 302
    assert mailbox.bodies_to("ana.new@example.org")


def test_30_wrong_current_passwords_an_hour_close_the_settings_forms_for_the_hour(limited, clock):
    make_user("ana")
    laptop = limited.test_client()
    laptop.login("ana")
    for minute in range(5):
        for n in range(6):
            wrong = send_settings(laptop, "password", {"current_password": f"guess {n}", "password": NEW_PASSWORD})
            assert wrong.status_code == 200
        clock.advance(61)
    refused = send_settings(laptop, "password", {"current_password": PASSWORD, "password": NEW_PASSWORD})
    assert refused.status_code == 429 and "minutes" in refused.page
    assert 60 < int(refused.headers["Retry-After"]) <= 3600


def test_right_current_passwords_are_not_counted(limited, clock, mailbox):
    make_user("ana", email="ana@example.org")
    laptop = limited.test_client()
    laptop.login("ana")
    for n in range(8):
        sent = send_settings(laptop, "email", {"email": f"ana{n}@example.org", "password": PASSWORD})
        assert sent.status_code == 302
    assert send_settings(laptop, "password", {"current_password": PASSWORD, "password": NEW_PASSWORD}).status_code == 302


def test_failed_sign_ins_by_others_do_not_stop_the_owner_changing_her_password(limited, clock):
    """A stranger locking Ana's sign-in is the moment she most needs to change her password."""
    make_user("ana")
    laptop = limited.test_client()
    laptop.login("ana")
    stranger = limited.test_client()
    for _ in range(6):
        assert sign_in(stranger, "ana", address="10.0.5.1").status_code == 200
    assert sign_in(stranger, "ana", PASSWORD, address="10.0.5.2").status_code == 429
    changed = send_settings(laptop, "password", {"current_password": PASSWORD, "password": NEW_PASSWORD})
    assert changed.status_code == 302


def register(client, n, address="10.0.2.1", **changes):
    data = {"username": f"newcomer{n}", "email": f"newcomer{n}@example.org", "password": PASSWORD,
            "age_group": "adult", "display_name": f"Newcomer {n}", **changes}
    return client.submit("/register", data, environ_base={"REMOTE_ADDR": address})


def test_three_new_accounts_a_day_from_one_address(limited, clock):
    client = limited.test_client()
    assert register(client, 0, password="short").status_code == 200  # a refused form does not count
    for n in range(1, 4):
        assert register(client, n).status_code == 302
    refused = register(client, 4)
    assert refused.status_code == 429 and "new accounts from this network" in refused.page
    assert 'value="newcomer4"' in refused.page
    assert register(client, 5, address="10.0.2.2").status_code == 302
    assert db.session.scalar(select(func.count(PendingRegistration.id))) == 4
    clock.advance(24 * 3600 + 1)
    assert register(client, 6).status_code == 302


def test_one_post_per_5_seconds_keeps_the_text(limited, clock):
    make_user("ana")
    thread = make_thread("Highs and lows")
    parent = make_post(make_user("ben"), thread, "Ben's post")
    client = limited.test_client()
    client.login("ana")
    assert client.submit(f"/threads/{thread.id}/posts", {"body": "first"}).status_code == 302
    refused = client.submit(f"/threads/{thread.id}/posts", {"body": "my second thought"})
    assert refused.status_code == 429
    assert "posting very quickly" in refused.page and "try again in 5 seconds" in refused.page
    assert "my second thought" in refused.page and refused.headers["Retry-After"] == "5"
    reply = client.submit(f"/posts/{parent.id}/replies", {"body": "a quick reply"})
    assert reply.status_code == 429 and "a quick reply" in reply.page  # replies are posts too
    clock.advance(5.1)
    assert client.submit(f"/posts/{parent.id}/replies", {"body": "a calm reply"}).status_code == 302
    assert db.session.scalar(select(func.count(Post.id))) == 3


def test_a_response_refused_as_too_short_does_not_use_up_the_post_limit(limited, clock):
    program = make_program(peers=1, min_words=8)
    enrol(make_user("ana"), program)
    client = limited.test_client()
    client.login("ana")
    thread_id = discussion(program, 1).thread_id
    short = client.submit(f"/threads/{thread_id}/posts", {"body": "Too short."})
    assert "this discussion asks for at least 8" in short.page
    fixed = client.submit(f"/threads/{thread_id}/posts", {"body": long_response()})
    assert fixed.status_code == 302
    assert db.session.scalar(select(func.count(Post.id)).where(Post.thread_id == thread_id)) == 1

def test_one_new_thread_per_15_seconds_for_the_parts_that_start_threads(limited, clock):
    ana = make_user("ana")
    with limited.test_request_context():
        hit(("thread", ana.id))
        with pytest.raises(RateLimited) as refusal:
            hit(("thread", ana.id))
        assert refusal.value.retry_after == 15 and refusal.value.status == 429
        clock.advance(15.1)
        hit(("thread", ana.id))


def test_fifty_reactions_a_day(limited, clock):
    make_user("ana")
    ben = make_user("ben")
    thread = make_thread()
    posts = [make_post(ben, thread, f"post {n}") for n in range(11)]
    client = limited.test_client()
    client.login("ana")
    token = client.csrf_token()
    pairs = [(post, kind) for post in posts for kind in ("heart", "hug", "high_five", "lightbulb", "thumbs_up")]
    for post, kind in pairs[:50]:
        assert client.post(f"/posts/{post.id}/react", data={"kind": kind, "csrf_token": token}).status_code == 302
    post, kind = pairs[50]
    refused = client.post(f"/posts/{post.id}/react", data={"kind": kind, "csrf_token": token},
                          headers={"Accept": "application/json"})
    assert refused.status_code == 429 and "reacted a lot today" in refused.json["error"]
    assert "try again in" in refused.json["error"] and int(refused.headers["Retry-After"]) > 0
    page = client.post(f"/posts/{post.id}/react", data={"kind": kind, "csrf_token": token})
    assert page.status_code == 429 and "try again in" in page.page  # without JavaScript too
    taken_back = client.post(f"/posts/{posts[0].id}/react", data={"kind": "heart", "csrf_token": token})
    assert taken_back.status_code == 302  # taking one back is always allowed
    assert db.session.scalar(select(func.count(Reaction.id))) == 49


def test_twenty_flags_a_day_keeps_the_reason(limited, clock):
    make_user("ana")
    ben = make_user("ben")
    thread = make_thread()
    posts = [make_post(ben, thread, f"post {n}") for n in range(21)]
    client = limited.test_client()
    client.login("ana")
    for post in posts[:20]:
        assert client.submit(f"/flag/post/{post.id}", {"reason": "spam"}).status_code == 302
    refused = client.submit(f"/flag/post/{posts[20].id}", {"reason": "more spam, sorry"})
    assert refused.status_code == 429 and "more spam, sorry" in refused.page and "try again in" in refused.page
    assert db.session.scalar(select(func.count(Flag.id))) == 20


def test_five_downloads_of_what_one_wrote_an_hour(limited, clock):
    make_post(make_user("ana"), make_thread(), "Mine.")
    client = limited.test_client()
    client.login("ana")
    token = client.csrf_token()
    for _ in range(5):
        assert client.post("/settings/writing.csv", data={"csrf_token": token}).mimetype == "text/csv"
    refused = client.post("/settings/writing.csv", data={"csrf_token": token})
    assert refused.status_code == 429 and refused.mimetype == "text/html"
    assert "downloaded what you wrote several times" in refused.page and "try again in" in refused.page
    clock.advance(3600)
    assert client.post("/settings/writing.csv", data={"csrf_token": token}).status_code == 200


def test_each_new_app_starts_with_fresh_memory_counts(make_app, clock):
    first = make_app(RATELIMIT_ENABLED=True)
    with first.app_context():
        make_user("ana")
    client = first.test_client()
    for _ in range(6):
        sign_in(client, "ana")
    assert sign_in(client, "ana").status_code == 429
    second = make_app(RATELIMIT_ENABLED=True)  # memory counts live in one process: a new app starts at 0
    assert sign_in(second.test_client(), "ana").status_code == 200


def test_limits_are_off_when_disabled(app, client):
    make_user("ana")
    for _ in range(10):
        assert sign_in(client, "ana").status_code == 200


def test_behind_a_trusted_balancer_each_client_has_its_own_count(make_app, clock):
    app = make_app(RATELIMIT_ENABLED=True, TRUSTED_PROXIES=1)
    with app.app_context():
        for n in range(8):
            make_user(f"member{n}")
    client = app.test_client()

    def through_balancer(login, client_ip):
        return client.submit("/login", {"login": login, "password": "wrong"}, environ_base={"REMOTE_ADDR": "10.0.0.1"},
                             headers={"X-Forwarded-For": f"198.51.100.99, {client_ip}"})

    for n in range(6):
        assert through_balancer(f"member{n}", "203.0.113.7").status_code == 200
    assert through_balancer("member6", "203.0.113.7").status_code == 429  # that client, not the balancer
    assert through_balancer("member7", "203.0.113.8").status_code == 200  # the next person in line is fine
    with app.test_request_context(environ_base={"REMOTE_ADDR": "10.0.0.1"}):
        assert client_address() == "10.0.0.1"  # outside the middleware nothing is trusted


@pytest.fixture
def redis_apps(make_app):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    settings = {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS_URL}
    first = make_app(**settings)
    with first.app_context():
        forum.extensions.limiter.reset()
    return lambda: make_app(**settings)


def test_with_redis_the_counts_are_shared_by_every_app(redis_apps, make_app):
    first = redis_apps()
    with first.app_context():
        make_user("ana")
    client = first.test_client()
    for _ in range(6):
        assert sign_in(client, "ana").status_code == 200
    # A second app, as another worker or host would be: it sees the same counts.
    second = redis_apps()
    refused = sign_in(second.test_client(), "ana", PASSWORD)
    assert refused.status_code == 429 and "Too many sign-in attempts" in refused.page


def test_while_redis_does_not_answer_each_process_counts_on_its_own(make_app, clock, caplog):
    """Redis down (or REDIS_URL wrong) left sign-in, posting and reacting answering 500
    "Something went wrong on our side" with a traceback in the log; now each process
    counts in its own memory meanwhile, as without REDIS_URL, and the log says so in a line."""
    pytest.importorskip("redis")
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/9")
    with app.app_context():
        make_user("ana")
    client = app.test_client()
    assert sign_in(client, "ana", PASSWORD).status_code == 302
    client = app.test_client()
    for _ in range(6):
        assert sign_in(client, "ana").status_code == 200
    refused = sign_in(client, "ana", PASSWORD)
    assert refused.status_code == 429 and "Too many sign-in attempts" in refused.page
    warnings = [r.getMessage() for r in caplog.records if r.name == "forum.rate_limits"]
    assert warnings and all(w.startswith("rate limit storage unavailable, counting in this process:")
                            for w in warnings)
    assert not [r for r in caplog.records if r.exc_info]
    forum.rate_limits.FALLBACK_STORAGE.reset()
    app.config["RATELIMIT_ENABLED"] = False  # nothing in Redis to reset after the test


def test_a_redis_that_accepts_but_never_answers_does_not_hold_sign_in_forever(make_app, clock):
    """A Redis that hangs (a stuck server, a firewall dropping its answers) rather than
    refuses: each request waits for it only as long as the storage's timeout, and the
    process counts on its own meanwhile, as while Redis is down."""
    pytest.importorskip("redis")
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # connections are accepted by the kernel and never read
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{silent.getsockname()[1]}/9")
    with app.app_context():
        make_user("ana")
    answers = []
    signing_in = threading.Thread(target=lambda: answers.append(sign_in(app.test_client(), "ana", PASSWORD)),
                                  daemon=True)
    signing_in.start()
    signing_in.join(timeout=30)
    silent.close()
    try:
        assert not signing_in.is_alive(), "signing in still waits on a Redis that never answers"
        assert answers[0].status_code == 302
    finally:
        forum.rate_limits.FALLBACK_STORAGE.reset()
        app.config["RATELIMIT_ENABLED"] = False  # nothing in Redis to reset after the test


def test_a_domain_error_is_what_views_already_show(app):
    assert issubclass(RateLimited, DomainError) and RateLimited("x", 3).status == 429


def ask_reset(client, email, address="10.0.3.1"):
    return client.submit("/reset", {"email": email}, environ_base={"REMOTE_ADDR": address})


def test_reset_links_to_one_address_are_limited_whether_or_not_it_has_an_account(limited, clock, mailbox):
    """Anyone can type someone's address: without a limit, a stranger could fill a member's
    inbox with reset messages. The answer must not tell who has an account, so an address
    without one is limited the same."""
    make_user("nia", email="nia@example.org")
    client = limited.test_client()
    for email in ("nia@example.org", "nobody@example.org"):
        for n in range(3):
            assert ask_reset(client, email, address=f"10.0.3.{n}").status_code == 302
        refused = ask_reset(client, email.upper(), address="10.0.3.9")
        assert refused.status_code == 429 and "reset links for this address" in refused.page
        assert email.upper() in refused.page  # what they typed stays in the box
    assert len(mailbox.bodies_to("nia@example.org")) == 3
    clock.advance(3600 + 1)
    assert ask_reset(client, "nia@example.org").status_code == 302
    assert len(mailbox.bodies_to("nia@example.org")) == 4


def test_reset_links_to_one_inbox_are_limited_however_its_address_is_spelled(limited, clock, mailbox):
    """Mail for ana+1@, ana+2@ … (and for the domain in its xn-- spelling) lands in ana@'s
    inbox: counted apart, they let a stranger send it a reset message after another, as
    many as the networks they come from allow, where three an hour were meant."""
    client = limited.test_client()
    for n in range(3):
        assert ask_reset(client, "mira@exämple.org", address=f"10.0.4.{n}").status_code == 302
    for n, spelling in enumerate(("mira+1@exämple.org", "Mira+reset@exämple.org", "mira@xn--exmple-cua.org")):
        refused = ask_reset(client, spelling, address=f"10.0.4.{10 + n}")
        assert refused.status_code == 429 and "reset links for this address" in refused.page
        assert spelling in refused.page  # what they typed stays in the box
    assert len(mailbox.messages) == 3
    # Another inbox at the same place is its own.
    assert ask_reset(client, "miro@exämple.org", address="10.0.4.20").status_code == 302


def test_reset_links_from_one_network_are_limited(limited, clock, mailbox):
    client = limited.test_client()
    for n in range(10):
        assert ask_reset(client, f"someone{n}@example.org").status_code == 302
    refused = ask_reset(client, "someone10@example.org")
    assert refused.status_code == 429 and "reset links from this network" in refused.page
    assert ask_reset(client, "someone10@example.org", address="10.0.3.2").status_code == 302


def test_new_address_links_are_limited_so_no_member_can_fill_another_s_inbox(limited, clock, mailbox):
    """Each change of address mails the address typed, a link or "someone tried to use your
    address": typed again and again, it would be a way to flood someone else's inbox."""
    make_user("ana", email="ana@example.org")
    make_user("bea", email="bea@example.org")
    laptop = limited.test_client()
    laptop.login("ana")
    for _ in range(10):
        assert send_settings(laptop, "email", {"email": "bea@example.org", "password": PASSWORD}).status_code == 302
    refused = send_settings(laptop, "email", {"email": "bea@example.org", "password": PASSWORD})
    assert refused.status_code == 429 and "several new addresses already" in refused.page
    assert 'value="bea@example.org"' in refused.page
    assert len(mailbox.bodies_to("bea@example.org")) == 10
    clock.advance(3600 + 1)
    assert send_settings(laptop, "email", {"email": "ana.new@example.org", "password": PASSWORD}).status_code == 302


def test_a_stranger_locking_an_account_is_undone_by_the_owner_choosing_a_new_password(limited, clock, mailbox):
    """Someone guesses at Ana's account until it is closed for the hour. The refusal tells
    her the way out, and a new password chosen by email (which proves the inbox is hers and
    makes every earlier guess worthless) lets her in at once, not an hour later."""
    make_user("ana", email="ana@example.org")
    stranger = limited.test_client()
    for minute in range(5):
        for n in range(6):
            sign_in(stranger, "ana", address=f"10.0.4.{minute * 6 + n}")
        clock.advance(61)
    ana = limited.test_client()
    refused = sign_in(ana, "ana", PASSWORD, address="10.0.5.1")
    assert refused.status_code == 429
    assert "If this is your account, “Forgot your password?” lets you choose a new one by email" in refused.page

    assert ask_reset(ana, "ana@example.org", address="10.0.5.1").status_code == 302
    link = re.search(r"https?://[^/\s]+(/reset/\S+)", mailbox.bodies_to("ana@example.org")[-1]).group(1)
    ana.submit(link, {"password": "a brand new sentence 42"}, environ_base={"REMOTE_ADDR": "10.0.5.1"})

    assert sign_in(ana, "ana", "a brand new sentence 42", address="10.0.5.1").status_code == 302
    # The old guesses no longer count; new ones do, from the first.
    for n in range(6):
        assert sign_in(stranger, "ana", address=f"10.0.6.{n}").status_code == 200
    assert sign_in(stranger, "ana", address="10.0.6.9").status_code == 429


def test_a_day_of_spam_flags_never_refuses_a_flag_saying_someone_may_be_in_danger(limited, clock):
    """A listener who flagged twenty spam posts tonight then reads a goodbye: that flag goes through."""
    make_user("ana")
    ben, wren = make_user("ben"), make_user("wren")
    thread = make_thread()
    posts = [make_post(ben, thread, f"post {n}") for n in range(20)]
    goodbye = make_post(wren, thread, "I have the pills counted out. Goodbye everyone.")
    client = limited.test_client()
    client.login("ana")
    for post in posts:
        assert client.submit(f"/flag/post/{post.id}", {"reason": "spam"}).status_code == 302
    told = client.submit(f"/flag/post/{goodbye.id}", {"reason": "She says goodbye", "urgent": "y"})
    assert told.status_code == 302
    assert db.session.scalar(select(Flag.urgent).where(Flag.target_id == goodbye.id)) is True


def test_danger_flags_have_a_limit_of_their_own_that_says_where_to_turn(limited, clock):
    make_user("ana")
    ben = make_user("ben")
    thread = make_thread()
    posts = [make_post(ben, thread, f"post {n}") for n in range(21)]
    client = limited.test_client()
    client.login("ana")
    for post in posts[:20]:
        assert client.submit(f"/flag/post/{post.id}", {"reason": "worried", "urgent": "y"}).status_code == 302
    refused = client.submit(f"/flag/post/{posts[20].id}", {"reason": "worried too", "urgent": "y"})
    assert refused.status_code == 429 and "worried too" in refused.page
    assert "If someone is in danger now, call your local emergency number; Help now lists crisis lines." in refused.page
    assert db.session.scalar(select(func.count(Flag.id))) == 20


def test_ticking_danger_on_a_flag_sent_before_counts_in_the_danger_flags_limit(limited, clock):
    # Flagging a post again with the box ticked makes its flag say someone may be in danger
    # and tells every moderator: uncounted, twenty spam flags sent first could each be made
    # urgent past the twenty a day, on top of twenty new ones.
    make_user("ana")
    ben = make_user("ben")
    thread = make_thread()
    spam = [make_post(ben, thread, f"spam {n}") for n in range(20)]
    worrying = [make_post(ben, thread, f"worrying {n}") for n in range(20)]
    client = limited.test_client()
    client.login("ana")
    for post in spam:
        assert client.submit(f"/flag/post/{post.id}", {"reason": "spam"}).status_code == 302
    for post in worrying:
        assert client.submit(f"/flag/post/{post.id}", {"reason": "worried", "urgent": "y"}).status_code == 302

    refused = client.submit(f"/flag/post/{spam[0].id}", {"reason": "actually worried", "urgent": "y"})

    assert refused.status_code == 429 and "actually worried" in refused.page
    assert "If someone is in danger now, call your local emergency number; Help now lists crisis lines." in refused.page
    assert db.session.scalar(select(func.count(Flag.id)).where(Flag.urgent)) == 20
    assert db.session.scalar(select(Flag.reason).where(Flag.target_id == spam[0].id)) == "spam"
