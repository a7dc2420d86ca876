"""Full-text search over what a reader may see: posts, calls for ideas, mentor profiles."""
from flask import Blueprint

bp = Blueprint("search", __name__, url_prefix="/search")

from forum.search import views  # noqa: E402,F401  (routes register on import)
