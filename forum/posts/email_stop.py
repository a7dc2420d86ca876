"""Links in notification emails that stop that kind of email without signing in.

Read on a phone where nobody is signed in, "untick it in your settings" asked for a
password the reader may not remember, to stop mail they no longer want. The link names
the person and the kind, signed with the secret key, so it stops only what its email was
about; it does not expire, as the emails it is in stay in inboxes. Opening it asks first
(a button, with the page's CSRF token): a mail scanner that follows links stops nothing."""
from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import delete, select

from forum.extensions import db
from forum.models.posts import EmailPreference

_SALT = "stop-emails"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)


def stop_token(user_id: int, kind: str) -> str:
    return _signer().dumps([user_id, kind])


def read_stop_token(token: str) -> tuple[int, str] | None:
    """(user id, kind) that a stop link names, or None for a link altered or cut short."""
    try:
        user_id, kind = _signer().loads(token)
    except (BadData, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    return user_id, kind


def still_emailed(user_id: int, kind: str) -> bool:
    return db.session.scalar(select(EmailPreference.user_id).where(
        EmailPreference.user_id == user_id, EmailPreference.kind == kind)) is not None


def stop_emails(user_id: int, kind: str) -> None:
    """No more emails of `kind` for the person; a second press changes nothing."""
    db.session.execute(delete(EmailPreference).where(EmailPreference.user_id == user_id,
                                                     EmailPreference.kind == kind))
    db.session.commit()
