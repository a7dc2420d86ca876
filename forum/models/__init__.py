"""All models, imported here so Alembic and the app see one complete metadata."""
from forum.models.accounts import AGE_GROUPS, ROLE_NAMES, Badge, Role, User, UserBadge

__all__ = ["AGE_GROUPS", "ROLE_NAMES", "Badge", "Role", "User", "UserBadge"]
