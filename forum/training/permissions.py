"""Who may do what in training programs. Pure predicates: views, services and templates
ask the same ones, and they never touch the database (callers pass what they loaded)."""
from forum.accounts.permissions import has_role, is_signed_in, is_staff, suspension_refusal
from forum.clock import utcnow


def can_manage_programs(user) -> bool:
    """Trainers and admins write programs and follow their trainees."""
    return has_role(user, "trainer", "admin")


def authoring_refusal(user, now) -> str | None:
    """Why `user` may not change programs at `now` (write, order, publish, reopen), or None.

    A suspended trainer still reads their programs and dashboards, but changes nothing
    until the suspension ends, like everyone else."""
    if not can_manage_programs(user):
        return "Only trainers can change training programs."
    return suspension_refusal(user, now, still="Until then you can read your programs and dashboards but not "
                                               "write, order, publish or reopen anything.")


def can_see_program(user, program) -> bool:
    """Drafts are for trainers. Published programs show to everyone they are for, badge-locked
    or not; a program for teens or for adults is not shown to the other group at all, as
    its discussions' threads are not (trainers and moderators see every program)."""
    if not (program.published or can_manage_programs(user)):
        return False
    return sees_every_discussion(user) or is_for_age_group_of(user, program)


def is_for_age_group_of(user, program) -> bool:
    return program.audience in ("everyone", age_group_of(user))


def age_group_of(user) -> str | None:
    return user.age_group if is_signed_in(user) else None


def sees_every_discussion(user) -> bool:
    """Trainers follow their trainees and moderators keep spaces safe: both read it all."""
    return can_manage_programs(user) or is_staff(user)


def entry_refusal(user, program) -> str | None:
    """Why the program's age group or badge keeps `user` out, or None."""
    if program.audience != "everyone":
        if not is_signed_in(user) or user.age_group != program.audience:
            return f"This program is for {program.audience}s only."
    badge = program.required_badge
    if badge is not None and (not is_signed_in(user) or badge.slug not in user.badge_slugs):
        return f"You need the {badge.icon} {badge.name} badge to enter this program."
    return None


def closed_refusal(user, program) -> str | None:
    """Why the discussions of `program`, which `user` is enrolled in, are closed to them
    (`entry_refusal`), or None: never to trainers and moderators, who read every discussion
    (`discussion_refusal`), so their progress is not shown locked while its links open."""
    return None if sees_every_discussion(user) else entry_refusal(user, program)


def enrol_refusal(user, program, enrollment, now=None) -> str | None:
    """Why `user` may not enrol in `program` at `now` (`enrollment`: theirs, if any), or None."""
    if not is_signed_in(user):
        return "Sign in to enrol."
    if suspended := suspension_refusal(user, now or utcnow()):
        return suspended
    if not program.published:
        return "This program is not open for enrolment yet."
    if enrollment is not None:
        return "You are already enrolled in this program."
    return entry_refusal(user, program)


def leave_refusal(user, progress) -> str | None:
    """Why `user` may not leave the program `progress` is theirs in, or None. Leaving takes
    nothing from anyone, so a suspension does not stop it. A completed program is not left:
    it is on their record, and nothing more is asked of them there."""
    if not is_signed_in(user):
        return "Sign in to leave a program."
    if not progress.is_enrolled:
        return "You are not enrolled in this program."
    if progress.is_complete:
        return ("You completed this program: it stays on your record, with your certificate"
                + (" and badge" if progress.program.awarded_badge else "") + ", and nothing more is asked of you here.")
    return None


def can_leave(user, progress) -> bool:
    return leave_refusal(user, progress) is None


def can_enrol(user, program, enrollment) -> bool:
    return enrol_refusal(user, program, enrollment) is None


def discussion_refusal(user, progress, discussion) -> str | None:
    """Why `user` may not read or post in `discussion` beyond its title, or None.

    `progress` is the user's Progress in the discussion's program.
    """
    if sees_every_discussion(user):
        return None
    program = progress.program
    if not program.published:
        return "This program is not published."
    if not is_signed_in(user):
        return f"Sign in and enrol in “{program.title}” to read its discussions."
    return entry_refusal(user, program) or progress.locked_reason(discussion)


def shown_state(user, progress, discussion) -> str:
    """The state the pages show `user`, enrolled, for `discussion` ("done", "current", "open",
    "locked"): locked wherever `discussion_refusal` closes it (a badge lock closes even those
    their progress opened), and open where only their progress would lock it but they read and
    post in every discussion (trainers, moderators), as its link opens for them."""
    state = progress.state(discussion)
    if state != "done" and discussion_refusal(user, progress, discussion):
        return "locked"
    return "open" if state == "locked" else state


def can_read_discussion(user, progress, discussion) -> bool:
    return discussion_refusal(user, progress, discussion) is None


def can_see_certificate(user, progress) -> bool:
    return is_signed_in(user) and progress.is_complete


def can_reopen(user, progress, discussion) -> bool:
    """A trainer may take back a trainee's completion (`progress` is the trainee's)."""
    return can_manage_programs(user) and progress.is_done(discussion)
