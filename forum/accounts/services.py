"""Account rules: registration, sign-in, password reset, profile and settings."""
import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum import rate_limits
from forum.accounts.names import clean_display_name, display_name_problem, name_key, username_problem
from forum.accounts.permissions import is_staff, profile_edit_refusal
from forum.accounts.passwords import hash_password, password_matches, password_problem
from forum.clock import utcnow
from forum.errors import DomainError, Forbidden, refuse_any
from forum.extensions import db
from forum.links import path_for, site_url
from forum.local_time import is_time_zone
from forum.mail import send_mail
from forum.models.accounts import AGE_GROUPS, PendingRegistration, Role, User, user_by_login, user_roles, username_taken
from forum.text import render_markdown
from forum.text.bidi import isolate
from forum.text.typed import typed_text

RESET_SALT = "password-reset"
# last_seen is written at most this often, so reading pages does not mean writing rows.
LAST_SEEN_RESOLUTION_SECONDS = 60
BIO_LIMIT = 5000


def new_account_problems(*, username: str, password: str, age_group: str) -> list[DomainError]:
    """Every reason a new account may not have this username, password or age group."""
    problems = []
    if problem := username_problem(username):
        problems.append(DomainError(problem, "username"))
    # Usernames are public (every profile shows one), so saying it is taken reveals nothing.
    elif username_taken(username):
        problems.append(DomainError("That username is taken.", "username"))
    if age_group not in AGE_GROUPS:
        problems.append(DomainError("Choose whether you are a teen or an adult.", "age_group"))
    if problem := password_problem(password):
        problems.append(DomainError(problem, "password"))
    return problems


def check_new_account(*, username: str, password: str, age_group: str) -> None:
    """Refuse a username, password or age group a new account may not have."""
    refuse_any(new_account_problems(username=username, password=password, age_group=age_group))


def register_user(*, username: str, email: str, password: str, age_group: str,
                  display_name: str = "", roles=("member",)) -> User:
    """Create an account at once: for the command line, the demo and tests. People joining
    through the site go through `forum.accounts.registration` and an email link."""
    username = username.strip()
    check_new_account(username=username, password=password, age_group=age_group)
    return create_user(username=username, email=email, password_hash=hash_password(password),
                       age_group=age_group, display_name=display_name, roles=roles)


def create_user(*, username: str, email: str, password_hash: str, age_group: str,
                display_name: str = "", roles=("member",)) -> User:
    username = username.strip()
    email = email.strip().lower()
    if username_taken(username):
        raise DomainError("That username is taken.", "username")
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        # Registration must not reveal whose address is here; the message says only
        # that this address cannot be used, as it would for any refusal.
        raise DomainError("That email address can't be used for a new account.", "email")
    user = User(
        username=username,
        username_key=username.lower(),
        email=email,
        password_hash=password_hash,
        display_name=clean_display_name(display_name) or username,
        age_group=age_group,
        last_seen_at=utcnow(),
    )
    user.roles = [ensure_role(name) for name in roles]
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        # Two people registering the same name at the same moment.
        db.session.rollback()
        raise DomainError("That username or email is taken.", "username") from None
    return user


def ensure_role(name: str) -> Role:
    role = db.session.scalar(select(Role).where(Role.name == name))
    if role is None:
        role = Role(name=name)
        db.session.add(role)
        db.session.flush()
    return role


def authenticate(login: str, password: str, *, address: str | None = None) -> User:
    """The user with this login and password. Failed attempts count against the sign-in
    limits of the account and of the address it came from; a limited attempt is refused
    before the password is even checked."""
    user = db.session.scalar(user_by_login(login)) if login.strip() else None
    limits = [("sign_in_account", f"user:{user.id}" if user else f"login:{login}")]
    if address:
        limits.append(("sign_in_address", address))
    rate_limits.refuse_if_limited(*limits, field="login")
    pending = _pending_registration_for(login) if user is None and login.strip() else None
    # Check a password even when there is no such account, so the answer takes as long.
    known_hash = user.password_hash if user else pending.password_hash if pending else _unknown_account_hash()
    matches = password_matches(known_hash, password)
    if pending is not None and matches:
        # Only someone who knows the password chosen on the form learns that joining waits.
        raise DomainError(NOT_JOINED_YET, "login")
    if user is None or not matches or user.closed_at is not None:
        rate_limits.count(*limits)
        raise DomainError("That username or password is not right.", "login")
    return user


NOT_JOINED_YET = ("You haven't finished joining yet: open the link we emailed you to create your account. "
                  "If it has expired or never came, please fill in the join form again.")


def _pending_registration_for(login: str) -> PendingRegistration | None:
    """The newest registration waiting for its email link under this username or address."""
    key = login.strip().lower()
    return db.session.scalar(select(PendingRegistration).where(
        (func.lower(PendingRegistration.username) == key.removeprefix("@")) | (PendingRegistration.email == key))
        .order_by(PendingRegistration.created_at.desc(), PendingRegistration.id.desc()).limit(1))


_UNKNOWN_ACCOUNT_HASHES: dict[str, str] = {}


def _unknown_account_hash() -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _UNKNOWN_ACCOUNT_HASHES:
        _UNKNOWN_ACCOUNT_HASHES[method] = hash_password("no account has this password")
    return _UNKNOWN_ACCOUNT_HASHES[method]


def touch_last_seen(user: User) -> None:
    now = utcnow()
    if user.last_seen_at and (now - user.last_seen_at).total_seconds() < LAST_SEEN_RESOLUTION_SECONDS:
        return
    user.last_seen_at = now
    db.session.commit()


def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT)


def _reset_fingerprint(user: User) -> str:
    # The token is bound to the current hash: once the password changes, every older
    # link stops working, which makes each link single-use. And to the address it was
    # mailed to: once that changes, links lying in the old inbox stop working too. A
    # digest, since the token is only signed, not secret, and must not carry the hash.
    return hashlib.sha256(f"{user.password_hash}\n{user.email}".encode()).hexdigest()[:16]


def make_reset_token(user: User, secret_key: str) -> str:
    return _reset_serializer(secret_key).dumps([user.id, _reset_fingerprint(user)])


def user_for_reset_token(token: str, secret_key: str, max_age: int) -> User:
    invalid = DomainError("This reset link has expired or was already used. Ask for a new one.")
    try:
        user_id, fingerprint = _reset_serializer(secret_key).loads(token, max_age=max_age)
    except SignatureExpired:
        raise DomainError("This reset link has expired. Ask for a new one below.") from None
    except (BadSignature, ValueError, TypeError):
        raise invalid from None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or _reset_fingerprint(user) != fingerprint:
        raise invalid
    return user


def count_reset_request(email: str, *, address: str | None) -> None:
    """Count a reset link asked for `email` (whoever owns it) from `address`, refusing
    when either has had too many."""
    rate_limits.hit(("reset_email", inbox_of(email)), ("reset_address", address or "unknown"), field="email")


def inbox_of(email: str) -> str:
    """The inbox `email` delivers to, as far as a stranger could spell it otherwise: in small
    letters, without a +sub-address (ana+1@ reaches ana@) and with the domain in its ASCII
    (xn--) spelling. Every address is mailed now, so a limit per spelling let ana+1@, ana+2@ …
    each send ana@'s inbox three messages an hour."""
    local, _, domain = email.strip().lower().rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:  # not a name the codec knows how to spell: as typed
        pass
    return f"{local.split('+', 1)[0] or local}@{domain}"


def find_user_for_reset(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def set_new_password(user: User, password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise DomainError(problem, "password")
    user.password_hash = hash_password(password)
    # A new password ends every session that knew the old one.
    user.session_epoch += 1
    db.session.commit()
    # And makes every guess at the old one worthless: a stranger's guesses no longer keep
    # the owner, who proved the inbox or the password is theirs, from signing in.
    account = f"user:{user.id}"
    rate_limits.clear(("sign_in_account", account), ("current_password", account))
    # As an email change and a closing are told: changed from a session left open, or
    # with a reset link from a read inbox, it locks the owner out without a word otherwise.
    send_mail(user.email, "Your password was changed",
              f"Hello {isolate(user.display_name)},\n\nThe password of your account @{user.username} was changed, "
              "and every other device signed in to it was signed out.\n\nIf it was not you, choose a new "
              f"password with a link sent to this address: {site_url(path_for('accounts.reset_request'))}\n"
              "Then tell the people who run this forum.\n")


def check_current_password(user: User, password: str, *, message: str, field: str) -> None:
    """Refuse a wrong password from someone signed in as `user` (the settings forms ask for
    it). Wrong ones count against a limit like sign-in's, kept apart from it: a session
    left open is no way to guess the password without end, and strangers failing to sign
    in do not stop the owner changing a password they fear is known. Right ones count nothing."""
    limit = ("current_password", f"user:{user.id}")
    rate_limits.refuse_if_limited(limit, field=field)
    if not password_matches(user.password_hash, password):
        rate_limits.count(limit)
        raise DomainError(message, field)


def end_every_session(user: User) -> None:
    """Sign `user` out everywhere: every session and every "keep me signed in" cookie
    carries the epoch it was made in, and one made before this no longer signs anyone in
    (forum/accounts/session.py). The way to end a session on a lost phone, or one a copied
    cookie opened; the caller signs the current one in again."""
    user.session_epoch += 1
    db.session.commit()


def change_password(user: User, current: str, new: str) -> None:
    problems = new_password_problems(new)  # told with a wrong current one, not one per try
    try:
        check_current_password(user, current, message="Your current password is not right.", field="current_password")
    except rate_limits.RateLimited:
        raise
    except DomainError as wrong:
        problems.insert(0, wrong)
    refuse_any(problems)
    if new == current:
        # Taken as a change, it signed out every other device and mailed a warning for nothing.
        raise DomainError("That is your current password: choose a new one.", "password")
    set_new_password(user, new)


def new_password_problems(password: str) -> list[DomainError]:
    problem = password_problem(password)
    return [DomainError(problem, "password")] if problem else []


STAFF_ROLES = ("moderator", "admin")


def check_display_name(name: str, owner: User | None = None) -> None:
    """Refuse a display name that would pass `owner` (None: someone joining) off as staff."""
    refuse_any(display_name_problems(name, owner))


def display_name_problems(name: str, owner: User | None = None) -> list[DomainError]:
    staff = (select(User.display_name, User.username).join(user_roles, user_roles.c.user_id == User.id)
             .join(Role, Role.id == user_roles.c.role_id).where(Role.name.in_(STAFF_ROLES)))
    if owner is not None:
        staff = staff.where(User.id != owner.id)
    staff_names = {name_key(value) for row in db.session.execute(staff) for value in row}
    problem = display_name_problem(name, staff=owner is not None and is_staff(owner), staff_names=staff_names)
    return [DomainError(problem, "display_name")] if problem else []


def update_profile(user: User, *, display_name: str, bio_md: str) -> None:
    if refusal := profile_edit_refusal(user, user, utcnow()):
        raise Forbidden(refusal)
    name = clean_display_name(display_name)
    if not name:
        raise DomainError("Your display name can't be empty.", "display_name")
    check_display_name(name, user)
    bio_md = typed_text(bio_md)
    if len(bio_md) > BIO_LIMIT:
        raise DomainError(f"Keep your bio to {BIO_LIMIT:,} characters or fewer (this is {len(bio_md):,}).", "bio")
    user.display_name = name[:50]
    user.bio_md = bio_md
    user.bio_html = render_markdown(bio_md)
    db.session.commit()


def set_time_zone(user: User, name: str) -> None:
    """The zone `user` reads every time in. A suspended person may change it: it is how
    they read, not taking part."""
    if not is_time_zone(name):
        raise DomainError("Choose your time zone from the list.", "time_zone")
    user.time_zone = name
    db.session.commit()
