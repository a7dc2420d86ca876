"""@mentions, found by Markdown's own inline parser so code spans and blocks are skipped."""
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

from forum.text.workload import markdown_within_limits

# A post may notify at most this many people, so one post cannot page a crowd.
MENTION_LIMIT = 10
# Not preceded by a word character, "@" or ".", so e-mail addresses are not mentions.
MENTION_PATTERN = r"(?<![\w@.])@([A-Za-z0-9_]{3,20})\b"
# The line a quote opens with (forum/text/quotes.py): "> @ana wrote:".
QUOTED_AUTHOR_LINE = re.compile(r"^ {0,3}> ?@([A-Za-z0-9_]{3,20}) wrote:", re.MULTILINE)
QUOTED_LINE = re.compile(r"^ {0,3}>.*$", re.MULTILINE)


class _LinkMentions(InlineProcessor):
    def __init__(self, mentionable: Mapping[str, str], profile_url: Callable[[str], str]):
        super().__init__(MENTION_PATTERN)
        self.mentionable = mentionable
        self.profile_url = profile_url

    def handleMatch(self, match, data):
        username = self.mentionable.get(match.group(1).lower())
        if username is None:
            return None, None, None
        link = etree.Element("a", {"href": self.profile_url(username), "class": "mention"})
        link.text = "@" + username
        return link, match.start(0), match.end(0)


class _CollectMentions(InlineProcessor):
    def __init__(self, found: list[str]):
        super().__init__(MENTION_PATTERN)
        self.found = found

    def handleMatch(self, match, data):
        name = match.group(1).lower()
        if self.found is None:
            # Marked for _CollectOutsideQuotes, which sees where in the text each one is.
            return etree.Element("mention", {"name": name}), match.start(0), match.end(0)
        if name not in self.found:
            self.found.append(name)
        return None, None, None


class _CollectOutsideQuotes(Treeprocessor):
    """Mentions written in the post itself, and the author a quote opens with ("@ana
    wrote:"); not those inside the quoted words, nor inside a quote within a quote."""

    def __init__(self, md, found: list[str], quoted: list[str] | None = None):
        super().__init__(md)
        self.found = found
        self.quoted = quoted

    def run(self, root):
        self._walk(root, depth=0, opening=None)

    def _walk(self, element, depth: int, opening):
        for child in element:
            if child.tag == "mention":
                name = child.get("name")
                if (depth == 0 or child is opening) and name not in self.found:
                    self.found.append(name)
                if child is opening and self.quoted is not None and name not in self.quoted:
                    self.quoted.append(name)
            elif child.tag == "blockquote":
                self._walk(child, depth + 1, _quoted_author(child) if depth == 0 else None)
            else:
                self._walk(child, depth, opening)


def _quoted_author(blockquote):
    """The mention a quote opens with when it reads "@ana wrote:", or None."""
    first = next(iter(blockquote), None)
    if first is None or first.tag != "p" or (first.text or "").strip():
        return None
    mention = next(iter(first), None)
    if mention is None or mention.tag != "mention" or not (mention.tail or "").startswith(" wrote:"):
        return None
    return mention


class MentionExtension(Extension):
    def __init__(self, mentionable, profile_url):
        super().__init__()
        self.processor = _LinkMentions(mentionable, profile_url)

    def extendMarkdown(self, md):
        md.inlinePatterns.register(self.processor, "mention", 175)


class _CollectExtension(Extension):
    def __init__(self, found, in_quotes: bool = True, quoted: list[str] | None = None):
        super().__init__()
        self.found = found
        self.in_quotes = in_quotes
        self.quoted = quoted

    def extendMarkdown(self, md):
        md.inlinePatterns.register(_CollectMentions(self.found if self.in_quotes else None), "mention", 175)
        if not self.in_quotes:
            # After the inline patterns (20), which put the marks in.
            md.treeprocessors.register(_CollectOutsideQuotes(md, self.found, self.quoted), "mentions_outside_quotes", 15)


def extract_mentions(source: str, *, in_quotes: bool = True) -> list[str]:
    """Lower-cased usernames mentioned in `source`, in order of first mention, outside code.
    With `in_quotes` False, only those a post's author names themselves: mentions inside
    quoted words were the quoted person's, and told once already."""
    found: list[str] = []
    if markdown_within_limits(source, ["fenced_code", "tables", _CollectExtension(found, in_quotes)]) is None:
        # Shown as plain text (see render_markdown): no code to skip, every mention counts.
        found = []
        if not in_quotes:
            source = QUOTED_LINE.sub(lambda line: " ".join(
                "@" + name + " wrote:" for name in QUOTED_AUTHOR_LINE.findall(line.group())), source)
        for name in re.findall(MENTION_PATTERN, source):
            if name.lower() not in found:
                found.append(name.lower())
    return found


def quoted_authors(source: str) -> list[str]:
    """Lower-cased usernames whose words `source` quotes: those a quote opens with
    ("> @ana wrote:"), outside code and not inside a quote within a quote."""
    quoted: list[str] = []
    if markdown_within_limits(source, ["fenced_code", "tables", _CollectExtension([], False, quoted)]) is None:
        # Shown as plain text (see render_markdown): every quote's opening line counts.
        quoted = []
        for name in QUOTED_AUTHOR_LINE.findall(source):
            if name.lower() not in quoted:
                quoted.append(name.lower())
    return quoted
