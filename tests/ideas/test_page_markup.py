"""The ideas pages' markup: unique ids, labels tied to their fields, the part's stylesheet."""
import re
from collections import Counter

from tests.factories import make_user
from tests.safety.factories import make_block
from tests.ideas.factories import make_call, make_moderator, post_idea, reply_to


def test_ids_are_unique_and_every_label_has_its_field(client):
    moss = make_moderator("moss")
    call = make_call(moss)
    idea = post_idea(make_user("ana"), call)
    reply_to(moss, idea)
    client.login("moss")
    for url in ("/ideas", "/ideas/new", f"/ideas/{call.id}", f"/ideas/{call.id}/ideas/{idea.id}/review",
                f"/ideas/{call.id}/shortlist"):
        page = client.get(url).text
        ids = re.findall(r'\bid="([^"]+)"', page)
        assert [name for name, seen in Counter(ids).items() if seen > 1] == [], url
        assert [target for target in re.findall(r'\bfor="([^"]+)"', page) if target not in ids] == [], url
        assert 'href="/static/css/ideas.css"' in page, url


def test_a_moderators_hide_button_and_its_outcome_name_the_idea(client):
    # The disclosure reads "Hide Ana's idea": its button and the message after say "idea"
    # too, not "post", a word the ideas pages never use for an idea.
    moss = make_moderator("moss")
    call = make_call(moss)
    idea = post_idea(make_user("ana"), call)
    client.login("moss")
    page = client.get(f"/ideas/{call.id}").page
    form = page.split(f'action="/posts/{idea.id}/hide"')[1].split("</form>")[0]
    assert ">Hide idea</button>" in form and "Hide post" not in form
    hidden = client.submit(f"/posts/{idea.id}/hide", {"reason": "Off topic"})
    assert "The idea is hidden and its author told why." in client.get(hidden.location, follow_redirects=True).page
    restored = client.submit(f"/posts/{idea.id}/restore")
    assert "The idea is back." in client.get(restored.location, follow_redirects=True).page


def test_each_idea_on_a_call_is_a_heading_a_screen_reader_can_jump_to(client):
    # A call holds a dozen ideas, each with replies: without a heading of its own, someone
    # listening to the page reached the next idea only by moving through every reply's
    # reactions and links. Its number and author are how the page names it elsewhere
    # ("joined idea #7 by Ana").
    moss = make_moderator("moss")
    call = make_call(moss)
    first = post_idea(make_user("ana"), call)
    reply_to(moss, first)
    second = post_idea(make_user("ben"), call, "Pair each new listener with a buddy.")
    page = client.get(f"/ideas/{call.id}").text
    headings = [(level, " ".join(re.sub(r"<[^>]+>", " ", words).split()))
                for level, words in re.findall(r"<h([1-6])\b[^>]*>(.*?)</h\1>", page, re.S)]
    ideas_at = headings.index(("2", "Ideas"))
    assert headings[ideas_at + 1:ideas_at + 3] == [("3", f"Idea #{first.id} by Ana"),
                                                   ("3", f"Idea #{second.id} by Ben")]
    assert headings[ideas_at + 3] == ("2", "Share an idea")
    # Someone who blocked Ben finds his idea folded away unnamed, and its heading names him no more.
    make_block(first.author, second.author)
    client.login("ana")
    page = client.get(f"/ideas/{call.id}").text
    assert "by someone you blocked</span></h3>" in page and "Ben" not in re.sub(
        r'<details class="blocked-post">.*?</details>', "", page, flags=re.S)
