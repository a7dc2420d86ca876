"""Flags and the moderators' queue: flag what you see, moderators act on it."""
import html
import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.forms import EXPIRED_BUTTON_MESSAGE
from forum.models.mentors import Review
from forum.models.accounts import User
from forum.models.moderation import AuditEntry, Flag
from forum.models.posts import Notification, Post, Reaction, Thread
from forum.posts.notifications import set_email_kinds
from forum.posts.services import delete_own_post, hide_post, toggle_reaction
from forum.accounts.closing import close_account
from tests.factories import PASSWORD, make_post, make_thread, make_user
from tests.html_checks import box_value, error_beside
from tests.mentors.factories import make_listener, make_mentor, make_review
from tests.safety.factories import make_flag, make_moderator
from tests.training.factories import discussion, enrol, make_program, respond


def open_flags() -> int:
    return db.session.scalar(select(func.count(Flag.id)).where(Flag.status == "open"))


def test_a_member_flags_a_post_with_a_reason_from_its_flag_link(client):
    ana, ben = make_user("ana"), make_user("ben")
    post = make_post(ana, make_thread("Evening check-in"), "Something harsh.")
    client.login("ben")
    page = client.get(f"/threads/{post.thread_id}").page
    assert f'href="/flag/post/{post.id}"' in page
    form = client.get(f"/flag/post/{post.id}").page
    assert "Something harsh." in form and "What is wrong?" in form
    response = client.submit(f"/flag/post/{post.id}", {"reason": "  It mocks a newcomer.  "})
    assert response.status_code == 302 and response.location.endswith(f"/posts/{post.id}")
    flag = db.session.scalar(select(Flag))
    assert (flag.reporter_id, flag.target_type, flag.target_id, flag.status) == (ben.id, "post", post.id, "open")
    assert flag.reason == "It mocks a newcomer."
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == ana.id)) == 0


def test_a_returning_moderator_finds_how_much_waits_in_the_queue_on_the_front_page(client):
    ana, ben, cleo = make_user("ana"), make_user("ben"), make_user("cleo")
    thread = make_thread("Evening check-in")
    harsh, other = make_post(ana, thread, "Something harsh."), make_post(ana, thread, "Something else.")
    make_moderator("moss")

    def waiting():
        page = client.get("/").page
        return page.split('id="home-flags"')[1].split("</section>")[0] if 'id="home-flags"' in page else ""

    client.login("moss")
    assert waiting() == ""  # nothing flagged: nothing to say
    make_flag(ben, harsh)
    make_flag(cleo, harsh)  # one thing flagged twice is one entry in the queue
    assert 'href="/mod">1 flagged item waits in the moderation queue</a>' in waiting()
    make_flag(ben, other)
    assert ">2 flagged items wait in the moderation queue</a>" in waiting()
    client.logout()
    client.login("ben")  # the queue is for moderators only
    assert waiting() == ""


def test_a_flag_needs_a_reason_of_at_most_500_characters_and_keeps_nothing_half_written(client):
    ana = make_user("ana")
    post = make_post(ana, make_thread())
    make_user("ben")
    client.login("ben")
    form = client.get(f"/flag/post/{post.id}").page
    # Told the limit, and no maxlength: a browser cut a pasted reason at 500 without a word.
    assert "Up to 500 characters." in form and "maxlength" not in form.split('id="reason"')[1].split(">")[0]
    pasted = "She mocks every newcomer who says they feel low. " * 12  # 588 characters, 587 once trimmed
    response = client.submit(f"/flag/post/{post.id}", {"reason": pasted})
    assert response.status_code == 422
    assert error_beside(response.page, "reason") == "Keep it under 500 characters (this is 587)."
    assert pasted + "</textarea>" in response.page  # kept as typed, to shorten
    for blank in ("   ", "\n\n", "\u200b\u200b\u200d", "\u202e\u2066\u3164"):
        # Zero-width spaces passed for a reason: the queue showed a flag saying nothing.
        response = client.submit(f"/flag/post/{post.id}", {"reason": blank})
        assert response.status_code == 422 and "what is wrong" in response.page, repr(blank)
    assert open_flags() == 0


def test_profiles_are_flagged_from_the_profile_page(client):
    make_user("ana")
    ben = make_user("ben")
    client.login("ana")
    assert f'href="/flag/profile/{ben.id}"' in client.get("/users/ben").page
    client.submit(f"/flag/profile/{ben.id}", {"reason": "Impersonates a moderator."})
    assert db.session.scalar(select(Flag.target_type)) == "profile"


def test_a_closed_accounts_profile_cannot_be_flagged_even_by_its_address(client):
    make_user("ana")
    ben = make_user("ben")
    close_account(ben, PASSWORD, remove_writing=False)
    client.login("ana")
    assert f"/flag/profile/{ben.id}" not in client.get("/users/ben").page
    page = client.get(f"/flag/profile/{ben.id}").page
    assert "This account is closed: there is no profile left to flag." in page and "Send to the moderators" not in page
    response = client.submit(f"/flag/profile/{ben.id}", {"reason": "Impersonates a moderator."})
    assert response.status_code == 422
    assert "This account is closed: there is no profile left to flag." in response.page
    assert db.session.scalar(select(func.count(Flag.id))) == 0


def test_nobody_flags_their_own_post_or_what_they_cannot_see(client):
    ana = make_user("ana")
    make_user("tess", age_group="teen")
    own = make_post(ana, make_thread())
    adult_only = make_post(ana, make_thread("Adults", audience="adult"))
    client.login("ana")
    assert "Flag" not in client.get(f"/threads/{own.thread_id}").page.split("post-actions")[1][:400]
    response = client.submit(f"/flag/post/{own.id}", {"reason": "x"})
    assert response.status_code == 422 and "You can't flag something of your own" in response.page
    client.logout()
    client.login("tess")
    assert client.get(f"/flag/post/{adult_only.id}").status_code == 404
    assert client.get("/flag/review/1").status_code == 404  # no loader for reviews yet: nothing to flag
    assert client.get("/flag/nonsense/1").status_code == 404
    assert open_flags() == 0


@pytest.mark.parametrize("removed_by, said", [
    ("its author", "This reply was removed, so there is nothing left to flag."),
    ("a moderator", "This reply was hidden by a moderator, so there is nothing left to flag."),
])
def test_a_removed_post_cannot_be_flagged_and_its_flag_page_says_so_without_a_form(client, removed_by, said):
    """Its flag page (opened from a link kept or sent before) offered the form, then refused what was sent."""
    ana = make_user("ana")
    make_user("ben")
    post = make_post(ana, make_thread())
    reply = make_post(ana, post.thread, "Never mind.", parent=post)
    if removed_by == "its author":
        delete_own_post(ana, reply)
    else:
        hide_post(make_moderator(), reply, "Spam")
    client.login("ben")
    assert f"/flag/post/{reply.id}" not in client.get(f"/threads/{post.thread_id}").page
    page = client.get(f"/flag/post/{reply.id}").page
    assert said in page and "Send to the moderators" not in page and "<textarea" not in page
    response = client.submit(f"/flag/post/{reply.id}", {"reason": "still bad"})
    assert response.status_code == 422 and said in response.page
    assert "still bad" in response.page  # what they typed, kept to copy
    assert open_flags() == 0


def test_flagging_twice_keeps_one_flag_with_both_reasons_and_says_so(client):
    ana = make_user("ana")
    make_user("ben")
    post = make_post(ana, make_thread())
    client.login("ben")
    assert "You flagged this" not in client.get(f"/flag/post/{post.id}").page
    first = client.submit(f"/flag/post/{post.id}", {"reason": "Mocks newcomers"}, follow_redirects=True)
    assert "Thank you. A moderator will look at it" in first.page
    ben = db.session.scalar(select(User).where(User.username == "ben"))
    ben.time_zone = "America/Toronto"
    db.session.scalar(select(Flag)).created_at = datetime(2026, 12, 7, 14, 5)
    db.session.commit()
    form = client.get(f"/flag/post/{post.id}").page  # opened again: told before sending
    form = " ".join(re.sub(r"<[^>]+>", "", form).split())
    assert ("You flagged this on 7 Dec 2026, 09:05: “Mocks newcomers”. It waits for a moderator; "
            "what you send now is added to it.") in form
    second = client.submit(f"/flag/post/{post.id}", {"reason": "And now names them"}, follow_redirects=True)
    assert "You flagged this already; what you wrote now was added for the moderators." in second.page
    assert open_flags() == 1
    assert db.session.scalar(select(Flag.reason)) == "Mocks newcomers · Later: And now names them"
    # What is added must fit beside what the flag says: refused with its count, never cut.
    longer = "x" * 470
    third = client.submit(f"/flag/post/{post.id}", {"reason": longer})
    assert third.status_code == 422 and longer in third.page
    assert "what you add can be up to 447 characters (this is 470)" in third.page
    assert db.session.scalar(select(Flag.reason)) == "Mocks newcomers · Later: And now names them"
    # Saying someone may be in danger is not held back by the length of what came with it.
    make_moderator()
    urgent = client.submit(f"/flag/post/{post.id}", {"reason": longer, "urgent": "y"})
    assert urgent.status_code == 422 and longer in urgent.page
    assert "The moderators are told someone may be in danger." in urgent.page
    assert db.session.scalar(select(Flag.urgent)) is True


def test_the_queue_lists_open_flags_oldest_first_with_content_and_context(client):
    ana, ben, cyd = make_user("ana"), make_user("ben"), make_user("cyd")
    make_moderator()
    older = make_post(ana, make_thread("Night owls"), "The older flagged words.")
    newer = make_post(ben, make_thread("Study stress"), "The newer flagged words.")
    make_flag(cyd, older, "first reason")
    make_flag(ana, newer, "second reason")
    make_flag(ben, older, "another reason about the older one")
    client.login("moss")
    page = client.get("/mod").page
    assert page.index("The older flagged words.") < page.index("The newer flagged words.")
    assert "“Night owls”" in page and f'href="/posts/{older.id}"' in page
    assert "first reason" in page and "another reason about the older one" in page
    assert "Flagged 2 times" in page


def test_members_cannot_open_the_queue(client):
    make_user("ana")
    client.login("ana")
    assert client.get("/mod").status_code == 403
    client.logout()
    assert client.get("/mod").location.startswith("/login")


def test_hiding_from_the_queue_tells_the_author_closes_the_flags_and_is_logged(client):
    ana, ben = make_user("ana"), make_user("ben")
    moss = make_moderator()
    post = make_post(ana, make_thread("Highs"), "Unkind words.")
    make_flag(ben, post)
    make_flag(make_user("cyd"), post, "She says she wants to hurt him", urgent=True)
    client.login("moss")
    response = client.submit(f"/mod/posts/{post.id}/hide", {"reason": "Personal attack"})
    assert response.status_code == 302
    stored = db.session.get(Post, post.id)
    assert stored.hidden_at is not None and stored.hidden_reason == "Personal attack"
    assert open_flags() == 0
    flag = db.session.scalar(select(Flag))
    assert (flag.status, flag.resolved_by_id) == ("resolved", moss.id)
    note = db.session.scalar(select(Notification).where(Notification.user_id == ana.id))
    assert "Personal attack" in note.message
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "hide"))
    assert (entry.actor_id, entry.target_id, entry.reason) == (moss.id, post.id, "Personal attack")
    # Read later, the log says the hide was also a decision about danger.
    assert entry.details == "closed 2 flags, 1 saying someone may be in danger"
    assert "No open flags" in client.get("/mod").page


def test_hiding_without_a_reason_changes_nothing(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_moderator()
    post = make_post(ana, make_thread())
    make_flag(ben, post)
    client.login("moss")
    client.submit(f"/mod/posts/{post.id}/hide", {"reason": " "})
    assert db.session.get(Post, post.id).hidden_at is None and open_flags() == 1
    assert "Say why" in client.get("/mod").page


def test_dismiss_and_mark_handled_close_every_flag_on_the_thing(client):
    ana, ben, cyd = make_user("ana"), make_user("ben"), make_user("cyd")
    moss = make_moderator()
    first = make_post(ana, make_thread())
    second = make_post(ana, make_thread())
    flag = make_flag(ben, first)
    make_flag(cyd, first)
    other = make_flag(ben, second)
    client.login("moss")
    client.submit(f"/mod/flags/{flag.id}/dismiss", {"note": "Banter between friends"})
    statuses = dict(db.session.execute(select(Flag.id, Flag.status)).all())
    assert [statuses[f.id] for f in db.session.scalars(select(Flag).order_by(Flag.id))] == ["dismissed", "dismissed", "open"]
    client.submit(f"/mod/flags/{other.id}/resolve", {"note": "Talked with them"})
    closed = db.session.get(Flag, other.id)
    assert (closed.status, closed.resolution_note, closed.resolved_by_id) == ("resolved", "Talked with them", moss.id)
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["dismiss", "resolve"]


def test_a_note_too_long_to_keep_is_explained_and_the_flag_stays_open(client):
    flag = make_flag(make_user("ben"), make_post(make_user("ana"), make_thread()))
    make_moderator()
    client.login("moss")
    response = client.submit(f"/mod/flags/{flag.id}/dismiss", {"note": "x" * 501},
                             follow_redirects=True)
    assert "Note (optional): keep it to 500 characters or fewer (this is 501)." in response.page
    assert db.session.get(Flag, flag.id).status == "open"

def test_restore_brings_a_hidden_post_back_and_is_logged(client):
    ana = make_user("ana")
    moss = make_moderator()
    post = make_post(ana, make_thread())
    hide_post(moss, post, "Too much")
    client.login("moss")
    client.submit(f"/mod/posts/{post.id}/restore")
    assert db.session.get(Post, post.id).hidden_at is None
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "restore"
    # Read after "Restored a post", "The post was hidden." read as if restoring hid it.
    for page in (client.get("/mod/audit").page, client.get("/mod/users/ana").page):
        assert "It had been hidden." in page and "The post was hidden" not in page


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def notifications_of(user) -> int:
    return db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == user.id))


def test_hiding_twice_says_so_keeps_the_first_reason_and_tells_the_author_once(client):
    ana = make_user("ana")
    make_moderator()
    post = make_post(ana, make_thread())
    client.login("moss")
    first = client.submit(f"/mod/posts/{post.id}/hide", {"reason": "Personal attack"},
                          follow_redirects=True)
    assert "The post by @ana in “A place to talk” is hidden" in first.page
    again = client.submit(f"/mod/posts/{post.id}/hide", {"reason": "Spam"}, follow_redirects=True)
    assert "This post is hidden already." in again.page and "is hidden, its author told" not in again.page
    assert db.session.get(Post, post.id).hidden_reason == "Personal attack"
    assert notifications_of(ana) == 1
    assert audit_actions() == ["hide"]


def test_hiding_from_the_post_page_twice_is_refused_the_same_way(client):
    ana = make_user("ana")
    make_moderator()
    post = make_post(ana, make_thread())
    client.login("moss")
    client.submit(f"/posts/{post.id}/hide", {"reason": "Personal attack"})
    again = client.submit(f"/posts/{post.id}/hide", {"reason": "Spam"},
                          follow_redirects=True)
    assert "This post is hidden already." in again.page
    assert db.session.get(Post, post.id).hidden_reason == "Personal attack"
    assert notifications_of(ana) == 1 and audit_actions() == ["hide"]


def test_restoring_twice_or_a_post_never_hidden_says_there_is_nothing_to_restore(client):
    ana = make_user("ana")
    moss = make_moderator()
    hidden = make_post(ana, make_thread(), "Hidden once.")
    never = make_post(ana, make_thread(), "Never hidden.")
    hide_post(moss, hidden, "Too much")
    client.login("moss")
    first = client.submit(f"/mod/posts/{hidden.id}/restore", follow_redirects=True)
    assert "The post by @ana in “A place to talk” is back, and its author told." in first.page
    again = client.submit(f"/mod/posts/{hidden.id}/restore", follow_redirects=True)
    assert "This post is not hidden or removed." in again.page and "is back, and its author told." not in again.page
    untouched = client.submit(f"/posts/{never.id}/restore", follow_redirects=True)
    assert "This post is not hidden or removed." in untouched.page and "The post is back." not in untouched.page
    assert audit_actions() == ["hide", "restore"]


def test_moderators_edit_through_the_post_editor_and_the_edit_is_logged(client):
    ana = make_user("ana")
    moss = make_moderator()
    post = make_post(ana, make_thread(), "My phone number is 555-0100.")
    client.login("moss")
    client.submit(f"/posts/{post.id}/edit", {"body": "My phone number is [removed by a moderator]."})
    assert "[removed by a moderator]" in db.session.get(Post, post.id).body_md
    entry = db.session.scalar(select(AuditEntry))
    assert (entry.action, entry.actor_id, entry.target_id) == ("edit", moss.id, post.id)


def test_authors_editing_their_own_posts_are_not_in_the_audit_log(client):
    ana = make_user("ana")
    post = make_post(ana, make_thread())
    client.login("ana")
    client.submit(f"/posts/{post.id}/edit", {"body": "Better words."})
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_only_admins_delete_for_good_and_the_thread_counts_follow(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_moderator()
    make_user("ada", role="admin")
    thread = make_thread("Busy")
    keep = make_post(ben, thread, "stays")
    doomed = make_post(ana, thread, "goes")
    reply = make_post(ben, thread, "a reply that goes too", parent=doomed)
    make_post(ana, thread, "a reply that stays", parent=keep)
    toggle_reaction(ben, doomed, "hug")
    make_flag(ben, doomed)
    doomed_id, reply_id = doomed.id, reply.id
    client.login("moss")
    assert client.submit(f"/mod/posts/{doomed.id}/delete", {"reason": "Doxxing"}).status_code == 403
    assert "Delete for good" not in client.get("/mod").page
    client.logout()
    client.login("ada")
    # It cannot be undone, so it asks first: in a dialog (forum.js reads data-confirm), or without
    # JavaScript on a page of its own that keeps the reason typed.
    question = "Delete the post by @ana in “Busy” for good?"
    assert f'data-confirm="{question} It and its 1 reply go for good' in client.get("/mod").page
    asked = client.submit(f"/mod/posts/{doomed_id}/delete", {"reason": "Doxxing", "back": "/mod?page=1"})
    assert asked.status_code == 200 and f"<h1>{question}</h1>" in asked.page
    assert 'name="reason" value="Doxxing"' in asked.page and 'name="confirmed" value="yes"' in asked.page
    assert 'href="/mod?page=1">Keep the post</a>' in asked.page and db.session.get(Post, doomed_id) is not None
    done = client.submit(f"/mod/posts/{doomed_id}/delete", {"reason": "Doxxing", "confirmed": "yes"},
                         follow_redirects=True)
    assert "The post by @ana in “Busy” and its 1 reply are deleted for good." in done.page
    assert db.session.get(Post, doomed_id) is None and db.session.get(Post, reply_id) is None
    assert db.session.scalar(select(func.count(Reaction.id))) == 0
    stored = db.session.get(Thread, thread.id)
    assert (stored.post_count, stored.top_level_count) == (2, 1)
    assert open_flags() == 0
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "delete"))
    assert entry.reason == "Doxxing" and "post" in entry.target_label and "Busy" in entry.target_label
    assert client.get(f"/posts/{doomed_id}").status_code == 404


def test_delete_for_good_pressed_twice_says_the_post_is_gone_already(client):
    # A double-click on "Delete for good", or a queue left open in another tab: the second
    # press ended on a 404 page ("That post doesn't exist"), leaving the admin unsure.
    make_user("ada", role="admin")
    doomed = make_post(make_user("ana"), make_thread("Busy"), "goes")
    make_flag(make_user("ben"), doomed)
    doomed_id = doomed.id
    client.login("ada")
    sent = {"reason": "Doxxing", "confirmed": "yes", "csrf_token": client.csrf_token()}
    first = client.post(f"/mod/posts/{doomed_id}/delete", data=sent, follow_redirects=True)
    again = client.post(f"/mod/posts/{doomed_id}/delete", data=sent, follow_redirects=True)
    assert first.status_code == again.status_code == 200
    # It had no replies: the message says only what went.
    assert "The post by @ana in “Busy” is deleted for good." in first.page and "its replies" not in first.page
    assert "That post is deleted for good already." in again.page
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "delete")) == 1
    # A post that never was is still not found.
    assert client.post("/mod/posts/987654/delete", data=sent).status_code == 404


def test_flagged_posts_in_private_conversations_reach_the_moderators(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_moderator()
    thread = make_thread("Ana and Ben", members=[ana, ben])
    post = make_post(ana, thread, "A private message that crosses a line.")
    make_flag(ben, post, "Pressures me to share my address")
    public = make_post(ana, make_thread("Open space"), "A public post.")
    make_flag(ben, public, "Spam")
    client.login("moss")
    assert client.get(f"/threads/{thread.id}").status_code == 404  # not theirs to browse
    page = client.get("/mod").page
    assert "A private message that crosses a line." in page
    # No "See it in place" that would answer "not found", but a word on why.
    assert f'href="/posts/{post.id}"' not in page and f'<a href="/posts/{public.id}">See it in place<span' in page
    assert "in a private conversation, which only its members can open" in page
    client.submit(f"/mod/posts/{post.id}/hide", {"reason": "Asking for personal details"})
    assert db.session.get(Post, post.id).hidden_at is not None


def test_the_queue_costs_the_same_number_of_queries_for_3_or_30_flags(app, client, count_queries):
    make_moderator()
    authors = [make_user(f"author{n}") for n in range(6)]
    reporter = make_user("reporter")

    def flag_posts(count):
        for n in range(count):
            author = authors[n % len(authors)]
            # Some say someone may be in danger: marked and counted without a query each.
            make_flag(reporter, make_post(author, make_thread(f"Thread {n}"), f"words {n}"), urgent=n % 3 == 0)
        for n in range(count // 3):
            make_flag(authors[0], make_user(f"profile{len(authors)}{n}{count}"), "odd profile")

    client.login("moss")
    flag_posts(3)
    # The whole queue, and one of its lists (its counts come in the same statement).
    pages = ("/mod", "/mod?what=threads&urgent=1")
    small, large = {}, {}
    for path in pages:
        with count_queries() as small[path]:
            assert client.get(path).status_code == 200
    flag_posts(27)
    for path in pages:
        with count_queries() as large[path]:
            assert client.get(path).status_code == 200
    assert [large[path].count for path in pages] == [small[path].count for path in pages]
    assert small["/mod?what=threads&urgent=1"].count <= small["/mod"].count  # one kind loads one kind


@pytest.mark.parametrize("action, who, box", [("posts/{post}/hide", "moss", "hide-{post_flag}"),
                                              ("posts/{post}/delete", "ada", "delete-{post_flag}"),
                                              ("reviews/{review}/hide", "moss", "hide-review-{review_flag}")])
def test_a_queue_action_from_an_expired_page_changes_nothing_and_gives_the_reason_back(client, action, who, box):
    """Hiding or deleting checks its own token, to give back the reason typed: an expired
    or made-up token is refused all the same, the post or review left as it was, and the
    reason is back in the box of the button pressed (and in the message), for that page only."""
    post = make_post(make_user("ana"), make_thread(), "Something harsh.")
    review = make_review(make_listener("rowan"), make_mentor("juniper"), rating=1, body="Unkind and late.")
    ben = make_user("ben")
    post_flag, review_flag = make_flag(ben, post, "Mocks a newcomer."), make_flag(ben, review, "Mocks a mentor.")
    boxes = {name.format(post_flag=post_flag.id, review_flag=review_flag.id)
             for name in ("hide-{post_flag}", "delete-{post_flag}", "hide-review-{review_flag}")}
    box = box.format(post_flag=post_flag.id, review_flag=review_flag.id)
    make_moderator("moss")
    make_user("ada", role="admin")
    client.login(who)
    path = ("/mentors/" if action.startswith("reviews") else "/mod/") + action.format(post=post.id, review=review.id)
    for token in ("expired", None):
        data = {"reason": "Mocks a newcomer", "back": "/mod", "confirmed": "yes"}
        data |= {"csrf_token": token} if token else {}
        response = client.post(path, data=data)
        assert response.status_code == 302 and response.location == "/mod"
        shown = client.get("/mod")
        assert EXPIRED_BUTTON_MESSAGE in shown.page and "“Mocks a newcomer”" in shown.page
        html = shown.get_data(as_text=True)
        assert box_value(html, box) == "Mocks a newcomer"
        assert all(box_value(html, other) in ("", None) for other in boxes - {box})
        assert box_value(client.get("/mod").get_data(as_text=True), box) == ""  # the next page only, as the message
        db.session.expire_all()
        assert db.session.get(Post, post.id).hidden_at is None and db.session.get(Review, review.id).hidden_at is None
        assert open_flags() == 2 and db.session.scalar(select(func.count(AuditEntry.id))) == 0

    response = client.submit(path, {"reason": "Mocks a newcomer", "back": "/mod", "confirmed": "yes"})  # sent again
    assert response.status_code == 302 and db.session.scalar(select(func.count(AuditEntry.id))) == 1


def test_a_delete_reason_given_back_comes_back_unfolded(client):
    """"Delete for good" sits folded away; when its page had expired, the fold is open on
    the page they come back to, with the reason in its box, so they only press it again.
    Once that page is shown, it is folded again."""
    post = make_post(make_user("ana"), make_thread(), "Something harsh.")
    flag = make_flag(make_user("ben"), post, "Mocks a newcomer.")
    make_user("ada", role="admin")
    client.login("ada")
    folded, unfolded = '<details class="delete-for-good">', '<details class="delete-for-good" open>'
    assert folded in client.get("/mod").get_data(as_text=True)
    client.post(f"/mod/posts/{post.id}/delete", data={"reason": "Doxxing", "back": "/mod", "csrf_token": "expired"})
    html = client.get("/mod").get_data(as_text=True)
    assert unfolded in html and box_value(html, f"delete-{flag.id}") == "Doxxing"
    html = client.get("/mod").get_data(as_text=True)
    assert folded in html and unfolded not in html


@pytest.mark.parametrize("empty", ["", "   "])
def test_an_empty_reason_from_an_expired_page_does_not_bring_back_an_older_one(client, empty):
    """Pressed twice on an expired page before any page was shown (a second tab, say):
    first with a reason, then with the box emptied. The box shows what was sent last,
    nothing, not the reason they had taken back."""
    post = make_post(make_user("ana"), make_thread(), "Something harsh.")
    flag = make_flag(make_user("ben"), post, "Mocks a newcomer.")
    make_moderator("moss")
    client.login("moss")
    for reason in ("Personal attack", empty):
        response = client.post(f"/mod/posts/{post.id}/hide",
                               data={"reason": reason, "back": "/mod", "csrf_token": "expired"})
        assert response.status_code == 302
    html = client.get("/mod").get_data(as_text=True)
    assert box_value(html, f"hide-{flag.id}") == ""
    db.session.expire_all()
    assert db.session.get(Post, post.id).hidden_at is None


def test_a_reason_given_back_in_its_box_stays_text(client):
    """The reason goes back into an attribute of the page: quotes and brackets stay what was typed."""
    post = make_post(make_user("ana"), make_thread(), "Something harsh.")
    flag = make_flag(make_user("ben"), post, "Mocks a newcomer.")
    make_moderator("moss")
    client.login("moss")
    reason = 'Says "call me" <b onmouseover=alert(1)> & more'
    client.post(f"/mod/posts/{post.id}/hide", data={"reason": reason, "back": "/mod", "csrf_token": "expired"})
    html = client.get("/mod").get_data(as_text=True)
    assert box_value(html, f"hide-{flag.id}") == reason and "<b onmouseover" not in html


def test_handling_the_last_flag_on_a_later_page_of_the_queue_does_not_say_the_queue_is_empty(client):
    make_moderator("moss")
    thread = make_thread("Busy week")
    reporters = [make_user(f"reporter{n}") for n in range(3)]
    flags = [make_flag(reporters[n % 3], make_post(make_user(f"writer{n}"), thread, f"Post number {n}."))
             for n in range(21)]  # a second page of one flag
    client.login("moss")
    client.get("/mod?page=2")
    after = client.submit(f"/mod/flags/{flags[-1].id}/dismiss", {"back": "/mod?page=2"},
                          follow_redirects=True)
    assert "Dismissed 1 flag" in after.page
    assert "No open flags" not in after.page and open_flags() == 20
    assert "There is only 1 page" in after.page and 'href="/mod?page=1"' in after.text


def test_mark_handled_from_an_expired_page_changes_nothing_and_gives_the_note_back(client):
    post = make_post(make_user("ana"), make_thread(), "Something harsh.")
    flag = make_flag(make_user("ben"), post, "Mocks a newcomer.")
    make_moderator("moss")
    client.login("moss")
    response = client.post(f"/mod/flags/{flag.id}/resolve",
                           data={"note": "Talked it through with ana", "back": "/mod", "csrf_token": "expired"})
    assert response.status_code == 302 and response.location == "/mod"
    shown = client.get("/mod")
    assert EXPIRED_BUTTON_MESSAGE in shown.page and "“Talked it through with ana”" in shown.page
    assert box_value(shown.get_data(as_text=True), f"resolve-{flag.id}") == "Talked it through with ana"
    assert open_flags() == 1 and db.session.scalar(select(func.count(AuditEntry.id))) == 0


def test_hiding_a_flagged_post_from_its_own_page_closes_its_flags_and_empties_the_queue(client):
    """A moderator who meets a flagged post in its thread and hides it there has handled the
    flags: the queue and the front page's count no longer show it as waiting."""
    ana, ben, cyd = make_user("ana"), make_user("ben"), make_user("cyd")
    moss = make_moderator()
    post = make_post(ana, make_thread("Evening check-in"), "BUY CHEAP PILLS NOW")
    make_flag(ben, post, "Spam")
    make_flag(cyd, post, "Advertising")
    client.login("moss")
    response = client.submit(f"/posts/{post.id}/hide", {"reason": "Advertising"},
                             follow_redirects=True)
    assert "The post is hidden and its author told why" in response.page
    assert open_flags() == 0
    assert {(flag.status, flag.resolved_by_id) for flag in db.session.scalars(select(Flag))} == {("resolved", moss.id)}
    assert "No open flags" in client.get("/mod").page
    assert 'id="home-flags"' not in client.get("/").page


def test_the_author_told_their_post_was_hidden_is_told_when_a_moderator_brings_it_back(client):
    ana = make_user("ana")
    moss = make_moderator()
    post = make_post(ana, make_thread("Highs and lows"), "A rough week.")
    hide_post(moss, post, "Looked like spam")
    client.login("moss")
    client.submit(f"/mod/posts/{post.id}/restore")
    told = list(db.session.scalars(select(Notification.message).where(Notification.user_id == ana.id)
                                   .order_by(Notification.id)))
    assert told == ["A moderator hid your post in “Highs and lows”: Looked like spam",
                    "A moderator brought back your post in “Highs and lows”: it shows again where you wrote it."]
    assert "moss" not in told[1] and "Moss" not in told[1]


def test_the_author_of_a_hidden_reply_or_response_is_told_what_it_was_as_its_flagger_is(client, mailbox):
    ana, ben = make_user("ana"), make_user("ben")
    make_moderator()  # moss
    set_email_kinds(ana, ["moderation"], daily=False)
    parent = make_post(ben, make_thread("Highs and lows"), "A rough week.")
    reply = make_post(ana, parent.thread, "Nobody cares.", parent=parent)
    make_flag(ben, reply, "Unkind")
    program = make_program(peers=1)
    enrol(ana, program)
    response = respond(ana, program, 1)
    title = discussion(program, 1).thread.title
    client.login("moss")
    client.submit(f"/mod/posts/{reply.id}/hide", {"reason": "Unkind"})
    client.submit(f"/posts/{response.id}/hide", {"reason": "Off topic"})
    client.submit(f"/mod/posts/{response.id}/restore")
    told = list(db.session.scalars(select(Notification.message).where(Notification.user_id == ana.id)
                                   .order_by(Notification.id)))
    assert told == ["A moderator hid your reply in “Highs and lows”: Unkind",
                    f"A moderator hid your response in “{title}”: Off topic",
                    f"A moderator brought back your response in “{title}”: it shows again where you wrote it."]
    assert [body.splitlines()[0] for body in mailbox.bodies_to(ana.email)] == told
    assert ("A moderator looked at the reply you flagged in “Highs and lows” and took it down."
            in db.session.scalars(select(Notification.message).where(Notification.user_id == ben.id)))


def test_each_queue_action_says_whose_post_it_acted_on(client):
    """Forty entries look alike on a raid evening: what a button did is said with whose it was."""
    ana, ben = make_user("ana"), make_user("ben")
    make_moderator()
    thread = make_thread("Evening check-in")
    spam, rude, fine = (make_post(ana, thread, "BUY PILLS"), make_post(ben, thread, "You are all losers"),
                        make_post(ben, thread, "Kind words"))
    reporter = make_user("cyd")
    flagged = {post.id: make_flag(reporter, post, "Spam or worse") for post in (spam, rude, fine)}
    client.login("moss")
    hidden = client.submit(f"/mod/posts/{spam.id}/hide", {"reason": "Advertising"}, follow_redirects=True)
    assert "The post by @ana in “Evening check-in” is hidden, its author told why, and its flags closed." in hidden.page
    back = client.submit(f"/mod/posts/{spam.id}/restore", follow_redirects=True)
    assert "The post by @ana in “Evening check-in” is back, and its author told." in back.page
    handled = client.submit(f"/mod/flags/{flagged[rude.id].id}/resolve", {"note": "Talked to Ben"},
                            follow_redirects=True)
    assert "Marked 1 flag on the post by @ben in “Evening check-in” as handled." in handled.page
    dismissed = client.submit(f"/mod/flags/{flagged[fine.id].id}/dismiss", follow_redirects=True)
    assert "Dismissed 1 flag on the post by @ben in “Evening check-in”: nothing needs doing." in dismissed.page


def test_after_suspending_a_spammer_their_other_entries_in_the_queue_say_so(client):
    """Suspending from one entry leaves the spammer's other flagged posts in the queue: each says
    they are suspended already, so the moderator working down the page does not go back to do it."""
    spammer, reporter = make_user("cheap_pills"), make_user("cyd")
    make_moderator()
    thread = make_thread("Evening check-in")
    for n in range(3):
        make_flag(reporter, make_post(spammer, thread, f"BUY PILLS {n}"), "Spam")
    client.login("moss")
    assert "is suspended until" not in client.get("/mod").page
    client.submit("/mod/users/cheap_pills/suspend", {"days": "7", "reason": "Spam raid"},
                  follow_redirects=True)
    until = db.session.scalar(select(User.suspended_until).where(User.username == "cheap_pills"))
    page = client.get("/mod").page
    assert page.count(f"@cheap_pills is suspended until {until.day} {until:%b %Y, %H:%M} UTC") == 3


def test_the_queue_says_how_many_things_wait_on_every_page_and_counts_down_as_they_are_handled(client):
    """With more than a page waiting, the moderator on page 1 learns there is more (the
    self-harm post flagged last is on page 2), and the number goes down as they work."""
    reporter, other = make_user("cyd"), make_user("dee")
    make_moderator()
    thread = make_thread("Evening check-in")
    posts = [make_post(make_user(f"author{n}"), thread, f"words {n}") for n in range(22)]
    first = make_flag(reporter, posts[0], "Spam")
    make_flag(other, posts[0], "Spam too")  # one thing flagged twice waits as one
    for post in posts[1:]:
        make_flag(reporter, post, "Spam")
    client.login("moss")
    assert "22 flagged items wait." in client.get("/mod").page
    assert "22 flagged items wait." in client.get("/mod?page=2").page
    client.submit(f"/mod/flags/{first.id}/dismiss", follow_redirects=True)
    assert "21 flagged items wait." in client.get("/mod").page


def test_a_flagged_profile_is_named_once_on_the_flag_page_and_in_the_queue(client):
    make_user("sunny", age_group="teen")
    make_user("greg", display_name="Greg")
    greg = db.session.scalar(select(User).where(User.username == "greg"))
    make_moderator()
    client.login("sunny")
    form = client.get(f"/flag/profile/{greg.id}").page
    assert "Profile of Greg</p>" in form and "Greg (@greg)" not in form
    client.submit(f"/flag/profile/{greg.id}", {"reason": "Keeps messaging me, asks for a photo"})
    client.logout()
    client.login("moss")
    heading = client.get("/mod").page.split('class="card queue-entry"')[1].split("</h2>")[0]
    assert " ".join(heading.split()).endswith('Profile of Greg <span class="username">@greg</span>')


def flagged_quotes(page: str) -> list[tuple[str, str]]:
    """Each flagged quote's role and name, as a screen reader lists the page's regions."""
    found = re.findall(r'<blockquote class="prose flagged-content" role="(\w+)" aria-label="([^"]*)" tabindex="0"',
                       page)
    return [(role, html.unescape(name)) for role, name in found]


def test_each_flagged_quote_is_a_region_the_keyboard_scrolls_named_for_whose_words_they_are(client):
    """A long post scrolls in its box (20rem): Tab reaches each, and with several on a page a
    screen reader's list of regions says which is which, in the queue and in the dismissed flags."""
    ana, ben, cyd = make_user("ana"), make_user("ben"), make_user("cyd")
    moss = make_moderator()
    thread = make_thread("Evening check-in")
    make_flag(cyd, make_post(ana, thread, "Something cruel."), "Mocks a newcomer")
    make_flag(cyd, make_post(ben, thread, "BUY PILLS"), "Spam")
    make_flag(cyd, ben, "An unkind bio.")
    client.login(moss.username)
    named = [("region", "Flagged words: the post by @ana in “Evening check-in”"),
             ("region", "Flagged words: the post by @ben in “Evening check-in”"),
             ("region", "Flagged words: @ben's profile")]
    assert sorted(flagged_quotes(client.get("/mod").page)) == sorted(named)
    for flag in db.session.scalars(select(Flag)).all():
        client.submit(f"/mod/flags/{flag.id}/dismiss", {})
    assert sorted(flagged_quotes(client.get("/mod/dismissed").page)) == sorted(named)
