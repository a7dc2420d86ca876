"""A trainee leaves a program they enrolled in, and may enrol again to carry on."""
import csv
import html
import io
import re

import pytest
from sqlalchemy import select

from forum.accounts.staff import award_badge, revoke_badge
from forum.extensions import db
from forum.models.accounts import user_by_username
from forum.models.posts import Notification, Post, ThreadFollower
from forum.models.training import Enrollment
from forum.posts import following
from forum.posts.notifications import email_kinds, set_email_kinds
from forum.moderation.services import change_age_group
from forum.posts.services import restore_post, toggle_reaction
from forum.text.quotes import quote_for_reply
from forum.training.discussion_authoring import delete_discussion, update_discussion
from tests.factories import make_badge, make_user
from tests.forms_on_page import landed, send_from
from tests.search.pages import search
from tests.ideas.factories import make_moderator
from tests.training.closed_programs import (
    leave, left_after_writing, lost_the_badge_after_writing, moved_to_teens_after_writing, wrote_and_left,
    wrote_and_lost_the_badge, wrote_and_moved_to_teens, wrote_before_a_badge_was_asked,
    wrote_before_the_badge_was_asked, wrote_there,
)
from tests.training.factories import (
    complete, completed_positions, discussion, discussion_path, enrol, long_response, make_program, make_trainer, reply,
    respond,
)


def two_trainees(program):
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Ben")
    enrol(ana, program), enrol(ben, program)
    complete([ana, ben], program, 1)
    return ana, ben


def test_a_trainee_leaves_after_reading_what_happens_and_trainers_no_longer_count_them(client):
    program = make_program(make_trainer(), peers=1)
    ana, ben = two_trainees(program)
    client.login("ana")
    asking = client.get(f"/programs/{program.slug}/leave").page
    assert "Leave “Group Support Basics”?" in asking
    assert "Your responses and replies stay" in asking
    assert "Your progress is kept: if you enrol again, you carry on at “Discussion 2”" in asking

    left = leave(client, program)
    assert landed(left)[0] == f"/programs/{program.slug}"
    page = client.get(f"/programs/{program.slug}").page
    assert "You left “Group Support Basics”." in page
    assert "You left this program" in page and "Enrol again" in page and "1 of 3 discussions" in page
    assert client.get(discussion_path(program, 2)).status_code == 403
    # What they wrote stays for their fellow trainees.
    assert db.session.scalars(select(Post).where(Post.author_id == ana.id, Post.deleted_at.is_(None))).all()
    assert completed_positions(ana, program) == [1]

    client.logout()
    client.login("tova")
    board = client.get(f"/programs/{program.slug}/dashboard").page
    assert "1 enrolled · 0 completed the program · 1 left" in board
    assert ">Ana<" not in board.split('id="trainees-heading"')[1] and ">Ben<" in board
    assert "Enrolled: 1 (100%). 1. Discussion 1: 1 (100%)." in board
    assert "At 2. Discussion 2</a> (1)" in board
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/programs/{program.slug}/dashboard.csv").get_data().decode("utf-8-sig"))))
    assert [row["username"] for row in rows] == ["ben"]


def ask_words(trainer, discussion_, words: int):
    update_discussion(trainer, discussion_, title=discussion_.title, lesson_md=discussion_.lesson_md,
                      prompt=discussion_.prompt, response_template=discussion_.response_template,
                      min_words=str(words), required_peer_replies="1", post_first=discussion_.post_first)


def test_someone_who_left_is_no_longer_told_of_the_programs_discussions(client):
    tova = make_trainer()
    program = make_program(tova, peers=1)
    ana, ben = two_trainees(program)
    second = discussion(program, 2)
    following.follow(ana, second.thread)
    answered = respond(ana, program, 2)  # 12 words
    ask_words(tova, second, 50)
    reply(ana, respond(ben, program, 2, long_response(60)))  # Ana's response is short of 50 now
    client.login("ana")
    assert f"Stop following “{second.thread.title}”" in client.get("/notifications").page
    leave(client, program)
    before = db.session.scalar(select(db.func.count(Notification.id)).where(Notification.user_id == ana.id))
    # A trainer asks fewer words again: Ana's posts there meet it, but she is not taking part.
    ask_words(tova, second, 8)
    assert completed_positions(ana, program) == [1]
    respond(ben, program, 2)  # a post in a discussion Ana follows
    reply(ben, answered, f"@ana thank you, {long_response(3)}")  # a reply to her, naming her
    assert db.session.scalar(select(db.func.count(Notification.id)).where(Notification.user_id == ana.id)) == before
    assert "Continue with" not in client.get("/").page
    # Still followed, for if she comes back, but not listed: it is closed to her.
    assert f"Stop following “{second.thread.title}”" not in client.get("/notifications").page


def test_a_reply_to_someone_who_left_still_counts_as_a_reply_to_a_fellow_trainee(client):
    program = make_program(make_trainer(), peers=1)
    ana, ben = two_trainees(program)
    answered = respond(ana, program, 2)
    client.login("ana")
    leave(client, program)
    respond(ben, program, 2)
    reply(ben, answered)
    assert completed_positions(ben, program) == [1, 2]


def test_enrolling_again_carries_on_where_they_left(client):
    program = make_program(make_trainer(), peers=1)
    ana, ben = two_trainees(program)
    client.login("ana")
    leave(client, program)
    back = client.submit(f"/programs/{program.slug}/enrol")
    assert landed(back)[0] == discussion_path(program, 2)
    page = client.get(discussion_path(program, 2))
    assert page.status_code == 200
    assert "Welcome back to “Group Support Basics”. Your progress is kept: carry on with “Discussion 2”." in page.page
    assert completed_positions(ana, program) == [1]
    client.logout()
    client.login("tova")
    assert "2 enrolled · 0 completed the program ·" in client.get(f"/programs/{program.slug}/dashboard").page


def test_enrolling_again_after_the_last_discussion_left_was_deleted_completes_the_program(client):
    trainer = make_trainer()
    program = make_program(trainer, discussions=2, peers=1)
    ana, _ = two_trainees(program)
    client.login("ana")
    leave(client, program)
    delete_discussion(trainer, program, discussion(program, 2))  # nobody wrote in it yet
    back = client.submit(f"/programs/{program.slug}/enrol")
    assert landed(back)[0] == f"/programs/{program.slug}"
    assert ("Welcome back to “Group Support Basics”. You have completed it: nothing more is asked of you."
            in client.get(f"/programs/{program.slug}").page)
    assert client.get(f"/programs/{program.slug}/certificate").status_code == 200
    assert db.session.scalar(select(Enrollment.completed_at).where(Enrollment.user_id == ana.id)) is not None


def test_leaving_twice_says_it_is_done_already(client):
    program = make_program(make_trainer(), peers=1)
    two_trainees(program)
    client.login("ana")
    token = client.csrf_token()
    first = client.post(f"/programs/{program.slug}/leave", data={"csrf_token": token})
    again = client.post(f"/programs/{program.slug}/leave", data={"csrf_token": token})
    assert landed(first)[0] == landed(again)[0] == f"/programs/{program.slug}"
    assert "You have left this program already." in client.get(f"/programs/{program.slug}").page


def test_a_completed_program_is_not_offered_for_leaving(client):
    program = make_program(make_trainer(), discussions=1, peers=1)
    ana, ben = two_trainees(program)
    client.login("ana")
    page = client.get(f"/programs/{program.slug}").page
    assert "You completed this program" in page and f"/programs/{program.slug}/leave" not in page
    asked = client.get(f"/programs/{program.slug}/leave")
    assert landed(asked)[0] == f"/programs/{program.slug}"
    client.submit(f"/programs/{program.slug}/leave")
    told = client.get(f"/programs/{program.slug}").page
    assert "You completed this program: it stays on your record, with your certificate" in told
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == ana.id))
    assert enrollment.left_at is None
    assert client.get(f"/programs/{program.slug}/certificate").status_code == 200


def test_only_someone_enrolled_can_leave(client):
    program = make_program(make_trainer(), peers=1)
    make_user("cleo")
    client.login("cleo")
    assert f"/programs/{program.slug}/leave" not in client.get(f"/programs/{program.slug}").page
    client.submit(f"/programs/{program.slug}/leave")
    assert "You are not enrolled in this program." in client.get(f"/programs/{program.slug}").page


def test_a_discussion_closed_by_leaving_says_so_and_offers_to_enrol_again(client):
    program = make_program(make_trainer(), peers=1)
    two_trainees(program)
    client.login("ana")
    leave(client, program)
    locked = client.get(discussion_path(program, 2))
    assert locked.status_code == 403
    assert ("You left “Group Support Basics”. Enrol again to open its discussions: you carry on where you were."
            in locked.page)
    assert "Enrol in “Group Support Basics” to open its discussions" not in locked.page
    assert ">Enrol again</button>" in locked.text and "Enrol in this program" not in locked.text
    back = client.submit(f"/programs/{program.slug}/enrol")
    assert landed(back)[0] == discussion_path(program, 2)


def test_a_graduate_who_left_after_a_reopening_is_not_told_they_never_completed_it(client):
    program = make_program(make_trainer(), discussions=2, peers=1)
    ana, ben = two_trainees(program)
    complete([ana, ben], program, 2)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == ana.id))
    client.login("tova")
    client.submit(f"/programs/{program.slug}/enrollments/{enrollment.id}/discussions/{discussion(program, 2).id}/reopen",
                  {"reason": "Say more, please.", "confirmed": "yes"})
    client.logout()
    client.login("ana")
    leave(client, program)
    # The notice "Your certificate is ready" still links here.
    asked = client.get(f"/programs/{program.slug}/certificate")
    assert landed(asked)[0] == f"/programs/{program.slug}"
    page = client.get(f"/programs/{program.slug}").page
    assert "Your certificate appears once you complete every discussion" not in page
    assert ("You completed “Group Support Basics”, then left it after a trainer reopened a discussion for you: "
            "enrol again and complete it to have your certificate back.") in page
    assert "Enrol again" in page


def test_the_catalogue_says_who_left_a_program_and_offers_to_enrol_again(client):
    program = make_program(make_trainer(), peers=1)
    two_trainees(program)
    client.login("ana")
    leave(client, program)
    card = client.get("/programs").page.split("Group Support Basics</a>")[1]
    assert "You left this program on " in card and "having completed 1 of 3 discussions" in card
    assert "Your progress is kept" in card
    back = send_from(client, "/programs", f"/programs/{program.slug}/enrol")
    assert landed(back)[0] == discussion_path(program, 2)
    card = client.get("/programs").page.split("Group Support Basics</a>")[1]
    assert "You left this program" not in card and "Continue with “Discussion 2”" in card


def test_a_name_search_on_the_dashboard_says_when_the_trainee_found_left(client):
    program = make_program(make_trainer(), peers=1)
    two_trainees(program)
    make_user("anabel", display_name="Anabel")  # not enrolled: never named
    client.login("ana")
    leave(client, program)
    client.logout()
    client.login("tova")
    found = client.get(f"/programs/{program.slug}/dashboard?who=ana").page
    trainees = found.split('id="trainees-heading"')[1]
    assert "No trainee matches “ana” here." not in trainees
    words = " ".join(re.sub(r"<[^>]+>", " ", trainees).split())
    assert "Ana @ana left the program on " in words and "having completed 1 of 3 discussions" in words
    assert "Anabel" not in trainees
    # Not in the table as an ordinary trainee.
    assert 'id="trainee-' not in trainees
    ben = client.get(f"/programs/{program.slug}/dashboard?who=ben").page.split('id="trainees-heading"')[1]
    assert "left the program" not in ben and "1 trainee matches “ben”." in ben


def test_someone_who_left_reads_their_own_posts_on_the_program_page_and_nobody_elses(client):
    program = make_program(make_trainer(), peers=1)
    wrote_and_left(client, program)
    page = client.get(f"/programs/{program.slug}").page
    own = page.split('id="your-posts"')[1]
    words = " ".join(re.sub(r"<[^>]+>", " ", own).split())
    assert "What you wrote in this program" in words
    assert words.index("1. Discussion 1") < words.index("anaword0") < words.index("2. Discussion 2") \
        < words.index("anatwoword0")
    # Hidden by a moderator: its author still reads it, and why.
    assert "Your reply to a fellow trainee · " in words
    assert "Hidden by a moderator: Please keep it kind Ana's reply to Ben" in words
    for others in ("benword0", "Ben's reply to Ana", "Ben again, to Ana"):
        assert others not in page
    # Read-only: nothing on the page writes in a discussion.
    assert "/posts" not in page and "Post response" not in page


def test_someone_whose_badge_was_taken_reads_their_own_posts_on_the_program_page_and_nobody_elses(client):
    program, badge, posts = wrote_and_lost_the_badge(client)
    page = client.get(f"/programs/{program.slug}").page
    # Still enrolled: their progress, and why they cannot carry on.
    assert "You need the 🤝 Group Basics badge to enter this program. Your progress is kept." in page
    words = " ".join(re.sub(r"<[^>]+>", " ", page.split('id="your-posts"')[1]).split())
    assert ("What you wrote in this program You no longer hold the 🤝 Group Basics badge this program needs, "
            "so its discussions are closed to you; your own responses and replies are still yours to read here."
            in words)
    assert "Enrol again" not in words
    assert words.index("1. Discussion 1") < words.index("anaword0") < words.index("2. Discussion 2") \
        < words.index("anatwoword0")
    assert "Hidden by a moderator: Please keep it kind Ana's reply to Ben" in words
    for others in ("benword0", "Ben's reply to Ana", "Ben again, to Ana"):
        assert others not in page
    assert "/posts" not in page and "Post response" not in page
    # Leaving too, they are not told to enrol again: the badge they lack keeps them out.
    leave(client, program)
    own = " ".join(client.get(f"/programs/{program.slug}").page.split('id="your-posts"')[1].split())
    assert "closed to you since you left" in own and "Enrol again" not in own and "anaword0" in own
    # Given the badge back and enrolled again, they read and write in the discussions: no list apart.
    award_badge(posts["ana_first"].author, badge)
    client.submit(f"/programs/{program.slug}/enrol")
    page = client.get(f"/programs/{program.slug}").page
    assert 'id="your-posts"' not in page and client.get(discussion_path(program, 2)).status_code == 200


def test_someone_who_never_held_the_badge_a_program_asks_since_is_not_told_they_lost_it(client):
    program, _ = wrote_before_a_badge_was_asked(client)
    words = " ".join(re.sub(r"<[^>]+>", " ", client.get(f"/programs/{program.slug}").page.split(
        'id="your-posts"')[1]).split())
    assert ("What you wrote in this program This program now needs the 🤝 Group Basics badge, which you don't hold, "
            "so its discussions are closed to you; your own responses and replies are still yours to read here."
            in words)
    assert "no longer hold" not in words and "anaword0" in words and "benword0" not in words


def test_someone_moved_to_the_other_age_group_reads_their_own_posts_and_nothing_else_of_the_program(client):
    program, posts = wrote_and_moved_to_teens(client)
    # The notice of the move leads here, where what she wrote is kept.
    told = db.session.scalar(select(Notification).where(Notification.user_id == posts["ana_first"].author_id,
                                                        Notification.message.contains("is closed to you now")))
    assert told.link == f"/programs/{program.slug}#your-posts"
    response = client.get(f"/programs/{program.slug}")
    assert response.status_code == 200
    page = response.page
    words = " ".join(re.sub(r"<[^>]+>", " ", page.split('id="your-posts"')[1]).split())
    assert ("What you wrote in this program This program is for adults and your account is in the teen spaces now, "
            "so its discussions are closed to you; your own responses and replies are still yours to read here."
            in words)
    assert words.index("1. Discussion 1") < words.index("anaword0") < words.index("2. Discussion 2") \
        < words.index("anatwoword0")
    assert "Hidden by a moderator: Please keep it kind Ana's reply to Ben" in words
    # Its name and their own words: nobody else's posts, nor what the program is or asks.
    assert "<h1>Group Support Basics</h1>" in page
    for others in ("benword0", "Ben's reply to Ana", "Ben again, to Ana", "support groups", "Discussion 3",
                   "Requirements", "Enrol", "/posts", "Post response"):
        assert others not in page, others
    # The catalogue still leaves it out; a page past the last of theirs says so, as elsewhere.
    assert "Group Support Basics" not in client.get("/programs").page
    assert "There is only 1 page" in client.get(f"/programs/{program.slug}?page=3").page
    # Anyone else of the teen group still finds no such program.
    client.logout()
    make_user("tia", age_group="teen")
    client.login("tia")
    assert client.get(f"/programs/{program.slug}").status_code == 404


def test_someone_moved_to_the_other_age_group_reads_no_one_elses_words_or_links_in_their_own_posts(client):
    program = make_program(make_trainer(), peers=1, audience="adult")
    posts = wrote_there(program)
    ana, ben_first = posts["ana_first"].author, posts["ben_first"]
    # Before the move: a reply quoting herself and Ben, naming him; and one that is only his words.
    quoting = reply(ana, ben_first, quote_for_reply("ana", "anaselfword") + quote_for_reply("ben", ben_first.body_md)
                    + "anaownword, thank you @ben, says @ana .")
    reply(ana, ben_first, quote_for_reply("ben", "benonlyword"))
    change_age_group(make_moderator("mina"), ana, "teen", "She is 16")
    client.login("ana")
    left_out = "A quote from another member of the program is left out."
    page = client.get(f"/programs/{program.slug}").page
    card = " ".join(re.sub(r"<[^>]+>", " ", page.split(f'id="post-{quoting.id}"')[1].split("</li>")[0]).split())
    assert f"@ana wrote: anaselfword {left_out} anaownword, thank you @ben, says @ana ." in card
    assert page.count(left_out) == 2 and 'href="/users/ana"' in page
    for others in ("benword0", "benonlyword", "@ben wrote", 'href="/users/ben"'):
        assert others not in page, others
    # Her profile's list and search: her words, no one else's.
    profile = client.get("/users/ana").page
    assert left_out in profile and "anaownword" in profile and "benonlyword" not in profile
    assert [found.snippet for found in search(client, "benonlyword")] == [left_out]
    [found] = search(client, "anaownword")
    assert found.snippet.startswith("anaownword, thank you @ben") and "benword0" not in found.snippet
    # Anyone not moved reads the reply as it was written: Ben, in the discussion.
    client.logout()
    client.login("ben")
    discussion_page = client.get(discussion_path(program, 1)).page
    assert "benonlyword" in discussion_page and 'href="/users/ben"' in discussion_page
    assert left_out not in discussion_page


def test_someone_moved_to_the_other_age_group_who_wrote_nothing_is_told_why_the_program_is_closed(client):
    program = make_program(make_trainer(), peers=1, audience="adult")
    ana = make_user("ana")
    enrol(ana, program)
    change_age_group(make_moderator("moss"), ana, "teen", "She is 16")
    client.login("ana")
    words = " ".join(re.sub(r"<[^>]+>", " ", client.get(f"/programs/{program.slug}").page).split())
    assert "This program is for adults and your account is in the teen spaces now, so its discussions are " \
           "closed to you. You wrote nothing in its discussions." in words
    # No certificate to open: she never completed it, and can't now.
    asked = client.get(f"/programs/{program.slug}/certificate")
    assert landed(asked)[0] == f"/programs/{program.slug}"
    assert ("“Group Support Basics” is for adults and your account is in the teen spaces now, so you can't "
            "complete it to have its certificate.") in client.get(f"/programs/{program.slug}").page
    # Never enrolled there: not found, as before.
    make_program(make_trainer("trent"), title="Adults Only", peers=1, audience="adult")
    assert client.get("/programs/adults-only").status_code == 404
    assert client.get("/programs/adults-only/certificate").status_code == 404


@pytest.mark.parametrize("closed_by", ["moved to the teens", "badge taken"])
def test_a_graduate_still_opens_their_certificate_once_the_program_is_closed_to_them(client, closed_by):
    badge = make_badge("group-basics", "Group Basics", icon="🤝")
    program = make_program(make_trainer(), discussions=1, peers=1, audience="adult", required_badge="group-basics")
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Ben")
    for trainee in (ana, ben):
        award_badge(trainee, badge)
        enrol(trainee, program)
    complete([ana, ben], program, 1)
    if closed_by == "badge taken":
        revoke_badge(ana, badge)
    else:
        change_age_group(make_moderator("moss"), ana, "teen", "She is 16")
    client.login("ana")
    certificate_path = f"/programs/{program.slug}/certificate"
    # The notice that it was ready, and the program's page, still lead to it.
    told = db.session.scalar(select(Notification).where(Notification.user_id == ana.id,
                                                        Notification.message.contains("Your certificate is ready")))
    assert told.link == certificate_path
    assert f'href="{certificate_path}"' in client.get(f"/programs/{program.slug}").page
    certificate = client.get(certificate_path)
    assert certificate.status_code == 200
    words = " ".join(re.sub(r"<[^>]+>", " ", certificate.page).split())
    assert "Certificate of completion This certifies that Ana @ana completed the training program Group Support " \
           "Basics taking part in all 1 discussion" in words
    # Nothing more of the program than before: what it is about, its discussions, fellow trainees.
    for more in ("support groups", "Discussion 1", "Ben", "/discussions/"):
        assert more not in certificate.page, more
    # Others' access is unchanged: someone of the teen spaces finds no such program, nor its certificate.
    client.logout()
    make_user("tia", age_group="teen")
    client.login("tia")
    assert client.get(certificate_path).status_code == 404


@pytest.mark.parametrize("closed_to_them", [left_after_writing, lost_the_badge_after_writing,
                                            wrote_before_the_badge_was_asked, moved_to_teens_after_writing])
def test_the_links_shown_into_a_program_closed_to_them_lead_to_their_own_posts(client, closed_to_them):
    program, posts, why = closed_to_them(client)
    program_page = f"/programs/{program.slug}"
    # Their profile still lists what they wrote there; each link lands at the post on the program page.
    profile = client.get("/users/ana").page
    assert "Response in “Discussion 2” of the program Group Support Basics" in profile
    second = posts["ana_second"].id
    assert landed(client.get(f"/posts/{second}")) == (program_page, {}, f"post-{second}")
    others = (f"/posts/{posts['ben_reply'].id}", f"/threads/{discussion(program, 2).thread_id}")
    if why is None:
        # Someone else's post, a discussion's thread or page: to their own posts, with why it is closed.
        for path in (*others, discussion_path(program, 2)):
            assert landed(client.get(path)) == (program_page, {}, "your-posts"), path
    else:
        # Someone else's post (an emailed "Ben replied to you"): the discussion says why it is closed.
        assert landed(client.get(others[0]))[0] == discussion_path(program, 1)
        # The notice "You completed “Discussion 1”. Next up …" links to the next discussion's thread.
        assert landed(client.get(others[1]))[0] == discussion_path(program, 2)
        closed = client.get(discussion_path(program, 2))
        assert closed.status_code == 403 and why in closed.page
        assert f'href="{program_page}#your-posts">Read what you wrote in it</a>' in closed.page
    # Still only their own words: others' posts are not found, as before, for anyone the program is closed to.
    client.logout()
    make_user("cleo", age_group="teen" if why is None else "adult")
    client.login("cleo")
    assert client.get(f"/posts/{second}").status_code == 404
    assert client.get(f"/threads/{discussion(program, 2).thread_id}").status_code == 404
    if why is None:
        assert client.get(discussion_path(program, 2)).status_code == 404
    assert "Discussion 2" not in client.get("/users/ana").page


def listed_notices(client) -> dict[str, str]:
    """The notifications page's notices, their words by the path each is read at."""
    page = client.get("/notifications").page
    return {action: " ".join(html.unescape(re.sub(r"<[^>]+>", "", words)).split()) for action, words in re.findall(
        r'<form class="inline" method="post" action="([^"]+)">\s*<input[^>]*>\s*<input type="hidden" name="go"[^>]*>'
        r'\s*<button[^>]*>(.*?)</button>', page, re.S)}


@pytest.mark.parametrize("closed_to_them", [left_after_writing, lost_the_badge_after_writing])
def test_notices_about_their_own_posts_in_a_program_closed_to_them_stay_and_lead_to_them(
        client, count_queries, closed_to_them):
    program, posts, _ = closed_to_them(client)  # signed in as Ana
    program_page = f"/programs/{program.slug}"
    hidden = "A moderator hid your reply in “Discussion 1”: Please keep it kind"

    def notices_page_statements() -> int:
        with count_queries() as counter:
            client.get("/notifications")
        return counter.count

    before = notices_page_statements()
    assert hidden in listed_notices(client).values()
    # Once it is closed to her: Ben reacts to her response, and a moderator brings back her reply.
    toggle_reaction(posts["ben_first"].author, posts["ana_second"], "hug")
    restore_post(db.session.scalar(user_by_username("moss")), posts["ana_reply"])
    notices = listed_notices(client)
    brought_back = "A moderator brought back your reply in “Discussion 1”: it shows again where you wrote it."
    own = {"Ben reacted to your response in “Discussion 2”": posts["ana_second"], hidden: posts["ana_reply"],
           brought_back: posts["ana_reply"]}
    assert set(own) <= set(notices.values())
    # Ben's replies to her are his words, in discussions closed to her: not listed.
    assert not [words for words in notices.values() if "replied" in words]
    # The header counts what the page lists (all unread), not the replies kept from her.
    unread = db.session.scalar(select(db.func.count(Notification.id)).where(
        Notification.user_id == posts["ana_first"].author_id, Notification.read_at.is_(None)))
    assert unread > len(notices) and f'aria-label="{len(notices)} unread"' in client.get("/").page
    assert notices_page_statements() == before
    # Each leads to the post on the program page, where she reads it.
    for action, words in notices.items():
        if words in own:
            post_id = own[words].id
            read = client.submit(action, {"go": "1"})
            assert landed(client.get(read.location)) == (program_page, {}, f"post-{post_id}"), words


def test_someone_moved_to_the_other_age_group_hears_of_their_posts_there_from_moderators_only(client):
    # The teen and adult spaces are kept apart: an adult trainee reacting to what Ana wrote before
    # she was moved to the teens is someone of the adult spaces, and no notice of hers names them.
    program, posts = wrote_and_moved_to_teens(client)
    toggle_reaction(posts["ben_first"].author, posts["ana_second"], "hug")
    restore_post(db.session.scalar(user_by_username("moss")), posts["ana_reply"])
    notices = listed_notices(client).values()
    assert "A moderator hid your reply in “Discussion 1”: Please keep it kind" in notices
    assert "A moderator brought back your reply in “Discussion 1”: it shows again where you wrote it." in notices
    assert not [words for words in notices if "Ben" in words]
    assert f'aria-label="{len(notices)} unread"' in client.get("/").page


def test_someone_moved_to_the_other_age_group_is_emailed_only_what_their_notifications_list(client, mailbox):
    # Each as it happens, as the list tells it: what someone of the adult spaces does there
    # with her old posts (reacts, replies, names her, posts where she followed) sends nothing.
    _, posts = wrote_and_moved_to_teens(client)
    ana, ben = posts["ana_first"].author, posts["ben_first"].author
    db.session.add(ThreadFollower(thread_id=posts["ana_first"].thread_id, user_id=ana.id))
    set_email_kinds(ana, ["reaction", "reply", "mention", following.KIND, "moderation"], daily=False)
    assert email_kinds(ana) == {"reaction", "reply", "mention", following.KIND, "moderation"}
    mailbox.clear()
    toggle_reaction(ben, posts["ana_second"], "hug")
    reply(ben, posts["ana_first"], "One more thought on yours")
    reply(ben, posts["ben_first"], "As @ana said, it helps to pause")
    reply(ben, posts["ben_first"], "And a last thought")
    restore_post(db.session.scalar(user_by_username("moss")), posts["ana_reply"])
    assert [body.splitlines()[0] for body in mailbox.bodies_to(ana.email)] == [
        "A moderator brought back your reply in “Discussion 1”: it shows again where you wrote it."]


def test_a_moderator_who_left_still_reads_every_discussion_and_is_not_told_they_are_closed(client):
    """Moderators read every discussion, enrolled or not: leaving closes nothing to them, so
    the program page has no list of "what you wrote" saying it did."""
    program = make_program(make_trainer(), peers=1)
    moss = make_moderator("moss")
    enrol(moss, program)
    respond(moss, program, 1, long_response(who="moss"))
    client.login("moss")
    leave(client, program)
    assert 'id="your-posts"' not in client.get(f"/programs/{program.slug}").page
    assert "mossword0" in client.get(discussion_path(program, 1)).page
