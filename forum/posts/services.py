"""The rules of the discussion engine: writing, editing, removing and reacting to posts."""
import hashlib

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from forum.accounts.permissions import moderator_refusal
from forum.clock import utcnow
from forum.errors import Conflict, DomainError, Forbidden, NotFound
from forum.extensions import db
from forum import rate_limits
from forum.links import path_for
from forum.models.moderation import audit_entry, blockers_among
from forum.models.posts import (
    AUDIENCES, REACTION_KINDS, SUBMISSION_TOKEN_LIMIT, Mention, Notification, Post, PostRevision, Reaction, Thread,
    ThreadMember,
)
from forum.moderation.permissions import own_flags_refusal, post_concerns
from forum.posts import following, permissions
from forum.posts.notifications import notify
from forum.posts.page_cache import thread_changed
from forum.posts.policies import policy_for
from forum.posts.reaction_notices import take_back_from_notice, tell_author_of_reaction
from forum.posts.text import BODY_LIMIT, mention_verbs, mentioned_users, notifiable_mentions, render_post_body
from forum.posts.visibility import can_see_post, can_see_thread, same_side_for_mentions
from forum.text import MENTION_LIMIT
from forum.text.bidi import isolate
from forum.text.typed import typed_line, typed_text

TITLE_LIMIT = 200


def clean_body(body: str | None) -> str:
    body = typed_text(body)
    if not body:
        raise DomainError("Write something before posting.", "body")
    if len(body) > BODY_LIMIT:
        raise DomainError(f"Keep it under {BODY_LIMIT:,} characters (this is {len(body):,}).", "body")
    return body


def clean_title(title: str | None) -> str:
    title = typed_line(title)
    if not title:
        raise DomainError("Give it a title.", "title")
    if len(title) > TITLE_LIMIT:
        raise DomainError(f"Keep the title under {TITLE_LIMIT} characters (this is {len(title)}).", "title")
    return title


def new_thread(*, kind: str, title: str, author=None, audience: str = "everyone",
               required_badge=None, members=(), locked: bool = False) -> Thread:
    """Add a thread to the session (the calling part commits with its own rows)."""
    if audience not in AUDIENCES:
        raise DomainError("Choose who the space is for: everyone, teens or adults.", "audience")
    thread = Thread(kind=kind, title=clean_title(title), author_id=author.id if author else None,
                    audience=audience, required_badge_id=required_badge.id if required_badge else None,
                    is_private=bool(members), locked=locked)
    thread.members = [ThreadMember(user_id=member.id) for member in members]
    db.session.add(thread)
    db.session.flush()
    return thread


def get_thread_for(user, thread_id: int) -> Thread:
    """The thread, or NotFound when it does not exist or `user` may not see it."""
    thread = db.session.get(Thread, thread_id)
    if thread is None or not can_see_thread(user, thread):
        raise NotFound("That thread can't be found.")
    return thread


def get_post_for(user, post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or not can_see_post(user, post):
        raise NotFound("That post can't be found.")
    return post


def link_into_closed_thread(user, thread_id: int) -> str | None:
    """Where a link to a thread `user` may not see leads them, when its part has a page for
    them there (`ThreadPolicy.link_when_closed`); None: not found."""
    thread = db.session.get(Thread, thread_id)
    if thread is None or thread.is_private:
        return None
    return policy_for(thread.kind).link_when_closed(user, thread)


def link_to_closed_post(user, post_id: int) -> str | None:
    """The same for a link to a post: its author may still be shown it there."""
    post = db.session.get(Post, post_id)
    if post is None or post.thread.is_private:
        return None
    return policy_for(post.thread.kind).link_when_closed(user, post.thread, post)


def _existing_submission(author, token: str | None) -> Post | None:
    if not token:
        return None
    return db.session.scalar(select(Post).where(Post.author_id == author.id, Post.submission_token == token))


def write_post(author, thread: Thread, body: str, *, parent: Post | None = None,
               submission_token: str | None = None) -> Post:
    """Write a top-level post or a reply; a resubmitted form returns the first post."""
    body = clean_body(body)
    if submission_token and len(submission_token) > SUBMISSION_TOKEN_LIMIT:
        # Not a token this forum handed out (the form's hidden field was tampered with):
        # post without double-click protection rather than fail storing it.
        submission_token = None
    earlier = _existing_submission(author, submission_token)
    if earlier is not None:
        return earlier
    if parent is not None:
        if parent.thread_id != thread.id:
            raise DomainError("That reply belongs to another thread.")
        # Two levels, as in the community's threads: a reply to a reply joins its top post.
        replied_to, parent = parent, parent.parent or parent
        refusal = permissions.reply_refusal(author, replied_to)
    else:
        replied_to, refusal = None, permissions.post_refusal(author, thread)
    if refusal:
        raise Forbidden(refusal)
    rate_limit = ("post", author.id)
    rate_limits.refuse_if_limited(rate_limit, field="body")

    mentioned = mentioned_users(body)
    post = Post(thread_id=thread.id, parent_id=parent.id if parent else None, author_id=author.id,
                body_md=body, body_html=render_post_body(body, mentioned),
                submission_token=submission_token or None, created_at=utcnow())
    db.session.add(post)
    try:
        db.session.flush()
    except IntegrityError:
        # The same form submitted twice at the same moment: keep the first.
        db.session.rollback()
        earlier = _existing_submission(author, submission_token)
        if earlier is None:
            raise
        return earlier
    _count_new_post(post)
    _notify_about_new_post(post, mentioned, replied_to)
    policy_for(thread.kind).after_post(post)
    # Counted once the post is accepted: a response the part's rules refused (too short
    # for a training discussion) must not stop its author sending the corrected one.
    rate_limits.count(rate_limit)
    db.session.commit()
    return post


def _count_new_post(post: Post) -> None:
    # Increments in SQL, so two people posting at once never lose a count.
    now = post.created_at
    values = {"post_count": Thread.post_count + 1, "last_post_at": now}
    if post.parent_id is None:
        values["top_level_count"] = Thread.top_level_count + 1
    db.session.execute(update(Thread).where(Thread.id == post.thread_id).values(**values))
    if post.parent_id is not None:
        db.session.execute(update(Post).where(Post.id == post.parent_id).values(
            reply_count=Post.reply_count + 1, last_reply_at=now))


def post_link(post: Post) -> str:
    return path_for("posts.permalink", post_id=post.id)


def post_label(post: Post) -> str:
    """How a post (a response, a reply, an idea) is named in the audit log, in every entry
    about it: the action says what kind of post it is."""
    return f"post {post.id} by @{post.author.username} in “{post.thread.title}”"


def _blocking(author, people) -> set[int]:
    """Ids among `people` who blocked `author`: they hear nothing from them."""
    ids = {person.id for person in people}
    return set(db.session.scalars(blockers_among(author.id, ids))) if ids else set()


def _notify_about_new_post(post: Post, mentioned, replied_to: Post | None = None) -> None:
    """Tell who it names, the author of the reply it answers (when it answers a reply)
    and the author of the post it sits under."""
    author = post.author
    thread = post.thread
    mentions = _within_reach(post, notifiable_mentions(mentioned, post.body_md))
    parent_author = post.parent.author if post.parent_id is not None else None
    answered = replied_to if replied_to is not None and replied_to.id != post.parent_id else None
    answered_author = answered.author if answered is not None else None
    told = {author.id} | _blocking(author, mentions + [person for person in (parent_author, answered_author) if person])
    link = post_link(post)
    if answered_author is not None and answered_author.id not in told and can_see_post(answered_author, post):
        written = policy_for(thread.kind).name_of_post(answered)  # "your reply"
        notify(answered_author, "reply",
               f"{isolate(author.display_name)} replied to your {written} in “{isolate(thread.title)}”",
               link, actor=author, post=post)
        told.add(answered_author.id)
    if parent_author is not None:
        if parent_author.id not in told and can_see_post(parent_author, post):
            written = policy_for(thread.kind).name_of_post(post.parent)  # "your idea", "your response"...
            notify(parent_author, "reply",
                   f"{isolate(author.display_name)} replied to your {written} in “{isolate(thread.title)}”",
                   link, actor=author, post=post)
            told.add(parent_author.id)
    # After the replies: someone answered and named is told once, as the more specific.
    verbs = mention_verbs(mentions, post.body_md)  # "quoted" for "> @ana wrote:"
    for user in mentions:
        db.session.add(Mention(post_id=post.id, user_id=user.id))
        if user.id in told or not can_see_post(user, post):
            continue
        notify(user, "mention", f"{isolate(author.display_name)} {verbs[user.id]} you in “{isolate(thread.title)}”",
               link, actor=author, post=post)
        told.add(user.id)
    following.tell_followers(post, told)


# Said when an edit page was opened before the post last changed.
CHANGED_MEANWHILE = ("This post was changed since you opened this page (in another tab, or by a moderator). "
                     "Here is how it reads now; your text is still in the box below it. Save again to put yours in its place.")


def body_version(post: Post) -> str:
    """A short fingerprint of a post's text. An edit page carries the one it was opened
    with, so saving can tell that the post changed in the meantime."""
    return hashlib.sha256(post.body_md.encode()).hexdigest()[:16]


def edit_post(editor, post: Post, body: str, based_on: str | None = None) -> Post:
    """Save `body` as the post's text. `based_on`, the body_version the edit page was
    opened with, refuses to overwrite a change made since then (a moderator taking out a
    phone number, an edit in another tab) unseen; without it, the last save wins."""
    if refusal := permissions.edit_refusal(editor, post):
        raise Forbidden(refusal)
    body = clean_body(body)
    if body == post.body_md:
        return post
    if based_on and based_on != body_version(post):
        raise Conflict(CHANGED_MEANWHILE)
    db.session.add(PostRevision(post_id=post.id, editor_id=editor.id, body_md=post.body_md))
    if editor.id != post.author_id:
        audit_entry(editor, "edit", "post", post.id, label=post_label(post), subject_id=post.author_id)
    already = set(db.session.scalars(select(Mention.user_id).where(Mention.post_id == post.id)))
    mentioned = mentioned_users(body)
    post.body_md = body
    post.body_html = render_post_body(body, mentioned)
    post.edited_at = utcnow()
    withdrawn = _withdraw_mention_notices(post, already - {user.id for user in mentioned})
    notifiable = notifiable_mentions(mentioned, body)
    newly = [user for user in notifiable if user.id not in already]
    # Only people newly mentioned hear about it; an edit does not page everyone again.
    # The limit counts everyone the post has ever named, not who it names now: an edit
    # that names someone else instead (the wrong Sam) tells the new name, and edits that
    # swap names in and out cannot page more than MENTION_LIMIT people in all.
    room = max(0, MENTION_LIMIT - len(already))
    for user in newly[:room]:
        db.session.add(Mention(post_id=post.id, user_id=user.id))
    # Someone the post answers was told so when it was written, as the more specific: naming
    # them in an edit tells them nothing more, as naming them in the reply itself would not.
    newly_told = [user for user in newly[:room] if not _told_of(user, post, kind="reply")]
    # Someone named again after an edit took their unread notice back (the name left out
    # by mistake) is told again; anyone told of the post some other way is not.
    again = [user for user in notifiable if user.id in already and not _told_of(user, post)]
    if editor.id == post.author_id:
        # A moderator's edit is not the author speaking: the names it adds are nobody's
        # mention, so it tells no one (the audit log and the history say who changed what).
        _tell_mentioned(post, newly_told + again, body)
    if withdrawn:
        # A follower the mention had told instead hears of the post as a follower does.
        following.tell_followers(post, set(), among=withdrawn)
    policy_for(post.thread.kind).after_edit(post)
    db.session.commit()
    return post


def _within_reach(post: Post, people) -> list:
    """Those of `people` a mention in `post` may tell. In a conversation they were let into
    (a mentorship) everyone may; elsewhere the age-group rule of mentions holds."""
    if post.thread.is_private:
        return list(people)
    return [person for person in people if same_side_for_mentions(post.author, person)]


def _tell_mentioned(post: Post, people, body: str) -> None:
    people = [user for user in _within_reach(post, people) if user.id != post.author_id]
    blocking = _blocking(post.author, people)
    verbs = mention_verbs(people, body)
    for user in people:
        if user.id not in blocking and can_see_post(user, post):
            notify(user, "mention",
                   f"{isolate(post.author.display_name)} {verbs[user.id]} you in “{isolate(post.thread.title)}”",
                   post_link(post), actor=post.author, post=post)


def _withdraw_mention_notices(post: Post, dropped: set[int]) -> set[int]:
    """Take back the unread notices telling `dropped` that `post` names them, now that it
    no longer does; a notice already read stays, as what they saw. Returns whose went."""
    if not dropped:
        return set()
    unread = (Notification.post_id == post.id, Notification.kind == "mention",
              Notification.user_id.in_(dropped), Notification.read_at.is_(None))
    withdrawn = set(db.session.scalars(select(Notification.user_id).where(*unread)))
    if withdrawn:
        db.session.execute(delete(Notification).where(*unread))
    return withdrawn


def _told_of(user, post: Post, kind: str | None = None) -> bool:
    """Whether `user` has a notification of `post` (of `kind`, when given)."""
    statement = select(Notification.id).where(Notification.user_id == user.id, Notification.post_id == post.id)
    if kind is not None:
        statement = statement.where(Notification.kind == kind)
    return db.session.scalar(statement.limit(1)) is not None


def revisions_of(post: Post):
    return select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.created_at.desc(),
                                                                              PostRevision.id.desc())


def delete_own_post(user, post: Post) -> None:
    if not permissions.can_delete_post(user, post):
        raise Forbidden("Only the author can remove this post.")
    remove_own_post(user, post, utcnow())
    db.session.commit()


def remove_own_post(author, post: Post, now) -> None:
    """Remove `post` as its author (not committed; the caller checked they may): it shows as
    removed, its replies stay, and its part is told (an idea on the shortlist tells staff)."""
    post.deleted_at = now
    following.lead_past(post)
    policy_for(post.thread.kind).after_removal(post, author)


def hide_post(moderator, post: Post, reason: str, *, details: str = "") -> None:
    """`details`: what the audit entry adds, as the flags the hide closed (forum.moderation.services)."""
    if refusal := moderator_refusal(moderator, utcnow()):
        raise Forbidden(refusal)
    if refusal := own_flags_refusal(moderator, post_concerns(post)):
        raise DomainError(refusal)
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError("Say why the post is hidden; the author is told.", "reason")
    # Once, even on a double click or when two moderators act at the same moment: the
    # author is told once, the log has one entry, and the first reason stands.
    done = db.session.execute(update(Post).where(Post.id == post.id, Post.hidden_at.is_(None)).values(
        hidden_at=utcnow(), hidden_by_id=moderator.id, hidden_reason=reason[:500])).rowcount
    if not done:
        db.session.rollback()
        raise DomainError("This post is hidden already.")
    thread_changed(post.thread_id)  # a bulk statement: the session never sees it
    following.lead_past(post)
    audit_entry(moderator, "hide", "post", post.id, label=post_label(post), reason=reason,
                subject_id=post.author_id, details=details)
    notify(post.author, "moderation", f"A moderator hid {_yours_in_place(post)}: {reason}",
           post_link(post), actor=moderator, post=post)
    db.session.commit()
    db.session.refresh(post)


def restore_post(moderator, post: Post) -> None:
    """Undo a hide or an author's removal: moderators can bring back any post, but not their
    own once another moderator hid it (undoing their own removal judges nobody)."""
    if refusal := moderator_refusal(moderator, utcnow()):
        raise Forbidden(refusal)
    if post.hidden_at is not None and (refusal := own_flags_refusal(moderator, post_concerns(post))):
        raise DomainError(refusal)
    undone = "hidden" if post.hidden_at else "removed by its author"
    done = db.session.execute(update(Post).where(
        Post.id == post.id, (Post.hidden_at.is_not(None)) | (Post.deleted_at.is_not(None))).values(
        hidden_at=None, hidden_by_id=None, hidden_reason="", deleted_at=None)).rowcount
    if not done:
        db.session.rollback()
        raise DomainError("This post is not hidden or removed.")
    thread_changed(post.thread_id)
    # What it was before: "The post was hidden.", after "Restored a post", read as if restoring hid it.
    audit_entry(moderator, "restore", "post", post.id, label=post_label(post), details=f"It had been {undone}.",
                subject_id=post.author_id)
    # They were told it was hidden (or chose to remove it): they learn it shows again.
    had_removed = ", which you had removed," if undone != "hidden" else ""
    notify(post.author, "moderation",
           (f"A moderator brought back {_yours_in_place(post)}{had_removed}: "
            "it shows again where you wrote it."),
           post_link(post), actor=moderator, post=post)
    policy_for(post.thread.kind).after_restore(post)
    db.session.commit()
    db.session.refresh(post)


def _yours_in_place(post: Post) -> str:
    """"your reply in “Highs”": named as the part's pages name it (a response, an idea, a message),
    as its flagger reads of it; "your post" left one who had written a reply wondering which."""
    return f"your {policy_for(post.thread.kind).name_of_post(post)} in “{isolate(post.thread.title)}”"


def toggle_reaction(user, post: Post, kind: str) -> tuple[bool, int]:
    """Add the reaction, or take it back if it is there; returns (active, count of this kind)."""
    refusal = permissions.reaction_refusal(user, post, kind)
    if refusal:
        # An unknown kind is a bad request; a known one refused is a permission matter.
        raise (DomainError if kind not in REACTION_KINDS else Forbidden)(refusal)
    removed = db.session.execute(delete(Reaction).where(
        Reaction.post_id == post.id, Reaction.user_id == user.id, Reaction.kind == kind)).rowcount
    if removed:
        # A bulk delete, which the session never sees: the thread's kept pages are told
        # here (the thread's row before the post's, in the order a new reply takes them).
        thread_changed(post.thread_id)
        db.session.execute(update(Post).where(Post.id == post.id).values(reaction_count=Post.reaction_count - 1))
        take_back_from_notice(user, post)
        active = False
    else:
        rate_limits.hit(("reaction", user.id))
        db.session.add(Reaction(post_id=post.id, user_id=user.id, kind=kind))
        try:
            db.session.flush()
        except IntegrityError:
            # A double click landed twice: the reaction is there once, which is what was meant.
            db.session.rollback()
            return True, _count_of(post, kind)
        db.session.execute(update(Post).where(Post.id == post.id).values(reaction_count=Post.reaction_count + 1))
        if not _blocking(user, [post.author]):
            tell_author_of_reaction(user, post)
        active = True
    db.session.commit()
    return active, _count_of(post, kind)


def _count_of(post: Post, kind: str) -> int:
    return db.session.scalar(select(func.count(Reaction.id)).where(
        Reaction.post_id == post.id, Reaction.kind == kind)) or 0
