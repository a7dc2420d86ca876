"""A trainee a moderator moves between the teen and adult spaces in the middle of a
program for the group they left can no longer reach it (permissions.entry_refusal).

They are told which programs closed to them and why, rather than finding them gone (the
notice leads to what they wrote there, which they still read: own_posts.py); the moderator
hears it too, and the trainer's dashboard stops listing them as waiting (see
dashboard.dashboard). Their enrolment and what they wrote stay: moved back, they carry on
where they were."""
from sqlalchemy import exists, false, select

from forum.extensions import db
from forum.links import path_for
from forum.models.training import Enrollment, Program
from forum.moderation.services import register_age_group_hook
from forum.posts.notifications import notify
from forum.text.bidi import isolate
from forum.training.completion import NOTIFICATION_KIND
from forum.training.permissions import sees_every_discussion


def programs_out_of_reach(user) -> list[Program]:
    """Programs `user` is enrolled in (and has not left), not finished, whose audience is no longer theirs."""
    return list(db.session.scalars(
        select(Program).join(Enrollment, Enrollment.program_id == Program.id)
        .where(Enrollment.user_id == user.id, Enrollment.completed_at.is_(None), Enrollment.left_at.is_(None),
               Program.audience.not_in(("everyone", user.age_group)))
        .order_by(Program.title)))


def _after_age_group_change(moderator, user, now) -> str:
    closed = programs_out_of_reach(user)
    for program in closed:
        notify(user, NOTIFICATION_KIND,
               f"Your account moved to the {user.age_group} spaces, so “{isolate(program.title)}”, a program for "
               f"{program.audience}s, is closed to you now. What you wrote there is kept.",
               path_for("training.program", slug=program.slug, _anchor="your-posts"), actor=moderator)
    if not closed:
        return ""
    titles = ", ".join(f"“{program.title}”" for program in closed)
    return f"{user.display_name} can no longer reach {'the program' if len(closed) == 1 else 'the programs'} {titles}."


def _enrolled_in_a_program_of_their_group(user):
    # Trainers and moderators read every program, whatever their group: a move closes none to them.
    if sees_every_discussion(user):
        return false()
    return exists().where(Enrollment.user_id == user.id, Enrollment.program_id == Program.id,
                          Program.audience == user.age_group)


_PROGRAMS_CLOSE = "Programs for the group they leave close to them until they are moved back; what they wrote is kept."
register_age_group_hook(_after_age_group_change, hint=(_enrolled_in_a_program_of_their_group, _PROGRAMS_CLOSE))
