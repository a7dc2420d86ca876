"""Trainers delete a discussion nobody has written in, after being asked; trainees' work stays."""
from sqlalchemy import select

from forum.extensions import db
from forum.models.posts import Thread
from forum.models.training import Discussion, Enrollment
from tests.training.factories import complete, discussion, enrol, make_program, make_trainer, respond
from tests.factories import make_user


def titles(program) -> list[str]:
    return list(db.session.scalars(select(Discussion.title).where(Discussion.program_id == program.id)
                                   .order_by(Discussion.position)))


def test_a_trainer_is_asked_then_deletes_a_draft_discussion_and_the_later_ones_move_up(client):
    program = make_program(make_trainer("tova"), discussions=3, published=False)
    mistaken = discussion(program, 2)
    thread_id = mistaken.thread_id
    client.login("tova")
    assert "/discussions/2/delete" in client.get(f"/programs/{program.slug}").page
    asked = client.get(f"/programs/{program.slug}/discussions/2/delete")
    assert asked.status_code == 200 and "Delete “Discussion 2”?" in asked.page
    assert titles(program) == ["Discussion 1", "Discussion 2", "Discussion 3"]  # asking deletes nothing

    done = client.submit(f"/programs/{program.slug}/discussions/2/delete", {"discussion_id": mistaken.id}, follow_redirects=True)
    assert "“Discussion 2” is deleted" in done.page
    assert titles(program) == ["Discussion 1", "Discussion 3"]
    assert discussion(program, 2).title == "Discussion 3"
    assert db.session.get(Thread, thread_id) is None
    assert client.get(f"/programs/{program.slug}/discussions/2").status_code == 200


def test_a_discussion_trainees_wrote_in_is_not_deleted(client):
    program = make_program(make_trainer("tova"), discussions=2)
    ana = make_user("ana")
    enrol(ana, program)
    respond(ana, program, 1)
    client.login("tova")
    asked = client.get(f"/programs/{program.slug}/discussions/1/delete")
    assert "Trainees have written in “Discussion 1”, so it can't be deleted" in asked.page
    refused = client.submit(f"/programs/{program.slug}/discussions/1/delete",
                            {"discussion_id": discussion(program, 1).id}, follow_redirects=True)
    assert "so it can't be deleted: their responses and replies would go with it" in refused.page
    assert titles(program) == ["Discussion 1", "Discussion 2"]


def test_an_unwritten_discussion_of_a_published_program_is_deleted_and_who_did_the_rest_completes(client):
    program = make_program(make_trainer("tova"), discussions=2, peers=1)
    ana, ben = make_user("ana"), make_user("ben")
    for trainee in (ana, ben):
        enrol(trainee, program)
    complete([ana, ben], program, 1)
    client.login("tova")
    client.submit(f"/programs/{program.slug}/discussions/2/delete", {"discussion_id": discussion(program, 2).id})
    assert titles(program) == ["Discussion 1"]
    finished = db.session.scalars(select(Enrollment.completed_at).where(Enrollment.program_id == program.id)).all()
    assert all(finished) and len(finished) == 2


def test_only_trainers_delete_discussions(client):
    program = make_program(make_trainer("tova"), discussions=2, published=False)
    make_user("ana")
    client.login("ana")
    assert client.get(f"/programs/{program.slug}/discussions/1/delete").status_code == 403
    assert client.submit(f"/programs/{program.slug}/discussions/1/delete",
                         {"discussion_id": discussion(program, 1).id}).status_code == 403
    assert titles(program) == ["Discussion 1", "Discussion 2"]


def test_the_question_says_what_deleting_the_last_discussion_of_a_published_program_does(client):
    """Deleting the last one moves nothing up and opens no next one: who did the others
    completes the program, and the trainer is told so before, and after, deciding."""
    program = make_program(make_trainer("tova"), discussions=2, peers=1)
    client.login("tova")
    asked = client.get(f"/programs/{program.slug}/discussions/2/delete").page
    assert "move up a place" not in asked and "go on to the next one" not in asked
    assert "trainees who have done all the other discussions complete the program" in asked
    done = client.submit(f"/programs/{program.slug}/discussions/2/delete", {"discussion_id": discussion(program, 2).id}, follow_redirects=True).page
    assert "“Discussion 2” is deleted." in done and "moved up a place" not in done


def test_the_question_about_an_earlier_discussion_says_the_later_ones_move_up_and_who_completes(client):
    program = make_program(make_trainer("tova"), discussions=3, peers=1)
    client.login("tova")
    asked = client.get(f"/programs/{program.slug}/discussions/2/delete").page
    assert "The discussions after it move up a place." in asked
    assert "trainees who reached it go on to the next one" in asked
    assert "trainees who have done all the other discussions complete the program" in asked


def test_a_discussion_that_cannot_be_deleted_is_not_asked_about(client):
    """The page says it can't be done, rather than asking a question with no answer."""
    program = make_program(make_trainer("tova"), discussions=2)
    ana = make_user("ana")
    enrol(ana, program)
    respond(ana, program, 1)
    client.login("tova")
    page = client.get(f"/programs/{program.slug}/discussions/1/delete").page
    assert "Delete “Discussion 1”?" not in page
    assert "“Discussion 1” can't be deleted" in page


def test_the_only_discussion_of_a_published_program_is_not_deleted(client):
    """Publishing an empty program is refused, and so is emptying a published one: its
    trainees read "0 of 0 discussions done". In a draft it may go."""
    program = make_program(make_trainer("tova"), discussions=1, peers=1)
    client.login("tova")
    why = ("“Discussion 1” is the only discussion of this published program, and a published program needs at least "
           "one: unpublish the program first, or add another discussion.")
    asked = client.get(f"/programs/{program.slug}/discussions/1/delete").page
    assert "Delete “Discussion 1”?" not in asked and "“Discussion 1” can't be deleted" in asked
    assert why in " ".join(asked.split()) and "Add a discussion" in asked
    refused = client.submit(f"/programs/{program.slug}/discussions/1/delete",
                            {"discussion_id": discussion(program, 1).id}, follow_redirects=True)
    assert why in " ".join(refused.page.split()) and titles(program) == ["Discussion 1"]

    client.submit(f"/programs/{program.slug}/publish", {"published": "0", "confirmed": "yes"})
    assert "Delete “Discussion 1”?" in client.get(f"/programs/{program.slug}/discussions/1/delete").page
    client.submit(f"/programs/{program.slug}/discussions/1/delete", {"discussion_id": discussion(program, 1).id})
    assert titles(program) == []


def test_the_edit_and_delete_links_name_their_discussion_to_a_screen_reader(client):
    """Read out of context (a list of links), "Edit, Delete, Edit, Delete" says nothing of
    which discussion each one is for."""
    program = make_program(make_trainer("tova"), discussions=2, published=False)
    client.login("tova")
    page = client.get(f"/programs/{program.slug}").page
    for position in (1, 2):
        assert (f'/discussions/{position}/edit">Edit<span class="visually-hidden"> “Discussion {position}”</span></a>'
                in page)
        assert (f'/discussions/{position}/delete">Delete<span class="visually-hidden"> “Discussion {position}”</span></a>'
                in page)


def test_delete_or_move_pressed_again_for_a_discussion_deleted_already_says_so(client):
    # A double-click on Delete, or Move pressed on an order page opened before the
    # deletion: both ended on a 404 page, and the trainer could not tell what happened.
    program = make_program(make_trainer("tova"), discussions=3, published=False)
    gone = discussion(program, 2).id
    client.login("tova")
    path = f"/programs/{program.slug}/discussions/2/delete"
    token = client.csrf_token()
    first = client.post(path, data={"discussion_id": gone, "csrf_token": token})
    again = client.post(path, data={"discussion_id": gone, "csrf_token": token}, follow_redirects=True)
    assert first.status_code == 302 and again.status_code == 200
    assert "That discussion is not in this program any more: it was deleted already." in again.page
    assert titles(program) == ["Discussion 1", "Discussion 3"]  # the one now at 2 is untouched

    moved = client.post(f"/programs/{program.slug}/discussions/2/move",
                        data={"discussion_id": gone, "direction": "down", "csrf_token": token}, follow_redirects=True)
    assert moved.status_code == 200
    assert "That discussion is not in this program any more: it was deleted already." in moved.page
    assert titles(program) == ["Discussion 1", "Discussion 3"]
