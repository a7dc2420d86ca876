"""Flask-Login wiring: load the user from the session, and keep `last seen` fresh."""
from flask_login import current_user
from sqlalchemy.orm import joinedload

from forum.accounts.services import touch_last_seen
from forum.extensions import db, login_manager
from forum.models.accounts import User

# Every request reads the signed-in user's badges (spaces they unlock, the header): joined
# into the query that loads the user rather than a statement of their own. (Not roles:
# joining through user_roles makes SQLite build the whole join before picking the user.)
WITH_BADGES = joinedload(User.badges)


@login_manager.user_loader
def load_user(session_id: str):
    # The id is "<user id>:<session epoch>"; an old epoch means the session was ended.
    user_id, _, epoch = session_id.partition(":")
    if not user_id.isdigit() or not epoch.isdigit():
        return None
    user = db.session.get(User, int(user_id), options=(WITH_BADGES,))
    if user is None or user.session_epoch != int(epoch):
        return None
    return user


def configure_sessions(app) -> None:
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.login_message_category = "info"

    @app.before_request
    def remember_activity():
        if current_user.is_authenticated:
            touch_last_seen(current_user)
