"""Parse HTML and report anything that could run: scripts, handlers, dangerous URLs."""
import re
from html.parser import HTMLParser

DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:", "file:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
EXECUTABLE_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "meta", "link", "style", "svg", "math", "form", "input", "img"}


# Charts our own templates draw (the trainer dashboard's funnel); what is inside them is
# still checked like the rest of the page.
OWN_SVG_CLASSES = {"funnel"}


class _Finder(HTMLParser):
    def __init__(self, allowed_tags: set[str], own_svg: bool = False):
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.own_svg = own_svg
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "svg" and self.own_svg and dict(attrs).get("class") in OWN_SVG_CLASSES:
            pass
        elif tag in EXECUTABLE_TAGS and tag not in self.allowed_tags:
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


def executable_markup(html: str, allowed_tags=frozenset(), own_svg: bool = False) -> list[str]:
    """Everything in `html` that could execute or restyle the page; [] when harmless.

    Pages legitimately contain forms, inputs and a stylesheet link: pass them in
    `allowed_tags` when checking a whole page rather than a rendered post body (and
    `own_svg` to accept the charts our templates draw).
    """
    finder = _Finder(set(allowed_tags), own_svg)
    finder.feed(html)
    finder.close()
    return finder.problems


PAGE_TAGS = frozenset({"form", "input", "link", "meta", "script"})


class PageFinder(_Finder):
    """For a whole page: our own <script src> files are fine, inline script and handlers are not."""

    def __init__(self):
        super().__init__(set(PAGE_TAGS), own_svg=True)

    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        if tag == "script" and not (dict(attrs).get("src") or "").startswith("/static/"):
            self.problems.append("inline <script>")


def page_problems(html: str, finder: PageFinder | None = None) -> list[str]:
    """What `finder` (a PageFinder, or one that adds its own checks) finds in a whole page."""
    finder = finder or PageFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


class _Boxes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("id"):
            self.values[attrs["id"]] = attrs.get("value") or ""


def box_value(html: str, box_id: str) -> str | None:
    """What the input with id `box_id` holds as the page arrives (its `value`, unescaped),
    or None when the page has no such box."""
    finder = _Boxes()
    finder.feed(html)
    finder.close()
    return finder.values.get(box_id)


def error_beside(page: str, field: str) -> str:
    """The message shown under one field of a form ("" when it has none); `page` is a
    response's `.page`. The `field` macro writes it in <p class="error" id="<field>-error">."""
    found = re.search(rf'<p class="error" id="{re.escape(field)}-error">(.*?)</p>', page, re.S)
    return " ".join(found.group(1).split()) if found else ""


_SUMMARY = re.compile(r'<div class="form-errors"[^>]*>(.*?)</div>', re.S)
_SUMMARY_LINK = re.compile(r'<li><a href="#([^"]+)">(.*?)</a></li>', re.S)


def error_summary(page: str) -> list[tuple[str, str]]:
    """The errors listed above a form (`form_errors` macro), as (the id each links to, its
    words), in order; [] when the form has no such list. Raises when the list is not under
    "There is a problem"."""
    found = [box for box in _SUMMARY.findall(page) if _SUMMARY_LINK.search(box)]
    if not found:
        return []
    assert "There is a problem" in found[0]
    return [(target, " ".join(words.split())) for target, words in _SUMMARY_LINK.findall(found[0])]


class _FieldAfter(HTMLParser):
    def __init__(self, element_id: str):
        super().__init__()
        self.element_id, self.seen, self.field = element_id, False, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") == self.element_id:
            self.seen = True
        elif self.seen and self.field is None and tag in ("input", "textarea", "select") \
                and attrs.get("type") != "hidden":
            self.field = attrs.get("id") or ""


def first_field_after(page: str, element_id: str) -> str | None:
    """The id of the first field a person can fill that follows (or is inside) the element with
    id `element_id`: what sits under a page opened at `#element_id`. None when the page has no
    such element, or nothing to fill after it."""
    finder = _FieldAfter(element_id)
    finder.feed(page)
    finder.close()
    return finder.field
