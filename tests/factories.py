"""Plain functions that make things for tests, through the same services the app uses, and
read back what people were told."""
import itertools

from sqlalchemy import select

from forum.accounts import services, staff
from forum.extensions import db
from forum.models.accounts import User
from forum.models.posts import Notification

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def make_user(username: str | None = None, *, role: str | tuple = "member", age_group: str = "adult",
              email: str | None = None, display_name: str = "") -> User:
    number = next(_numbers)
    username = username or f"person{number}"
    roles = (role,) if isinstance(role, str) else tuple(role)
    if "member" not in roles:
        roles = ("member", *roles)
    return services.register_user(
        username=username, email=email or f"{username.lower()}@example.org", password=PASSWORD,
        age_group=age_group, display_name=display_name or username.capitalize(), roles=roles,
    )


def make_badge(slug: str = "trained", name: str = "Trained", **kwargs):
    return staff.create_badge(slug=slug, name=name, **kwargs)


def make_thread(title: str = "A place to talk", *, kind: str = "general", author=None, **kwargs):
    from forum.extensions import db
    from forum.posts.services import new_thread

    thread = new_thread(kind=kind, title=title, author=author, **kwargs)
    db.session.commit()
    return thread


def make_post(author, thread, body: str = "Something worth saying.", parent=None):
    from forum.posts.services import write_post

    return write_post(author, thread, body, parent=parent)


def notifications_of(user) -> list[str]:
    """The messages of `user`'s notifications, oldest first."""
    return list(db.session.scalars(select(Notification.message).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))
