"""Safety: flags and the moderators' queue, the audit log, suspensions, blocking, and
the guards every response passes through (security headers, hostile URLs).

For other parts:
- `forum.accounts.permissions.suspension_refusal(user, now)`: ask it before any write
  (requests, reviews); it says why and until when, or None.
- `forum.moderation.permissions.is_blocked(blocker, blocked)`: e.g. a mentor who blocked
  someone gets no mentorship requests from them.
- `forum.moderation.flags.register_flag_target("review", loader)`: make reviews flaggable.
- `forum.moderation.services.register_age_group_hook(hook)`: end what a move between the
  teen and adult groups puts across the line (mentorships), in the same transaction; with
  `hint=`, say so under the moderator's form to those it could apply to.
- `forum.moderation.audit.register_audit_action(name, label)` and
  `forum.models.moderation.audit_entry(...)`: log staff actions of your own; pass
  `subject_id` (the author) when acting on what someone wrote, so the entry stays in that
  person's history on their moderation page.
- `forum.rate_limits.hit(("thread", user.id))` where people start threads.
"""
from flask import Blueprint

bp = Blueprint("moderation", __name__)

from forum.moderation import guards, member_views, user_views, views  # noqa: E402,F401
