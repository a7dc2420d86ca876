"""GET /mentions/suggest: who a writer may @mention, at most 8, wildcards taken literally, rate limited."""
import pytest

from forum.posts.mention_suggestions import SUGGESTION_LIMIT
from forum.posts.visibility import can_mention
from tests.factories import make_post, make_thread, make_user
from tests.ideas.factories import make_moderator
from tests.safety.factories import make_block


def suggest(client, query, **where):
    response = client.get("/mentions/suggest", query_string={"q": query, **where})
    return response


def usernames(response):
    assert response.status_code == 200, response.text
    return [person["username"] for person in response.get_json()["users"]]


@pytest.fixture
def people(app):
    return {
        "writer": make_user("writer"),
        "mara": make_user("mara", display_name="Mara"),
        "marco": make_user("marco", display_name="Marco"),
        "zed": make_user("zed", display_name="Marvellous Zed"),
        "mavis": make_user("mavis", age_group="teen"),
        "martha": make_user("martha_teen", age_group="teen"),
        "moss": make_moderator("moss"),
    }


def test_people_whose_username_or_name_starts_with_the_letters(client, people):
    client.login("writer")
    response = suggest(client, "mar")
    assert usernames(response) == ["mara", "marco", "zed"]
    assert response.get_json()["users"][2] == {"username": "zed", "display_name": "Marvellous Zed"}
    assert usernames(suggest(client, "@MAR")) == ["mara", "marco", "zed"]  # an @ and capitals are fine
    assert usernames(suggest(client, "ara")) == []  # starts with, not contains


def test_the_writer_is_not_offered_to_themselves(client, people):
    client.login("writer")
    assert usernames(suggest(client, "wri")) == []


def test_teens_are_offered_teens_and_adults_adults(client, people):
    client.login("writer")
    assert "mavis" not in usernames(suggest(client, "ma"))
    client.logout()
    client.login("mavis")
    assert usernames(suggest(client, "ma")) == ["martha_teen"]


def test_staff_are_offered_everyone(client, people):
    client.login("moss")
    assert usernames(suggest(client, "ma")) == ["mara", "marco", "martha_teen", "mavis", "zed"]


def test_the_predicate_and_the_query_agree(client, people):
    for writer in ("writer", "mavis", "moss"):
        client.login(writer)
        offered = set(usernames(suggest(client, "m")))
        expected = {person.username for person in people.values()
                    if person.username.startswith("m") or person.display_name.lower().startswith("m")}
        expected = {name for name in expected
                    if can_mention(people[writer], next(p for p in people.values() if p.username == name))}
        assert offered == expected
        client.logout()


def test_a_private_conversation_offers_only_the_people_in_it(client, people):
    conversation = make_thread("Just the two of us", members=[people["writer"], people["mara"]])
    post = make_post(people["writer"], conversation, "Hello")
    client.login("writer")
    assert usernames(suggest(client, "mar", thread=conversation.id)) == ["mara"]
    assert usernames(suggest(client, "mar", post=post.id)) == ["mara"]  # a reply or an edit box
    assert usernames(suggest(client, "mar")) == ["mara", "marco", "zed"]  # a box of no thread


def test_a_mentorship_conversation_offers_the_other_person_across_the_age_line(client, people):
    # A name typed there reaches them (forum/posts/services.py), so the box offers it too.
    conversation = make_thread("Mentorship: Mavis and Mara", members=[people["mavis"], people["mara"]])
    post = make_post(people["mavis"], conversation, "Hello")
    client.login("mavis")
    assert usernames(suggest(client, "mar", thread=conversation.id)) == ["mara"]
    assert usernames(suggest(client, "mar", post=post.id)) == ["mara"]
    assert usernames(suggest(client, "mar")) == ["martha_teen"]  # elsewhere, teens only
    client.logout()
    client.login("mara")
    assert usernames(suggest(client, "ma", thread=conversation.id)) == ["mavis"]


def test_a_blocked_person_is_not_offered_in_a_conversation(client, people):
    conversation = make_thread("Mentorship: Mavis and Mara", members=[people["mavis"], people["mara"]])
    make_block(people["mara"], people["mavis"])
    client.login("mavis")
    assert usernames(suggest(client, "mar", thread=conversation.id)) == []


def test_a_teen_space_offers_staff_only_the_teens_who_can_read_it(client, people):
    teen_room = make_thread("Teen room", audience="teen")
    client.login("moss")
    assert usernames(suggest(client, "ma", thread=teen_room.id)) == ["martha_teen", "mavis"]


def test_a_thread_the_writer_cannot_see_is_a_404(client, people):
    conversation = make_thread("Not yours", members=[people["mara"], people["marco"]])
    client.login("writer")
    response = suggest(client, "mar", thread=conversation.id)
    assert response.status_code == 404 and response.get_json()["error"] == "That thread can't be found."


def test_at_most_eight_people(client):
    make_user("writer")
    for number in range(12):
        make_user(f"sam{number:02d}")
    client.login("writer")
    assert usernames(suggest(client, "sam")) == [f"sam{number:02d}" for number in range(SUGGESTION_LIMIT)]


def test_wildcards_are_taken_literally(client):
    make_user("writer")
    make_user("a_b")
    make_user("axb")
    make_user("odd", display_name="100% kind")
    client.login("writer")
    assert usernames(suggest(client, "a_")) == ["a_b"]
    assert usernames(suggest(client, "%")) == []
    assert usernames(suggest(client, "100%")) == ["odd"]
    assert usernames(suggest(client, "%%%%_")) == []
    assert usernames(suggest(client, "\\")) == []


@pytest.mark.parametrize("query, message", [
    ("", "Type at least one letter after @"),
    ("   ", "Type at least one letter after @"),
    ("@", "Type at least one letter after @"),
    ("x" * 21, "Usernames are at most 20 characters"),
    ("%" * 500, "Usernames are at most 20 characters"),
])
def test_empty_or_long_queries_are_a_400_in_plain_words(client, query, message):
    make_user("writer")
    client.login("writer")
    response = suggest(client, query)
    assert response.status_code == 400 and message in response.get_json()["error"]


def test_a_missing_query_is_a_400(client):
    make_user("writer")
    client.login("writer")
    assert client.get("/mentions/suggest").status_code == 400


def test_twenty_letters_are_fine(client):
    make_user("writer")
    make_user("abcdefghijklmnopqrst")
    client.login("writer")
    assert usernames(suggest(client, "abcdefghijklmnopqrst")) == ["abcdefghijklmnopqrst"]


def test_signed_out_visitors_get_a_401(client):
    response = suggest(client, "ma")
    assert response.status_code == 401 and "Sign in" in response.get_json()["error"]


def test_lookups_are_rate_limited_per_writer(make_app):
    limited = make_app(RATELIMIT_ENABLED=True)
    with limited.app_context():
        make_user("writer")
        make_user("other")
    client, other = limited.test_client(), limited.test_client()
    client.login("writer")
    other.login("other")
    for _ in range(60):
        assert suggest(client, "ot").status_code == 200
    refused = suggest(client, "ot")
    assert refused.status_code == 429
    assert "Too many lookups" in refused.get_json()["error"]
    assert int(refused.headers["Retry-After"]) > 0
    assert suggest(other, "wr").status_code == 200  # another writer has their own allowance


def test_people_the_writer_blocked_are_not_offered(client, people):
    make_block(people["writer"], people["marco"])
    client.login("writer")
    assert usernames(suggest(client, "mar")) == ["mara", "zed"]


def test_people_who_blocked_the_writer_are_not_offered(client, people):
    make_block(people["mara"], people["writer"])
    client.login("writer")
    assert usernames(suggest(client, "mar")) == ["marco", "zed"]
    client.logout()
    client.login("mara")  # the blocker is not offered the person they blocked either
    assert usernames(suggest(client, "wri")) == []
    assert can_mention(people["mara"], people["zed"]) and not can_mention(people["mara"], people["writer"])


def test_blocks_of_other_people_change_nothing_for_the_writer(client, people):
    make_block(people["mara"], people["marco"])
    client.login("writer")
    assert usernames(suggest(client, "mar")) == ["mara", "marco", "zed"]


def test_the_predicate_and_the_query_agree_with_blocks_too(client, people):
    make_block(people["writer"], people["marco"])
    make_block(people["zed"], people["writer"])
    client.login("writer")
    offered = set(usernames(suggest(client, "m")))
    assert offered == {person.username for person in people.values() if can_mention(people["writer"], person)
                       and person.username.startswith("m")} == {"mara", "moss"}


def test_names_beyond_english_letters_are_found_in_any_case(client, people):
    make_user("marina_k", display_name="Марина")
    make_user("emile_r", display_name="Émile Roux")
    client.login("writer")
    for typed in ("Мар", "мар", "МАР"):
        assert usernames(suggest(client, typed)) == ["marina_k"], typed
    for typed in ("Ém", "ém"):
        assert usernames(suggest(client, typed)) == ["emile_r"], typed
