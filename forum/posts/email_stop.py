"""Links in notification emails that stop that kind of email without signing in.

Read on a phone where nobody is signed in, "untick it in your settings" asked for a
password the reader may not remember, to stop mail they no longer want. The link names
the person and the kind, signed with the secret key, so it stops only what its email was
about; it does not expire, as the emails it is in stay in inboxes. Opening it asks first
(a button, with the page's CSRF token): a mail scanner that follows links stops nothing.

Mail apps' own Unsubscribe button (Gmail, Yahoo) is one click (RFC 8058): the provider
POSTs `List-Unsubscribe=One-Click` to the link, with no cookies and no page's token, and
expects it done. That body, which no scanner sends, is the only POST the link takes
without a token: the signature says whose emails and which, so a forged one stops nothing."""
from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import delete, select

from forum.extensions import db
from forum.models.posts import EmailPreference

_SALT = "stop-emails"
ONE_CLICK_FIELD, ONE_CLICK_VALUE = "List-Unsubscribe", "One-Click"


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt=_SALT)


def stop_token(user_id: int, kind: str) -> str:
    return _signer().dumps([user_id, kind])


def unsubscribe_headers(stop_url: str) -> dict[str, str]:
    """The headers of an email its stop link stops: with the second, providers that want
    one-click unsubscribing from bulk mail show their button and file it less as spam."""
    return {"List-Unsubscribe": f"<{stop_url}>", "List-Unsubscribe-Post": f"{ONE_CLICK_FIELD}={ONE_CLICK_VALUE}"}


def is_one_click(form) -> bool:
    """Whether a POST to a stop link is a mail provider's one-click unsubscribe (RFC 8058)."""
    return form.get(ONE_CLICK_FIELD) == ONE_CLICK_VALUE


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
