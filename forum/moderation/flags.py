"""Flags: anyone signed in can flag what they can see; moderators work through the queue.

What can be flagged is a registry of target types. Each registers a loader that turns
ids into `FlagTarget`s *as a given viewer may see them*: a reporter can only flag what
they can see, and the queue shows moderators the content with its context. The mentors
part registers "review" the same way posts and profiles are registered here.
"""
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup
from sqlalchemy import select, update

from forum import rate_limits
from forum.accounts.permissions import is_staff, suspension_refusal
from forum.clock import utcnow
from forum.errors import DomainError, Forbidden, NotFound
from forum.extensions import db
from forum.links import path_for
from forum.models.accounts import User
from forum.models.moderation import REASON_LIMIT, Flag, audit_entry
from forum.models.posts import Post
from forum.moderation import danger, flag_outcomes
from forum.moderation.permissions import OWN_PROFILE, own_flags_refusal, post_concerns
from forum.posts.policies import policy_for
from forum.posts.services import post_label
from forum.posts.visibility import can_read_post_body, can_see_post, can_see_thread, stands_in_for
from forum.text.bidi import isolate
from forum.text.typed import typed_line


@dataclass
class FlagTarget:
    """What a flag is about, ready to show: the content and where it lives."""

    kind_label: str
    title: str
    link: str | None
    body_html: Markup
    author: User | None
    removed_note: str = ""
    post: Post | None = None
    # A partial the queue includes for actions of the target's own kind (e.g. hiding a review).
    actions_template: str | None = None
    extra: dict = field(default_factory=dict)
    # (person id, refusal) for each person the target is about: they leave its flags to
    # another moderator (see `own_flags_refusal`).
    concerns: tuple[tuple[int, str], ...] = ()
    # How the heading joins the kind to the author: "Post by Ana", "Profile of Ana".
    author_word: str = "by"
    # How the audit log names it, as the part's own actions on it do (hiding a post, say),
    # so one thing reads alike in every entry; "" for the wording `label_of` makes.
    audit_label: str = ""
    # Why nothing is left here for a moderator to act on (a removed post, a closed account's
    # profile), or "": said on the flag page in place of its form, and to a flag sent anyway.
    gone: str = ""


FlagLoader = Callable[[object, list[int]], dict[int, FlagTarget]]
_LOADERS: dict[str, FlagLoader] = {}


def register_flag_target(target_type: str, loader: FlagLoader) -> None:
    """`loader(viewer, ids)` returns {id: FlagTarget} for the ids `viewer` may see."""
    _LOADERS[target_type] = loader


def load_targets(viewer, target_type: str, ids: list[int]) -> dict[int, FlagTarget]:
    loader = _LOADERS.get(target_type)
    return loader(viewer, ids) if loader and ids else {}


def _post_targets(viewer, ids: list[int]) -> dict[int, FlagTarget]:
    targets = {}
    for post in db.session.scalars(select(Post).where(Post.id.in_(ids))):
        # Moderators see what was flagged even in a private conversation: flagging it
        # is how a member of the conversation asks them to look.
        if not (is_staff(viewer) or can_see_post(viewer, post)):
            continue
        note = gone = ""
        named = policy_for(post.thread.kind).name_of_post(post)  # "reply", "response", "message"...
        if post.hidden_at:
            note = f"Hidden by a moderator: {post.hidden_reason}"
            gone = f"This {named} was hidden by a moderator, so there is nothing left to flag."
        elif post.deleted_at:
            note = "Removed by its author."
            gone = f"This {named} was removed, so there is nothing left to flag."
        readable = is_staff(viewer) or can_read_post_body(viewer, post)
        # A private conversation opens to its members only, moderators included: no link
        # that would answer "not found".
        in_place = can_see_thread(viewer, post.thread)
        targets[post.id] = FlagTarget(
            # As the part's pages and the author's notices name it: "Response", "Idea", "Message".
            kind_label=named.capitalize(),
            title=f"in “{isolate(post.thread.title)}”",
            link=path_for("posts.permalink", post_id=post.id) if in_place else None,
            body_html=Markup(post.body_html) if readable else Markup("<p>{}</p>").format(stands_in_for(post)),
            author=post.author, removed_note=note, post=post, concerns=post_concerns(post),
            audit_label=post_label(post), gone=gone)
    return targets


def _profile_targets(viewer, ids: list[int]) -> dict[int, FlagTarget]:
    return {user.id: FlagTarget(kind_label="Profile", title="", author_word="of",
                                link=path_for("accounts.profile", username=user.username),
                                body_html=Markup(user.bio_html or "<p>(No bio.)</p>"), author=user,
                                concerns=((user.id, OWN_PROFILE),),
                                # Closing removed the display name and bio: nothing is left to act on.
                                gone="This account is closed: there is no profile left to flag."
                                if user.closed_at is not None else "")
            for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


register_flag_target("post", _post_targets)
register_flag_target("profile", _profile_targets)


def flag_target_for(viewer, target_type: str, target_id: int) -> FlagTarget:
    target = load_targets(viewer, target_type, [target_id]).get(target_id)
    if target is None:
        raise NotFound("There is nothing here to flag.")
    return target


# Joins a later reason to the one a flag holds (the reporter flagged it again).
LATER = " · Later: "


def _fits(earlier: Flag, reason: str) -> bool:
    return reason in earlier.reason or len(earlier.reason) + len(LATER) + len(reason) <= REASON_LIMIT


def _no_room_for(earlier: Flag, reason: str) -> str:
    room = max(REASON_LIMIT - len(earlier.reason) - len(LATER), 0)
    return (f"Your flag already says {len(earlier.reason):,} characters: what you add can be up to {room:,} "
            f"characters (this is {len(reason):,}).")


def create_flag(reporter, target_type: str, target_id: int, reason: str, *, urgent: bool = False) -> Flag:
    """Flag something `reporter` can see; flagging the same thing twice keeps one flag,
    with what they wrote the second time added to its reason. `urgent`: the reporter says
    someone may be in danger; said once, it stays said (a second flag never takes it back).

    A suspended person reads but does not write, and flags are no exception: reports
    of reviews come here too, and the mentor page refuses them during a suspension."""
    target = flag_target_for(reporter, target_type, target_id)
    if suspended := suspension_refusal(reporter, utcnow()):
        raise Forbidden(suspended)
    if target.author is not None and target.author.id == reporter.id:
        raise DomainError("You can't flag something of your own.")
    if target.gone:
        raise DomainError(target.gone)
    reason = typed_line(reason)
    if not reason:
        raise DomainError("Tell the moderators what is wrong, in a few words.", "reason")
    if len(reason) > REASON_LIMIT:
        raise DomainError(f"Keep it under {REASON_LIMIT} characters (this is {len(reason):,}).", "reason")
    earlier = open_flag_of(reporter, target_type, target_id)
    if earlier is not None:
        if urgent and not earlier.urgent:
            # Made urgent now, it tells every moderator as a new one would: counted as one.
            rate_limits.hit(("flag_urgent", reporter.id), field="reason")
        changed = False
        if urgent and not earlier.urgent:
            earlier.urgent = changed = True
            danger.tell_moderators([earlier], target.concerns)
        if not _fits(earlier, reason):
            # The flag keeps one reason of REASON_LIMIT: what is added is refused with the room
            # left, never cut; a danger said with it is not held back by its length.
            told = " The moderators are told someone may be in danger." if changed else ""
            db.session.commit()
            raise DomainError(_no_room_for(earlier, reason) + told, "reason")
        if reason not in earlier.reason:
            earlier.reason = f"{earlier.reason}{LATER}{reason}"
            changed = True
        if changed:
            db.session.commit()
        return earlier
    rate_limits.hit(("flag_urgent" if urgent else "flag", reporter.id), field="reason")
    flag = Flag(reporter_id=reporter.id, target_type=target_type, target_id=target_id,
                reason=reason, urgent=bool(urgent), created_at=utcnow())
    db.session.add(flag)
    if flag.urgent:
        danger.tell_moderators([flag], target.concerns)
    db.session.commit()
    return flag


def open_flag_of(reporter, target_type: str, target_id: int) -> Flag | None:
    """The flag `reporter` raised on this thing that no moderator has closed yet, if any."""
    return db.session.scalar(select(Flag).where(
        Flag.reporter_id == reporter.id, Flag.target_type == target_type, Flag.target_id == target_id,
        Flag.status == "open"))


@dataclass
class FlagEntry:
    """One entry of a page of flags (the queue, the dismissed flags): its first flag, the
    flags that go with it, and the flagged thing as the page's reader may see it."""
    first: Flag
    flags: list[Flag]
    target: FlagTarget | None

    @property
    def urgent(self) -> bool:
        """Someone may be in danger, says one of its flags."""
        return any(flag.urgent for flag in self.flags)

    @property
    def named(self) -> str:
        """What was flagged, in words: the end of its buttons' names, as a screen reader
        reads them one after another ("Dismiss: nothing wrong with the post by @ana in …")."""
        return flagged_thing(self.first, self.target)


def flag_entries(viewer, first_flags: list[Flag], status: str, entry_of) -> list[FlagEntry]:
    """The page's entries with their flags of `status` and the flagged content: a query per
    target type. `entry_of(flag)`: the key the flags of one entry share."""
    ids_by_type: dict[str, list[int]] = {}
    for flag in first_flags:
        ids_by_type.setdefault(flag.target_type, []).append(flag.target_id)
    targets = {kind: load_targets(viewer, kind, ids) for kind, ids in ids_by_type.items()}
    grouped: dict[tuple, list[Flag]] = {}
    every_id = [flag.target_id for flag in first_flags]
    if every_id:
        statement = (select(Flag).where(Flag.status == status, Flag.target_id.in_(every_id))
                     .order_by(Flag.created_at, Flag.id))
        for flag in db.session.scalars(statement):
            grouped.setdefault(entry_of(flag), []).append(flag)
    return [FlagEntry(first=flag, flags=grouped.get(entry_of(flag), [flag]),
                      target=targets.get(flag.target_type, {}).get(flag.target_id))
            for flag in first_flags]


def queue_entries(viewer, first_flags: list[Flag]) -> list[FlagEntry]:
    """The queue's entries: every open flag on the same thing is one entry."""
    return flag_entries(viewer, first_flags, "open", lambda flag: (flag.target_type, flag.target_id))


def close_flags(moderator, target_type: str, target_ids: list[int], status: str, note: str = "", *,
                outcome: str, gone: bool = False) -> tuple[int, int]:
    """Close every open flag on the targets (no commit); returns how many, and how many of
    them said someone may be in danger. Each flagger is
    told once per target what became of it (`outcome`, see flag_outcomes); `gone`: the
    targets are about to be deleted for good, so the notice links to their thread."""
    closed = db.session.execute(update(Flag).where(
        Flag.status == "open", Flag.target_type == target_type, Flag.target_id.in_(target_ids)).values(
        status=status, resolved_by_id=moderator.id, resolved_at=utcnow(),
        resolution_note=" ".join((note or "").split())[:REASON_LIMIT])
        .returning(Flag.target_id, Flag.reporter_id, Flag.urgent)).all()
    if closed:
        danger.retire_notices_when_none_wait()
        _tell_flaggers(moderator, target_type, closed, outcome, gone)
    return len(closed), sum(1 for _, _, urgent in closed if urgent)


def _tell_flaggers(moderator, target_type: str, closed, outcome: str, gone: bool) -> None:
    # For each target, its flaggers, and whether any of their flags on it was urgent.
    flaggers_of: dict[int, dict[int, bool]] = {}
    for target_id, reporter_id, urgent in closed:
        if reporter_id is not None:  # None: the flagger closed their account
            theirs = flaggers_of.setdefault(target_id, {})
            theirs[reporter_id] = theirs.get(reporter_id, False) or bool(urgent)
    if not flaggers_of:
        return
    targets = load_targets(moderator, target_type, list(flaggers_of))
    people = {user.id: user for user in db.session.scalars(
        select(User).where(User.id.in_(set().union(*flaggers_of.values())), User.closed_at.is_(None)))}
    for target_id, reporter_ids in sorted(flaggers_of.items()):
        for flagger in (people[person_id] for person_id in sorted(reporter_ids) if person_id in people):
            # The link as the flagger may open it now (a badge taken away, a conversation left).
            theirs = load_targets(flagger, target_type, [target_id]).get(target_id)
            link = theirs.link if theirs is not None and theirs.link else None
            if link and gone and theirs.post is not None:
                link = path_for("posts.thread", thread_id=theirs.post.thread_id)
            flag_outcomes.tell_flagger(flagger, target_type, targets.get(target_id), outcome,
                                       link or path_for("posts.notifications_page"), urgent=reporter_ids[flagger.id])


def close_flag_group(moderator, flag: Flag, status: str, note: str = "") -> tuple[int, str]:
    """Dismiss ("nothing wrong") or resolve ("handled") every open flag on `flag`'s target;
    refused when the target concerns `moderator`, whose flags wait for another moderator.
    Returns how many closed and what they were on, in words (see `flagged_thing`)."""
    target = load_targets(moderator, flag.target_type, [flag.target_id]).get(flag.target_id)
    if target is not None and (refusal := own_flags_refusal(moderator, target.concerns)):
        raise DomainError(refusal)
    if flag.status != "open":
        raise DomainError("Those flags are already closed.")
    outcome = flag_outcomes.LEFT_UP if status == "dismissed" else flag_outcomes.HANDLED
    closed, urgent = close_flags(moderator, flag.target_type, [flag.target_id], status, note, outcome=outcome)
    audit_entry(moderator, "dismiss" if status == "dismissed" else "resolve", flag.target_type, flag.target_id,
                label=label_of(flag, target), reason=note, details=flags_in_words(closed, urgent),
                subject_id=target.author.id if target is not None and target.author is not None else None)
    db.session.commit()
    return closed, flagged_thing(flag, target)


def flags_in_words(count: int, urgent: int, by: str = "") -> str:
    """How many flags an audit entry closed or reopened (“2 flags, 1 saying someone may be in
    danger”): a moderator reading the log later must see that a decision was about danger."""
    words = f"{count} flag{'s' if count != 1 else ''}{by}"
    if not urgent:
        return words
    how_many = "" if count == 1 else "all " if urgent == count else f"{urgent} "
    return f"{words}, {how_many}saying someone may be in danger"


def closed_in_words(count: int, urgent: int) -> str:
    """What an action that closes the flags on its way (a hide, a delete for good, a cleared
    profile) adds to its audit entry, from close_flags' answer; "" when none were open."""
    return f"closed {flags_in_words(count, urgent)}" if count else ""


def flagged_thing(flag: Flag, target: FlagTarget | None) -> str:
    """What was flagged, for the moderator's messages: “the post by @ana in “Highs””, “@ana's profile”."""
    if target is None:
        return f"a {flag.target_type} that is no longer here"
    if flag.target_type == "profile":
        return f"@{target.author.username}'s profile"
    by = f" by @{target.author.username}" if target.author else ""
    return f"the {target.kind_label.lower()}{by} {target.title}"


def label_of(flag: Flag, target: FlagTarget | None) -> str:
    """How what was flagged is named in the audit log."""
    if target is None:
        return f"{flag.target_type} {flag.target_id}"
    if target.audit_label:
        return target.audit_label
    if flag.target_type == "profile":
        return f"@{target.author.username}"
    by = f" by @{target.author.username}" if target.author else ""
    return f"{target.kind_label.lower()} {flag.target_id}{by} {target.title}"[:200]
