"""The demo community, in one place: each part adds its seeder to PART_SEEDERS.

Every seeder is idempotent (it looks before it creates), so `seed-demo` can run twice.
A part's seeder takes the demo people by username and adds its own content.
"""
from forum.demo import accounts, ideas, mentors, moderation, training

DEMO_PASSWORD = accounts.DEMO_PASSWORD
PART_SEEDERS = [training.seed, ideas.seed, mentors.seed, moderation.seed]


def seed_all() -> list[tuple[str, str]]:
    """Load every part's demo data; returns (username, description) of the demo accounts."""
    people = accounts.seed()
    for seeder in PART_SEEDERS:
        seeder(people)
    return [(person.username, ", ".join(sorted(person.role_names)) + f" ({person.age_group})")
            for person in people.values()]
