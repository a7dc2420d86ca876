"""The forum's main pages in the demo community, and who looks at them.

Shared by the page survey (accessibility, phones) and the screenshots command, so both
look at the same pages. Paths are found in the database after `seed_all()`.
"""
from dataclasses import dataclass

from sqlalchemy import select

from forum.demo import DEMO_PASSWORD, seed_all
from forum.extensions import db
from forum.models.ideas import IdeaCall
from forum.models.training import Program

# Demo people who look at the pages: a listener enrolled in the demo program, and a moderator.
LISTENER = "rowan_listens"
MODERATOR = "moss_mod"
PASSWORD = DEMO_PASSWORD


@dataclass(frozen=True)
class MainPage:
    name: str
    path: str
    # Who the page is for: anyone, signed-out (the sign-in forms), signed-in, or moderator.
    for_whom: str = "anyone"

    def shown_to(self, persona: str | None) -> bool:
        return {"anyone": True, "signed-out": persona is None, "signed-in": persona is not None,
                "moderator": persona == MODERATOR}[self.for_whom]


def seed_demo_pages() -> list[MainPage]:
    """Load the demo community (inside an app context) and return its main pages."""
    seed_all()
    return main_pages_of_demo()


def main_pages_of_demo() -> list[MainPage]:
    """The main pages of a database holding the demo community (inside an app context)."""
    program = db.session.scalar(select(Program).where(Program.published).order_by(Program.id).limit(1))
    call = db.session.scalar(select(IdeaCall).where(IdeaCall.phase == "shortlisted").limit(1))
    return [
        MainPage("home", "/"),
        MainPage("help", "/help"),
        MainPage("sign-in", "/login", "signed-out"),
        MainPage("register", "/register", "signed-out"),
        MainPage("programs", "/programs"),
        MainPage("program", f"/programs/{program.slug}"),
        MainPage("discussion", f"/programs/{program.slug}/discussions/1"),
        MainPage("ideas", "/ideas"),
        MainPage("call", f"/ideas/{call.id}"),
        MainPage("shortlist", f"/ideas/{call.id}/shortlist"),
        MainPage("mentors", "/mentors"),
        MainPage("mentor-profile", "/mentors/juniper_mentor"),
        MainPage("profile", f"/users/{LISTENER}"),
        MainPage("notifications", "/notifications", "signed-in"),
        MainPage("settings", "/settings/account", "signed-in"),
        MainPage("moderation-queue", "/mod", "moderator"),
    ]
