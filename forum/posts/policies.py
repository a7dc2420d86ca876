"""The rules each kind of thread adds to the engine's own.

Training discussions, idea calls and mentor conversations are all threads; their parts
register a ThreadPolicy for their kind, and the engine asks it before reading, posting,
editing or listing, and tells it after a post is written, edited, removed or restored. Unknown
kinds get the default policy.
"""
from dataclasses import dataclass

from markupsafe import Markup

from forum.links import path_for


@dataclass(frozen=True)
class PostBox:
    """How a part's page words its box for a new post. The engine's page that brings back
    a post it refused (empty, too quick, no longer taken) words it the same way."""

    heading: str  # the page's own heading
    box_heading: str | None = None  # the box's, under what it answers
    context_html: Markup | None = None  # what the box answers: a call's question, a discussion's prompt
    label: str | None = None  # the text box's label and hint, when not the engine's own
    hint: str | None = None
    button: str = "Post"


@dataclass(frozen=True)
class ListingAsked:
    """A view of a thread's page that a reader asked for, to find a post in: the engine's
    order (forum/posts/reading.py's ORDERINGS), any extra WHERE clauses, how many posts a
    page shows, and the page's own address arguments that ask for it."""

    order: str = "oldest"
    where: tuple = ()
    per_page: int = 20
    params: tuple[tuple[str, str], ...] = ()


# The orders of the engine's thread pages (forum/posts/reading.py's ORDERINGS, which
# imports this module) that a reader may ask for by `?order=`.
ASKED_ORDERS = ("oldest", "newest", "reactions", "replies")


# What a locked thread refuses, in the engine's words; a part that locks its threads says
# why in its own (a closed mentorship).
LOCKED_REFUSALS = {
    "post": "This thread is locked; it takes no new posts.",
    "reply": "This thread is locked; it takes no new replies.",
    "edit": "This thread is locked; its posts can no longer be edited.",
    "react": "This thread is locked; it takes no new reactions.",
}


class ThreadPolicy:
    """The engine's defaults. Subclasses refine; they never loosen the engine's checks."""

    def read_refusal(self, user, thread) -> str | None:
        """Why `user` may not read `thread` beyond its title, or None."""
        return None

    def post_refusal(self, user, thread) -> str | None:
        """Why `user` may not start a top-level post in `thread`, or None."""
        return None

    def reply_refusal(self, user, thread, parent) -> str | None:
        """Why `user` may not reply to `parent`, or None."""
        return None

    def locked_refusal(self, doing: str) -> str:
        """Why nobody may do `doing` (a key of LOCKED_REFUSALS) in a locked thread of this kind."""
        return LOCKED_REFUSALS[doing]

    def edit_refusal(self, post) -> str | None:
        """Why the author may not edit `post` now, or None. Asked after the engine's own
        checks and never of staff, who may always edit."""
        return None

    def listing_filter(self, user, thread):
        """An extra WHERE clause on the top-level posts `user` sees, or None."""
        return None

    def visible_threads_filter(self, user, bound: bool = False):
        """An extra WHERE clause on threads of this kind `user` may see in lists, or None.
        `bound`: the sets of ids it reads as bound lists, named as in `reader_id_sets`."""
        return None

    def listed_posts_filter(self, user, bound: bool = False):
        """`listing_filter` for all threads of this kind at once (search lists posts from
        many threads): an extra WHERE clause on posts, or None. It must leave other kinds' posts be.
        `bound`: as for `visible_threads_filter`."""
        return None

    def reader_id_sets(self, user) -> dict:
        """The subqueries (each selecting one column of ids) that the two filters above
        take as bound lists when `bound`, by the bound parameters' names; they must be
        unique among all policies (forum/posts/visibility.py's `reader_id_sets`)."""
        return {}

    def link_when_closed(self, user, thread, post=None) -> str | None:
        """Where a link into `thread` (to `post`, if given) leads `user`, who may not see the
        thread, when the part has a page for them there: one that shows them their own post,
        or says why the thread is closed to them (a trainee who left a program). None: the
        link is not found, as for anything a reader may not see."""
        return None

    def own_closed_posts_filter(self, user):
        """A WHERE clause on posts: those `user` wrote in threads of this kind that are closed
        to them now but that the part still shows them (`link_when_closed` leads to each),
        for their own list of posts; None when there are none."""
        return None

    def as_read_by_author(self, user, audience: str, html: str) -> str:
        """The HTML of `user`'s own post in a thread of this kind for `audience` (one of those
        `own_closed_posts_filter` keeps), as they read it there: whole, unless the part leaves
        some of it out."""
        return html

    def reaction_counts_shown(self, thread) -> bool:
        """False while the part defers judgement (a call for ideas that hides counts)."""
        return True

    def name_of_post(self, post) -> str:
        """What the part's pages call `post`, for telling its author about it ("your idea")."""
        return "reply" if post.parent_id is not None else "post"

    def places_of(self, threads) -> dict[int, str]:
        """Where a post in each of `threads` (all of this kind) was written, as a list of
        someone's posts says it ("Reply in “…”"), by thread id: one statement at most for
        them all, so a page of them costs the same however many there are."""
        return {thread.id: f"“{thread.title}”" for thread in threads}

    def page_title(self, user, thread) -> str:
        """The title of the part's page for `thread`, as `user` sees it: what the engine's
        pages (a refused post, a reply box) link back to and name in the tab."""
        return thread.title

    def post_box(self, user, thread) -> PostBox:
        """How the part's page words its box for a new post in `thread`, as `user` sees it."""
        return PostBox(heading=f"New post in “{thread.title}”")

    def after_post(self, post) -> None:
        """Called in the same transaction once a post is written."""

    def news_after_post(self, post) -> str | None:
        """What the post changed for its author that they should read where it lands (a
        training discussion it completed), once it is stored; None when nothing."""
        return None

    def after_edit(self, post) -> None:
        """Called in the same transaction once a post's text is changed."""

    def after_restore(self, post) -> None:
        """Called in the same transaction once a hidden or removed post is back."""

    def kept_when_author_leaves(self, thread) -> bool:
        """Whether a post here stays when its author closes their account and asks for
        what they wrote to be removed."""
        return False

    def after_removal(self, post, remover) -> None:
        """Called in the same transaction once `remover` (its author) removed the post."""

    def listing_asked(self, user, thread, shown: dict) -> ListingAsked:
        """The view of the thread's page that `shown` (its address's arguments) asks for;
        what the page would not show (an unknown order) is left out."""
        order = shown.get("order")
        if order in ASKED_ORDERS and order != "oldest":
            return ListingAsked(order=order, params=(("order", order),))
        return ListingAsked()

    def thread_url(self, thread, **params) -> str:
        return path_for("posts.thread", thread_id=thread.id, **params)


DEFAULT_POLICY = ThreadPolicy()
_policies: dict[str, ThreadPolicy] = {}


def register_policy(kind: str, policy: ThreadPolicy) -> None:
    _policies[kind] = policy


def policy_for(kind: str) -> ThreadPolicy:
    return _policies.get(kind, DEFAULT_POLICY)


def registered_policies() -> dict[str, ThreadPolicy]:
    return dict(_policies)
