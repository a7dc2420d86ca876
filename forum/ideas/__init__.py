"""Calls for ideas: ideas are posts of the engine; this part adds phases, statuses and the shortlist."""
from flask import Blueprint

from forum.accounts.permissions import is_staff
from forum.ideas.policy import IdeaCallPolicy
from forum.models.ideas import CALL_KIND
from forum.posts.notifications import register_notification_kind
from forum.posts.policies import register_policy

bp = Blueprint("ideas", __name__, url_prefix="/ideas")

register_policy(CALL_KIND, IdeaCallPolicy())
register_notification_kind("idea_phase", "A call for ideas you took part in moves to a new phase")
register_notification_kind("idea_status", "Staff change the status of your idea")
register_notification_kind("idea_merged", "An idea you supported is merged into another")
# Staff set statuses and merge (permissions.can_set_status): only they are told of an idea removed.
register_notification_kind("idea_removed", "The author removes an idea you put on the shortlist or merged another into",
                           offered_to=is_staff)

from forum.ideas import views  # noqa: E402,F401
