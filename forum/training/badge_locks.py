"""A trainee whose badge an admin takes away in the middle of a program that requires it
can no longer reach it (permissions.entry_refusal): their notice names the programs it
closes, as a move between age groups does (age_groups.py). Their enrolment and what they
wrote stay: given the badge back, they carry on where they were."""
from sqlalchemy import select

from forum.accounts.notices import register_badge_loss_hook
from forum.extensions import db
from forum.models.training import Enrollment, Program
from forum.text.bidi import isolate

NAMED = 3  # titles named in the notice before "and N more", which must stay short


def programs_locked_by(user, badge) -> list[Program]:
    """Programs `user` is enrolled in (and has not left), not finished, that require `badge`."""
    return list(db.session.scalars(
        select(Program).join(Enrollment, Enrollment.program_id == Program.id)
        .where(Enrollment.user_id == user.id, Enrollment.completed_at.is_(None), Enrollment.left_at.is_(None),
               Program.required_badge_id == badge.id)
        .order_by(Program.title)))


def _after_badge_lost(user, badge) -> str:
    closed = programs_locked_by(user, badge)
    if not closed:
        return ""
    titles = [f"“{isolate(program.title)}”" for program in closed[:NAMED]]
    if len(closed) > NAMED:
        titles.append(f"{len(closed) - NAMED} more")
    named = titles[0] if len(titles) == 1 else f"{', '.join(titles[:-1])} and {titles[-1]}"
    if len(closed) == 1:
        return f"The program {named} needs it, so it is closed to you now; your progress there is kept."
    return f"The programs {named} need it, so they are closed to you now; your progress there is kept."


register_badge_loss_hook(_after_badge_lost)
