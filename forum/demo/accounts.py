"""Demo people: every role, teens and adults. Names are invented."""
from sqlalchemy import select

from forum.accounts import services, staff
from forum.extensions import db
from forum.models.accounts import Badge, User, user_by_username
from forum.posts.notifications import set_email_kinds

DEMO_PASSWORD = "demo-password-2026"

# username, display name, age group, roles, bio
PEOPLE = [
    ("ada_admin", "Ada (admin)", "adult", ("member", "admin"),
     "I look after the forum's settings, roles and badges. Ask me if something is broken."),
    ("moss_mod", "Moss", "adult", ("member", "listener", "moderator"),
     "Moderator. I keep our spaces kind and safe. Flag anything that worries you."),
    ("tova_trainer", "Tova", "adult", ("member", "listener", "trainer"),
     "I write the group support training and cheer on every trainee."),
    ("juniper_mentor", "Juniper", "adult", ("member", "listener", "mentor"),
     "Listener for four years, mentor for two. I love helping new listeners find their voice."),
    ("quill_mentor", "Quill", "adult", ("member", "listener", "mentor"),
     "Night owl mentor. Grief, loneliness and first chats are what I know best."),
    ("rowan_listens", "Rowan", "adult", ("member", "listener"),
     "Listener in training. I like structured rooms and quiet evenings."),
    ("marigold_hears", "Marigold", "adult", ("member", "listener"),
     "New listener, *very* enthusiastic. Still learning to slow down."),
    ("pebble_adult", "Pebble", "adult", ("member",),
     "Here for support and the occasional good idea."),
    ("sunny_teen", "Sunny", "teen", ("member", "listener"),
     "Teen listener. Music, sketching, and being there for people."),
    ("kit_teen", "Kit", "teen", ("member", "listener"),
     "Teen listener in training. Ask me about study stress."),
    ("wren_teen", "Wren", "teen", ("member",),
     "Just a teen looking for people who get it."),
]
# Those who chose a time zone in their settings; everyone else reads times in UTC.
TIME_ZONES = {"rowan_listens": "America/Toronto", "sunny_teen": "Australia/Sydney",
              "juniper_mentor": "Europe/Madrid"}
# Those who chose email for these kinds, together in one email a day (`flask send-digests`),
# from before the demo's ideas thread fills up: its replies and mentions are in the first.
DAILY_EMAIL = {"marigold_hears": ("reply", "mention", "idea_status")}


def _person(username, display_name, age_group, roles, bio) -> User:
    user = db.session.scalar(user_by_username(username))
    if user is None:
        user = services.register_user(username=username, email=f"{username}@example.org",
                                      password=DEMO_PASSWORD, age_group=age_group,
                                      display_name=display_name, roles=roles)
        services.update_profile(user, display_name=display_name, bio_md=bio)
        # Their settings, as they would choose them: only when made, so a second run keeps theirs.
        if username in TIME_ZONES:
            services.set_time_zone(user, TIME_ZONES[username])
        if username in DAILY_EMAIL:
            set_email_kinds(user, DAILY_EMAIL[username], daily=True)
    return user


def _badge(slug, name, description, icon) -> Badge:
    badge = db.session.scalar(select(Badge).where(Badge.slug == slug))
    return badge or staff.create_badge(slug=slug, name=name, description=description, icon=icon)


def seed() -> dict[str, User]:
    people = {row[0]: _person(*row) for row in PEOPLE}
    verified = _badge("verified-listener", "Verified Listener",
                      "Finished the active listening course and a supervised first chat.", "✔")
    for username in ("juniper_mentor", "quill_mentor", "moss_mod", "tova_trainer"):
        staff.award_badge(people[username], verified, reason="Demo")
    return people
