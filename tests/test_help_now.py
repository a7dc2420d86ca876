"""Help now: a page anyone reaches in one step from wherever they are hurting, with what to
do in danger and the crisis lines the operator configured (CRISIS_LINES)."""
import re

import pytest

from forum.config import ConfigurationError, CrisisLine, load_settings, parse_crisis_lines
from tests.factories import make_post, make_thread, make_user
from tests.mentors.factories import make_listener, make_mentor, make_mentorship

LINES = ("Worldwide Helplines|https://findahelpline.example/|Anyone, in any country;"
         "Night Line|+44 116 123|Adults who need to talk, day or night;"
         "Youth Text|0800 11 11")


# The setting

def test_crisis_lines_are_read_in_order_with_what_each_is_for(tmp_path):
    settings = load_settings(str(tmp_path), environ={"CRISIS_LINES": LINES})
    assert settings["CRISIS_LINES"] == (
        CrisisLine("Worldwide Helplines", "https://findahelpline.example/", "Anyone, in any country"),
        CrisisLine("Night Line", "+44 116 123", "Adults who need to talk, day or night"),
        CrisisLine("Youth Text", "0800 11 11", ""),
    )


@pytest.mark.parametrize("value", [None, "", "  ", " ; "])
def test_no_crisis_lines_is_the_default(tmp_path, value):
    environ = {} if value is None else {"CRISIS_LINES": value}
    assert load_settings(str(tmp_path), environ=environ)["CRISIS_LINES"] == ()


def test_spaces_and_a_trailing_separator_are_forgiven():
    assert parse_crisis_lines(" Night Line | 116 123 | Adults ; ") == (CrisisLine("Night Line", "116 123", "Adults"),)


@pytest.mark.parametrize("written, dialled", [
    ("+44 (0)20 7946 0000", "tel:+442079460000"),  # the (0) is dialled only from inside the country
    ("+44 (0) 116 123", "tel:+44116123"),
    ("(020) 7946 0000", "tel:02079460000"),
    ("1-800-273-8255", "tel:18002738255"),
])
def test_a_phone_link_dials_the_number_as_written_for_people(written, dialled):
    """A tap on the link calls the line: '+44 (0)20…' dialled with its 0 reaches nobody."""
    (line,) = parse_crisis_lines(f"Night Line|{written}")
    assert (line.href, line.shown_contact) == (dialled, written)


@pytest.mark.parametrize("value, says", [
    ("Night Line", "CRISIS_LINES entry 1 ('Night Line') needs a name and a phone number or web address"),
    ("Night Line|116 123;|116 123|Adults", "CRISIS_LINES entry 2 ('|116 123|Adults') needs a name"),
    ("Night Line|116 123|Adults|extra", "CRISIS_LINES entry 1 ('Night Line|116 123|Adults|extra') has 4 parts"),
    ("Night Line|call us", "CRISIS_LINES entry 1 ('Night Line|call us'): 'call us' is neither a phone number"),
    ("Night Line|javascript:alert(1)", "'javascript:alert(1)' is neither a phone number"),
    ("Night Line|www.example.org", "'www.example.org' is neither a phone number"),
])
def test_a_crisis_line_that_cannot_be_shown_is_refused_in_one_plain_line(tmp_path, value, says):
    with pytest.raises(ConfigurationError) as refused:
        load_settings(str(tmp_path), environ={"CRISIS_LINES": value})
    message = str(refused.value)
    assert message.startswith("CRISIS_LINES entry ") and says in message
    assert "\n" not in message
    assert "Name|phone or URL|who it is for" in message  # the format, to copy


# The page

def _help_page(client):
    response = client.get("/help")
    assert response.status_code == 200
    return response.page


@pytest.mark.parametrize("persona", [None, "teen", "adult"])
def test_the_help_page_says_what_to_do_now_to_anyone(make_app, persona):
    app = make_app(CRISIS_LINES=parse_crisis_lines(LINES))
    client = app.test_client()
    with app.app_context():
        if persona:
            make_user("reader", age_group=persona)
            client.login("reader")
        page = _help_page(client)
    assert "<h1>Help now</h1>" in page
    assert "call your local emergency number" in page
    assert "not a crisis service" in page
    assert '<a href="https://findahelpline.example/">findahelpline.example</a>' in page
    assert '<a href="tel:+44116123">+44 116 123</a>' in page
    assert '<a href="tel:08001111">0800 11 11</a>' in page
    assert "Anyone, in any country" in page and "Adults who need to talk, day or night" in page
    # In the order the operator wrote them.
    assert page.index("Worldwide Helplines") < page.index("Night Line") < page.index("Youth Text")
    assert "the name of your country" not in page  # what the page says with no lines


def test_without_crisis_lines_the_page_says_how_to_find_a_local_one(client):
    page = _help_page(client)
    assert "call your local emergency number" in page
    assert "search the web for “crisis line” and the name of your country" in page
    assert "tel:" not in page


def test_the_help_page_needs_no_script(client):
    page = client.get("/help").get_data(as_text=True)
    assert "<form" not in page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


# Where a hurting person looks

def _links_to_help(page: str) -> int:
    return len(re.findall(r'<a [^>]*href="/help"', page))


@pytest.mark.parametrize("age_group", ["adult", "teen"])
def test_the_header_has_help_now_for_everyone(client, age_group):
    header = client.get("/").page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert _links_to_help(header) == 1 and ">Help now</a>" in header
    make_user("reader", age_group=age_group)
    client.login("reader")
    header = client.get("/ideas").page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert _links_to_help(header) == 1 and ">Help now</a>" in header


def test_the_footer_and_front_page_lead_to_help(client):
    page = client.get("/").page
    footer = page.split('<footer class="site-footer">', 1)[1]
    assert _links_to_help(footer) == 1
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    assert _links_to_help(main) == 1


def test_the_flag_page_says_where_help_is_in_its_introduction(client):
    author = make_user("author")
    make_user("reader")
    post = make_post(author, make_thread(author=author))
    client.login("reader")
    page = client.get(f"/flag/post/{post.id}").page
    intro = page.split("<h1>Flag for a moderator</h1>", 1)[1].split("<form", 1)[0]
    assert _links_to_help(intro) == 1
    assert "not a crisis service" in intro


def _boxes_with_help(page: str) -> tuple[int, int]:
    """(writing boxes, writing boxes followed by the quiet line before the next box)"""
    parts = re.split(r"<textarea ", page)[1:]
    return len(parts), sum(1 for part in parts if 'href="/help"' in part.split("</form>", 1)[0])


def test_every_box_a_member_writes_in_has_a_quiet_line_to_help(client):
    author = make_user("author")
    thread = make_thread(author=author)
    post = make_post(author, thread)
    client.login("author")
    boxes, helped = _boxes_with_help(client.get(f"/threads/{thread.id}").page)
    assert boxes >= 2 and helped == boxes  # the reply box under the post and the new post box
    boxes, helped = _boxes_with_help(client.get(f"/posts/{post.id}/reply").page)
    assert boxes == 1 and helped == 1


def test_the_mentorship_conversation_box_has_the_quiet_line(client):
    mentorship = make_mentorship(make_listener("rowan"), make_mentor("juniper"))
    client.login("rowan")
    boxes, helped = _boxes_with_help(client.get(f"/mentors/conversations/{mentorship.thread_id}").page)
    assert boxes >= 1 and helped == boxes


def test_the_demo_lists_crisis_lines_the_forum_accepts():
    """`make run` sets CRISIS_LINES for the demo: a typo there would stop the demo starting."""
    from pathlib import Path

    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    demo = re.search(r"^run: export CRISIS_LINES \?= (.+)$", makefile, re.MULTILINE).group(1)
    assert [line.contact for line in parse_crisis_lines(demo)] == ["https://findahelpline.com", "https://befrienders.org"]
