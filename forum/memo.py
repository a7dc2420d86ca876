"""Answers worked out once per database transaction.

A page of forty posts asks the same questions about its thread for every post: may this
reader see the thread, is the discussion open to them. Each answer is worked out once and
kept here until the transaction ends; a commit or a rollback forgets them all, so what a
request commits is seen by the next question, and nothing outlives the session.
"""
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum.extensions import db

_MEMOS = "memos"


def transaction_memo(name: str) -> dict:
    """The memo called `name` of the current transaction (a dict to read and fill)."""
    memos = db.session.info.get(_MEMOS)
    if memos is None:
        memos = db.session.info[_MEMOS] = {}
    memo = memos.get(name)
    if memo is None:
        memo = memos[name] = {}
    return memo


def forget_all() -> None:
    """Forget every answer before the transaction ends, after a change they may depend on
    (a discussion completed opens the next one, and with it its thread)."""
    db.session.info.pop(_MEMOS, None)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")
def _forget_all_at_transaction_end(session, *args):
    session.info.pop(_MEMOS, None)
