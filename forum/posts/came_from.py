"""The view of a thread's page (its sort, order, filter, page) that a form was sent from,
so what the form does lands back on that view rather than on the thread's default order.

A card's forms carry it in a hidden `query` field, as the follow button does; the pages
behind its links (Edit, Reply, Flag) are opened with it in their own address and send
their forms to that address, or carry it on the same way."""
from urllib.parse import parse_qsl, urlencode

from flask import has_request_context, request, url_for

from forum.posts import reading
from forum.posts.policies import policy_for

# What a thread's own page is asked for that its part's page understands too. Only these
# follow a redirect: the rest of a query string could collide with the link builder's
# own arguments (`?endpoint=x`, `?thread=x` were a 500) or add a #fragment (`_anchor`).
PASSED_TO_PART_PAGE = ("page", "order", "sort", "status")


def view_shown() -> dict[str, str]:
    """The view the request came from: its own address's, and the form's `query` field's."""
    if not has_request_context():
        return {}
    shown = {key: value for key, value in request.args.items() if key in PASSED_TO_PART_PAGE}
    if request.method == "POST":
        shown.update((key, value) for key, value in parse_qsl(request.form.get("query", ""))
                     if key in PASSED_TO_PART_PAGE)
    return shown


def view_query() -> str:
    """`view_shown` as a query string ("sort=reactions&page=2"), or ""."""
    return urlencode(view_shown())


def where_post_is(user, post, shown: dict | None = None) -> str:
    """The page a post is shown on, at the post: in the view `shown` asks for (a call
    sorted by reactions, a thread newest first) when that view still lists it."""
    if post.parent_id is not None and reading.reply_position(post) >= reading.REPLIES_SHOWN:
        page = reading.reply_position(post) // reading.REPLIES_PER_PAGE + 1
        return url_for("posts.replies", post_id=post.parent_id, page=page, _anchor=f"post-{post.id}")
    policy = policy_for(post.thread.kind)
    asked = policy.listing_asked(user, post.thread, shown) if shown else None
    page = asked and reading.page_in_listing(user, post, asked.order, asked.where, asked.per_page)
    if page is None:
        # The thread's own order; or the post has left the view asked for (reviewed while
        # the reader had the call's "new" ideas open): where it is in the thread.
        asked, page = None, reading.page_of_post(user, post)
    params = dict(asked.params) if asked else {}
    if page > 1:
        params["page"] = page
    return policy.thread_url(post.thread, **params) + f"#post-{post.id}"


def back_at(user, post) -> str:
    """Where a form sent from a post's card (or from a page its links open) lands: the
    view of the thread it was sent from, at the post; the post's own link when none is known."""
    shown = view_shown()
    if not shown:
        return url_for("posts.permalink", post_id=post.id)
    return where_post_is(user, post, shown)
