"""Training staff actions go in the audit log moderators use: who, what, about whom, which program."""
from sqlalchemy import select

from forum.extensions import db
from forum.models.moderation import AuditEntry
from forum.models.training import Enrollment
from tests.factories import make_user
from tests.training.factories import complete, discussion, enrol, make_program, make_trainer


def entries() -> list[tuple]:
    return [(e.action, e.target_type, e.target_id, e.actor_id) for e in
            db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_publishing_unpublishing_reopening_and_deleting_are_logged_for_admins_to_read(client):
    tova = make_trainer("tova")
    program = make_program(tova, title="Group Support Basics", discussions=3, published=False, peers=1)
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben")
    make_user("ada", role="admin")
    client.login("tova")
    page = f"/programs/{program.slug}"
    client.submit(f"{page}/publish", {"published": "1"})
    for trainee in (ana, ben):
        enrol(trainee, program)
    complete([ana, ben], program, 1)
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == ana.id))
    client.submit(f"{page}/enrollments/{enrollment.id}/discussions/{discussion(program, 1).id}/reopen",
                  {"reason": "Say more, please.", "confirmed": "yes"})
    client.submit(f"{page}/publish", {"published": "0", "confirmed": "yes"})
    client.submit(f"{page}/discussions/3/delete", {"discussion_id": discussion(program, 3).id})
    assert entries() == [("program_publish", "program", program.id, tova.id),
                         ("discussion_reopen", "user", ana.id, tova.id),
                         ("program_unpublish", "program", program.id, tova.id),
                         ("discussion_delete", "program", program.id, tova.id)]
    reopened = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "discussion_reopen"))
    assert (reopened.target_label, reopened.reason) == ("@ana", "Say more, please.")
    assert reopened.details == "“Discussion 1” in “Group Support Basics”"

    client.logout()
    client.login("ada")
    published = client.get("/mod/audit?action=program_publish").page
    assert "Published a program" in published and "“Group Support Basics”" in published
    assert f'href="/programs/{program.slug}"' in published
    about_ana = client.get("/mod/audit?about=ana").page
    assert "Reopened a trainee's discussion" in about_ana and "Say more, please." in about_ana
    by_tova = client.get("/mod/audit?actor=tova&target_type=program").page
    for label in ("Published a program", "Unpublished a program", "Deleted a discussion"):
        assert label in by_tova
    assert "“Discussion 3”" in by_tova
    assert "Staff actions about @ana" in client.get("/mod/users/ana").page
    assert "Reopened a trainee's discussion" in client.get("/mod/users/ana").page


def test_a_refused_publish_logs_nothing(client):
    program = make_program(make_trainer("tova"), discussions=0, published=False)
    client.login("tova")
    client.submit(f"/programs/{program.slug}/publish", {"published": "1"})
    assert entries() == []
