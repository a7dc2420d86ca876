"""The vocabulary of the route table (tests/safety/test_route_permissions.py): the
personas, what each one gets, and a Route with its path and form built from the world."""
from dataclasses import dataclass, field

PERSONAS = ("anonymous", "member", "teen", "listener", "mentor", "trainer", "moderator", "admin")
LOGIN = "login"


def expect(default, **overrides) -> dict:
    unknown = set(overrides) - set(PERSONAS)
    assert not unknown, f"unknown personas {unknown}"
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


def everyone(status) -> dict:
    return expect(status)


def signed_in(status, **overrides) -> dict:
    return expect(status, anonymous=LOGIN, **overrides)


def staff_only(status) -> dict:
    return expect(403, anonymous=LOGIN, moderator=status, admin=status)


def admin_only(status) -> dict:
    return expect(403, anonymous=LOGIN, admin=status)


def trainers_only(status) -> dict:
    """Writing programs and following trainees: trainers and admins."""
    return expect(403, anonymous=LOGIN, trainer=status, admin=status)


def signed_out_only(status) -> dict:
    """Pages for people who are not signed in: everyone else is sent home."""
    return expect(302, anonymous=status)


def succeeds(status) -> bool:
    return status != LOGIN and status < 400


@dataclass
class Route:
    path: str
    get: dict | None = None
    post: dict | None = None
    data: dict = field(default_factory=dict)
    csrf_field: str = "csrf_token"
    isolate: bool = False

    def url(self, world) -> str:
        return self.path.format(**vars(world))

    def form(self, world, persona: str = "anonymous") -> dict:
        """The form data, its names and values filled in from the world (and `{persona}`)."""
        def filled(text):
            return text.format(persona=persona, **vars(world)) if isinstance(text, str) else text
        return {filled(key): filled(value) for key, value in self.data.items()}

    def persona_who_may_post(self) -> str | None:
        """Someone whose POST would change something (admin when they may)."""
        allowed = [persona for persona in reversed(PERSONAS) if succeeds(self.post[persona])]
        return allowed[0] if allowed else None
