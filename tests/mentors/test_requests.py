"""Mentorship requests: who may ask whom, answers, closing, the private conversation, the lists."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from forum.clock import utcnow
from forum.extensions import db
from forum.mentors import endings, requests
from forum.models.mentors import MentorshipRequest
from forum.models.posts import Notification, Post, Reaction, Thread
from forum.posts.notifications import set_email_kinds
from forum.posts.services import write_post
from tests.factories import make_user, notifications_of
from tests.html_checks import first_field_after
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, make_request, write_in_conversation

MESSAGE = {"message": "I'd love help with chats that end suddenly."}


def request_count() -> int:
    return db.session.scalar(select(func.count(MentorshipRequest.id)))


def test_a_listener_asks_and_the_mentor_is_told(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    client.login("rowan")
    response = client.submit("/mentors/juniper/request", MESSAGE)
    assert response.status_code == 302
    request = db.session.scalar(select(MentorshipRequest))
    assert (request.mentee_id, request.mentor_id, request.status) == (rowan.id, juniper.user_id, "pending")
    assert notifications_of(juniper.user) == ["Rowan asks you to be their mentor"]
    assert "You asked Juniper to mentor you" in client.get("/mentors/juniper").page


def test_a_returning_mentor_finds_the_requests_waiting_for_an_answer_on_the_front_page(client):
    juniper, rowan, sage = make_mentor("juniper"), make_listener("rowan"), make_listener("sage")
    first = make_request(rowan, juniper)
    make_request(sage, juniper)

    def waiting():
        page = client.get("/").page
        return page.split('id="home-waiting"')[1].split("</section>")[0] if 'id="home-waiting"' in page else ""

    client.login("juniper")
    assert 'href="/mentors/me/mentees?status=pending">2 mentorship requests wait for your answer</a>' in waiting()
    requests.accept_request(juniper.user, first, "Happy to!", utcnow())
    assert ">1 mentorship request waits for your answer</a>" in waiting()
    client.logout()
    client.login("rowan")  # who asked has nothing to answer
    assert waiting() == ""


def test_the_links_in_the_lists_of_mentorships_say_whose_they_are(client):
    # A screen reader's list of links reads each alone: "The request, Conversation, The
    # request, Conversation" does not say with whom. The visible words stay short.
    juniper, kestrel = make_mentor("juniper"), make_mentor("kestrel")
    rowan, sage = make_listener("rowan"), make_listener("sage")
    make_mentorship(rowan, juniper), make_mentorship(rowan, kestrel), make_request(sage, juniper)

    def link_texts(path):
        links = re.findall(r'<a href="/mentors/(?:requests|conversations)/\d+">(.*?)</a>', client.get(path).page)
        return sorted(re.sub(r"<[^>]+>", "", text) for text in links)

    client.login("rowan")
    assert link_texts("/mentors/me/mentors") == ["Conversation with Juniper", "Conversation with Kestrel",
                                                 "The request to Juniper", "The request to Kestrel"]
    client.logout()
    client.login("juniper")
    assert link_texts("/mentors/me/mentees") == ["Answer the request from Sage", "Conversation with Rowan",
                                                 "The request from Rowan"]


def test_each_request_page_is_titled_with_who_asked_whom(client):
    """A mentor with several requests open in tabs tells them apart by the tab's title."""
    juniper, rowan, sage = make_mentor("juniper"), make_listener("rowan"), make_listener("sage")
    first, second = make_request(rowan, juniper), make_request(sage, juniper)

    def title(request):
        return client.get(f"/mentors/requests/{request.id}").page.split("<title>")[1].split("</title>")[0]

    client.login("juniper")
    assert title(first) == "Rowan asks you to mentor them · Peer Support Forum"
    assert title(second) == "Sage asks you to mentor them · Peer Support Forum"
    client.logout()
    client.login("rowan")
    assert title(first) == "Your request to Juniper · Peer Support Forum"


def test_an_answered_request_is_not_headed_as_still_asking(client):
    # The mentor reaches the page of a running or closed mentorship from "closed your
    # mentorship" or to close it: "Rowan asks you to mentor them" read as still waiting.
    juniper, rowan, sage = make_mentor("juniper"), make_listener("rowan"), make_listener("sage")
    accepted = make_mentorship(rowan, juniper)
    declined = requests.decline_request(juniper.user, make_request(sage, juniper), "", utcnow())
    client.login("juniper")
    running = client.get(f"/mentors/requests/{accepted.id}").page
    assert "<h1>Your mentorship with Rowan</h1>" in running and "asks you to mentor" not in running
    requests.close_request(juniper.user, accepted, utcnow())
    assert "<h1>Your mentorship with Rowan</h1>" in client.get(f"/mentors/requests/{accepted.id}").page
    answered = client.get(f"/mentors/requests/{declined.id}").page
    assert "<h1>Sage's request to you</h1>" in answered and "asks you to mentor" not in answered


def test_the_front_page_asks_only_a_mentor_for_the_requests_waiting_on_them(client, count_queries):
    # Every member's front page is drawn often; only a mentor can have requests to answer.
    make_listener("rowan")
    client.login("rowan")
    client.get("/")
    with count_queries() as counter:
        assert client.get("/").status_code == 200
    assert not [statement for statement in counter.statements
                if "mentorship_requests" in statement and "count(" in statement.lower()]


def test_nobody_asks_themselves(client):
    make_mentor("juniper")
    client.login("juniper")
    assert "You can't ask yourself for mentorship." in client.get("/mentors/juniper/request").page
    response = client.submit("/mentors/juniper/request", MESSAGE)
    assert response.status_code == 403
    assert "You can't ask yourself for mentorship." in response.page
    assert request_count() == 0


def test_a_mentor_who_is_not_accepting_cannot_be_asked(client):
    make_mentor("juniper", accepting=False)
    make_listener("rowan")
    client.login("rowan")
    response = client.submit("/mentors/juniper/request", MESSAGE)
    assert response.status_code == 403
    assert "Juniper isn't taking new mentees right now." in response.page
    assert request_count() == 0


def test_a_mentor_who_mentors_no_one_is_not_said_to_mentor_teens_only(client):
    # Juniper paused by unticking teens, adults and taking mentees: her page says she is
    # not mentoring at the moment, and so must the refusal an adult reads under it.
    make_mentor("juniper", teens=False, adults=False, accepting=False)
    make_listener("rowan")
    client.login("rowan")
    profile_page = client.get("/mentors/juniper").page
    assert "Not mentoring at the moment" in profile_page
    assert "Juniper is not mentoring anyone at the moment." in profile_page
    assert "mentors teens only" not in profile_page
    response = client.submit("/mentors/juniper/request", MESSAGE)
    assert response.status_code == 403 and "Juniper is not mentoring anyone at the moment." in response.page
    assert request_count() == 0


def test_a_second_pending_request_is_refused_and_the_message_kept(client):
    make_mentor("juniper")
    make_listener("rowan")
    client.login("rowan")
    client.submit("/mentors/juniper/request", MESSAGE)
    again = client.submit("/mentors/juniper/request", {"message": "Did you see my first one?"})
    assert again.status_code == 409
    assert "You already asked Juniper" in again.page
    assert "Did you see my first one?" in again.page
    assert request_count() == 1


def test_no_new_request_while_a_mentorship_runs(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    make_mentorship(rowan, juniper)
    client.login("rowan")
    response = client.submit("/mentors/juniper/request", MESSAGE)
    assert response.status_code == 409
    assert "Juniper is already your mentor." in response.page
    assert request_count() == 1


def test_a_request_needs_a_message(client):
    make_mentor("juniper")
    make_listener("rowan")
    client.login("rowan")
    response = client.submit("/mentors/juniper/request", {"message": "   "})
    assert response.status_code == 400
    assert "Write a message to the mentor before sending." in response.page
    assert request_count() == 0


def test_members_who_are_not_listeners_cannot_ask(client):
    make_mentor("juniper")
    make_user("pebble")
    client.login("pebble")
    response = client.submit("/mentors/juniper/request", MESSAGE)
    assert response.status_code == 403
    assert ("Mentors guide listeners, and you are a member here. An admin can make you a listener;"
            " you will be told when they do, and can ask a mentor then.") in response.page
    assert request_count() == 0


def test_asking_an_unknown_mentor_is_a_404(client):
    make_listener("rowan")
    make_user("pebble")
    client.login("rowan")
    assert client.submit("/mentors/pebble/request", MESSAGE).status_code == 404
    assert client.submit("/mentors/nobody_here/request", MESSAGE).status_code == 404


def test_the_mentor_declines_with_a_note_the_listener_reads(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    request = make_request(rowan, juniper)
    client.login("juniper")
    path = f"/mentors/requests/{request.id}"
    # Declining tells the listener at once: the button asks first, in a dialog (forum.js) or,
    # without JavaScript, on a page of its own that keeps the note. It says what happens,
    # which is not for good: the listener may ask again.
    told = ("Rowan is told at once that you can't take them on, with your note if you wrote one. "
            "They may ask you again later.")
    answering = client.get(path).page
    assert f'data-confirm="Decline the request from Rowan? {told}"' in answering
    assert 'value="accept">Accept</button>' in answering  # accepting asks nothing
    asked = client.submit(f"{path}/answer", {"decision": "decline", "note": "I'm full until spring; try Oakley!"})
    assert asked.status_code == 200 and "<h1>Decline the request from Rowan?</h1>" in asked.page
    assert f"<p>{told}</p>" in asked.page and "undone" not in asked.page
    assert 'name="note" value="' + "I'm full until spring; try Oakley!" + '"' in asked.page
    # "with your note if you wrote one": the page shows which, escaped as kept text is.
    assert 'Your note: “<span class="kept-lines">I\'m full until spring; try Oakley!</span>”' in asked.page
    marked_up = client.submit(f"{path}/answer", {"decision": "decline", "note": "<b>Full</b>"}).get_data(as_text=True)
    assert "Your note: “<span class=\"kept-lines\">&lt;b&gt;Full&lt;/b&gt;</span>”" in marked_up
    no_note = client.submit(f"{path}/answer", {"decision": "decline", "note": "  "}).page
    assert "You wrote no note: Rowan is told only that you can't take them on." in no_note
    # "Keep the request" comes back to the form with the note still in it, nothing sent, the
    # browser landing at the form (#answer) rather than at the top of the page.
    assert f'formaction="{path}/answer#answer" name="confirmed" value="no">Keep the request</button>' in asked.page
    kept = client.submit(f"{path}/answer", {"decision": "decline", "note": "I'm full until spring; try Oakley!",
                                            "confirmed": "no"})
    assert kept.status_code == 200 and "<h1>Rowan asks you to mentor them</h1>" in kept.page
    assert "I'm full until spring; try Oakley!</textarea>" in kept.page
    assert first_field_after(kept.page, "answer") == "note"
    db.session.refresh(request)
    assert (request.status, notifications_of(rowan)) == ("pending", [])
    client.submit(f"{path}/answer", {"decision": "decline", "note": "I'm full until spring; try Oakley!",
                                     "confirmed": "yes"})
    db.session.refresh(request)
    assert (request.status, request.thread_id, request.answered_at is not None) == ("declined", None, True)
    client.logout()
    client.login("rowan")
    declined = client.get(path).page
    assert "I'm full until spring; try Oakley!" in declined
    assert notifications_of(rowan) == ["Juniper can't take on your mentorship request"]
    # The notification leads here: the page points on to the directory, not only back.
    assert 'href="/mentors">Find another mentor</a>' in declined
    client.logout()
    client.login("juniper")
    assert "Find another mentor" not in client.get(path).page


@pytest.mark.parametrize("note, told", [
    ("Full this month, sorry.", "You declined the request; the listener has your note."),
    ("", "You declined the request; the listener is told."),
])
def test_declining_says_whether_the_listener_has_a_note(client, note, told):
    # Declining without a note must not tell the mentor the listener "has your note".
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    request = make_request(rowan, juniper)
    client.login("juniper")
    path = f"/mentors/requests/{request.id}"
    page = client.submit(f"{path}/answer", {"decision": "decline", "note": note, "confirmed": "yes"},
                         follow_redirects=True).page
    assert told in page
    assert ("has your note" in page) == bool(note)


def test_an_empty_conversation_suggests_a_first_message_to_each_side(client):
    # The mentor was told to say "what you'd like to work on", which is the listener's part.
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    path = f"/mentors/conversations/{mentorship.thread_id}"
    client.login("juniper")
    page = client.get(path).page
    assert "No messages yet. Say hello and ask Rowan what they'd like to work on." in page
    assert ">Your message</label>" in page and "Your post" not in page
    client.logout()
    client.login("rowan")
    assert "No messages yet. Say hello and what you'd like to work on." in client.get(path).page


def test_a_closed_conversation_nobody_wrote_in_does_not_ask_for_a_hello(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    requests.close_request(juniper.user, mentorship, utcnow())
    client.login("juniper")
    page = client.get(f"/mentors/conversations/{mentorship.thread_id}").page
    assert "Say hello" not in page
    assert "Nobody wrote in this conversation before the mentorship was closed." in page


def test_only_the_mentor_answers_and_only_once(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    request = make_request(rowan, juniper)
    path = f"/mentors/requests/{request.id}"
    client.login("rowan")
    assert client.submit(f"{path}/answer", {"decision": "accept"}).status_code == 403
    client.logout()
    client.login("juniper")
    client.submit(f"{path}/answer", {"decision": "accept"})
    second = client.submit(f"{path}/answer", {"decision": "decline"}, follow_redirects=True)
    assert "This request was answered already." in second.page
    db.session.refresh(request)
    assert request.status == "accepted"
    assert db.session.scalar(select(func.count(Thread.id))) == 1


def test_an_unknown_decision_is_a_400(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    request = make_request(rowan, juniper)
    client.login("juniper")
    path = f"/mentors/requests/{request.id}"
    assert client.submit(f"{path}/answer", {"decision": "maybe"}).status_code == 400
    db.session.refresh(request)
    assert request.status == "pending"


@pytest.mark.parametrize("stranger_role", ["listener", "moderator", "admin", None])
def test_someone_elses_conversation_is_a_404(client, stranger_role):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    post = write_in_conversation(rowan, mentorship, "Something only Juniper should read")
    if stranger_role:
        make_user("stranger", role=stranger_role)
        client.login("stranger")
    paths = [f"/mentors/conversations/{mentorship.thread_id}", f"/threads/{mentorship.thread_id}",
             f"/posts/{post.id}", f"/posts/{post.id}/replies"]
    if stranger_role:  # the request page asks strangers who are not signed in to sign in first
        paths.append(f"/mentors/requests/{mentorship.id}")
    for path in paths:
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Something only Juniper should read" not in response.page


def test_the_two_talk_and_each_hears_of_the_others_message(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    write_in_conversation(rowan, mentorship, "Hello!")
    write_in_conversation(juniper.user, mentorship, "Hi Rowan, welcome.")
    assert "Juniper wrote in your mentorship conversation" in notifications_of(rowan)
    assert "Rowan wrote in your mentorship conversation" in notifications_of(juniper.user)
    client.login("juniper")
    page = client.get(f"/mentors/conversations/{mentorship.thread_id}").page
    assert "Hello!" in page and "Hi Rowan, welcome." in page
    # The permalink of a message leads back to the conversation page.
    post = db.session.scalar(select(Post).where(Post.body_md == "Hello!"))
    assert client.get(f"/posts/{post.id}").headers["Location"].startswith(
        f"/mentors/conversations/{mentorship.thread_id}")


def test_messages_written_in_a_row_are_one_email_until_the_other_has_read_them(client, mailbox):
    # Someone having a hard day writes as they talk, in short messages: each was an email
    # of its own, four in a minute to a mentor who chose mentorship email.
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    set_email_kinds(juniper.user, ["mentorship"])
    mailbox.clear()
    for words in ("Hi.", "Are you around?", "Today was rough.", "A chat ended badly."):
        write_in_conversation(rowan, mentorship, words)
    (email,) = mailbox.bodies_to(juniper.user.email)
    assert "Rowan wrote in your mentorship conversation" in email
    # Every message is still on the notifications page, each leading to itself.
    assert notifications_of(juniper.user).count("Rowan wrote in your mentorship conversation") == 4
    # The next is emailed once Juniper has read them, or has answered, or after a pause.
    client.login("juniper")
    client.submit("/notifications/read-all")
    write_in_conversation(rowan, mentorship, "Thanks for reading.")
    assert len(mailbox.bodies_to(juniper.user.email)) == 2
    db.session.execute(update(Notification).values(created_at=utcnow() - timedelta(minutes=31)))
    db.session.commit()
    write_in_conversation(rowan, mentorship, "Sorry, I'm back now.")
    write_in_conversation(rowan, mentorship, "Are you there?")
    assert len(mailbox.bodies_to(juniper.user.email)) == 3
    write_in_conversation(juniper.user, mentorship, "I'm here. Tell me about the chat.")
    write_in_conversation(rowan, mentorship, "They just left mid-sentence.")
    assert len(mailbox.bodies_to(juniper.user.email)) == 4


@pytest.mark.parametrize("message", ["@rowan have a look at this", "reply"])
def test_a_message_that_mentions_or_answers_the_other_tells_them_once(client, message):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    first = write_in_conversation(rowan, mentorship, "Hello!")
    if message == "reply":
        answer = write_post(juniper.user, first.thread, "Welcome, Rowan.", parent=first)
    else:
        answer = write_in_conversation(juniper.user, mentorship, message)
    told = db.session.scalars(select(Notification.message).where(
        Notification.user_id == rowan.id, Notification.post_id == answer.id)).all()
    assert len(told) == 1, told


def test_a_message_whose_mention_is_edited_out_is_still_told_of(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    message = write_in_conversation(rowan, mentorship, "@juniper is this right?")
    client.login("rowan")
    client.submit(f"/posts/{message.id}/edit", {"body": "Is this right?"})
    told = db.session.scalars(select(Notification.message).where(
        Notification.user_id == juniper.user_id, Notification.post_id == message.id)).all()
    assert told == ["Rowan wrote in your mentorship conversation"]


def test_a_message_refused_comes_back_worded_as_the_conversation(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    client.login("rowan")
    refused = client.submit(f"/threads/{mentorship.thread_id}/posts", {"body": ""})
    assert refused.status_code == 422
    assert "Your mentorship conversation with Juniper" in refused.page and "Write to Juniper" in refused.page
    assert "Write something before posting." in refused.page and ">Send</button>" in refused.page
    assert "New post" not in refused.page
    # As the conversation page says it: a message, and its own title, not the thread's internal one.
    assert ">Your message</label>" in refused.page and "Your post" not in refused.page
    # The back link names the page it leads to as that page's heading does (not "Conversation with …").
    assert "Back to “Your mentorship conversation with Juniper”</a>" in refused.page
    assert "Mentorship:" not in refused.page
    conversation = client.get(f"/mentors/conversations/{mentorship.thread_id}").page
    assert "<title>Your mentorship conversation with Juniper" in conversation


@pytest.mark.parametrize("closer", ["rowan", "juniper"])
def test_either_closes_and_the_conversation_stays_readable_but_quiet(client, closer):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    write_in_conversation(rowan, mentorship, "Thanks for everything")
    client.login(closer)
    path = f"/mentors/requests/{mentorship.id}"
    closed = client.submit(f"{path}/close", {"confirmed": "yes"}, follow_redirects=True).page
    assert "Closed. The conversation stays here for you both to read." in closed
    db.session.refresh(mentorship)
    assert mentorship.status == "closed"
    assert mentorship.closed_by_id == (rowan.id if closer == "rowan" else juniper.user_id)
    conversation = client.get(f"/mentors/conversations/{mentorship.thread_id}")
    assert "Thanks for everything" in conversation.page and "This mentorship was closed" in conversation.page
    # A tab left open on the conversation: it says the mentorship closed, not that a "thread" was locked.
    refused = client.submit(f"/threads/{mentorship.thread_id}/posts", {"body": "One more thing"})
    assert refused.status_code == 422 and "One more thing" in refused.page
    assert "This mentorship is closed, so its conversation takes no new messages." in refused.page
    assert "thread is locked" not in refused.page
    message = db.session.scalar(select(Post))
    replied = client.submit(f"/posts/{message.id}/replies", {"body": "And another"})
    assert "This mentorship is closed, so its conversation takes no new replies." in replied.page
    assert "Mentorship:" not in replied.page  # the back link and the tab name the conversation
    assert db.session.scalar(select(func.count(Post.id))) == 1
    other = juniper.user if closer == "rowan" else rowan
    assert any("closed your mentorship" in message for message in notifications_of(other))
    client.logout()
    client.login("rowan")  # who wrote the message
    assert "This mentorship is closed, so its messages can no longer be edited." in client.get(
        f"/posts/{message.id}/edit").page


@pytest.mark.parametrize("accepted", [True, False])
def test_without_javascript_closing_or_withdrawing_asks_on_a_page_first(client, accepted):
    """The button's question is asked by forum.js; without it the form came straight here
    and ended the mentorship on one press. Now a page asks, and only its button ends it."""
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper) if accepted else make_request(rowan, juniper)
    client.login("rowan")
    path = f"/mentors/requests/{mentorship.id}"
    asked = client.submit(f"{path}/close")
    assert asked.status_code == 200
    question = "Close this mentorship?" if accepted else "Withdraw your request to Juniper?"
    assert f"<h1>{question}</h1>" in asked.page
    assert 'name="confirmed" value="yes"' in asked.page and f'action="{path}/close"' in asked.page
    assert f'href="{path}">' in asked.page  # the way back, changing nothing
    db.session.refresh(mentorship)
    assert mentorship.status == ("accepted" if accepted else "pending")
    assert notifications_of(juniper.user) == ["Rowan asks you to be their mentor"]  # and nothing since

    done = client.submit(f"{path}/close", {"confirmed": "yes"}, follow_redirects=True).page
    assert ("Closed. The conversation stays" if accepted else "Your request is withdrawn.") in done
    db.session.refresh(mentorship)
    assert mentorship.status == "closed"


def test_a_closed_conversation_takes_no_new_reactions_and_offers_no_buttons(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    message = write_in_conversation(juniper.user, mentorship, "Glad we talked this through")
    path = f"/mentors/conversations/{mentorship.thread_id}"
    client.login("rowan")
    react = f"/posts/{message.id}/react"
    assert client.submit(react, {"kind": "heart"}).status_code == 302
    requests.close_request(rowan, mentorship, utcnow())

    page = client.get(path).page
    assert f'action="{react}"' not in page and "This mentorship was closed" in page
    assert 'title="Heart: Rowan"' in page  # the heart given before it closed still shows
    token = client.csrf_token()
    refused = client.post(react, data={"kind": "hug", "csrf_token": token})
    assert refused.status_code == 403 and "mentorship is closed, so its messages take no new reactions" in refused.page
    answer = client.post(react, data={"kind": "hug", "csrf_token": token}, headers={"Accept": "application/json"})
    assert answer.status_code == 403 and "no new reactions" in answer.get_json()["error"]
    # The heart given before it closed stays, as everything said there does.
    taken_back = client.post(react, data={"kind": "heart", "csrf_token": token})
    assert taken_back.status_code == 403
    assert db.session.scalars(select(Reaction.kind)).all() == ["heart"]


def test_the_mentee_withdraws_a_waiting_request_but_the_mentor_cannot(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    request = make_request(rowan, juniper)
    path = f"/mentors/requests/{request.id}"
    client.login("juniper")
    assert client.submit(f"{path}/close", {"confirmed": "yes"}).status_code == 403
    client.logout()
    client.login("rowan")
    withdrawn = client.submit(f"{path}/close", {"confirmed": "yes"}, follow_redirects=True).page
    assert "Your request is withdrawn." in withdrawn
    assert "The conversation stays here" not in withdrawn  # there never was one
    db.session.refresh(request)
    assert (request.status, request.answered_at) == ("closed", None)
    # Withdrawn, Rowan may ask again.
    assert client.submit("/mentors/juniper/request", MESSAGE).status_code == 302
    assert request_count() == 2


def test_my_mentors_and_my_mentees_list_each_side_with_its_state(client):
    juniper, oakley = make_mentor("juniper"), make_mentor("oakley")
    rowan = make_listener("rowan")
    make_mentorship(rowan, juniper)
    make_request(rowan, oakley, hours_ago=5)
    client.login("rowan")
    mine = client.get("/mentors/me/mentors").page
    assert "Juniper" in mine and "Oakley" in mine
    assert "Active" in mine and "Waiting for an answer" in mine
    # The older request comes first, as it waits; the page says so rather than "newest first".
    assert mine.index("Oakley") < mine.index("Juniper") and "the newest first" not in mine
    assert "Requests waiting for an answer come first, then your running mentorships." in mine
    waiting = client.get("/mentors/me/mentors?status=pending").page
    assert "Oakley" in waiting and "Juniper" not in waiting
    assert client.get("/mentors/me/mentors?status=lost").status_code == 400
    client.logout()
    client.login("oakley")
    mentees = client.get("/mentors/me/mentees").page
    assert "Rowan" in mentees and "Answer the request" in mentees


def test_my_mentees_offers_a_mentor_profile_only_to_mentors(client):
    make_mentor("oakley")
    make_listener("rowan")
    client.login("rowan")
    page = client.get("/mentors/me/mentees").page
    assert "You have no mentees. Only mentors are asked to mentor." in page
    assert "Your mentor profile" not in page and 'href="/mentors/me"' not in page  # it would be a 403
    client.logout()
    client.login("oakley")
    page = client.get("/mentors/me/mentees").page
    assert "No requests yet. Listeners find you in the directory." in page
    assert 'href="/mentors/me"' in page and client.get("/mentors/me").status_code == 302


def test_an_empty_status_tab_says_none_are_in_it_not_that_there_are_none_at_all(client):
    oakley = make_mentor("oakley")
    make_mentorship(make_listener("rowan"), oakley)
    client.login("oakley")
    waiting = client.get("/mentors/me/mentees?status=pending").page
    assert "No requests yet" not in waiting  # the mentor has a mentee: "yet" would be untrue
    assert "Nothing is “Waiting” now." in waiting and 'href="/mentors/me/mentees">See all' in waiting
    client.logout()
    client.login("rowan")
    declined = client.get("/mentors/me/mentors?status=declined").page
    assert "Nothing here yet" not in declined
    assert "Nothing is “Declined” now." in declined and 'href="/mentors/me/mentors">See all' in declined


def test_accepting_is_refused_once_the_mentor_no_longer_mentors_that_age_group(client):
    juniper = make_mentor("juniper", teens=True, adults=True)
    kit = make_listener("kit", age_group="teen")
    request = make_request(kit, juniper)
    juniper.mentors_teens = False
    db.session.commit()
    with pytest.raises(Exception, match="mentors adults only"):
        requests.accept_request(juniper.user, request, "", utcnow())
    db.session.refresh(request)
    assert request.status == "pending" and db.session.scalar(select(func.count(Thread.id))) == 0


def test_closing_without_the_form_token_is_refused(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    client.login("rowan")
    assert client.post(f"/mentors/requests/{mentorship.id}/close").status_code == 400
    db.session.refresh(mentorship)
    assert mentorship.status == "accepted"


def test_someone_who_lost_the_mentor_role_cannot_accept(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    request = make_request(rowan, juniper)
    juniper.user.roles = [role for role in juniper.user.roles if role.name != "mentor"]
    db.session.commit()
    client.login("juniper")
    path = f"/mentors/requests/{request.id}"
    response = client.submit(f"{path}/answer", {"decision": "accept", "note": "Sure!"})
    assert response.status_code == 403 and "no longer hold the mentor role" in response.page
    assert "Sure!" in response.page
    db.session.refresh(request)
    assert request.status == "pending"


def test_accepting_requests_in_a_row_is_not_slowed_by_the_new_thread_limit(make_app):
    """Each acceptance opens a conversation thread, but the mentor did not set out to start
    threads: the one-new-thread-per-15-seconds limit is for people starting them by hand."""
    limited = make_app(RATELIMIT_ENABLED=True)
    with limited.app_context():
        juniper = make_mentor("juniper")
        waiting = [make_request(make_listener(name), juniper) for name in ("rowan", "wren", "ivy")]
        client = limited.test_client()
        client.login("juniper")
        for request in waiting:
            response = client.submit(f"/mentors/requests/{request.id}/answer", {"decision": "accept", "note": ""})
            assert response.status_code == 302
        assert db.session.scalar(select(func.count(Thread.id)).where(Thread.kind == "conversation")) == 3


@pytest.mark.parametrize("decision", ["accept", "decline"])
def test_answering_a_request_withdrawn_meanwhile_says_it_was_withdrawn(client, decision):
    # The mentor had the request open while the listener withdrew it: "This request was
    # answered already" told the only person who answers that they had answered it.
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    request = make_request(rowan, juniper)
    path = f"/mentors/requests/{request.id}"
    client.login("juniper")
    token = client.csrf_token()
    requests.close_request(rowan, request, utcnow())
    answered = client.post(f"{path}/answer", data={"decision": decision, "csrf_token": token},
                           follow_redirects=True).page
    assert "Rowan withdrew this request." in answered
    assert "answered already" not in answered
    db.session.refresh(request)
    assert (request.status, request.answered_at, request.thread_id) == ("closed", None, None)


def test_answering_a_request_a_change_ended_says_why_it_ended(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    request = make_request(rowan, juniper)
    path = f"/mentors/requests/{request.id}"
    client.login("juniper")
    token = client.csrf_token()
    juniper.mentors_adults = False
    endings.end_after_settings_change(juniper.user, juniper, utcnow())
    db.session.commit()
    answered = client.post(f"{path}/answer", data={"decision": "decline", "csrf_token": token},
                           follow_redirects=True).page
    assert "This request ended because Juniper no longer mentors adults." in answered
    assert "answered already" not in answered


def test_withdrawing_a_request_declined_meanwhile_says_it_was_declined(client):
    # The listener had their waiting request open while the mentor declined it: "This
    # mentorship is closed already" spoke of a mentorship there never was.
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    request = make_request(rowan, juniper)
    path = f"/mentors/requests/{request.id}"
    client.login("rowan")
    token = client.csrf_token()
    requests.decline_request(juniper.user, request, "Full this month, sorry.", utcnow())
    page = client.post(f"{path}/close", data={"csrf_token": token}, follow_redirects=True).page
    assert "Juniper declined this request; there is nothing to withdraw." in page
    assert "mentorship is closed already" not in page
    db.session.refresh(request)
    assert request.status == "declined"
