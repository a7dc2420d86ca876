"""Joining through the site: the account is made when the emailed link is opened.

Why a link: if the form created the account at once, its answer would differ for an
address that already has one (signed in, or refused), and anyone could learn who is a
member by typing addresses. Instead every accepted form answers "check your inbox".
A new address gets a link that finishes joining; an address with an account gets a
note that someone tried to join with it, with a way to reset the password. Only the
owner of the address learns which it was.
"""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from forum import rate_limits
from forum.accounts.passwords import hash_password
from forum.accounts.names import clean_display_name
from forum.accounts.services import create_user, display_name_problems, new_account_problems
from forum.clock import utcnow
from forum.errors import DomainError, refuse_any
from forum.extensions import db
from forum.links import path_for, site_url
from forum.mail import send_mail
from forum.models.accounts import PendingRegistration, User
from forum.text.bidi import isolate

LINK_LIFETIME = timedelta(hours=24)
INVALID_LINK = ("This link has expired or was already used. If you finished joining with it, sign in; "
                "if not, please fill in the form again.")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_registration(*, username: str, email: str, password: str, age_group: str,
                       display_name: str = "", address: str | None = None) -> str:
    """Check the form and email the address; the answer is the same whoever owns it.
    Returns the address as it was mailed to."""
    username = username.strip()
    email = email.strip().lower()
    limit = ("register_address", address or "unknown")
    rate_limits.refuse_if_limited(limit)
    refuse_any(registration_problems(username=username, password=password, age_group=age_group,
                                     display_name=display_name))
    display_name = clean_display_name(display_name)
    # Hashed whichever branch follows, so both take as long.
    password_hash = hash_password(password)
    db.session.execute(delete(PendingRegistration).where(PendingRegistration.created_at < utcnow() - LINK_LIFETIME))
    owner = db.session.scalar(select(User).where(User.email == email))
    token = secrets.token_urlsafe(32)
    if owner is None:
        db.session.add(PendingRegistration(token_hash=_hash(token), username=username, email=email,
                                           display_name=display_name, age_group=age_group,
                                           password_hash=password_hash, created_at=utcnow()))
    db.session.commit()
    rate_limits.count(limit)
    if owner is None:
        _send_link(email, username, token)
    else:
        _send_already_registered(owner)
    return email


def registration_problems(*, username: str, password: str, age_group: str, display_name: str) -> list[DomainError]:
    """Every rule of the forum's the form's values break, each naming its field."""
    problems = new_account_problems(username=username.strip(), password=password, age_group=age_group)
    if display_name := clean_display_name(display_name):
        problems += display_name_problems(display_name)
    return problems


def send_link_again(email: str) -> bool:
    """A fresh link for a registration still waiting on `email`, if there is one (asked for
    through the password reset form, which answers the same either way); the old link stops
    working. Whether there was one."""
    pending = db.session.scalar(select(PendingRegistration).where(
        PendingRegistration.email == email.strip().lower(), PendingRegistration.created_at >= utcnow() - LINK_LIFETIME)
        .order_by(PendingRegistration.created_at.desc(), PendingRegistration.id.desc()).limit(1))
    if pending is None:
        return False
    token = secrets.token_urlsafe(32)
    pending.token_hash = _hash(token)
    db.session.commit()
    _send_link(pending.email, pending.username, token)
    return True


def _send_link(email: str, username: str, token: str) -> None:
    link = site_url(path_for("accounts.confirm_registration", token=token))
    hours = int(LINK_LIFETIME.total_seconds() // 3600)
    send_mail(email, "Finish joining the forum",
              f"Hello,\n\nTo finish creating your account @{username}, open this link within {hours} hours:\n\n"
              f"{link}\n\nIf you did not ask to join, ignore this message: no account is made.\n")


def _send_already_registered(owner: User) -> None:
    reset = site_url(path_for("accounts.reset_request"))
    sign_in = site_url(path_for("accounts.login"))
    send_mail(owner.email, "Someone tried to join with your address",
              f"Hello {isolate(owner.display_name)},\n\nSomeone, maybe you, tried to create a new account with this "
              f"email address. You already have an account here: your username is @{owner.username}.\n\n"
              f"Sign in: {sign_in}\nForgot your password? Choose a new one: {reset}\n\n"
              "If it was not you, nothing has changed and you can ignore this message.\n")


def pending_registration(token: str) -> PendingRegistration:
    pending = db.session.scalar(select(PendingRegistration).where(PendingRegistration.token_hash == _hash(token)))
    if pending is None or pending.created_at < utcnow() - LINK_LIFETIME:
        raise DomainError(INVALID_LINK)
    return pending


def finish_registration(token: str) -> User:
    """Create the account the link stands for; every other link for the address stops working."""
    pending = pending_registration(token)
    db.session.execute(delete(PendingRegistration).where(PendingRegistration.email == pending.email))
    try:
        return create_user(username=pending.username, email=pending.email, password_hash=pending.password_hash,
                           age_group=pending.age_group, display_name=pending.display_name)
    except DomainError as error:
        db.session.rollback()
        raise DomainError(f"{error.message} Someone finished joining with it first; "
                          "please fill in the form again with another.") from None
