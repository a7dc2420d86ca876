"""Parse HTML and report anything that could run: scripts, handlers, dangerous URLs."""
from html.parser import HTMLParser

DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
EXECUTABLE_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "meta", "link", "style", "svg", "math", "form", "input", "img"}


class _Finder(HTMLParser):
    def __init__(self, allowed_tags: set[str]):
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in EXECUTABLE_TAGS and tag not in self.allowed_tags:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name == "style":
                self.problems.append(f"{tag} style=")
            if name in URL_ATTRIBUTES and value:
                squashed = "".join(value.split()).lower()
                if squashed.startswith(DANGEROUS_SCHEMES):
                    self.problems.append(f"{tag} {name}={value!r}")


def executable_markup(html: str, allowed_tags=frozenset()) -> list[str]:
    """Everything in `html` that could execute or restyle the page; [] when harmless.

    Pages legitimately contain forms, inputs and a stylesheet link: pass them in
    `allowed_tags` when checking a whole page rather than a rendered post body.
    """
    finder = _Finder(set(allowed_tags))
    finder.feed(html)
    finder.close()
    return finder.problems


PAGE_TAGS = frozenset({"form", "input", "link", "meta", "script"})


def page_problems(html: str) -> list[str]:
    """For a whole page: our own <script src> files are fine, inline script and handlers are not."""
    problems = executable_markup(html, allowed_tags=PAGE_TAGS)
    finder = _InlineScripts()
    finder.feed(html)
    return problems + finder.problems


class _InlineScripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and not dict(attrs).get("src", "").startswith("/static/"):
            self.problems.append("inline <script>")
