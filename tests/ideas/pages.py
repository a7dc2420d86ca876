"""Reading pages as a person (or a screen reader) would: the words, without the markup."""
import re
from html import unescape


def visible_text(response) -> str:
    """The page's text with tags removed and runs of white space made one space."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())
