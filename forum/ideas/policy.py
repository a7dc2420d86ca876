"""What a call for ideas adds to the engine's rules for its thread."""

from markupsafe import Markup
from sqlalchemy import select

from forum.extensions import db
from forum.ideas.permissions import sort_refusal, status_filter_refusal
from forum.links import path_for
from forum.memo import transaction_memo
from forum.models.ideas import IDEA_STATUSES, SHORTLIST_STATUSES, IdeaCall, IdeaStatus
from forum.models.posts import Post
from forum.posts.notifications import notify
from forum.posts.policies import ListingAsked, PostBox, ThreadPolicy
from forum.posts.visibility import can_see_thread
from forum.text import render_plain_excerpt
from forum.text.bidi import isolate

STATUSES_MEMO = "idea_statuses"
MERGED_INTO_MEMO = "ideas_merged_into"

# The call page's idea box, and the engine's page that brings back an idea it refused.
IDEA_LABEL = "Your idea"
IDEA_HINT = "One idea per post. Markdown works; @name mentions someone; > quotes."

PHASE_REFUSALS = {
    "evaluating": "Ideas are being evaluated, so this call takes no new ideas. "
                  "You can still discuss and react to the ideas shared so far.",
    "shortlisted": "The shortlist is published, so this call takes no new ideas.",
    "closed": "This call for ideas is closed.",
}


def call_of(thread) -> IdeaCall | None:
    # Asked for every idea of a page: answered once a transaction (a primary-key get,
    # even from the identity map, costs about 15 µs).
    calls = transaction_memo("idea_calls")
    if thread.id not in calls:
        calls[thread.id] = db.session.get(IdeaCall, thread.id)
    return calls[thread.id]


def status_name_of(idea) -> str | None:
    """The idea's status ("new", "merged", …), or None when it has none.

    A call's page notes the statuses of its ideas at once (reading.statuses_for, which
    also notes the ideas that have none), so asking about each idea costs no query."""
    known = transaction_memo(STATUSES_MEMO)
    if idea.id in known:
        return known[idea.id]
    record = db.session.get(IdeaStatus, idea.id)
    return record.status if record is not None else None


def merged_into_id_of(idea) -> int | None:
    """The id of the idea a merged idea joined, or None once that one was removed or
    deleted for good. Noted with the statuses, so a call's page asks no query."""
    known = transaction_memo(MERGED_INTO_MEMO)
    if idea.id in known:
        return known[idea.id]
    record = db.session.get(IdeaStatus, idea.id)
    if record is None or record.merged_into_id is None or record.merged_into.is_removed:
        return None
    return record.merged_into_id


def remember_statuses(statuses: dict[int, str | None], merged_into: dict[int, int | None]) -> None:
    """Note the status of each of these ideas (by id), and the idea each one joined, for
    the rest of the transaction."""
    transaction_memo(STATUSES_MEMO).update(statuses)
    transaction_memo(MERGED_INTO_MEMO).update(merged_into)


def _tell_staff_of_removal(idea, remover) -> None:
    """When its author removes an idea on the shortlist, tell the staff member who put it
    there: the shortlist they published has one idea fewer, and nobody else would say so."""
    record = db.session.get(IdeaStatus, idea.id)
    if record is None or record.status not in SHORTLIST_STATUSES or record.set_by is None:
        return
    staff = record.set_by
    if staff.id == remover.id or not can_see_thread(staff, idea.thread):
        return
    opening = render_plain_excerpt(idea.body_html, 60)  # the words, not the Markdown's asterisks
    notify(staff, "idea_removed",
           f"{isolate(remover.display_name)} removed their idea #{idea.id} (“{opening}”) "
           f"from “{isolate(idea.thread.title)}”; "
           f"you had marked it {IDEA_STATUSES[record.status].lower()}.",
           path_for("ideas.call", call_id=idea.thread_id), actor=remover)


def _tell_staff_of_merged_ideas(idea, remover) -> None:
    """When an idea other ideas were merged into is removed by its author, tell the staff
    who merged each of them: those ideas are closed to replies and off every list, and
    only a review (another status, or a merge into an idea still up) opens them again."""
    statement = (select(IdeaStatus).join(Post, Post.id == IdeaStatus.post_id)
                 .where(IdeaStatus.merged_into_id == idea.id, IdeaStatus.status == "merged",
                        Post.deleted_at.is_(None), Post.hidden_at.is_(None))
                 .order_by(IdeaStatus.post_id))
    for record in db.session.scalars(statement):
        staff = record.set_by
        if staff is None or staff.id == remover.id or not can_see_thread(staff, idea.thread):
            continue
        notify(staff, "idea_removed",
               f"{isolate(remover.display_name)} removed their idea #{idea.id} from “{isolate(idea.thread.title)}”; "
               f"idea #{record.post_id} by {isolate(record.post.author.display_name)}, which you merged into it, "
               "takes no replies until you review it again.",
               path_for("ideas.review", call_id=idea.thread_id, idea_id=record.post_id), actor=remover)


class IdeaCallPolicy(ThreadPolicy):
    def post_refusal(self, user, thread) -> str | None:
        call = call_of(thread)
        if call is None:
            return "This call for ideas isn't open."
        return PHASE_REFUSALS.get(call.phase)

    def reply_refusal(self, user, thread, parent) -> str | None:
        call = call_of(thread)
        if call is None or call.phase == "closed":
            return "This call for ideas is closed, so it takes no new replies."
        if status_name_of(parent) != "merged":
            return None
        if merged_into_id_of(parent) is None:
            return "The idea this one joined was removed, so it takes no new replies until staff review it again."
        return "This idea was merged into another one; carry on the discussion there."

    def edit_refusal(self, post) -> str | None:
        # The shortlist shows an idea under the note staff wrote about it: text changed
        # afterwards would stand under a judgement made of other words. Staff setting
        # another status opens it to its author again.
        if post.parent_id is not None or status_name_of(post) not in SHORTLIST_STATUSES:
            return None
        refusal = "This idea is on the shortlist as staff chose it, so its text can't be changed while it's there."
        call = call_of(post.thread)
        if call is None or call.phase == "closed":
            return refusal
        return refusal + " You can reply under it to add to it."

    def post_box(self, user, thread) -> PostBox:
        call = call_of(thread)
        if call is None:
            return super().post_box(user, thread)
        return PostBox(heading=call.title, box_heading="Share your idea", context_html=Markup(call.question_html),
                       label=IDEA_LABEL, hint=IDEA_HINT, button="Post my idea")

    def reaction_counts_shown(self, thread) -> bool:
        call = call_of(thread)
        return call is None or not call.reaction_counts_hidden

    def name_of_post(self, post) -> str:
        return "reply" if post.parent_id is not None else "idea"

    def places_of(self, threads) -> dict[int, str]:
        return {thread.id: f"the call for ideas “{thread.title}”" for thread in threads}

    def after_post(self, post) -> None:
        if post.parent_id is None:
            db.session.add(IdeaStatus(post_id=post.id, status="new"))

    def after_removal(self, post, remover) -> None:
        if post.parent_id is None:
            _tell_staff_of_removal(post, remover)
            _tell_staff_of_merged_ideas(post, remover)

    def listing_asked(self, user, thread, shown: dict) -> ListingAsked:
        """The call's page by the sort and status asked, as `views.call` would show it;
        a sort or status the reader may not use is left out."""
        # Imported here: the call's page reads the statuses this module remembers.
        from forum.ideas.reading import IDEAS_PER_PAGE, SORT_QUERIES, having_status

        call = call_of(thread)
        sort, status = shown.get("sort"), shown.get("status")
        params, where, order = [], (), "oldest"
        if call is not None and sort and not sort_refusal(user, call, sort):
            order, where = SORT_QUERIES[sort]
            params.append(("sort", sort))
        if status and not status_filter_refusal(status):
            where = (*where, having_status(status))
            params.append(("status", status))
        return ListingAsked(order=order, where=where, per_page=IDEAS_PER_PAGE, params=tuple(params))

    def thread_url(self, thread, **params) -> str:
        return path_for("ideas.call", call_id=thread.id, **params)
