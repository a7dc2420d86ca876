"""Quoting a post into a reply box."""

QUOTE_LIMIT = 2000


def quote_for_reply(author_username: str, source: str) -> str:
    """Markdown that quotes `source` as `> @author wrote:`, ready for the reply box."""
    text = source.strip()
    if len(text) > QUOTE_LIMIT:
        text = text[:QUOTE_LIMIT].rstrip() + " …"
    lines = [f"> @{author_username} wrote:", ">"]
    lines += [f"> {line}".rstrip() for line in text.splitlines()]
    return "\n".join(lines) + "\n\n"
