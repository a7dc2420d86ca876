"""Who may do what with calls for ideas. Views, services and templates ask these."""
from forum.accounts.permissions import is_staff, suspension_refusal
from forum.models.ideas import IDEA_STATUSES
from forum.posts.visibility import can_see_thread

# Sort keys of a call's ideas, in the order the page offers them.
SORTS = {
    "oldest": "In the order they came",
    "newest": "Newest",
    "reactions": "Most reactions",
    "replies": "Most discussed",
    "unreviewed": "Not yet reviewed",
}
STAFF_ONLY_SORTS = ("unreviewed",)
# The shortlist is public from this phase on; staff may look at it earlier.
PUBLISHED_PHASES = ("shortlisted", "closed")


def can_open_call(user) -> bool:
    return is_staff(user)


def can_edit_call(user, call) -> bool:
    """The staff who may open calls may edit one, in any phase: its title, question and settings."""
    return is_staff(user) and can_see_thread(user, call.thread)


def can_change_phase(user, call) -> bool:
    return is_staff(user) and can_see_thread(user, call.thread)


def can_set_status(user, idea) -> bool:
    return is_staff(user) and can_see_thread(user, idea.thread) and idea.parent_id is None


def idea_review_refusal(idea) -> str | None:
    """Why staff may not set the status of `idea` or merge it, or None. A removed idea is
    on no list of its call and not on the shortlist: a status would only tell its author
    news that nobody else could see."""
    if idea.is_removed:
        return ("This idea was removed, so it is on none of the call's lists and not on the shortlist: "
                "its status can't be set and it can't be merged. If it is restored, review it then.")
    return None


def merge_refusal(record) -> str | None:
    """Why an idea whose status is `record` (an IdeaStatus, or None) may not be merged, or None.

    Merging a merged idea again would quietly move it to another idea and tell its author
    a second time; staff first take it out of its merge by setting another status. An idea
    whose target was removed (or deleted for good: the key is set null) has no merge left
    to keep."""
    if record is None or record.status != "merged" or merge_target_gone(record):
        return None
    return (f"This idea is already merged into idea #{record.merged_into_id}. To merge it into another one, "
            "first set another status under “Set the status”, which takes it out of the merge.")


def merge_target_gone(record) -> bool:
    """Whether the idea a merged idea's `record` joined is gone: removed by its author,
    hidden by a moderator, or deleted for good. Its discussion can't go on there."""
    return record.merged_into_id is None or record.merged_into.is_removed


def staff_action_refusal(user, now) -> str | None:
    """Why staff `user` may not open or edit a call, change its phase, or set or merge an
    idea's status at `now`, or None: a suspended moderator reads calls but changes nothing."""
    return suspension_refusal(user, now, still="Until then you can read calls for ideas but not open or edit them, "
                                               "change their phase, or set or merge ideas' statuses.")


def can_see_shortlist(user, call) -> bool:
    if not can_see_thread(user, call.thread):
        return False
    return call.phase in PUBLISHED_PHASES or is_staff(user)


def sorts_for(user, call) -> list[str]:
    """The sort keys `user` may use on `call`."""
    allowed = []
    for key in SORTS:
        if key in STAFF_ONLY_SORTS and not is_staff(user):
            continue
        # Ranking by reactions would reveal what the hidden counts hide.
        if key == "reactions" and call.reaction_counts_hidden:
            continue
        allowed.append(key)
    return allowed


def sort_refusal(user, call, key: str) -> str | None:
    """Why `user` may not sort `call`'s ideas by `key`, or None."""
    if key in sorts_for(user, call):
        return None
    offered = ", ".join(f"“{SORTS[k]}” ({k})" for k in sorts_for(user, call))
    if key == "reactions":
        return ("Reaction counts are hidden while ideas are collected, so ideas can't be sorted by them. "
                f"Try {offered}.")
    if key in STAFF_ONLY_SORTS:
        return f"Only moderators can sort by “{SORTS[key]}”. Try {offered}."
    return f"There is no sort called “{key[:40]}”. Try {offered}."


def status_filter_refusal(key: str) -> str | None:
    """Why a call's ideas can't be shown by the status `key`, or None. Every reader sees
    each idea's status on the page, so anyone may show only the ideas of one."""
    if key in IDEA_STATUSES:
        return None
    offered = ", ".join(f"“{label}” ({k})" for k, label in IDEA_STATUSES.items())
    return f"There is no status called “{key[:40]}”. Try {offered}."
