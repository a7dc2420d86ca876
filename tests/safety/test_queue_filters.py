"""Moderators work through the queue one kind of flagged thing at a time."""
import re

from forum.clock import utcnow
from forum.mentors import reviews
from tests.factories import make_post, make_thread, make_user
from tests.ideas.factories import make_call, post_idea
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, write_in_conversation
from tests.safety.factories import make_flag, make_moderator
from tests.training.factories import enrol, long_response, make_program, respond


def entries(page: str) -> int:
    return page.count('class="card queue-entry')


def test_a_moderator_shows_one_kind_at_a_time_and_keeps_it_while_paging_and_acting(client):
    moss = make_moderator()
    cyd = make_listener("cyd")
    program = make_program()
    trainee = make_listener("tia")
    enrol(trainee, program), enrol(cyd, program)
    training = respond(trainee, program, 1, long_response(who="training"))
    make_flag(cyd, training, "Says she wants to hurt herself", urgent=True)
    make_flag(cyd, post_idea(make_user("ida"), make_call(moss), "An idea nobody should see twice"), "Spam")
    juniper = make_mentor("juniper")
    mentorship = make_mentorship(make_listener("rowan"), juniper)
    make_flag(juniper.user, write_in_conversation(mentorship.mentee, mentorship, "Conversation words"), "Rude")
    review = reviews.write_review(mentorship.mentee, mentorship, 1, "Review words, unkind ones.", utcnow())
    make_flag(juniper.user, review, "Unfair review")
    make_flag(cyd, make_user("odd"), "Odd profile")
    thread = make_thread("Evening check-in")
    # More than a page of them, the last saying someone may be in danger.
    others = [make_flag(cyd, make_post(make_user(f"writer{n}"), thread, f"Other words {n}."), "Spam", urgent=n == 20)
              for n in range(21)]
    client.login("moss")

    everything = client.get("/mod").page
    assert entries(everything) == 20
    assert "26 flagged items wait; <strong>2 may be about someone in danger</strong>." in everything
    for link in ("Everything (26)", "Training discussions (1)", "Idea threads (1)", "Mentor conversations (1)",
                 "Other threads (21)", "Mentor reviews (1)", "Profiles (1)", "Only “may be in danger” (2)"):
        assert link in everything, link

    # One kind: urgent first still, and its own pages.
    threads = client.get("/mod?what=threads").page
    assert entries(threads) == 20 and "trainingword" not in threads and "Review words" not in threads
    assert threads.index("Other words 20.") < threads.index("Other words 0.")
    assert "Only “may be in danger” (1)" in threads  # within the kind shown
    second = re.search(r'<a rel="next" href="([^"]+)"', threads).group(1)
    assert "what=threads" in second
    last = client.get(second).page
    assert entries(last) == 1 and "Other words 19." in last and f'name="back" value="{second}"' in last
    # Acting from it comes back to it; past its last page, the link stays within the kind.
    dismissed = client.submit(f"/mod/flags/{others[19].id}/dismiss", {"back": second}, follow_redirects=True)
    assert "Dismissed 1 flag" in dismissed.page and "There is only 1 page" in dismissed.page
    assert re.search(r'href="/mod\?[^"]*what=threads[^"]*">go to the last', dismissed.page)

    # Urgent only, within a kind; and a kind with nothing waiting says so.
    urgent_training = "/mod?what=training&urgent=1"
    shown = client.get(urgent_training).page
    assert entries(shown) == 1 and "Says she wants to hurt herself" in shown
    hidden = client.submit(f"/mod/posts/{training.id}/hide", {"reason": "Reached out to her", "back": urgent_training})
    assert hidden.location == urgent_training
    after = client.get(urgent_training).page
    assert entries(after) == 0
    assert "No flagged posts in training discussions say someone may be in danger." in after
    assert '<a href="/mod">See all 24 that wait</a>.' in after
    assert "No open flags" not in after and "Everything (24)" in client.get("/mod?what=reviews").page
    assert "Review words" in client.get("/mod?what=reviews").page

    # A list the queue does not have is a plain refusal, not an error.
    unknown = client.get("/mod?what=spiders")
    assert unknown.status_code == 400 and "no list called “spiders”" in unknown.page
    assert client.get("/mod?what=threads&page=x&urgent=maybe").status_code == 200



def test_each_row_of_counts_says_what_the_other_row_narrowed_it_to(client):
    # Beside "1 flagged item waits", "Everything (0)" read as if nothing did.
    make_moderator()
    make_flag(make_user("cyd"), make_post(make_user("ana"), make_thread(), "Cheap pills here."), "Spam")
    client.login("moss")

    def rows(path: str) -> str:
        page = client.get(path).page
        return " ".join(re.sub(r"<[^>]+>", "", page[page.index('class="queue-lists"') - 5:]).split())

    assert "Show: Everything (1)" in rows("/mod")
    urgent = rows("/mod?urgent=1")
    assert "May be in danger: Everything (0) Training discussions (0)" in urgent
    assert "Every flag (1) Only “may be in danger” (0)" in urgent
    assert "In mentor reviews: Every flag (0) Only “may be in danger” (0)" in rows("/mod?what=reviews")
