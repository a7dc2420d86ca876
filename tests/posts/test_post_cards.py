"""Post cards are rendered once and reused (forum/posts/cards.py): what one reader sees of
a post must never reach another, and a card must change as soon as what it shows does."""
import re

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.local_time import local_datetime
from forum.models.accounts import User
from forum.models.posts import Post
from forum.posts.services import delete_own_post, hide_post
from tests.factories import make_post, make_thread, make_user
from tests.ideas.factories import make_call, make_moderator, post_idea
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, write_in_conversation
from tests.training.factories import enrol, make_program, respond

_FORM_TOKENS = re.compile(r'name="csrf_token" value="([^"]+)"')
_META_TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@pytest.fixture
def post(app):
    make_user("ben")
    make_user("cora", role="moderator")
    return make_post(make_user("ana"), make_thread("Evenings"), "Walking after dinner helps me wind down.")


def card_of(page: str, post_id: int) -> str:
    start = page.index(f'id="post-{post_id}"')
    return page[start:page.index("</article>", start)]


def test_each_reader_gets_their_own_actions_and_their_own_token(client, post):
    path = f"/threads/{post.thread_id}"
    client.login("ana")
    authors_view = client.get(path).get_data(as_text=True)
    client.logout()
    client.login("ben")
    readers_view = client.get(path).get_data(as_text=True)

    assert f"/posts/{post.id}/edit" in card_of(authors_view, post.id)
    assert f"/posts/{post.id}/edit" not in card_of(readers_view, post.id)
    assert f'/posts/{post.id}/react"' not in card_of(authors_view, post.id)  # nobody reacts to their own post
    assert f'/posts/{post.id}/react"' in card_of(readers_view, post.id)
    # Every form on the reader's page carries the reader's token, none the author's.
    token = _META_TOKEN.search(readers_view).group(1)
    assert set(_FORM_TOKENS.findall(readers_view)) == {token}
    assert _META_TOKEN.search(authors_view).group(1) != token


def test_a_card_seen_before_shows_reactions_edits_and_hiding_at_once(client, post):
    path = f"/threads/{post.thread_id}"
    client.login("ben")
    assert "Walking after dinner" in client.get(path).page

    client.submit(f"/posts/{post.id}/react", {"kind": "hug"})
    card = card_of(client.get(path).page, post.id)
    assert 'aria-pressed="true"' in card and "Hug: Ben" in card

    client.logout()
    client.login("ana")
    client.submit(f"/posts/{post.id}/edit", {"body": "Walking after dinner, without my phone."})
    client.logout()
    client.login("ben")
    card = card_of(client.get(path).page, post.id)
    assert "without my phone" in card and "edited" in card

    client.logout()
    client.login("cora")
    client.submit(f"/posts/{post.id}/hide", {"reason": "Testing"})
    moderators_card = card_of(client.get(path).page, post.id)
    assert "Hidden by a moderator: Testing" in moderators_card and "without my phone" in moderators_card
    client.logout()
    client.login("ben")
    card = card_of(client.get(path).page, post.id)
    assert "This post was hidden by a moderator." in card and "without my phone" not in card
    assert db.session.get(Post, post.id).hidden_at is not None


def test_a_hidden_reply_or_idea_is_named_as_such_to_other_readers(client, post):
    """"This post was hidden" under someone's post left its readers thinking that post had gone."""
    cora = db.session.scalar(select(User).where(User.username == "cora"))
    reply = make_post(make_user("dan"), post.thread, "Mind your own business.", parent=post)
    idea = post_idea(post.author, make_call(cora, "Quiet hours"), "Shout at night.")
    hide_post(cora, reply, "Unkind"), hide_post(cora, idea, "Unkind")
    client.login("ben")
    assert "This reply was hidden by a moderator." in card_of(client.get(f"/threads/{post.thread_id}").page, reply.id)
    assert "This idea was hidden by a moderator." in card_of(client.get(f"/ideas/{idea.thread_id}").page, idea.id)


def test_a_reply_or_idea_its_author_removed_is_named_as_such_to_other_readers(client, post):
    """"This post was removed" under someone's post read as if that post had gone, as hiding did."""
    cora = db.session.scalar(select(User).where(User.username == "cora"))
    reply = make_post(make_user("dan"), post.thread, "Never mind.", parent=post)
    idea = post_idea(post.author, make_call(cora, "Quiet hours"), "Shout at night.")
    for removed in (post, reply, idea):
        delete_own_post(removed.author, removed)
    client.login("ben")
    page = client.get(f"/threads/{post.thread_id}").page
    assert "This post was removed." in card_of(page, post.id)
    assert "This reply was removed." in card_of(page, reply.id)
    assert "This idea was removed." in card_of(client.get(f"/ideas/{idea.thread_id}").page, idea.id)
    assert "This reply was removed." in client.get(f"/flag/post/{reply.id}").page


def a_post_to_reply_to(part: str):
    """A post in `part` someone replies to: (the post, who replies, who else reads it)."""
    if part == "mentor conversation":
        mentee = make_listener("ana")
        profile = make_mentor("juniper")
        return write_in_conversation(mentee, make_mentorship(mentee, profile)), profile.user, "ana"
    ana, ben, cleo = make_user("ana"), make_user("ben"), make_user("cleo")
    if part == "training discussion":
        program = make_program(peers=1)
        for person in (ana, ben, cleo):
            enrol(person, program)
        return respond(ana, program, 1), ben, "cleo"
    if part == "idea thread":
        return post_idea(ana, make_call(make_moderator("moss"))), ben, "cleo"
    return make_post(ana, make_thread("Evenings")), ben, "cleo"


@pytest.mark.parametrize("part", ["thread", "training discussion", "idea thread", "mentor conversation"])
def test_a_reply_its_author_removed_takes_no_replies_and_offers_none(client, app, part):
    """Its card offered "Reply" to everyone else, which answered the post above it."""
    top, replier, reader = a_post_to_reply_to(part)
    removed = make_post(replier, top.thread, "On second thought, never mind.", parent=top)
    delete_own_post(replier, removed)
    client.login(reader)
    card = card_of(client.get(f"/posts/{removed.id}", follow_redirects=True).page, removed.id)
    assert "was removed." in card and not re.search(r"/posts/\d+/reply\b", card) and ">Reply<" not in card
    # Named as its card names it: "That post was removed" read as if the post above had gone.
    refusal = f"That {'message' if part == 'mentor conversation' else 'reply'} was removed, so it takes no new replies."
    form_page = client.get(f"/posts/{removed.id}/reply").page
    assert refusal in form_page and "Post reply" not in form_page
    # Its heading names what is there, rather than inviting a reply above the refusal.
    named = "message" if part == "mentor conversation" else "reply"
    assert f"<h1>Removed {named}</h1>" in form_page and "Reply to" not in form_page
    refused = client.submit(f"/posts/{removed.id}/replies", {"body": "Sorry you feel that way."})
    assert refused.status_code == 422 and refusal in refused.page and "Reply to" not in refused.page
    assert "Sorry you feel that way." in refused.page  # what they typed is kept
    assert db.session.scalar(select(func.count(Post.id)).where(Post.parent_id == top.id)) == 1


def test_a_new_name_or_role_shows_on_cards_already_rendered(client, post):
    path = f"/threads/{post.thread_id}"
    assert "Ana" in card_of(client.get(path).page, post.id)
    author = post.author
    author.display_name = "Ana Lucia"
    db.session.commit()
    assert "Ana Lucia" in card_of(client.get(path).page, post.id)


def test_a_long_post_too_long_to_keep_is_shown_in_full_with_its_actions(client, post):
    from forum.posts.cards import LONGEST_CACHED

    long_text = "A long evening walk along the river. " * (LONGEST_CACHED // 30)
    long_post = make_post(post.author, post.thread, long_text)
    client.login("ben")
    card = card_of(client.get(f"/threads/{post.thread_id}").get_data(as_text=True), long_post.id)
    assert len(card) > LONGEST_CACHED and card.count("A long evening walk") == LONGEST_CACHED // 30
    assert f'/posts/{long_post.id}/react"' in card


# What each card offers, by who reads it: the card's rules are worked out once a page
# (`Standing`), so this table is what keeps a page's buttons the same as the server's answers.
ACTIONS = {
    "react": "/posts/{id}/react\"", "reply": "/posts/{id}/reply\"", "edit": "/posts/{id}/edit\"",
    "remove": "/posts/{id}/delete\"", "hide": "/posts/{id}/hide\"", "flag": "/flag/post/{id}\"",
    "history": "/posts/{id}/history\"",
}


def actions_offered(card: str, post_id: int) -> set[str]:
    return {name for name, path in ACTIONS.items() if path.format(id=post_id) in card}


@pytest.mark.parametrize(("reader", "locked", "offered"), [
    (None, False, set()),
    ("ben", False, {"react", "reply", "flag"}),
    ("ana", False, {"reply", "edit", "remove", "history"}),
    ("cora", False, {"react", "reply", "edit", "hide", "flag", "history"}),
    ("suspended ben", False, set()),
    ("suspended ana", False, {"remove", "history"}),  # taking your own words down is never refused
    ("suspended cora", False, {"history"}),
    ("ben", True, {"flag"}),
    ("ana", True, {"remove", "history"}),
    ("cora", True, {"edit", "hide", "flag", "history"}),
])
def test_a_card_offers_each_reader_what_the_server_allows_them(client, post, reader, locked, offered):
    from forum.posts.services import edit_post
    from tests.safety.factories import suspend

    edit_post(post.author, post, "Walking after dinner helps me wind down, most nights.")
    if locked:
        post.thread.locked = True
        db.session.commit()
    if reader:
        name = reader.removeprefix("suspended ")
        if reader.startswith("suspended"):
            # Only an admin suspends staff.
            suspend(db.session.scalar(db.select(User).filter_by(username=name)), by=make_user("ada", role="admin"))
        client.login(name)

    card = card_of(client.get(f"/threads/{post.thread_id}").page, post.id)

    assert actions_offered(card, post.id) == offered
    for action in {"edit", "history"} - offered:  # and what is not offered is refused
        assert client.get(ACTIONS[action].format(id=post.id).rstrip('"')).status_code in (302, 403, 404)


def test_a_cards_time_and_edited_links_say_whose_post_they_open(client, post):
    # A screen reader's list of links reads each alone: "just now, just now, edited" does
    # not say whose post opens. The visible words stay as they are.
    ben = db.session.scalar(select(User).where(User.username == "ben"))
    make_post(ben, post.thread, "Same here, a short loop.", parent=post)
    client.login("ana")
    client.submit(f"/posts/{post.id}/edit", {"body": "Walking after dinner, without my phone."})
    page = client.get(f"/threads/{post.thread_id}").page

    def words(pattern):
        return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip() for text in re.findall(pattern, page, re.S)]

    assert words(r'<a class="post-time"[^>]*>(.*?)</a>') == ["just now, Ana's post", "just now, Ben's reply"]
    assert words(r'<a class="edited"[^>]*>(.*?)</a>') == ["edited: the history of Ana's post"]
    # Each post is named, so a screen reader moving from post to post hears whose it is and when.
    reply = db.session.scalar(select(Post).where(Post.parent_id == post.id))
    assert re.findall(r'<article class="post[^"]*" id="post-\d+"\s+aria-label="([^"]*)"', page) == [
        f"Ana's post, {local_datetime(post.created_at, 'UTC')}", f"Ben's reply, {local_datetime(reply.created_at, 'UTC')}"]


def test_each_reply_box_says_whose_post_it_answers_to_a_screen_reader(client, post):
    """A page of posts has a "Reply" box under each: read out in a list of controls, the
    boxes must not all be a bare "Reply", as the card's own Reply link is not."""
    make_post(db.session.scalar(select(User).where(User.username == "ben")), post.thread, "Mornings work for me.")
    client.login("cora")
    page = client.get(f"/threads/{post.thread_id}").page

    summaries = re.findall(r'<details class="reply-box">\s*<summary>(.*?)</summary>', page, re.S)
    assert summaries == ['Reply<span class="visually-hidden"> to Ana</span>',
                         'Reply<span class="visually-hidden"> to Ben</span>']
