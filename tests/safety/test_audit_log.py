"""The audit log: every staff action, readable by moderators and admins, filterable."""
import re
from datetime import datetime, timedelta

import pytest

from sqlalchemy import select

from forum.clock import utcnow
from forum.extensions import db
from forum.ideas.services import set_status
from forum.models.ideas import IdeaCall
from forum.models.moderation import AuditEntry, audit_entry
from forum.posts.services import hide_post
from tests.factories import make_badge, make_post, make_thread, make_user
from tests.ideas.factories import make_call, post_idea
from tests.mentors.factories import make_listener, make_mentor, make_review
from tests.safety.factories import make_flag, make_moderator, suspend


def entries() -> list[tuple]:
    return [(e.action, e.target_type, e.target_id, e.actor_id) for e in
            db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_admin_role_and_badge_changes_are_logged(client):
    ada = make_user("ada", role="admin")
    sam = make_user("sam")
    client.login("ada")
    client.submit("/admin/users/sam/roles", {"roles": ["member", "listener"]})
    client.submit("/admin/badges", {"slug": "first-aid", "name": "First aid", "icon": "+"})
    client.submit("/admin/users/sam/badges", {"badge": "first-aid", "reason": "Course done"})
    client.submit("/admin/users/sam/badges/first-aid/revoke", {"reason": "Course lapsed", "confirmed": "yes"})
    badge_id = db.session.scalar(select(AuditEntry.target_id).where(AuditEntry.action == "badge_create"))
    assert entries() == [("roles", "user", sam.id, ada.id), ("badge_create", "badge", badge_id, ada.id),
                         ("badge_award", "user", sam.id, ada.id), ("badge_revoke", "user", sam.id, ada.id)]
    roles = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "roles"))
    assert roles.details == "member → listener, member" and roles.target_label == "@sam"
    reasons = dict(db.session.execute(select(AuditEntry.action, AuditEntry.reason)).all())
    assert (reasons["badge_award"], reasons["badge_revoke"]) == ("Course done", "Course lapsed")


def test_a_persons_moderation_page_names_the_actions_about_them_as_the_log_does(client):
    make_user("ada", role="admin")
    make_user("sam")
    make_badge("first-aid", "First aid")
    client.login("ada")
    client.submit("/admin/users/sam/badges", {"badge": "first-aid", "reason": "Course done"})
    client.submit("/mod/users/sam/age-group", {"age_group": "teen", "reason": "Is 16"})
    client.submit("/mod/users/sam/suspend", {"days": "3", "reason": "Insults"})
    history = client.get("/mod/users/sam").page.split("Staff actions about @sam")[1]
    for label in ("Suspended someone", "Changed an age group", "Awarded a badge"):
        assert f"Ada: {label}" in history
    assert "badge_award" not in history and "age_group" not in history and ": suspend " not in history


def test_saving_unchanged_roles_logs_nothing(client):
    make_user("ada", role="admin")
    make_user("sam")
    client.login("ada")
    client.submit("/admin/users/sam/roles", {"roles": ["member"]})
    assert entries() == []


def test_staff_work_on_calls_for_ideas_is_logged(client):
    moss = make_moderator()
    ana = make_user("ana")
    client.login("moss")
    client.submit("/ideas/new", {"title": "Welcoming newcomers", "question": "How?", "audience": "everyone",
                                 "required_badge": ""})
    call_id = db.session.scalar(select(AuditEntry.target_id).where(AuditEntry.action == "call_open"))
    first, second = (post_idea(ana, db.session.get(IdeaCall, call_id), body) for body in ("Greeters", "A buddy"))
    review = f"/ideas/{call_id}/ideas/{first.id}/review"
    client.submit(review, {"status": "declined", "note": "We tried it in 2023"})
    client.submit(f"/ideas/{call_id}/ideas/{second.id}/merge",
                  {"target": str(first.id), "note": "Same idea", "confirmed": "yes"})
    client.submit(f"/ideas/{call_id}/phase", {"phase": "evaluating", "confirmed": "yes"})
    assert entries() == [("call_open", "call", call_id, moss.id), ("idea_status", "post", first.id, moss.id),
                         ("idea_merge", "post", second.id, moss.id), ("call_phase", "call", call_id, moss.id)]
    status = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "idea_status"))
    assert (status.reason, status.details) == ("We tried it in 2023", "New → Declined")
    assert "Collecting ideas → Evaluating" in client.get("/mod/audit?action=call_phase").page
    page = client.get("/mod/audit?action=idea_merge").page
    assert "Same idea" in page and "We tried it in 2023" not in page


def test_command_line_changes_are_logged_without_an_actor(app, runner):
    make_user("sam")
    make_badge("calm", "Calm")
    runner.invoke(args=["grant-role", "sam", "mentor"])
    assert [(e.action, e.actor_id) for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))] == [
        ("badge_create", None), ("roles", None)]


def test_moderators_and_admins_read_it_and_nobody_else(client):
    make_user("ana", role=("listener", "mentor", "trainer"))
    make_moderator()
    make_user("ada", role="admin")
    client.login("ana")
    assert client.get("/mod/audit").status_code == 403
    for reader in ("moss", "ada"):
        client.logout()
        client.login(reader)
        assert client.get("/mod/audit").status_code == 200
    client.logout()
    assert client.get("/mod/audit").location.startswith("/login")


def rows(client, url: str) -> str:
    """The table of entries only: the filter form lists every action's name too."""
    return client.get(url).page.split("<tbody>")[1].split("</tbody>")[0]


def seed_log():
    moss, ada = make_moderator(), make_user("ada", role="admin")
    sam = make_user("sam")
    old = audit_entry(moss, "hide", "post", 7, label="post 7 by @sam", reason="Insult")
    old.created_at = utcnow() - timedelta(days=10)
    audit_entry(moss, "suspend", "user", sam.id, label="@sam", reason="Repeated insults", details="3 days")
    audit_entry(ada, "roles", "user", sam.id, label="@sam", details="member → listener, member")
    db.session.commit()


def test_filters_by_actor_action_target_type_and_date(client):
    seed_log()
    client.login("ada")
    page = rows(client, "/mod/audit")
    assert "Repeated insults" in page and "Insult" in page and "listener, member" in page
    assert page.index("Changed roles") < page.index("Suspended someone") < page.index("Hid a post")
    by_moss = rows(client, "/mod/audit?actor=moss")
    assert "Suspended someone" in by_moss and "Changed roles" not in by_moss
    assert "No entries match" in rows(client, "/mod/audit?actor=nobody_here")
    suspensions = rows(client, "/mod/audit?action=suspend")
    assert "Repeated insults" in suspensions and "Hid a post" not in suspensions
    about_posts = rows(client, "/mod/audit?target_type=post")
    assert "Hid a post" in about_posts and "Suspended someone" not in about_posts
    today = utcnow().date()
    recent = rows(client, f"/mod/audit?since={today - timedelta(days=1)}")
    assert "Suspended someone" in recent and "Hid a post" not in recent
    older = rows(client, f"/mod/audit?until={today - timedelta(days=5)}")
    assert "Hid a post" in older and "Suspended someone" not in older


def test_the_actor_filter_takes_a_name_as_the_log_shows_it_with_its_at(client):
    """Every name in the log reads "@moss": copied from there into the filter, it still finds them."""
    seed_log()
    make_moderator("moss_with_twenty_ch")
    client.login("ada")
    by_moss = rows(client, "/mod/audit?actor=%40moss")
    assert "Suspended someone" in by_moss and "Changed roles" not in by_moss
    assert "Suspended someone" in rows(client, "/mod/audit?actor=+%40moss+")
    longest = client.get("/mod/audit?actor=%40moss_with_twenty_ch").page
    assert "Keep it to 20" not in longest and "No entries match" in longest


@pytest.mark.parametrize("box", ["actor", "about"])
def test_a_name_nobody_has_is_said_so_not_only_that_no_entries_match(client, box):
    """"mos" for "moss": "No entries match." alone read as if Moss had done nothing."""
    seed_log()
    client.login("ada")
    page = client.get(f"/mod/audit?{box}=%40mos").page
    assert "Nobody here is called @mos." in page
    assert "No entries match." in page
    assert "Nobody here is called" not in client.get(f"/mod/audit?{box}=moss").page


def test_a_filter_that_makes_no_sense_is_explained_not_a_500(client):
    seed_log()
    client.login("moss")
    response = client.get("/mod/audit?since=last-tuesday&action=explode")
    assert response.status_code == 200
    assert "Write a date that exists, as year-month-day" in response.page
    assert "Choose one of the options in the list." in response.page
    assert "Suspended someone" in rows(client, "/mod/audit?since=last-tuesday&action=explode")
    impossible = client.get("/mod/audit?until=2026-02-30").page
    assert "Write a date that exists, as year-month-day" in impossible



def test_the_widest_dates_are_read_as_dates(client):
    seed_log()
    client.login("moss")
    page = rows(client, "/mod/audit?since=0001-01-01&until=9999-12-31")
    assert "Hid a post" in page and "Suspended someone" in page


def test_a_moderator_abroad_reads_and_filters_the_log_by_their_own_clock_and_days(client):
    """Late in a Toronto evening is the next day in UTC: the log's "When (UTC)" heading called
    Toronto times UTC, and "Until 7 Dec" left out what the log showed at 7 Dec, 21:30."""
    moss = make_moderator()
    moss.time_zone = "America/Toronto"
    late = audit_entry(moss, "suspend", "user", make_user("sam").id, label="@sam", reason="Late-night insults")
    late.created_at = datetime(2026, 12, 8, 2, 30)
    db.session.commit()
    client.login("moss")
    page = client.get("/mod/audit").page
    assert "When (UTC)" not in page
    # The From and Until boxes say whose days they mean, and are read with it.
    assert page.count("Days in America/Toronto") == 2
    assert 'aria-describedby="since-hint"' in page and 'aria-describedby="until-hint"' in page
    # On a phone the narrow "When" column reads the date, then the time, each kept on one line
    # (before: "7 Dec / 2026, / 21:30 / UTC", four lines); no less is said.
    when = re.search(r'<time datetime="2026-12-08T02:30:00Z">(.*?)</time>', page, re.S).group(1)
    assert re.findall(r'<span class="nowrap">(.*?)</span>', when) == ["7 Dec 2026,", "21:30"]
    assert "Late-night insults" in rows(client, "/mod/audit?since=2026-12-07&until=2026-12-07")
    assert "Late-night insults" not in rows(client, "/mod/audit?since=2026-12-08")
    assert "Late-night insults" in rows(client, "/mod/audit?since=0001-01-01&until=9999-12-31")  # the calendar's ends


def test_dates_the_wrong_way_round_are_explained_and_left_out(client):
    seed_log()
    client.login("moss")
    today = utcnow().date()
    response = client.get(f"/mod/audit?since={today}&until={today - timedelta(days=5)}")
    assert response.status_code == 200
    assert "The “from” date comes after the “until” date." in response.page
    # The "from" date still applies: today's entries, not the one of ten days ago.
    shown = rows(client, f"/mod/audit?since={today}&until={today - timedelta(days=5)}")
    assert "Suspended someone" in shown and "Hid a post" not in shown

def test_the_log_pages_and_its_cost_does_not_grow(client, count_queries):
    moss = make_moderator()
    make_user("ada", role="admin")
    for n in range(5):
        audit_entry(moss, "dismiss", "post", n, label=f"post {n}")
    db.session.commit()
    client.login("ada")
    with count_queries() as small:
        client.get("/mod/audit")
    for n in range(120):
        audit_entry(moss if n % 2 else None, "dismiss", "post", n, label=f"post {n}")
    db.session.commit()
    with count_queries() as large:
        page = client.get("/mod/audit").page
    assert large.count == small.count
    assert 'rel="next"' in page and "/mod/audit?page=2" in page
    assert "post 0" in client.get("/mod/audit?page=3").page


def test_a_page_past_the_last_leads_back_rather_than_saying_nothing_matches(client):
    moss = make_moderator()
    for n in range(3):
        audit_entry(moss, "dismiss", "post", n, label=f"post {n}")
    db.session.commit()
    client.login("moss")
    response = client.get("/mod/audit?page=4")
    assert response.status_code == 200
    assert "No entries match." not in response.page
    assert '<a href="/mod/audit?page=1">go to the last</a>' in response.text
    filtered = client.get("/mod/audit?action=dismiss&page=2")
    assert "No entries match." not in filtered.page and "go to the last" in filtered.page
    assert "No entries match." in client.get("/mod/audit?action=suspend").page


def test_a_persons_moderation_page_lists_what_staff_did_to_their_posts(client):
    make_moderator("moss")
    sam, ana = make_user("sam"), make_user("ana")
    thread = make_thread("Long week", author=sam)
    hidden = make_post(sam, thread, "Everyone here is useless.")
    make_post(ana, thread, "Not sam's post.")
    client.login("moss")
    client.submit(f"/mod/posts/{hidden.id}/hide", {"reason": "Insulting the room"})
    client.submit("/mod/users/sam/suspend", {"days": "3", "reason": "Insults again"})
    history = client.get("/mod/users/sam").page.split("Staff actions about @sam")[1]
    assert f"Moss: Hid a post — post {hidden.id} by @sam in “Long week”: “Insulting the room”" in history
    assert "Moss: Suspended someone" in history
    assert "Hid a post" not in client.get("/mod/users/ana").page.split("Staff actions about @ana")[1]


def test_a_persons_moderation_page_lists_what_staff_did_to_their_reviews(client):
    make_moderator("moss")
    review = make_review(make_listener("sam"), make_mentor("kai"))
    client.login("moss")
    client.submit(f"/mentors/reviews/{review.id}/hide", {"reason": "Shares a mentee's story"})
    history = client.get("/mod/users/sam").page.split("Staff actions about @sam")[1]
    assert f"Moss: Hid a review — review {review.id} by @sam of @kai: “Shares a mentee's story”" in history


def test_the_audit_log_links_reviews_and_calls_to_where_they_are(client):
    moss = make_moderator("moss")
    review = make_review(make_listener("sam"), make_mentor("kai"))
    client.login("moss")
    client.submit(f"/mentors/reviews/{review.id}/hide", {"reason": "Shares a mentee's story"})
    call = make_call(moss, "Quiet hours")
    page = client.get("/mod/audit").text
    # From the log, one click to the hidden review (where it can be restored) and to the call.
    assert f'<a href="/mentors/reviews/{review.id}">review {review.id} by @sam of @kai</a>' in page
    assert f'<a href="/ideas/{call.id}">“Quiet hours”</a>' in page
    restore = client.get(f"/mentors/reviews/{review.id}", follow_redirects=True).page
    assert f"/mentors/reviews/{review.id}/restore" in restore


def test_a_post_deleted_for_good_is_named_in_the_log_not_linked_to_a_missing_page(client):
    make_user("ada", role="admin")
    sam = make_user("sam")
    thread = make_thread("Long week", author=make_user("ana"))
    gone, kept = make_post(sam, thread, "Buy now."), make_post(sam, thread, "Buy later.")
    gone_id, kept_id = gone.id, kept.id
    client.login("ada")
    client.submit(f"/mod/posts/{kept_id}/hide", {"reason": "Advert"})
    client.submit(f"/mod/posts/{gone_id}/hide", {"reason": "Advert"})
    client.submit(f"/mod/posts/{gone_id}/delete", {"reason": "Spam, for good", "confirmed": "yes"})
    page = client.get("/mod/audit").text
    assert f'href="/posts/{gone_id}"' not in page  # it was a 404
    assert f"post {gone_id} by @sam in “Long week”" in page
    assert f'<a href="/posts/{kept_id}">post {kept_id} by @sam in “Long week”</a>' in page


def test_staff_actions_about_a_person_beyond_their_page_are_one_link_away(client):
    # The page shows the newest 20: a suspension behind 20 hidden posts must not drop out
    # of reach of the moderator deciding whether to suspend again.
    moss = make_moderator("moss")
    sam, ana = make_user("sam"), make_user("ana")
    thread = make_thread("Long week", author=ana)
    adverts = [make_post(sam, thread, f"Buy now, number {number}.") for number in range(20)]
    suspend(sam, by=moss, reason="Insults in the welcome thread")
    for advert in adverts:
        hide_post(moss, advert, "Advertising")
    hide_post(moss, make_post(ana, thread, "Ana's advert."), "Advertising")
    client.login("moss")
    history = client.get("/mod/users/sam").page.split("Staff actions about @sam")[1]
    assert "Suspended someone" not in history
    assert 'href="/mod/audit?about=sam"' in history

    log = client.get("/mod/audit?about=sam").page
    assert "Insults in the welcome thread" in log and log.count("<td>Hid a post") == 20
    assert "by @ana" not in log
    assert 'value="sam"' in log  # the filter shows what it is filtered by
    assert "No entries match." in client.get("/mod/audit?about=nobody").page


def test_a_post_deleted_for_good_stays_in_its_authors_history_and_the_about_filter(client):
    # The entries are about sam, not about a post that still exists: the hide and the
    # deletion itself are what a moderator deciding about sam needs to read.
    make_user("ada", role="admin")
    sam = make_user("sam")
    thread = make_thread("Long week", author=make_user("ana"))
    gone = make_post(sam, thread, "Buy now.")
    gone_id = gone.id
    client.login("ada")
    client.submit(f"/mod/posts/{gone_id}/hide", {"reason": "Advert"})
    client.submit(f"/mod/posts/{gone_id}/delete", {"reason": "Spam, for good", "confirmed": "yes"})
    history = client.get("/mod/users/sam").page.split("Staff actions about @sam")[1]
    assert f"Ada: Hid a post — post {gone_id} by @sam in “Long week”: “Advert”" in history
    # No replies went with it, so none are counted ("with 0 replies" said nothing).
    assert f"Ada: Deleted a post for good — post {gone_id} by @sam in “Long week”: “Spam, for good”" in history
    log = client.get("/mod/audit?about=sam").page
    assert log.count("<td>Hid a post") == 1 and log.count("<td>Deleted a post for good") == 1
    assert "Hid a post" not in client.get("/mod/users/ana").page.split("Staff actions about @ana")[1]


def test_each_entry_about_a_persons_things_names_that_person(client):
    moss = make_moderator("moss")
    sam, ana = make_user("sam"), make_user("ana")
    post = make_post(sam, make_thread("Long week", author=ana), "Everyone here is useless.")
    review = make_review(make_listener("lee"), make_mentor("kai"))
    client.login("moss")
    client.submit(f"/mod/posts/{post.id}/hide", {"reason": "Insulting the room"})
    client.submit(f"/mentors/reviews/{review.id}/hide", {"reason": "Shares a mentee's story"})
    client.submit("/mod/users/ana/suspend", {"days": "3", "reason": "Insults"})
    call_entry = audit_entry(moss, "call_open", "call", 1, label="“Quiet hours”")
    db.session.commit()
    subjects = {(entry.action, entry.target_type): entry.subject_id
                for entry in db.session.scalars(select(AuditEntry))}
    assert subjects == {("hide", "post"): sam.id, ("hide_review", "review"): review.author_id,
                        ("suspend", "user"): ana.id, ("call_open", "call"): None}
    assert call_entry.subject_id is None


def test_a_post_written_after_one_deleted_for_good_gets_a_number_of_its_own(client):
    # Spam is the newest post when it is deleted for good. SQLite gave its number to the
    # next post unless told otherwise, and the log's entry for the spam then led to it.
    make_user("ada", role="admin")
    sam, ana = make_user("sam"), make_user("ana")
    thread = make_thread("Long week", author=ana)
    spam = make_post(sam, thread, "Buy now.")
    spam_id = spam.id
    client.login("ada")
    client.submit(f"/mod/posts/{spam_id}/delete", {"reason": "Spam, for good", "confirmed": "yes"})
    after = make_post(ana, thread, "Thank you all for this week.")
    assert after.id != spam_id
    page = client.get("/mod/audit").text
    assert f'href="/posts/{spam_id}"' not in page
    assert client.get(f"/posts/{spam_id}").status_code == 404


def test_a_reply_is_named_alike_in_every_entry_of_the_log(client):
    make_moderator("moss")
    sam, ana = make_user("sam"), make_user("ana")
    thread = make_thread("Long week", author=ana)
    reply = make_post(sam, thread, "You are all useless.", parent=make_post(ana, thread, "How was your week?"))
    flag = make_flag(ana, reply)
    client.login("moss")
    client.submit(f"/mod/flags/{flag.id}/dismiss")
    client.submit(f"/mod/posts/{reply.id}/hide", {"reason": "Insulting the room"})
    client.submit(f"/mod/flags/{flag.id}/reopen")
    labels = {e.action: e.target_label for e in db.session.scalars(select(AuditEntry))}
    assert set(labels) == {"dismiss", "hide", "reopen"}
    assert set(labels.values()) == {f"post {reply.id} by @sam in “Long week”"}
    page = client.get("/mod/audit").page
    assert f"reply {reply.id}" not in page and page.count(f"post {reply.id} by @sam in “Long week”") == len(labels)
    assert "someone may be in danger" not in page  # an ordinary flag is not named as one about danger


def test_an_idea_is_named_as_a_post_in_its_status_entries_as_when_it_is_hidden(client):
    moss = make_moderator("moss")
    call = make_call(moss, "Quieter evenings")
    idea = post_idea(make_user("sam"), call, "Dim the lights after nine.")
    set_status(moss, idea, "planned", "We will try it.")
    hide_post(moss, idea, "Off topic after all")
    labels = [(e.action, e.target_label) for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.target_type == "post").order_by(AuditEntry.id))]
    assert labels == [(action, f"post {idea.id} by @sam in “Quieter evenings”") for action in ("idea_status", "hide")]


def test_a_review_is_named_alike_in_every_entry_of_the_log(client):
    make_moderator("moss")
    kai = make_mentor("kai")
    review = make_review(make_listener("sam"), kai, rating=1, body="Told my story to others.")
    flag = make_flag(make_listener("ana"), review)
    client.login("moss")
    client.submit(f"/mod/flags/{flag.id}/dismiss")
    client.submit(f"/mentors/reviews/{review.id}/hide", {"reason": "Names a mentee"})
    client.submit(f"/mod/flags/{flag.id}/reopen")
    labels = {e.action: e.target_label for e in db.session.scalars(select(AuditEntry))}
    assert set(labels) == {"dismiss", "hide_review", "reopen"}
    assert set(labels.values()) == {f"review {review.id} by @sam of @kai"}
