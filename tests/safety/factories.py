"""Things the safety tests make, through the same services the app uses."""
import re

from sqlalchemy import select

from forum.extensions import db
from forum.models.mentors import Review
from forum.models.moderation import Block, Flag
from forum.models.posts import Post
from forum.moderation import services
from forum.moderation.blocking import block
from forum.moderation.flags import create_flag
from tests.factories import make_user


def make_flag(reporter, target, reason: str = "This looks unkind.", *, urgent: bool = False) -> Flag:
    """Flag a post, a review of a mentor, or a person's profile, as `reporter`; `urgent`:
    ticking "Someone may be in danger"."""
    kind = {Post: "post", Review: "review"}.get(type(target), "profile")
    return create_flag(reporter, kind, target.id, reason, urgent=urgent)


def make_block(blocker, blocked) -> Block:
    block(blocker, blocked)
    return db.session.scalar(select(Block).where(Block.blocker_id == blocker.id, Block.blocked_id == blocked.id))


def make_moderator(username: str = "moss"):
    return make_user(username, role=("listener", "moderator"))


def suspend(user, *, by=None, days: int = 3, reason: str = "Cooling off after a heated thread."):
    return services.suspend(by or make_moderator("suspender"), user, days=days, reason=reason)


def change_age_group(client, username: str, age_group: str, reason: str, **kwargs):
    """As the signed-in moderator: move someone to `age_group`, changing again when the page
    first comes back naming what the move ends (mentorships); the last response."""
    path, sent = f"/mod/users/{username}/age-group", {"age_group": age_group, "reason": reason}
    response = client.submit(path, sent, **kwargs)
    asked = re.search(r'name="ending" type="hidden" value="([^"]+)"', response.page)
    if response.status_code == 200 and asked:
        response = client.submit(path, {**sent, "ending": asked.group(1)}, **kwargs)
    return response
