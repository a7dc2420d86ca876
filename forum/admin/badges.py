"""Making badges on the admin page: accounts' rules (staff.create_badge), and one name per badge.

The Award list and people's profiles show badges by name: two badges with one name would
read as the same badge, and an admin could give the wrong one."""
from sqlalchemy import select

from forum.accounts import staff
from forum.errors import DomainError
from forum.extensions import db
from forum.models.accounts import Badge, User


def create_badge(*, slug: str, name: str, description: str, icon: str, by: User) -> Badge:
    staff.refuse_unless_acting_admin(by)  # a suspended admin hears that first, as before
    if _name_taken(name):
        raise DomainError("A badge with that name exists already.", "name")
    return staff.create_badge(slug=slug, name=name, description=description, icon=icon, by=by)


def _name_taken(name: str) -> bool:
    # Compared in Python: SQLite's lower() folds only ASCII letters, and badges are few.
    wanted = name.strip().casefold()
    return any(taken.strip().casefold() == wanted for taken in db.session.scalars(select(Badge.name)))
