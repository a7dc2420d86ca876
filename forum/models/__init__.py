"""All models, imported here so Alembic and the app see one complete metadata."""
from forum.models.accounts import AGE_GROUPS, ROLE_NAMES, Badge, PendingRegistration, Role, User, UserBadge
from forum.models.ideas import IdeaCall, IdeaStatus  # noqa: F401
from forum.models.moderation import AuditEntry, Block, Flag, Suspension
from forum.models.posts import (
    AUDIENCES, REACTION_KINDS, EmailDigest, EmailPreference, Mention, Notification, Post, PostRevision,
    Reaction, Thread, ThreadMember,
)
from forum.models import training  # noqa: F401  (programs, discussions, enrolments)
from forum.models import mentors  # noqa: F401  (the mentor page tables)

# Every id is an `integer` column: on PostgreSQL, a number past this fails the query
# ("integer out of range") instead of matching nothing, so it can name no row.
LARGEST_ID = 2**31 - 1

__all__ = [
    "AGE_GROUPS", "LARGEST_ID", "AUDIENCES", "REACTION_KINDS", "ROLE_NAMES", "Badge", "EmailDigest", "EmailPreference",
    "Mention", "Notification", "Post", "PostRevision", "Reaction", "Role", "Thread",
    "ThreadMember", "User", "UserBadge",
    "AuditEntry", "Block", "Flag", "PendingRegistration", "Suspension",
]
