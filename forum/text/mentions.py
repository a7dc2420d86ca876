"""@mentions, found by Markdown's own inline parser so code spans and blocks are skipped."""
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping

from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor

from forum.text.workload import markdown_within_limits

# A post may notify at most this many people, so one post cannot page a crowd.
MENTION_LIMIT = 10
# Not preceded by a word character, "@" or ".", so e-mail addresses are not mentions.
MENTION_PATTERN = r"(?<![\w@.])@([A-Za-z0-9_]{3,20})\b"


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
        if name not in self.found:
            self.found.append(name)
        return None, None, None


class MentionExtension(Extension):
    def __init__(self, mentionable, profile_url):
        super().__init__()
        self.processor = _LinkMentions(mentionable, profile_url)

    def extendMarkdown(self, md):
        md.inlinePatterns.register(self.processor, "mention", 175)


class _CollectExtension(Extension):
    def __init__(self, found):
        super().__init__()
        self.found = found

    def extendMarkdown(self, md):
        md.inlinePatterns.register(_CollectMentions(self.found), "mention", 175)


def extract_mentions(source: str) -> list[str]:
    """Lower-cased usernames mentioned in `source`, in order of first mention, outside code."""
    found: list[str] = []
    if markdown_within_limits(source, ["fenced_code", "tables", _CollectExtension(found)]) is None:
        # Shown as plain text (see render_markdown): no code to skip, every mention counts.
        found = []
        for name in re.findall(MENTION_PATTERN, source):
            if name.lower() not in found:
                found.append(name.lower())
    return found
