"""What an author is told about reactions: people, not clicks, and nothing a call keeps hidden."""
import pytest

from forum.posts.services import toggle_reaction
from tests.factories import make_post, make_thread, make_user
from tests.ideas.factories import make_call, make_moderator, post_idea, reply_to
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, write_in_conversation
from tests.safety.factories import make_block
from tests.training.factories import discussion, enrol, make_program, respond
from tests.training.factories import reply as training_reply


@pytest.fixture
def post(app):
    return make_post(make_user("ana"), make_thread("Ideas"), "Put the mentor list next to the chat list.")


def notices_of(client, username: str) -> str:
    client.login(username)
    page = client.get("/notifications").page
    client.logout()
    return page


def notices_seen_by_ana(client) -> str:
    return notices_of(client, "ana")


def test_one_person_changing_their_mind_is_one_person_reacting(client, post):
    ben = make_user("ben")
    toggle_reaction(ben, post, "hug")
    toggle_reaction(ben, post, "hug")
    toggle_reaction(ben, post, "hug")
    toggle_reaction(ben, post, "heart")
    page = notices_seen_by_ana(client)
    assert "Ben reacted to your post in “Ideas”" in page
    assert "other" not in page and "(" not in page.split("Ben reacted")[1].split("</button>")[0]


def test_several_people_are_counted_and_the_latest_named(client, post):
    for name in ("ben", "cleo", "dara"):
        toggle_reaction(make_user(name), post, "high_five")
    assert "Dara and 2 others reacted to your post in “Ideas”" in notices_seen_by_ana(client)


def test_a_reaction_taken_back_before_it_was_read_is_taken_back_from_the_notice(client, post):
    ben, cleo = make_user("ben"), make_user("cleo")
    toggle_reaction(ben, post, "hug")
    toggle_reaction(cleo, post, "heart")
    toggle_reaction(cleo, post, "heart")
    assert "Ben reacted to your post" in notices_seen_by_ana(client)
    toggle_reaction(ben, post, "hug")
    page = notices_seen_by_ana(client)
    assert "reacted" not in page and "Nothing yet" in page


def test_clicking_a_reaction_on_and_off_mails_the_author_once(client, mailbox, post):
    client.login("ana")
    client.submit("/settings/notifications", {"email_reaction": "y"})
    client.logout()
    ben = make_user("ben")
    for _ in range(5):  # on, off, on, off, on
        toggle_reaction(ben, post, "hug")
    (body,) = mailbox.bodies_to("ana@example.org")
    assert "Ben reacted to your post in “Ideas”" in body
    page = notices_seen_by_ana(client)
    assert page.count("Ben reacted to your post") == 1
    assert 'aria-label="1 unread"' in page


def test_a_read_notice_stays_as_it_was_read(client, post):
    ben, cleo = make_user("ben"), make_user("cleo")
    toggle_reaction(ben, post, "hug")
    client.login("ana")
    client.submit("/notifications/read-all")
    client.logout()
    toggle_reaction(ben, post, "hug")
    toggle_reaction(cleo, post, "hug")
    page = notices_seen_by_ana(client)
    assert "Ben reacted to your post" in page and "Cleo reacted to your post" in page


def test_people_the_author_blocked_are_neither_named_nor_counted(client, post):
    ana, ben, cleo = post.author, make_user("ben"), make_user("cleo")
    make_block(ana, ben)
    toggle_reaction(cleo, post, "hug")
    toggle_reaction(ben, post, "hug")
    page = notices_seen_by_ana(client)
    assert "Cleo reacted to your post" in page
    assert "Ben" not in page and "other" not in page


def test_a_call_that_hides_reactions_tells_the_author_neither_who_nor_how_many(client):
    call = make_call(make_moderator("moss"), hide_reactions_while_collecting=True)
    idea = post_idea(make_user("ana"), call, "Mentor spotlight posts.")
    for name in ("ben", "cleo", "dara"):
        toggle_reaction(make_user(name), idea, "hug")
    page = notices_seen_by_ana(client)
    assert "Someone reacted to your idea in “How could mentees and mentors talk more?”" in page
    assert "Who and how many stay hidden while the call is collecting ideas." in page
    assert not any(name in page for name in ("Ben", "Cleo", "Dara"))
    assert "(3)" not in page and "others" not in page


# The notice names what the author wrote, as the part's pages name it.

def test_an_idea_in_a_call_that_shows_reactions_is_called_an_idea(client):
    call = make_call(make_moderator("moss"))
    idea = post_idea(make_user("ana"), call, "Mentor spotlight posts.")
    toggle_reaction(make_user("ben"), idea, "lightbulb")
    page = notices_seen_by_ana(client)
    assert "Ben reacted to your idea in “How could mentees and mentors talk more?”" in page
    assert "your post" not in page


@pytest.mark.parametrize("hidden", [False, True], ids=["counts shown", "counts hidden"])
def test_a_reply_to_an_idea_is_called_a_reply(client, hidden):
    call = make_call(make_moderator("moss"), hide_reactions_while_collecting=hidden)
    ben = make_user("ben")
    idea = post_idea(ben, call, "Mentor spotlight posts.")
    answer = reply_to(make_user("ana"), idea, "Yes, with a photo of each.")
    toggle_reaction(ben, answer, "heart")
    page = notices_seen_by_ana(client)
    told = "Someone reacted" if hidden else "Ben reacted"
    assert f"{told} to your reply in “How could mentees and mentors talk more?”" in page
    assert "your idea" not in page and "your post" not in page


def test_a_trainees_response_and_reply_are_called_so(client):
    program = make_program(peers=1)
    ana, ben = make_user("ana", role="listener"), make_user("ben", role="listener")
    enrol(ana, program)
    enrol(ben, program)
    response = respond(ana, program, 1)
    answer = training_reply(ben, response, "That second high sounds like a good day.")
    toggle_reaction(ben, response, "hug")
    toggle_reaction(ana, answer, "heart")
    title = discussion(program, 1).thread.title
    assert f"Ben reacted to your response in “{title}”" in notices_seen_by_ana(client)
    assert f"Ana reacted to your reply in “{title}”" in notices_of(client, "ben")


def test_a_message_in_a_mentor_conversation_is_called_a_message(client):
    juniper, rowan = make_mentor("juniper"), make_listener("rowan")
    mentorship = make_mentorship(rowan, juniper)
    message = write_in_conversation(rowan, mentorship, "Can we talk about my first night shift?")
    toggle_reaction(juniper.user, message, "hug")
    page = notices_of(client, "rowan")
    assert f"Juniper reacted to your message in “{message.thread.title}”" in page
    assert "your post" not in page
