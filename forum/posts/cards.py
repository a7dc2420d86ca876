"""A post's card (byline, text, reactions and actions) as one reader sees it.

Rendering the card was most of a thread page's time: a discussion page shows 40 of them,
and each went through five macros and a dozen permission questions. The answers now go
into a `PostCard`, a plain value holding everything the card shows, and the HTML is
rendered once per distinct card and reused while it stays the same: the next reader who
sees that post the same way (most readers of a page do) gets it from memory.

The card's template is rendered in an environment that knows nothing but the card and
`url_for`: a template change that reached for the reader or a predicate fails at once
instead of caching one reader's view for another. The CSRF token, the one thing that
differs per session, goes in after the cache.
"""
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from flask import current_app, url_for
from flask_wtf.csrf import generate_csrf
from jinja2 import StrictUndefined
from markupsafe import Markup, escape

from forum.accounts.permissions import Standing, standing_of
from forum.clock import utcnow
from forum.forms import any_reason_sent_back, reason_sent_back
from forum.local_time import UTC_NAME, local_datetime, zone_of
from forum.models.moderation import REASON_LIMIT
from forum.models.posts import REACTION_KINDS
from forum.moderation.blocking import viewer_blocked_ids
from forum.moderation.permissions import may_flag
from forum.posts.came_from import view_query
from forum.posts.forms import new_submission_token
from forum.posts.policies import policy_for
from forum.posts.permissions import (
    may_delete, may_edit, may_hide, may_react, may_see_history, reply_refusal_of,
)
from forum.posts.shown import Author
from forum.posts.visibility import can_see_thread, may_read_post_body, removed_note_of, stands_in_for
from forum.templating import iso, time_ago

CARD_TEMPLATE = "_macros/post_card.html"
# Cards kept per worker: about fifty pages of forty posts. An entry holds the post's HTML
# twice (in the card and in what it renders to), so only cards of posts up to
# LONGEST_CACHED characters of HTML are kept: 2,048 of them stay under 40 MB however long
# the posts (about 6 MB for posts of a few paragraphs); longer ones are rendered each time.
CARDS_KEPT = 2048
LONGEST_CACHED = 8000
# Not possible tokens (they are URL-safe base64), so they cannot occur in what people wrote.
CSRF_SLOT = "\x00csrf\x00"
SUBMISSION_SLOT = "\x00submission\x00"
# The view of the page the card is on (sort, order, status, page: forum/posts/came_from.py),
# differing per request: in the card's forms as a hidden field, on its links as arguments.
VIEW_FIELD_SLOT = "\x00view-field\x00"
VIEW_LINK_SLOT = "\x00view-link\x00"  # after an address without arguments ("?sort=…")
VIEW_MORE_SLOT = "\x00view-more\x00"  # after an address with some ("&sort=…")
_SLOTS = re.compile("\x00(csrf|submission|view-field|view-link|view-more)\x00")
# Around the card of someone the reader blocked.
BLOCKED_FOLD = Markup('<details class="blocked-post"><summary>You blocked this person. '
                      'Show the post anyway</summary>{}</details>')


# Named tuples rather than frozen dataclasses: every card of every page is made, hashed and
# compared with the one kept, and a tuple does all three in C (a dataclass sets each field
# through object.__setattr__ and hashes through a tuple it builds first): 6% of a
# discussion page's instructions.
class Reaction(NamedTuple):
    kind: str
    emoji: str
    label: str
    count: int
    who: str  # "Ana, Bo and others", or "" when nobody has reacted
    pressed: bool


class PostCard(NamedTuple):
    post_id: int
    reply_to: int | None  # the top-level post, when this card is a reply
    named: str  # what the part calls it ("idea", "response", "reply"): its buttons and questions say so
    author: Author
    created_iso: str
    created_ago: str
    created_local: str  # "7 Dec 2026, 14:05" in the reader's zone, shown over "3 hours ago"
    edited: str  # "", "shown" or "linked" (to the history)
    removed: bool
    placeholder: str  # shown instead of the text when the reader may not read it
    removed_note: str  # shown above the text to those who may read it
    body_html: str
    reactions: tuple[Reaction, ...]
    show_counts: bool
    may_react: bool
    may_reply: bool
    may_edit: bool
    may_delete: bool
    may_hide: bool
    may_flag: bool
    # The reason typed in the Hide box when its page had expired, to send again: set by
    # `CardsFor.card` on the one card that needs it, which is then not kept.
    hide_reason: str = ""


def card_for(reader: Standing, sees_thread: bool, post, summary, top=None, show_counts: bool = True,
             now=None, may_reply: bool = False, zone_name: str = UTC_NAME) -> PostCard:
    """What a reader with the standing `reader` sees of `post`; `top` is the top-level post
    when `post` is a reply. `sees_thread`: whether they see its thread (`can_see_thread`), and
    `may_reply`: `can_reply(user, top or post)`, both asked once a page by `CardsFor`;
    `zone_name`: the reader's time zone."""
    readable = may_read_post_body(reader, post)
    placeholder = removed_note = ""
    if post.is_removed and not readable:
        placeholder = stands_in_for(post)
    else:
        removed_note = removed_note_of(post)
    author = post.author
    if not isinstance(author, Author):  # a User, from a post loaded outside a thread page
        author = Author(author.id, author.username, author.display_name, author.shown_roles, author.badge_marks)
    edited = ""
    if post.edited_at:
        edited = "linked" if may_see_history(reader, post) else "shown"
    return PostCard(
        post_id=post.id, reply_to=top.id if top is not None else None,
        named=policy_for(post.thread.kind).name_of_post(post),
        author=author,
        created_iso=iso(post.created_at), created_ago=time_ago(post.created_at, now or utcnow()),
        created_local=local_datetime(post.created_at, zone_name),
        edited=edited, removed=post.is_removed, placeholder=placeholder, removed_note=removed_note,
        body_html="" if placeholder else post.body_html,
        reactions=() if post.is_removed else _reactions(summary),
        show_counts=show_counts,
        may_react=may_react(reader, post, sees_thread),
        # A removed post invites no answer (reply_refusal_of), though the post above it may.
        may_reply=may_reply and not post.is_removed,
        may_edit=may_edit(reader, post, sees_thread), may_delete=may_delete(reader, post),
        may_hide=may_hide(reader, post), may_flag=may_flag(reader, post),
    )


def _reactions(summary) -> tuple[Reaction, ...]:
    if not summary:
        return _reactions_shown((), (), frozenset())
    return _reactions_shown(tuple(summary.counts.items()),
                            tuple((kind, tuple(names)) for kind, names in summary.names.items()),
                            frozenset(summary.mine))


# The same few shapes recur from post to post and reader to reader (no reactions yet; the
# reader's own heart): kept by what they show, as the cards are.
@lru_cache(maxsize=CARDS_KEPT)
def _reactions_shown(counts: tuple, names: tuple, mine: frozenset) -> tuple[Reaction, ...]:
    counts, names = dict(counts), dict(names)
    shown = []
    for kind, (emoji, label) in REACTION_KINDS.items():
        count, first_names = counts.get(kind, 0), names.get(kind, ())
        who = ", ".join(first_names) + (" and others" if count > len(first_names) else "") if first_names else ""
        shown.append(Reaction(kind, emoji, label, count, who, kind in mine))
    return tuple(shown)


class CardsFor:
    """The cards and reply boxes of one page for one reader.

    What is the same for every card of the page (the reader's standing, their CSRF token,
    the people they blocked, the time, whether they see the thread) is looked up once here
    rather than for each of forty cards; what differs per post goes through the same rules
    as everywhere else (the `may_*` behind each `can_*`)."""

    def __init__(self, user):
        self.user = user
        self.now = utcnow()
        self.standing = standing_of(user, self.now)
        self.zone = zone_of(user)
        self.blocked = viewer_blocked_ids(user)
        self._may_reply: dict[int, bool] = {}
        self._sees_thread: dict[int, bool] = {}
        self._token = None
        self._slots = None
        self._reason_sent_back = any_reason_sent_back()
        self._cache = _fragments(current_app._get_current_object())

    @property
    def token(self) -> str:
        if self._token is None:
            self._token = generate_csrf()
        return self._token

    def card(self, post, summary, top=None, show_counts: bool = True) -> Markup:
        """The card as the reader sees it, folded away behind a summary when they blocked the author."""
        card = card_for(self.standing, self.sees_thread(post.thread), post, summary, top, show_counts,
                        self.now, self.may_reply(top or post), self.zone)
        render = self._cache.card if len(card.body_html) <= LONGEST_CACHED else self._cache.card.__wrapped__
        if self._reason_sent_back and card.may_hide and (
                reason := reason_sent_back(url_for("posts.hide", post_id=post.id))):
            card, render = card._replace(hide_reason=reason), self._cache.card.__wrapped__
        html = self._fill(render(card))
        if post.author_id in self.blocked:
            return BLOCKED_FOLD.format(html)
        return html

    def reaction_area(self, post, summary, show_counts: bool = True) -> Markup:
        """The card's reactions alone, as the card shows them: sent to the script after a
        reaction changes, so the names and links it shows come from the one template."""
        card = card_for(self.standing, self.sees_thread(post.thread), post, summary, None, show_counts, self.now,
                        zone_name=self.zone)
        return self._fill(self._cache.reaction_area(card))

    def reply_box(self, parent, label: str = "Reply") -> Markup:
        """The folded reply form under `parent`, or nothing when the reader may not reply."""
        if not self.may_reply(parent):
            return Markup("")
        return self._fill(self._cache.reply_box(parent.id, self.name_of(parent.author), label),
                          {**self.slots, "submission": new_submission_token()})

    def name_of(self, author) -> str:
        """How the page names `author` outside their cards ("Replies to Ben", "Reply to Ben", for
        screen readers): not by name when the reader blocked them, as their folded card is not."""
        return "someone you blocked" if author.id in self.blocked else author.display_name

    def may_reply(self, parent) -> bool:
        # A post's card, each of its replies' cards and its reply box all ask this of the
        # same post: answered once a page.
        answer = self._may_reply.get(parent.id)
        if answer is None:
            answer = self._may_reply[parent.id] = reply_refusal_of(
                self.user, self.standing, parent, self.sees_thread(parent.thread)) is None
        return answer

    def sees_thread(self, thread) -> bool:
        answer = self._sees_thread.get(thread.id)
        if answer is None:
            answer = self._sees_thread[thread.id] = can_see_thread(self.user, thread)
        return answer

    def _fill(self, pieces: tuple[str, ...], slots: dict[str, str] | None = None) -> Markup:
        """The HTML of `pieces` (from `_pieces`) with this reader's values in its slots."""
        if len(pieces) == 1:  # no slot: a signed-out reader's card
            return Markup(pieces[0])
        slots = slots or self.slots
        filled = list(pieces)
        for at in range(1, len(filled), 2):
            filled[at] = slots[filled[at]]
        return Markup("".join(filled))

    @property
    def slots(self) -> dict[str, str]:
        """What goes in each slot, as HTML: the view's are empty on a page in its default view."""
        if self._slots is None:
            query = str(escape(view_query()))
            field, link, more = (f'<input type="hidden" name="query" value="{query}">', f"?{query}",
                                 f"&amp;{query}") if query else ("", "", "")
            self._slots = {"csrf": self.token, "view-field": field, "view-link": link, "view-more": more,
                           "submission": SUBMISSION_SLOT}
        return self._slots


@dataclass(frozen=True)
class _Fragments:
    card: object  # PostCard -> pieces, kept
    reply_box: object  # (parent id, author's name, label) -> pieces, kept
    reaction_area: object  # PostCard -> pieces, not kept: asked once per reaction


def _fragments(app) -> _Fragments:
    """The app's rendered cards and reply boxes: pure functions of their arguments, so one
    cache per app (tests make many)."""
    fragments = app.extensions.get("post_cards")
    if fragments is None:
        # Its own template cache (size 0: loaded once here), or it would copy the app's.
        environment = app.jinja_env.overlay(undefined=StrictUndefined, cache_size=0)
        environment.globals = {"url_for": url_for, "csrf_slot": CSRF_SLOT, "submission_slot": SUBMISSION_SLOT,
                               "view_field_slot": Markup(VIEW_FIELD_SLOT), "view_link_slot": Markup(VIEW_LINK_SLOT),
                               "view_more_slot": Markup(VIEW_MORE_SLOT), "REASON_LIMIT": REASON_LIMIT}
        module = environment.get_template(CARD_TEMPLATE).module
        fragments = app.extensions["post_cards"] = _Fragments(
            card=lru_cache(maxsize=CARDS_KEPT)(lambda card: _pieces(module.card(card))),
            reply_box=lru_cache(maxsize=CARDS_KEPT)(
                lambda parent_id, author_name, label: _pieces(module.reply_box(parent_id, author_name, label))),
            reaction_area=lambda card: _pieces(module.reaction_area(card)),
        )
    return fragments


def _pieces(html: str) -> tuple[str, ...]:
    """`html` cut at its slots, once when it is rendered: the text at even places and the
    slots' names between, so each reader's copy is one join. Replacing each slot in the
    whole HTML took four passes over every card of a page: 0.4 ms of a 7 ms discussion page."""
    return tuple(_SLOTS.split(str(html)))
