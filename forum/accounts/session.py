"""Flask-Login wiring: load the user from the session, keep `last seen` fresh, and send
whoever needs an account to sign in."""
from functools import wraps
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, lazyload
from sqlalchemy.orm.attributes import set_committed_value

from forum.accounts.forms import LoginForm
from forum.accounts.redirects import safe_next
from forum.accounts.services import touch_last_seen
from forum.extensions import db, login_manager
from forum.models.accounts import Role, User, user_roles

# Every request reads the signed-in user's badges (spaces they unlock, the header): joined
# into the query that loads the user rather than a statement of their own. Not roles:
# joining through user_roles makes SQLite build the whole join before picking the user.
WITH_BADGES = joinedload(User.badges)
ROLES_LATER = lazyload(User.roles)
# The roles come from a statement made once, set as the loaded collection: the
# relationship's own select-in load took 0.24 ms of the 1 ms every request pays (most of
# it SQLAlchemy working out the load, not the database); this takes 0.1 ms.
ROLES_OF_USER = (select(Role).join(user_roles, user_roles.c.role_id == Role.id)
                 .where(user_roles.c.user_id == bindparam("user_id")).order_by(Role.name))


@login_manager.user_loader
def load_user(session_id: str):
    # The id is "<user id>:<session epoch>"; an old epoch means the session was ended.
    user_id, _, epoch = session_id.partition(":")
    if not user_id.isdigit() or not epoch.isdigit():
        return None
    user = db.session.get(User, int(user_id), options=(WITH_BADGES, ROLES_LATER))
    if user is None or user.session_epoch != int(epoch) or user.closed_at is not None:
        return None
    set_committed_value(user, "roles", list(db.session.scalars(ROLES_OF_USER, {"user_id": user.id})))
    return user


SIGN_IN_TO_SEE = "Please sign in to see that page."
SIGNED_OUT_BEFORE_SENDING = ("You were signed out before that was sent, so nothing was sent. "
                             "Sign in, then send it again.")


@login_manager.unauthorized_handler
def sign_in_first():
    """To the sign-in page, and back afterwards to where they were.

    A page asked for is where they go back to. A form sent by someone no longer signed in
    (signed out in another tab, suspended, the session ran out) was sent to an address that
    only takes forms: sent back there, they would meet "That isn't allowed on this page".
    They go back to the page the form was on, where the browser keeps what they typed
    until a send goes through (static/js/forum.js)."""
    if request.method in ("GET", "HEAD"):
        flash(SIGN_IN_TO_SEE, "info")
        return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
    flash(SIGNED_OUT_BEFORE_SENDING, "info")
    return redirect(url_for("accounts.login", next=_page_sent_from()))


def keeps_text_when_signed_out(field: str):
    """For a form with a box whose text nothing else keeps without JavaScript (the bio): sent
    by someone signed out meanwhile, the sign-in page comes back with that text under it,
    read-only to copy (`kept_text`), rather than a redirect that dropped it. Signing in there
    leads back to the form, as from `sign_in_first`.

    Only for a form sent from one of the forum's own pages (its Origin, or its Referer, which
    the forum's Referrer-Policy sends only to itself): a form on another site must not get
    words of its choosing shown on the forum's sign-in page."""
    def decorator(view):
        @wraps(view)
        def keeping(*args, **kwargs):
            text = request.form.get(field, "") if request.method == "POST" else ""
            if not text.strip() or current_user.is_authenticated or not _sent_from_this_site():
                return view(*args, **kwargs)
            flash(SIGNED_OUT_BEFORE_SENDING, "info")
            return render_template("accounts/login.html", form=LoginForm(formdata=None), kept=text,
                                   action=url_for("accounts.login", next=_page_sent_from())), 401
        return keeping
    return decorator


def _sent_from_this_site() -> bool:
    return urlsplit(request.headers.get("Origin") or request.referrer or "").netloc == request.host


def _page_sent_from() -> str:
    """The path of the forum page the request came from (its Referer), or the home page."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return url_for("home.index")
    page = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return safe_next(page, url_for("home.index"))


def configure_sessions(app) -> None:
    @app.before_request
    def remember_activity():
        if current_user.is_authenticated:
            touch_last_seen(current_user)
