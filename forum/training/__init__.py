"""Training programs: ordered discussions with required responses and peer replies."""
from flask import Blueprint

from forum.posts.policies import register_policy
from forum.training.discussion_authoring import THREAD_KIND
from forum.training.policy import DiscussionPolicy

bp = Blueprint("training", __name__)
register_policy(THREAD_KIND, DiscussionPolicy())

from forum.training import age_groups, badge_locks, views, trainer_views  # noqa: E402,F401  (routes register on import)
