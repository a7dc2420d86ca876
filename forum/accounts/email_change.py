"""Changing the email address: the new address is confirmed by a link mailed to it.

Why a link: if the settings form changed the address at once, it would have to refuse an
address that has an account, and any member could learn who is here by typing addresses
into it, which joining and resetting a password take care not to tell. And a mistyped
address would take effect at once, sending the next reset link where nobody reads it.
Instead every accepted form answers "check the new inbox": a free address gets a link
that makes the change; an address with an account gets a note that someone tried to use
it. Once the change is made, the old address is told.
"""
import hashlib
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum import rate_limits
from forum.accounts.services import check_current_password
from forum.errors import DomainError
from forum.extensions import db
from forum.links import path_for, site_url
from forum.mail import send_mail
from forum.models.accounts import User
from forum.text.bidi import isolate

SALT = "email-change"
LINK_LIFETIME = timedelta(hours=24)
INVALID_LINK = "This link has expired or was already used. Ask for a new one in your settings."


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def _address_digest(email: str) -> str:
    # The link is bound to the address it replaces, so it works once: after the change
    # (or any other), the account's address is no longer that one.
    return hashlib.sha256(email.encode()).hexdigest()[:16]


def start_email_change(user: User, password: str, new_email: str) -> str:
    """Check the password and mail the new address; the answer is the same whoever owns it.
    Returns the address as it will be stored."""
    check_current_password(user, password, message="Your password is not right.", field="password")
    new_email = new_email.strip().lower()
    if new_email == user.email:
        raise DomainError("That is your address already.", "email")
    # Every accepted form mails the address typed: without a limit, a way to flood an inbox.
    rate_limits.hit(("email_change", f"user:{user.id}"), field="email")
    owner = db.session.scalar(select(User).where(User.email == new_email))
    if owner is None:
        token = _serializer().dumps([user.id, _address_digest(user.email), new_email])
        link = site_url(path_for("accounts.confirm_email_change", token=token))
        hours = int(LINK_LIFETIME.total_seconds() // 3600)
        # Named by nothing: the address is not proven theirs yet, and a typo sends this to a
        # stranger, who would learn who belongs to a peer-support forum. Its owner knows.
        send_mail(new_email, "Confirm your new email address",
                  f"Hello,\n\nTo use this address for your account on the forum, "
                  f"open this link within {hours} hours:\n\n{link}\n\n"
                  "If you did not ask for this, ignore this message: nothing changes.\n")
    else:
        send_mail(owner.email, "Someone tried to use your address",
                  f"Hello {isolate(owner.display_name)},\n\nSomeone, maybe you, asked to move another account "
                  f"to this email address. It already belongs to your account @{owner.username}, "
                  "so nothing has changed, and it stays yours.\n")
    return new_email


def email_change_for_token(token: str) -> tuple[User, str]:
    """The account a link is for and the address it would move to."""
    try:
        user_id, old_digest, new_email = _serializer().loads(token, max_age=int(LINK_LIFETIME.total_seconds()))
    except (BadSignature, ValueError, TypeError):  # SignatureExpired too
        raise DomainError(INVALID_LINK) from None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or _address_digest(user.email) != old_digest:
        raise DomainError(INVALID_LINK)
    return user, new_email


def finish_email_change(token: str) -> User:
    """Move the account to the address the link was mailed to, and tell the old address."""
    user, new_email = email_change_for_token(token)
    # Whoever holds the link reads the new inbox, so saying it is taken tells them nothing new.
    taken_first = ("Another account started using that address since the link was sent, "
                   "so it can't be yours as well. Your address is unchanged.")
    if db.session.scalar(select(User.id).where(User.email == new_email)) is not None:
        raise DomainError(taken_first)
    old_email = user.email
    user.email = new_email
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(taken_first) from None
    send_mail(old_email, "Your email address was changed",
              f"Hello {isolate(user.display_name)},\n\nThe email address of your account @{user.username} is now "
              f"{new_email}; password resets and notifications go there from now on.\n\n"
              "If you did not change it, someone knows your password: tell the people who run this forum.\n")
    return user
