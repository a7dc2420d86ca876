"""The text pipeline: Markdown in, harmless HTML out, whatever people type."""
import re
import sys

import pytest

from forum.text import extract_mentions, quote_for_reply, render_markdown
from forum.text.quotes import others_left_out
from forum.text.render import LINKIFY_WORD_LIMIT
from forum.text.workload import MARKDOWN_WORK_LIMIT, markdown_work
from tests.html_checks import executable_markup

HOSTILE_MARKDOWN = [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "![img](javascript:alert(1))",
    "![img](x \"onerror=alert(1)\")",
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"https://ok.example\" onclick=\"alert(1)\">x</a>",
    "<a href=\"https://ok.example\" onmouseover=alert(1)>x</a>",
    "<p style=\"background:url(javascript:alert(1))\">x</p>",
    "<div style=\"position:fixed;top:0\">overlay</div>",
    "<body onload=alert(1)>",
    "<object data=\"x.swf\"></object>",
    "<embed src=\"x.swf\">",
    "<form action=\"https://evil.example\"><input name=p></form>",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<base href=\"https://evil.example/\">",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>body{display:none}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "<b><i>unclosed <u>nesting</b>",
    "</p></div></body></html><script>alert(1)</script>",
    "<!--<script>alert(1)//-->",
    "<details open ontoggle=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "[x](https://ok.example\" onclick=\"alert(1))",
    "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
    "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "> <script>alert(1)</script>",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | x |",
    "\u202eevil\u202c <script>alert(1)</script>",
    "\x00<script>alert(1)</script>",
]


@pytest.mark.parametrize("source", HOSTILE_MARKDOWN)
def test_hostile_markdown_is_rendered_harmless(source):
    html = render_markdown(source)
    assert executable_markup(html) == [], html


def test_there_are_at_least_thirty_hostile_cases():
    assert len(HOSTILE_MARKDOWN) >= 30


def test_raw_html_is_shown_as_text_not_dropped():
    html = render_markdown("I typed <script>alert(1)</script> on purpose")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("source, expected", [
    ("*feeling* **better**", "<em>feeling</em> <strong>better</strong>"),
    ("- one\n- two", "<li>one</li>"),
    ("1. first\n2. second", "<ol>"),
    ("> kind words", "<blockquote>"),
    ("`code`", "<code>code</code>"),
    ("```\nblock\n```", "<pre><code>block"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "<table>"),
    ("line one\nline two", "line one<br>"),
])
def test_markdown_features(source, expected):
    assert expected in render_markdown(source)


TABLE_REGION = re.compile(r'<div class="table-wrap" role="region" aria-label="[^"<>]+" tabindex="0"><table>')


@pytest.mark.parametrize("source", [
    "| a | b |\n|---|---|\n| 1 | 2 |",
    '<table tabindex="0" role="region"><tr><td>typed by hand</td></tr></table>',
])
def test_a_table_scrolls_in_a_region_the_keyboard_reaches_which_writers_cannot_make(source):
    # Wider than a phone, a table scrolls sideways in its box: Tab reaches the box, so arrow
    # keys scroll it. Only the pipeline adds those attributes: typed, they would put any
    # element in the Tab order or pass it off as a part of the page.
    html = render_markdown(source)
    assert len(TABLE_REGION.findall(html)) == 1 and html.count("</table></div>") == 1
    assert html.count("tabindex") == html.count("role=") == 1
    typed = render_markdown('<div class="table-wrap" role="region" tabindex="0">x</div> <p tabindex="0">y</p>')
    assert re.search(r"<[^>]*(tabindex|role)", typed) is None, typed  # shown as text, or dropped


def table_names(source: str) -> list[str]:
    return re.findall(r'role="region" aria-label="([^"]*)"', render_markdown(source))


@pytest.mark.parametrize("source, expected", [
    ("| Week | Highs | Lows |\n|---|---|---|\n| 1 | 9 | 2 |", ["Table: Week, Highs, Lows"]),
    ("| Day | Morning | Afternoon | Evening | Night |\n|---|---|---|---|---|\n| Mon | a | b | c | d |",
     ["Table: Day, Morning, Afternoon and 2 more"]),
    # Markup goes, typed characters are kept (escaped once, for the attribute).
    ('| **Week** | [Highs](https://example.org) | "Q" & <span>A</span> |\n|---|---|---|\n| 1 | 2 | 3 |',
     ["Table: Week, Highs, &quot;Q&quot; &amp; &lt;span&gt;A&lt;/span&gt;"]),
    ("|  | Highs |\n|---|---|\n| Mon | 9 |", ["Table: Highs"]),
    ("|  |  |\n|---|---|\n| Mon | 9 |", ["Table"]),
    # A first row with a data cell is no header row: "Mon" heads its row, not the table.
    ("<table><tr><th>Mon</th><td>9am</td></tr></table>", ["Table"]),
    ("<table><tr><th>Outer</th></tr><tr><td><table><tr><th>Inner</th></tr></table></td></tr></table>",
     ["Table: Outer", "Table: Inner"]),
    ("| Week |\n|---|\n| 1 |\n\n| Highs |\n|---|\n| 9 |", ["Table: Week", "Table: Highs"]),
])
def test_each_table_region_is_named_by_its_headers(source, expected):
    # Every region was "Table": a screen reader's list of regions read "Table, Table, Table".
    assert table_names(source) == expected


def test_a_long_header_is_cut_short_in_the_tables_name():
    name, = table_names(f"| {'Whatweeachfoundhardest' * 10} | Why |\n|---|---|\n| a | b |")
    assert name.startswith("Table: Whatweeachfoundhardest") and name.endswith("…") and len(name) <= 80


@pytest.mark.parametrize("source, expected", [
    ("# Lesson\n\n## Activity\n\n### Steps", "<h2>Lesson</h2>\n<h3>Activity</h3>\n<h4>Steps</h4>"),
    ("Lesson\n======", "<h2>Lesson</h2>"),
    ("<h1>Typed by hand</h1>", "<h2>Typed by hand</h2>"),
    ("###### Smallest", "<h6>Smallest</h6>"),
])
def test_headings_people_write_sit_below_the_pages_own_title(source, expected):
    # The page's title is its one <h1>: a "# Lesson" in a post or a lesson is a second one,
    # and a screen reader's list of headings reads it as the page's title.
    html = render_markdown(source)
    assert expected in html
    assert "<h1" not in html


@pytest.mark.parametrize("source", [
    "[site](https://example.org)", "https://example.org", "[mail](mailto:a@example.org)", "[plain](http://example.org)",
])
def test_links_are_kept_with_rel_nofollow_ugc_noopener(source):
    html = render_markdown(source)
    assert "href=" in html
    assert 'rel="nofollow ugc noopener"' in html


def test_bare_urls_become_links_but_not_inside_code():
    assert '<a href="https://example.org"' in render_markdown("see https://example.org now")
    assert "<a" not in render_markdown("`https://example.org`")


def test_links_with_other_schemes_lose_their_href():
    html = render_markdown("[x](ftp://example.org/file)")
    assert "ftp:" not in html


def test_mentions_link_known_people_only():
    html = render_markdown("hi @Sam and @nobody", {"sam": "Sam"}, lambda u: f"/users/{u}")
    assert '<a class="mention" href="/users/Sam"' in html
    assert "@nobody" in html and "/users/nobody" not in html


@pytest.mark.parametrize("source", [
    '<a class="button primary" href="https://evil.example/login">Sign in again</a>',
    '<a class="flash flash-error" href="https://evil.example">Your session ended: sign in here</a>',
    '<a class="mention button" href="https://evil.example">@ada</a>',
])
def test_typed_links_cannot_dress_as_the_sites_own_buttons_and_notices(source):
    # A link typed as HTML kept any class, so a post could show a "Sign in again" button or
    # a red notice in the site's own style leading anywhere; only mentions carry a class.
    html = render_markdown(source)
    assert 'href="https://evil.example' in html
    assert "class=" not in html, html


def test_a_mention_in_a_links_text_leaves_the_link_whole():
    # The link came out empty (nothing to click) beside a doubled mention, and the words
    # after the name fell out of it.
    html = render_markdown("See [@Sam's tips](https://example.org/tips) today", {"sam": "Sam"},
                           lambda u: f"/users/{u}")
    assert '<a href="https://example.org/tips" rel="nofollow ugc noopener">@Sam\'s tips</a> today' in html
    assert "/users/Sam" not in html


def test_mentions_are_found_in_any_case_and_not_in_code_or_emails():
    source = "Thanks @Rowan and @rowan!\n\n`@kit` and\n\n    @indented\n\nmail me@example.org, @Sunny_Teen"
    assert extract_mentions(source) == ["rowan", "sunny_teen"]


@pytest.mark.parametrize("costly", ["", "[" * 20_000], ids=["markdown", "too costly for markdown"])
def test_mentions_a_post_makes_itself_leave_out_the_words_it_quotes(costly):
    quote = quote_for_reply("ben", quote_for_reply("ana", "thanks @dev") + "me too @eve")
    source = costly + "\n\n" + quote + "agreed, @cleo"
    assert sorted(extract_mentions(source)) == ["ana", "ben", "cleo", "dev", "eve"]
    assert extract_mentions(source, in_quotes=False) == ["ben", "cleo"]


def test_quote_for_reply_marks_the_author_and_every_line():
    quoted = quote_for_reply("kit_teen", "first line\nsecond line")
    assert quoted.startswith("> @kit_teen wrote:\n>\n> first line\n> second line")
    assert quoted.endswith("\n\n")


def test_others_left_out_keeps_only_the_authors_own_words_and_quotes_and_links():
    # Two quotes in a row are one blockquote; a quote of her own holds one of Dev's. After Ben's
    # opening the rest is left out, as his words may hold an "@Ana wrote:" (the next test).
    source = (quote_for_reply("Ana", "anaword\n\n" + quote_for_reply("dev", "devword"))
              + quote_for_reply("ben", "benword @cleo") + "agreed, @ben and @ana")
    html = render_markdown(source, {"ana": "Ana", "ben": "ben", "cleo": "cleo", "dev": "dev"},
                           lambda username: f"/users/{username}")
    shown = others_left_out(html, "ana", "Left out.")
    words = " ".join(re.sub(r"<[^>]+>", " ", shown).split())
    assert words == "@Ana wrote: anaword Left out. Left out. agreed, @ben and @Ana"
    assert shown.count("<blockquote>") == 2 and re.findall(r'href="([^"]+)"', shown) == ["/users/Ana"] * 2
    assert " ".join(re.sub(r"<[^>]+>", " ", others_left_out(html, "cleo", "Left out.")).split()) == (
        "Left out. agreed, @ben and @Ana")
    # A quote that names nobody is the writer's own; a post quoting nobody is as it was.
    plain = render_markdown("> my own words\n\nand more")
    assert others_left_out(plain, "ana", "Left out.") == plain


def test_others_left_out_does_not_take_someone_elses_words_for_the_authors_own():
    # Ben's own post opens "@ana wrote:" (quoting her by hand), or names her so: what he wrote after it is his.
    mentionable, profile = {"ana": "ana", "ben": "ben"}, (lambda username: f"/users/{username}")
    for bens in ("@ana wrote:\n\n> I feel alone\n\nI hear you, benword", "@ana wrote: she feels alone. benword"):
        html = render_markdown(quote_for_reply("ben", bens) + "anaword", mentionable, profile)
        shown = others_left_out(html, "ana", "Left out.")
        assert "benword" not in shown and "anaword" in shown and shown.count("Left out.") == 1


# Text built to be slow: Python-Markdown and bleach's linkifier scan ahead from every
# "[", "](", "<" or character of a word, so these cost the square of their length (the
# first took over a minute before render_markdown looked at the cost first).
COSTLY_MARKDOWN = [
    "[" * 20_000,
    "[x](" * 5_000,
    "![[" * 6_000,
    "<a " * 6_000,
    "<![CDATA[" * 2_000,
    "-\n" * 10_000,
]


@pytest.mark.parametrize("source", COSTLY_MARKDOWN, ids=lambda source: repr(source[:6]))
def test_text_built_to_be_slow_is_judged_too_costly_and_shown_plain(source):
    assert markdown_work(source) > MARKDOWN_WORK_LIMIT
    html = render_markdown(source + "\n\n*still here* <script>alert(1)</script>")
    assert "*still here*" in html and "<em>" not in html  # every character, unformatted
    assert executable_markup(html) == []


def test_everyday_writing_is_far_below_the_cost_limit():
    links = " ".join(f"[link {n}](https://example.org/{n}) (see [note {n}])" for n in range(150))
    reply = "> @kit wrote:\n> " + "a kind word, " * 300 + "\n\n" + "- [ ] to do\n" * 200
    hearts = "thank you all <3 " * 1_000
    for source in (links, reply, hearts, "<b>bold</b> and <i>more</i> " * 500):
        assert markdown_work(source) < MARKDOWN_WORK_LIMIT / 10
    assert render_markdown(links).count("<a ") == 150


def test_nesting_deeper_than_the_stack_is_shown_rather_than_failing():
    # Python-Markdown before 3.11.4 ran out of stack on such text (which is then shown as
    # plain paragraphs); since 3.11.4 it stops nesting near the limit. Either way the words
    # are there, harmless, and the mention at the end counts.
    levels = 2 * sys.getrecursionlimit()
    for source in ("1. " * levels, "+ " * levels, "".join("    " * depth + "- x\n" for depth in range(300))):
        html = render_markdown(source + " @Sam")
        assert "@Sam" in html and executable_markup(html) == []
        assert extract_mentions(source + " @Sam") == ["sam"]


def test_mentions_in_text_too_costly_for_markdown_are_still_found():
    assert extract_mentions("[" * 20_000 + " @Sam and @kit, @sam") == ["sam", "kit"]


def test_words_longer_than_any_address_are_not_turned_into_links():
    long_address = "https://example.org/" + "a" * LINKIFY_WORD_LIMIT
    html = render_markdown(f"{long_address} but https://example.org/short and me@example.org")
    assert html.count("<a ") == 2 and long_address in html
    assert f'href="{long_address}"' not in html


@pytest.mark.parametrize("source, link", [
    ("![our poster](https://example.com/poster.png)",
     '<a href="https://example.com/poster.png" rel="nofollow ugc noopener">our poster</a>'),
    ("![](https://example.com/poster.png)",
     '<a href="https://example.com/poster.png" rel="nofollow ugc noopener">https://example.com/poster.png</a>'),
    ("[![our poster](https://example.com/poster.png)](https://example.com/event)",
     '<a href="https://example.com/event" rel="nofollow ugc noopener">our poster</a>'),
])
def test_a_markdown_image_is_shown_as_a_link_to_it_not_as_html_nobody_typed(source, link):
    # Pictures are not shown in posts; the escaped <img ...> tag Markdown made of one read
    # as code the writer never typed. A link to the picture keeps what they meant.
    html = render_markdown(source)
    assert link in html
    assert "img" not in html.replace("poster.png", "")


def test_an_img_tag_typed_by_hand_is_still_shown_as_typed():
    assert "&lt;img src=\"x.png\"&gt;" in render_markdown('<img src="x.png">')


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)"])
def test_an_image_made_a_link_is_still_sanitised(address):
    html = render_markdown(f"![look]({address})")
    assert "look" in html and address.split(":")[0] + ":" not in html


@pytest.mark.parametrize("source, expected", [
    # Ben's "</blockquote>", copied into Ana's reply by the quote box, closed her quote of him:
    # "evil words" read as hers, to every reader.
    (quote_for_reply("ben", "hello </blockquote> evil words") + "mine",
     "<p>hello &lt;/blockquote&gt; evil words</p>\n</blockquote>\n<p>mine</p>"),
    (quote_for_reply("ben", "hi\n<blockquote>\n\n@ana wrote: sorry"), "<p>hi<br>\n&lt;blockquote&gt;</p>"),
    ("- one </li><li>two</ul> outside\n- three",
     "<ul>\n<li>one &lt;/li&gt;&lt;li&gt;two&lt;/ul&gt; outside</li>\n<li>three</li>\n</ul>"),
    ("- one <ul><li>sub\n- two", "<li>one &lt;ul&gt;&lt;li&gt;sub</li>\n<li>two</li>"),
    ("words <p>more</p> after", "<p>words &lt;p&gt;more&lt;/p&gt; after</p>"),
    ("| a | b |\n|---|---|\n| x </td><td> y | z |", "<td>x &lt;/td&gt;&lt;td&gt; y</td>\n<td>z</td>"),
    ("## Title <h3>x</h3>", "<h3>Title &lt;h3&gt;x&lt;/h3&gt;</h3>"),
])
def test_typed_html_cannot_open_or_close_what_markdown_built(source, expected):
    # Inside Markdown's quotes, lists, paragraphs, tables and headings a typed block tag, or
    # an end tag of something Markdown opened, is shown as typed: the structure stays Markdown's.
    html = render_markdown(source)
    assert expected in html, html
    assert html.count("<blockquote>") == html.count("</blockquote>") <= 1


def test_others_never_read_words_a_quoted_end_tag_put_outside_the_quote():
    html = render_markdown(quote_for_reply("ben", "hello </blockquote> evil words") + "mine")
    assert "evil words" not in others_left_out(html, "ana", "Left out.")


def test_typed_inline_tags_stay_and_close_within_the_paragraph_they_open_in():
    # An unclosed <b> in a quoted post made the quoting author's own words bold as well.
    html = render_markdown("> I feel <b>so *low*\n\nme <i>too</i>, <a href=\"https://example.org\">see</a>")
    assert "<p>I feel <b>so <em>low</em></b></p>\n</blockquote>" in html
    assert '<p>me <i>too</i>, <a href="https://example.org" rel="nofollow ugc noopener">see</a></p>' in html
    assert render_markdown("a <b>bold *em</b> x*") == "<p>a <b>bold <em>em&lt;/b&gt; x</em></b></p>"


def test_a_block_of_typed_html_keeps_its_tags_and_closes_what_it_leaves_open():
    # Standing on its own between Markdown's blocks, typed HTML builds what it likes (a table,
    # a list in it); an end tag of nothing it opened is shown as typed.
    html = render_markdown("<table><tr><td>typed</blockquote> <ul><li>by hand")
    assert "<td>typed&lt;/blockquote&gt; <ul><li>by hand\n\n</li></ul></td></tr></tbody></table></div>" in html
