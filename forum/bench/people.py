"""The bench community's people: invented names, roles, age groups, one shared password hash."""
from dataclasses import dataclass, field
from datetime import timedelta

from forum.models.accounts import ROLE_NAMES

READER = "bench_reader"
TOP_MENTOR = "bench_mentor"
FIRST = ("Ari", "Bea", "Cal", "Dee", "Eli", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kai", "Lu", "Max", "Nia", "Oz",
         "Pia", "Quin", "Rue", "Sol", "Tam", "Uma", "Vic", "Wyn", "Xan", "Yui", "Zed")
LAST = ("Ashby", "Brook", "Crane", "Dale", "Ember", "Frost", "Glen", "Heath", "Isle", "Jarvis", "Kent", "Lark",
        "Moor", "Nash", "Oak", "Pike", "Reed", "Stone", "Thorn", "Vale", "Wren", "York")
TRAINERS, MODERATORS = 5, 3
TEEN_SHARE, LISTENER_SHARE = 0.125, 0.7


@dataclass
class People:
    all: list = field(default_factory=list)
    adults: list = field(default_factory=list)
    teens: list = field(default_factory=list)
    listeners: list = field(default_factory=list)
    mentors: list = field(default_factory=list)
    trainers: list = field(default_factory=list)
    moderators: list = field(default_factory=list)
    reader: dict | None = None
    top_mentor: dict | None = None
    badge_id: int | None = None

    def adult_listeners(self) -> list:
        return [person for person in self.listeners if person["age_group"] == "adult"]


class PeopleMaker:
    def __init__(self, seeder, password_hash: str):
        self.seeder, self.password_hash = seeder, password_hash
        self.role_ids = {}

    def make(self) -> People:
        rows, shape, rng = self.seeder.rows, self.seeder.shape, self.seeder.random
        from forum.bench.seed import table

        for name in ROLE_NAMES:
            self.role_ids[name] = rows.add(table("roles"), name=name)["id"]
        people = People()
        for number in range(shape.users):
            username = {0: READER, 1: TOP_MENTOR}.get(number, f"{FIRST[number % len(FIRST)].lower()}{number}")
            roles = ["member"]
            if number < shape.mentors + 1 or number < shape.users * LISTENER_SHARE:
                roles.append("listener")
            if 1 <= number <= shape.mentors:
                roles.append("mentor")
            special = number - shape.mentors - 1
            if 0 <= special < TRAINERS:
                roles.append("trainer")
            elif TRAINERS <= special < TRAINERS + MODERATORS:
                roles.append("moderator")
            teen = number > 1 and not (0 <= special < TRAINERS + MODERATORS) and rng.random() < TEEN_SHARE
            created = self.seeder.moment(700)
            person = rows.add(
                table("users"), username=username, username_key=username.lower(),
                email=f"{username.lower()}@bench.example.org", password_hash=self.password_hash,
                display_name=f"{FIRST[number % len(FIRST)]} {LAST[(number // len(FIRST)) % len(LAST)]}",
                bio_md="", bio_html="", age_group="teen" if teen else "adult", created_at=created,
                last_seen_at=self.seeder.now - timedelta(minutes=rng.randint(0, 60 * 24 * 30)), session_epoch=0)
            for role in roles:
                rows.add(table("user_roles"), user_id=person["id"], role_id=self.role_ids[role])
            people.all.append(person)
            (people.teens if teen else people.adults).append(person)
            if "listener" in roles:
                people.listeners.append(person)
            if "mentor" in roles:
                people.mentors.append(person)
            if "trainer" in roles:
                people.trainers.append(person)
            if "moderator" in roles:
                people.moderators.append(person)
        people.reader, people.top_mentor = people.all[0], people.all[1]
        people.badge_id = rows.add(table("badges"), slug="listening-basics", name="Listening basics",
                                   description="Finished the listening basics program.", icon="🎧")["id"]
        return people

