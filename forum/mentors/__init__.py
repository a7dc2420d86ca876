"""The mentor page: directory, profiles, mentorship requests, conversations and reviews."""
from flask import Blueprint

from forum.mentors.permissions import is_mentor, takes_part_in_mentoring
from forum.mentors.policy import ConversationPolicy
from forum.posts.notifications import NOTIFICATION_KINDS, register_notification_kind
from forum.posts.policies import register_policy

bp = Blueprint("mentors", __name__, url_prefix="/mentors")

register_policy("conversation", ConversationPolicy())
register_notification_kind("mentorship", "Mentorship requests, answers and conversation messages",
                           offered_to=takes_part_in_mentoring)
register_notification_kind("mentor_review", "Reviews of your mentoring, and replies to your reviews",
                           offered_to=takes_part_in_mentoring,
                           label_for=lambda user: NOTIFICATION_KINDS["mentor_review"] if is_mentor(user)
                           else "Replies to your reviews of your mentors")

from forum.mentors import endings, teen_approval, views, request_views, review_views  # noqa: E402,F401
