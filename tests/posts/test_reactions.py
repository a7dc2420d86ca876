"""Reactions: hugs, high fives and hearts, one of each per person, toggled."""
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models.posts import Notification, Post, Reaction
from tests.factories import make_post, make_thread, make_user


@pytest.fixture
def post(app):
    return make_post(make_user("ana"), make_thread("Ideas"), "Put the mentor list next to the chat list.")


def react(client, post, kind, **kwargs):
    return client.submit(f"/posts/{post.id}/react", {"kind": kind}, **kwargs)


def test_without_javascript_the_page_after_reacting_says_what_was_done(client, post):
    """The page a reaction sends back to looked the same but for one pressed button: easy
    to miss, on a phone most of all, and nothing said whether the tap counted."""
    make_user("ben")
    client.login("ben")
    page = react(client, post, "hug", follow_redirects=True).page
    assert "You sent Ana a 🤗 Hug." in page
    page = react(client, post, "hug", follow_redirects=True).page
    assert "You took back your 🤗 Hug." in page


def test_reacting_twice_takes_the_reaction_back(client, post):
    make_user("ben")
    client.login("ben")
    assert react(client, post, "hug").status_code == 302
    assert db.session.scalar(select(Reaction.kind)) == "hug"
    assert db.session.get(Post, post.id).reaction_count == 1
    react(client, post, "hug")
    assert db.session.scalar(select(func.count(Reaction.id))) == 0
    assert db.session.get(Post, post.id).reaction_count == 0


def test_each_kind_once_per_person_with_counts_and_names_on_the_page(client, post):
    for name in ("ben", "cleo"):
        make_user(name)
        client.login(name)
        react(client, post, "high_five")
        react(client, post, "heart")
        client.logout()
    page = client.get(f"/threads/{post.thread_id}").page
    assert 'title="High five: Ben, Cleo"' in page
    assert db.session.scalar(select(func.count(Reaction.id))) == 4
    assert db.session.get(Post, post.id).reaction_count == 4


def test_the_first_five_to_react_are_named_in_order_and_the_rest_counted(client, post):
    other = make_post(make_user("zed"), post.thread, "A second post, with reactions of its own.")
    earliest = datetime(2026, 1, 1, 9, 0)
    for minute, name in enumerate(("fay", "gus", "hal", "ida", "jon", "kim", "lou")):
        person = make_user(name)
        db.session.add(Reaction(post_id=post.id, user_id=person.id, kind="hug",
                                created_at=earliest + timedelta(minutes=minute)))
        if minute < 2:
            db.session.add(Reaction(post_id=other.id, user_id=person.id, kind="heart", created_at=earliest))
    db.session.commit()

    page = client.get(f"/threads/{post.thread_id}").page

    assert 'title="Hug: Fay, Gus, Hal, Ida, Jon and others"' in page
    assert 'title="Heart: Fay, Gus"' in page


def test_with_javascript_the_answer_is_json(client, post):
    make_user("ben")
    client.login("ben")
    response = react(client, post, "lightbulb", headers={"Accept": "application/json"})
    assert response.status_code == 200
    answer = response.get_json()
    assert {key: answer[key] for key in ("kind", "active", "count")} == {"kind": "lightbulb", "active": True, "count": 1}


def test_the_json_answer_carries_the_reaction_area_as_the_page_now_shows_it(client, post):
    make_user("ben")
    make_user("cleo")
    client.login("cleo")
    react(client, post, "hug")
    client.logout()
    client.login("ben")
    json = {"Accept": "application/json"}

    added = react(client, post, "hug", headers=json).get_json()["html"]
    assert 'title="Hug: Cleo, Ben"' in added
    assert f'href="/posts/{post.id}/reactions">Who reacted</a>' in added
    assert 'value="hug" class="reaction reacted" aria-pressed="true"' in added
    assert added.count('name="csrf_token"') == 1 and "\x00" not in added
    # The same markup as the page's own card, which now reads the same.
    page = client.get(f"/threads/{post.thread_id}").page
    assert 'title="Hug: Cleo, Ben"' in page

    taken_back = react(client, post, "hug", headers=json).get_json()["html"]
    assert 'title="Hug: Cleo"' in taken_back and "Ben" not in taken_back
    assert 'value="hug" class="reaction" aria-pressed="false"' in taken_back

    client.logout()
    client.login("cleo")
    emptied = react(client, post, "hug", headers=json).get_json()["html"]
    assert 'title="Hug"' in emptied
    assert "Who reacted" not in emptied


@pytest.mark.parametrize("kind", ["angry", "", "heart'; DROP TABLE reactions;--"])
def test_unknown_kinds_are_refused(client, post, kind):
    make_user("ben")
    client.login("ben")
    response = react(client, post, kind)
    assert response.status_code == 400
    assert "not a reaction we know" in response.page
    assert db.session.scalar(select(func.count(Reaction.id))) == 0


def test_no_reacting_to_your_own_post_or_signed_out(client, post):
    client.login("ana")
    assert react(client, post, "heart").status_code == 403
    client.logout()
    assert client.post(f"/posts/{post.id}/react", data={"kind": "heart"}).status_code in (302, 400)
    assert db.session.scalar(select(func.count(Reaction.id))) == 0


def test_reacting_to_an_idea_or_reply_taken_down_meanwhile_names_it_as_its_card_does(client):
    """"That post was hidden" on a call's page, where everything says "idea", or under a reply."""
    from forum.posts.services import delete_own_post, hide_post
    from tests.ideas.factories import make_call, make_moderator, post_idea, reply_to

    ana, ben = make_user("ana"), make_user("ben")
    moss = make_moderator("moss")
    idea = post_idea(ana, make_call(moss))
    answer = reply_to(ben, idea)
    hide_post(moss, idea, "Off topic")
    delete_own_post(ben, answer)
    make_user("cleo")
    client.login("cleo")
    assert "That idea was hidden by a moderator." in react(client, idea, "heart").page
    assert "That reply was removed." in react(client, answer, "heart").page
    assert db.session.scalar(select(func.count(Reaction.id))) == 0


def test_reactions_to_one_post_are_grouped_into_one_notification(client, post):
    for name in ("ben", "cleo", "dara"):
        make_user(name)
        client.login(name)
        react(client, post, "hug")
        client.logout()
    notes = db.session.scalars(select(Notification).where(Notification.kind == "reaction")).all()
    assert len(notes) == 1 and notes[0].count == 3


def test_who_reacted_page_lists_everyone(client, post):
    make_user("ben", display_name="Ben B")
    client.login("ben")
    react(client, post, "hug")
    page = client.get(f"/posts/{post.id}/reactions").page
    assert "Hug: " in page and "Ben B" in page
    assert "<title>Who reacted to Ana's post · " in page  # a tab of its own, not one of many "Who reacted"


def test_a_page_of_who_reacted_past_the_last_says_how_many_there_are_not_no_reactions(client, post):
    make_user("ben")
    client.login("ben")
    react(client, post, "hug")
    page = client.get(f"/posts/{post.id}/reactions?page=2").page
    assert "No reactions yet" not in page
    assert "There is only 1 page:" in page


def test_who_reacted_and_the_history_name_an_idea_and_a_reply_as_their_part_does(client):
    # "Who reacted to Ana's post" on a call's page, where everything says "idea".
    from tests.ideas.factories import make_call, make_moderator, post_idea, reply_to

    ana, ben = make_user("ana"), make_user("ben")
    idea = post_idea(ana, make_call(make_moderator()))
    answer = reply_to(ben, idea)
    client.login("ana")
    client.submit(f"/posts/{idea.id}/edit", {"body": "A list of mentors online now, by topic."})
    assert "<h1>Who reacted to Ana's idea</h1>" in client.get(f"/posts/{idea.id}/reactions").page
    assert "<h1>Who reacted to Ben's reply</h1>" in client.get(f"/posts/{answer.id}/reactions").page
    assert "<h1>History of Ana's idea</h1>" in client.get(f"/posts/{idea.id}/history").page



def _rules(css: str) -> list[tuple[str, str]]:
    """(selector, declarations) of each rule in a stylesheet, those inside @media included."""
    uncommented = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [(" ".join(selector.split()), declarations)
            for selectors, declarations in re.findall(r"([^{}]+)\{([^{}]*)\}", uncommented)
            for selector in selectors.split(",")]


def _media_block(css: str, query: str) -> str:
    """What the stylesheet's `@media <query> { ... }` holds."""
    start = css.index("{", css.index(f"@media {query}")) + 1
    depth, end = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(css[end], 0)
        end += 1
    return css[start:end - 1]


def test_a_reaction_given_and_the_list_or_page_chosen_stay_marked_in_a_contrast_theme(app):
    # Windows' contrast themes paint every background alike. A reaction given (a light blue
    # button) and the page, sort or list being read (a filled pill) were marked by their
    # background, and there read exactly as the others: which hearts you had given, or which
    # sort or page you were looking at, could not be seen.
    forum_css = (Path(app.static_folder) / "css" / "forum.css").read_text(encoding="utf-8")
    theme = _media_block(forum_css, "(forced-colors: active)") if "forced-colors" in forum_css else ""
    marked_in_theme = [selector for selector, declarations in _rules(theme) if "Highlight" in declarations]
    sheets = [path.read_text(encoding="utf-8").replace(theme, "") if theme else path.read_text(encoding="utf-8")
              for path in (Path(app.static_folder) / "css").glob("*.css")]
    marked_by_background = {selector for sheet in sheets for selector, declarations in _rules(sheet)
                            if re.search(r"\[aria-current\]|\.reacted", selector) and "background" in declarations}
    assert ".reaction.reacted" in marked_by_background and ".pagination [aria-current]" in marked_by_background
    # A part's stylesheet (ideas.css, mentors.css) loads after forum.css: a rule there as specific
    # as the theme's wins, and the pill kept the brand's blue in the reader's contrast theme.
    unmarked = [marked for marked in marked_by_background
                if not any(_specificity(ours) > _specificity(marked) and ours.endswith(marked)
                           for ours in marked_in_theme)]
    assert sorted(unmarked) == []


def _specificity(selector: str) -> tuple[int, int, int]:
    """A CSS selector's (ids, classes/attributes/pseudo-classes, elements): enough for these."""
    return (selector.count("#"), len(re.findall(r"\.[\w-]+|\[[^\]]*\]|:(?!:)[\w-]+", selector)),
            len(re.findall(r"(?:^|[\s>+~])[a-z][\w-]*", selector)))
