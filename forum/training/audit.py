"""Training staff actions in the audit log moderators and admins read: who published or
unpublished which program, reopened whose discussion, deleted which discussion."""
from sqlalchemy import select

from forum.extensions import db
from forum.links import path_for
from forum.models.moderation import audit_entry
from forum.models.training import Program
from forum.moderation.audit import register_audit_action, register_audit_target_type


def _program_links(ids: set[int]) -> dict[int, str]:
    rows = db.session.execute(select(Program.id, Program.slug).where(Program.id.in_(ids))).all()
    return {program_id: path_for("training.program", slug=slug) for program_id, slug in rows}


register_audit_action("program_publish", "Published a program")
register_audit_action("program_unpublish", "Unpublished a program")
register_audit_action("discussion_reopen", "Reopened a trainee's discussion")
register_audit_action("discussion_delete", "Deleted a discussion")
register_audit_target_type("program", "Training program", links=_program_links)


def _label(program) -> str:
    return f"“{program.title}”"


def log_published(trainer, program, published: bool) -> None:
    audit_entry(trainer, "program_publish" if published else "program_unpublish", "program", program.id,
                label=_label(program))


def log_reopened(trainer, trainee, program, discussion, reason: str) -> None:
    # About the trainee, so their moderation page and the log's "about" filter find it.
    audit_entry(trainer, "discussion_reopen", "user", trainee.id, label=f"@{trainee.username}", reason=reason,
                details=f"“{discussion.title}” in {_label(program)}")


def log_deleted(trainer, program, discussion) -> None:
    audit_entry(trainer, "discussion_delete", "program", program.id, label=_label(program),
                details=f"Discussion {discussion.position}, “{discussion.title}”")
