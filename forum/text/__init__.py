"""The text pipeline: Markdown to safe HTML, @mentions and quotes. Pure functions only.

`render_markdown` is the single place that calls `markdown` and `bleach`; everything
that stores user-written Markdown stores its output beside the source.
"""
from forum.text.mentions import MENTION_LIMIT, extract_mentions, quoted_authors
from forum.text.quotes import quote_for_reply
from forum.text.render import render_markdown, render_plain_excerpt

__all__ = [
    "MENTION_LIMIT",
    "extract_mentions",
    "quote_for_reply",
    "quoted_authors",
    "render_markdown",
    "render_plain_excerpt",
]
