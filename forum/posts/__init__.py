from flask import Blueprint

bp = Blueprint("posts", __name__)

from forum.posts import views  # noqa: E402,F401
from forum.posts import notification_views  # noqa: E402,F401
from forum.posts import mention_suggestions  # noqa: E402,F401
