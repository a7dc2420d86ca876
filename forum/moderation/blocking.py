"""Blocking: the blocker hears nothing from the blocked person (mentions, replies,
reactions, mentorship requests) and sees their posts folded away. The blocked person is
not told: nothing they can see changes."""
from flask import g
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError

from forum.accounts.permissions import is_signed_in
from forum.errors import Forbidden
from forum.extensions import db
from forum.models.accounts import User
from forum.models.moderation import Block, blocked_ids_of
from forum.moderation.permissions import can_block


def block(blocker, blocked: User) -> bool:
    """Block `blocked`; False when they were blocked already."""
    if not can_block(blocker, blocked):
        raise Forbidden("You can't block this person.")
    db.session.add(Block(blocker_id=blocker.id, blocked_id=blocked.id))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def unblock(blocker, blocked: User) -> None:
    db.session.execute(delete(Block).where(Block.blocker_id == blocker.id, Block.blocked_id == blocked.id))
    db.session.commit()


def blocked_people(blocker):
    """Select the blocks `blocker` made, newest first (the blocked person joined)."""
    return select(Block).where(Block.blocker_id == blocker.id).order_by(Block.created_at.desc(), Block.id.desc())


def blocked_count(blocker) -> int:
    return db.session.scalar(select(func.count(Block.id)).where(Block.blocker_id == blocker.id)) or 0


# Every page of posts asks it: made once, the reader bound when it runs.
_VIEWER_BLOCKED_IDS = blocked_ids_of(bindparam("viewer_id"))


def viewer_blocked_ids(user) -> frozenset[int]:
    """Ids the viewer blocked, loaded once per request however many posts a page shows."""
    if not is_signed_in(user):
        return frozenset()
    if "blocked_ids" not in g:
        g.blocked_ids = frozenset(db.session.scalars(_VIEWER_BLOCKED_IDS, {"viewer_id": user.id}))
    return g.blocked_ids
