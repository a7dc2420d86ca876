"""A member's posts on their profile: what they wrote, newest first, where the reader may
follow it; nothing from a space the reader cannot enter."""
import re
from dataclasses import dataclass
from html import unescape

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models.posts import Post
from forum.posts.services import delete_own_post, hide_post
from tests.factories import make_post, make_thread, make_user
from tests.ideas.factories import make_call, make_moderator, post_idea, reply_to
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, write_in_conversation
from tests.safety.factories import make_block
from tests.search.stories import (
    SIGNED_OUT, adult_space, badge_locked_space, discussion_not_opened_yet, discussion_reopened_behind_the_trainee,
    post_first_discussion, teen_space,
)

_ITEM = re.compile(r'<li class="profile-post[^"]*">(.*?)</li>', re.S)
_LINK = re.compile(r'<a class="profile-post-link" href="([^"]+)">')
_TAGS = re.compile(r"<[^>]+>")


@dataclass
class Listed:
    link: str
    text: str  # what the item reads, tags taken out
    html: str


def listed(client, username: str, **args) -> list[Listed]:
    response = client.get(f"/users/{username}", query_string=args)
    assert response.status_code == 200, response.status_code
    return [Listed(unescape(_LINK.search(html).group(1)), " ".join(unescape(_TAGS.sub(" ", html)).split()), html)
            for html in _ITEM.findall(response.get_data(as_text=True))]


def texts(items: list[Listed]) -> list[str]:
    return [item.text for item in items]


def author_of(words: str) -> str:
    post = db.session.scalars(select(Post).where(Post.body_md.icontains(words.split()[0]))).first()
    return post.author.username


def test_the_author_sees_their_posts_replies_and_ideas_newest_first_with_where_they_wrote_them(client):
    rowan, moss = make_user("rowan", display_name="Rowan"), make_moderator("moss")
    thread = make_thread("Highs and lows this week", author=moss)
    first = make_post(rowan, thread, "My week had **three** highs and one low.")
    call = make_call(moss, title="How could we welcome newcomers?")
    idea = post_idea(rowan, call, "A welcome thread, pinned, with a mentor who answers.")
    reply = reply_to(rowan, idea, "And a list of the first three things to read.")
    # Someone else's post is never on Rowan's profile.
    make_post(make_user("ada"), thread, "Ada's week was quiet.")
    client.login("rowan")

    items = listed(client, "rowan")

    assert texts(items)[0].startswith("Reply in the call for ideas “How could we welcome newcomers?”")
    assert "And a list of the first three things to read." in texts(items)[0]
    assert texts(items)[1].startswith("Idea in the call for ideas “How could we welcome newcomers?”")
    assert texts(items)[2].startswith("Post in “Highs and lows this week”")
    # The start of the text as the page shows it: no Markdown marks.
    assert "My week had three highs and one low." in texts(items)[2]
    assert [item.link for item in items] == [f"/posts/{post.id}" for post in (reply, idea, first)]
    assert not any("Ada's week" in text for text in texts(items))


def test_a_long_post_shows_only_its_start_and_a_quote_is_not_taken_for_its_words(client):
    rowan = make_user("rowan")
    thread = make_thread("Open space")
    make_post(rowan, thread, "> Someone else's words, quoted.\n\nMy own answer: " + "listening " * 80)

    (item,) = listed(client, "rowan")

    assert "My own answer: listening" in item.text and "Someone else's words" not in item.text
    assert item.text.endswith("…") and len(item.text) < 300


def test_a_profile_without_posts_says_so(client):
    make_user("wren", display_name="Wren")
    assert "Wren has not written anything you can see here yet." in client.get("/users/wren").page


@pytest.mark.parametrize("story", [teen_space, adult_space, badge_locked_space, discussion_not_opened_yet,
                                   discussion_reopened_behind_the_trainee, post_first_discussion],
                         ids=lambda story: story.__name__)
def test_a_profile_lists_nothing_from_a_space_the_reader_cannot_enter(client, story):
    words, allowed, refused = story()
    author = author_of(words)

    def sees(reader) -> bool:
        if reader:
            client.login(reader)
        try:
            return any(words.split()[0] in text.lower() for text in texts(listed(client, author)))
        finally:
            if reader:
                client.logout()

    assert [reader for reader in allowed if not sees(reader)] == []
    assert [reader for reader in refused if sees(reader)] == []


def test_a_mentorship_conversation_is_never_on_a_profile(client):
    profile = make_mentor("wren", headline="Here for you")
    mentee = make_listener("mina")
    make_listener("stranger")
    make_moderator("moss")
    request = make_mentorship(mentee, profile)
    write_in_conversation(mentee, request, "My periwinkle worry, just between us.")
    write_in_conversation(profile.user, request, "Periwinkle answer, just for Mina.")

    for reader in (SIGNED_OUT, "stranger", "moss", "mina", "wren"):
        if reader:
            client.login(reader)
        for person in ("mina", "wren"):
            assert not any("periwinkle" in text.lower() for text in texts(listed(client, person))), (reader, person)
        if reader:
            client.logout()


@pytest.fixture
def removed_posts(app):
    """Ada's three posts: one as it is, one a moderator hid, one she removed herself."""
    ada, moss = make_user("ada"), make_moderator("moss")
    make_user("reader")
    thread = make_thread("Open space", author=ada)
    make_post(ada, thread, "A kept note.")
    hide_post(moss, make_post(ada, thread, "A rant hidden by moderators."), "Unkind to another member")
    delete_own_post(ada, make_post(ada, thread, "A regret, removed by its author."))


@pytest.mark.parametrize("reader", [SIGNED_OUT, "reader"])
def test_others_see_no_hidden_or_removed_post(client, removed_posts, reader):
    if reader:
        client.login(reader)
    shown = " ".join(texts(listed(client, "ada")))
    assert "A kept note." in shown
    assert "rant" not in shown and "regret" not in shown and "Hidden" not in shown


def test_the_author_sees_their_hidden_post_marked_hidden_with_why(client, removed_posts):
    client.login("ada")
    items = texts(listed(client, "ada"))
    assert len(items) == 2
    (hidden,) = [text for text in items if "rant" in text]
    assert "Hidden by a moderator: Unkind to another member" in hidden
    # Removed by herself, it is gone for her as it is on the thread's page.
    assert not any("regret" in text for text in items)


def test_moderators_see_hidden_and_removed_posts_marked_as_the_thread_page_shows_them(client, removed_posts):
    client.login("moss")
    items = texts(listed(client, "ada"))
    assert len(items) == 3
    assert any("rant" in text and "Hidden by a moderator: Unkind to another member" in text for text in items)
    assert any("regret" in text and "Removed by its author; only moderators see this text." in text for text in items)


def test_the_posts_are_paged_twenty_at_a_time_newest_first(client):
    rowan = make_user("rowan")
    thread = make_thread("Open space")
    for number in range(1, 26):
        make_post(rowan, thread, f"Note number {number}.")

    first, second = listed(client, "rowan"), listed(client, "rowan", page=2)

    assert [item.text.split("Note number ")[1] for item in first] == [f"{n}." for n in range(25, 5, -1)]
    assert [item.text.split("Note number ")[1] for item in second] == [f"{n}." for n in range(5, 0, -1)]
    page = client.get("/users/rowan").page
    assert 'rel="next" href="/users/rowan?page=2#posts"' in page


# Past a million, the forum's guard answers 404 for every list (forum/moderation/guards.py).
@pytest.mark.parametrize("page", ["9", "abc", "-1", "0", "1000000"])
def test_an_odd_page_number_is_no_error(client, page):
    rowan = make_user("rowan")
    make_post(rowan, make_thread("Open space"), "A single note.")
    response = client.get("/users/rowan", query_string={"page": page})
    assert response.status_code == 200
    assert "A single note." in response.page or "There is only 1 page" in response.page


def test_the_link_lands_on_the_post_in_its_thread(client):
    rowan, ada = make_user("rowan"), make_user("ada")
    thread = make_thread("A long thread", author=ada)
    for number in range(25):
        make_post(ada, thread, f"Ada's post {number}.")
    late = make_post(rowan, thread, "Rowan's word, on the second page.")
    client.login("ada")

    (item,) = listed(client, "rowan")
    landed = client.get(item.link)

    assert landed.status_code == 302
    assert landed.location.endswith(f"?page=2#post-{late.id}")
    page = client.get(landed.location.split("#")[0]).page
    assert f'id="post-{late.id}"' in page and "Rowan's word, on the second page." in page


def test_a_person_the_reader_blocked_has_their_posts_folded_away(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_post(ben, make_thread("Open space"), "Ben's note.")
    make_block(ana, ben)
    client.login("ana")
    page = client.get("/users/ben").page
    assert "You blocked this person. Show their posts anyway" in page
    assert "Ben's note." in page


def test_a_teens_posts_show_no_times_to_those_who_may_not_know_when_teens_are_here(client):
    tess = make_user("tess", age_group="teen")
    make_post(tess, make_thread("Open to everyone"), "A note anyone may read.")
    make_user("adam")
    make_user("kit", age_group="teen")

    (as_stranger,) = listed(client, "tess")
    client.login("adam")
    (as_adult,) = listed(client, "tess")
    client.logout()
    client.login("kit")
    (as_teen,) = listed(client, "tess")

    assert "<time" not in as_stranger.html and "<time" not in as_adult.html
    assert "A note anyone may read." in as_adult.text
    assert "<time" in as_teen.html


def test_a_profile_costs_the_same_statements_with_3_or_30_posts(client, count_queries):
    rowan, moss = make_user("rowan"), make_moderator("moss")
    thread = make_thread("Open space")
    call = make_call(moss, title="Welcome ideas")

    def write(count):
        for number in range(count):
            post = make_post(rowan, thread, f"Note {number}.")
            reply_to(rowan, post_idea(rowan, call, f"Idea {number}."), f"Reply {number}.")
            hide_post(moss, post, "Testing")

    def statements(reader) -> int:
        client.login(reader)
        with count_queries() as counter:
            response = client.get("/users/rowan")
        client.logout()
        assert response.status_code == 200
        return counter.count

    write(1)
    few = {reader: statements(reader) for reader in ("rowan", "moss")}
    write(10)
    many = {reader: statements(reader) for reader in ("rowan", "moss")}

    assert many == few
    # The reader and their roles, the profile's person, its badges, the page of posts and
    # how many there are, the header's counts (unread, the moderators' flags), blocks.
    assert max(many.values()) <= 12


def test_a_response_says_which_programs_discussion_it_answers(client):
    from tests.training.factories import enrol, make_program, reply, respond

    program = make_program(title="Group Support Basics", discussions=2)
    trina, pia = make_user("trina", role="listener"), make_user("pia", role="listener")
    enrol(trina, program), enrol(pia, program)
    response = respond(trina, program, 1)
    reply(pia, response, "Thank you for the highs, Trina.")
    client.login("trina")

    (as_listed,) = listed(client, "pia")

    assert as_listed.text.startswith("Reply in “Discussion 1” of the program Group Support Basics")
    assert texts(listed(client, "trina"))[0].startswith("Response in “Discussion 1” of the program Group Support Basics")
