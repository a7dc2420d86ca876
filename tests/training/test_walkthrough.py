"""Done when: three trainees go through a three-discussion program, as in the seed thread,
through the pages: responses, replies to two peers, unlocking, completion, the badge."""
from sqlalchemy import select

from forum.extensions import db
from forum.models.accounts import User
from forum.models.posts import Notification, Post
from forum.models.training import Enrollment
from tests.factories import make_badge, make_user
from tests.training.factories import completed_positions, discussion, discussion_path, make_program, make_trainer

HIGHS_AND_LOWS = {
    "ana": "3 highs:\n1. it feels good to belong to a group\n2. several people can talk at once\n3. support\n"
           "3 lows:\n1. hard to join in\n2. conflicts happen\n3. people talk over you",
    "ben": "3 highs:\n1. people get along in busy rooms\n2. friendships across distance\n3. as helpful as one to one\n"
           "3 lows:\n1. conflict when people are careless\n2. hectic rooms\n3. new hosts can be disorganised",
    "cleo": "3 highs:\n1. structured rooms\n2. feeling less alone\n3. kind hosts who greet you\n"
            "3 lows:\n1. fast chats bury slow typists\n2. side conversations\n3. silences after heavy shares",
}


def post_response(client, program, position, body):
    thread_id = discussion(program, position).thread_id
    return client.submit(f"/threads/{thread_id}/posts", {"body": body})


def response_of(username, program, position):
    user = db.session.scalar(select(User).where(User.username == username))
    return db.session.scalar(select(Post).where(
        Post.thread_id == discussion(program, position).thread_id, Post.author_id == user.id,
        Post.parent_id.is_(None)))


def reply_to(client, program, position, parent, body):
    return client.submit(f"/posts/{parent.id}/replies", {"body": body})


def test_three_trainees_complete_a_three_discussion_program(app):
    make_badge("group-support-basics", "Group Support Basics")
    program = make_program(make_trainer(), awarded_badge="group-support-basics", min_words=12, peers=2)
    make_program(make_user("tom", role="trainer"), title="Hosting sessions", discussions=1,
                 required_badge="group-support-basics")
    names = ["ana", "ben", "cleo"]
    browsers = {}
    for name in names:
        make_user(name, role="listener")
        browsers[name] = app.test_client()  # each trainee in their own browser
        browsers[name].login(name)

    for name in names:
        client = browsers[name]
        assert client.get(discussion_path(program, 1)).status_code == 403  # not enrolled yet
        response = client.submit(f"/programs/{program.slug}/enrol")
        assert response.status_code == 302
        assert response.headers["Location"].endswith(discussion_path(program, 1))
    assert db.session.scalar(select(db.func.count(Enrollment.id))) == 3

    for position in (1, 2, 3):
        for name in names:
            client = browsers[name]
            page = client.get(discussion_path(program, position))
            assert page.status_code == 200
            assert "Post your response (12 words or more), then reply to at least 2 fellow trainees" in page.page
            assert "3 highs:\n1.\n2.\n3." in page.page  # the box is pre-filled with the template
            assert post_response(client, program, position, HIGHS_AND_LOWS[name]).status_code == 302
        for name in names:
            client = browsers[name]
            others = [other for other in names if other != name]
            first = response_of(others[0], program, position)
            assert reply_to(client, program, position, first, f"@{others[0]} I agree, busy rooms are hard.").status_code == 302
            page = client.get(discussion_path(program, position)).page
            assert "Response posted" in page and "1 of 2 replies to different fellow trainees" in page
            assert "Your reply is up." in page and "You completed “" not in page
            if position < 3:
                # Not done yet: the next discussion is still locked, with its reason.
                locked = client.get(discussion_path(program, position + 1))
                assert locked.status_code == 403
                assert f"Discussion {position + 1}" in locked.page
                assert f"opens when you complete “Discussion {position}”" in locked.page
            second = response_of(others[1], program, position)
            assert reply_to(client, program, position, second, "Thank you for sharing.").status_code == 302
            assert position in completed_positions(db.session.scalar(select(User).where(User.username == name)), program)
            page = client.get(discussion_path(program, position)).page
            assert "2 of 2 replies" in page and "You completed this discussion" in page
            # Said where the reply lands (far below the checklist on a phone), not only in the bell.
            if position < 3:
                assert (f"Your reply is up. You completed “Discussion {position}”. "
                        f"Next up: “Discussion {position + 1}” is open.") in page
            else:
                assert ("Your reply is up. You completed the program “Group Support Basics” and earned the "
                        "★ Group Support Basics badge. Your certificate is ready.") in page
            if position < 3:
                assert client.get(discussion_path(program, position + 1)).status_code == 200
                assert f"{position} of 3 discussions done" in client.get(f"/programs/{program.slug}").page

    for name in names:
        user = db.session.scalar(select(User).where(User.username == name))
        assert completed_positions(user, program) == [1, 2, 3]
        assert "group-support-basics" in user.badge_slugs
        enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == user.id))
        assert enrollment.completed_at is not None
        messages = db.session.scalars(select(Notification.message).where(
            Notification.user_id == user.id, Notification.kind == "training")).all()
        # Named with its program: someone in two programs knows which one moved on.
        assert "You completed “Discussion 1” in “Group Support Basics”. Next up: “Discussion 2” is open." in messages
        assert any("You completed the program “Group Support Basics”" in m for m in messages)

    client = browsers["cleo"]
    certificate = client.get(f"/programs/{program.slug}/certificate")
    assert certificate.status_code == 200
    assert "Certificate of completion" in certificate.page and "Cleo" in certificate.page
    catalogue = client.get("/programs").page
    assert "You completed this program" in catalogue
    # The badge opened the badge-locked program.
    assert "Locked" not in catalogue
    assert "Enrol in this program" in client.get("/programs/hosting-sessions").page
