"""Teens and adults: spaces kept apart; the group is changed by moderators only, and logged."""
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models.accounts import User
from forum.models.moderation import AuditEntry
from tests.factories import PASSWORD, make_post, make_thread, make_user
from tests.mentors.factories import make_mentor
from tests.safety.factories import make_moderator
from tests.training.factories import discussion_path, enrol, make_program, make_trainer


def age_of(username: str) -> str:
    return db.session.scalar(select(User.age_group).where(User.username == username))


@pytest.mark.parametrize("path, page, prefix, data", [
    ("/settings/profile", "/settings/profile", "", {"display_name": "Tess", "bio": "hi"}),
    ("/settings/password", "/settings/account", "pw-", {"current_password": PASSWORD, "password": "a new long passphrase"}),
    ("/settings/email", "/settings/account", "em-", {"email": "tess2@example.org", "password": PASSWORD}),
])
def test_a_forged_age_group_field_is_ignored(client, path, page, prefix, data):
    make_user("tess", age_group="teen")
    client.login("tess")
    fields = {prefix + name: value for name, value in data.items()}
    forged = {"age_group": "adult", prefix + "age_group": "adult", "role": "admin", "roles": "admin"}
    response = client.post(path, data={**fields, **forged, prefix + "csrf_token": client.csrf_token()})
    assert response.status_code == 302  # the real change went through...
    tess = db.session.scalar(select(User).where(User.username == "tess"))
    assert (tess.age_group, tess.role_names) == ("teen", {"member"})  # ...and the forged fields did nothing


def test_no_settings_page_offers_the_age_group(client):
    make_user("tess", age_group="teen")
    client.login("tess")
    for path in ("/settings/profile", "/settings/account"):
        assert 'name="age_group"' not in client.get(path).page


def age_group_hint(client, username: str) -> str:
    page = client.get(f"/mod/users/{username}").page
    return " ".join(page.split('<p class="hint">Moving them')[1].split("</p>")[0].split())


def test_a_moderator_moves_someone_and_it_is_logged_and_they_are_told(client, count_queries):
    tess = make_user("tess", age_group="teen")
    moss = make_moderator()
    teen_thread = make_thread("Teen lounge", audience="teen")
    adult_thread = make_thread("Adult lounge", audience="adult")
    # A teen mentor halfway through a program for teens: each part of the hint is hers.
    make_mentor("indigo", age_group="teen")
    enrol(db.session.scalar(select(User).where(User.username == "indigo")),
          make_program(make_trainer(), title="Teen steps", audience="teen"))
    make_mentor("quinn", teens=True)
    client.login("moss")
    # Before the button, what the move ends for good: mentorships are not given back by moving back.
    mentorships = ("ends any mentorship or mentorship request of theirs that the new group rules out: both people "
                   "are told why, and moving them back does not reopen it.")
    # As a mentor, what leaving her group ends of hers; an adult mentor's moving to the teens ends more.
    as_teen_mentor = ("As a mentor, they stop mentoring teens: an admin approves adults before they mentor teens. They "
                      "are told, and moving them back does not make them mentor teens again until they choose it.")
    as_adult_mentor = ("As a mentor, they stop mentoring adults (teen mentors mentor teens only) and lose any approval "
                       "or pending request to mentor teens; they are told, and moving them back gives none of it back.")
    programs = "Programs for the group they leave close to them until they are moved back; what they wrote is kept."
    assert age_group_hint(client, "indigo") == f"{mentorships} {as_teen_mentor} {programs}"
    assert age_group_hint(client, "quinn") == f"{mentorships} {as_adult_mentor}"
    # Tess mentors nobody and has no program to lose: only what may be hers, a request to a mentor.
    assert age_group_hint(client, "tess") == mentorships
    with count_queries() as hers:
        client.get("/mod/users/tess")
    for mentor in ("indigo", "quinn"):
        with count_queries() as the_mentors:
            client.get(f"/mod/users/{mentor}")
        assert hers.count == the_mentors.count
    response = client.submit("/mod/users/tess/age-group", {"age_group": "adult", "reason": "Turned 18, asked us"})
    assert response.status_code == 302
    assert age_of("tess") == "adult"
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "age_group"))
    assert (entry.actor_id, entry.target_id) == (moss.id, tess.id)
    assert (entry.details, entry.reason) == ("teen → adult", "Turned 18, asked us")
    client.logout()
    client.login("tess")
    assert client.get(f"/threads/{teen_thread.id}").status_code == 404
    assert client.get(f"/threads/{adult_thread.id}").status_code == 200
    assert "moved your account to the adult spaces" in client.get("/notifications").page


def test_an_age_group_change_needs_a_reason_and_a_real_group(client):
    make_user("tess", age_group="teen")
    make_moderator()
    client.login("moss")
    response = client.submit("/mod/users/tess/age-group", {"age_group": "adult", "reason": ""})
    assert response.status_code == 422 and "Say why" in response.page
    response = client.submit("/mod/users/tess/age-group", {"age_group": "toddler", "reason": "x"})
    assert response.status_code == 422 and "Choose one of the options in the list." in response.page
    assert age_of("tess") == "teen" and db.session.scalar(select(AuditEntry)) is None


def test_members_cannot_change_anyones_age_group(client):
    make_user("tess", age_group="teen")
    make_user("ana", role=("listener", "mentor", "trainer"))
    client.login("ana")
    response = client.submit("/mod/users/tess/age-group", {"age_group": "adult", "reason": "x"})
    assert response.status_code == 403 and age_of("tess") == "teen"


def test_moderators_move_members_and_only_admins_move_staff_as_with_suspensions(client):
    make_moderator()
    make_moderator("mira")
    make_user("ada", role="admin")
    client.login("moss")
    for colleague in ("mira", "ada"):
        page = client.get(f"/mod/users/{colleague}").page
        assert "Change age group</button>" not in page
        assert "You can't change this person's age group: only an admin can move" in page
        assert "Only admins can change this; it is logged." in page  # not "Only moderators"
        tried = client.submit(f"/mod/users/{colleague}/age-group", {"age_group": "teen", "reason": "x"})
        assert tried.status_code == 403 and age_of(colleague) == "adult"
    client.logout()
    client.login("ada")
    moved = client.submit("/mod/users/mira/age-group", {"age_group": "teen", "reason": "Told us she is 17"})
    assert moved.status_code == 302 and age_of("mira") == "teen"


def test_adults_and_teens_do_not_see_each_others_spaces(client):
    ana, tess = make_user("ana"), make_user("tess", age_group="teen")
    teen_post = make_post(tess, make_thread("Teen lounge", audience="teen"), "teen words")
    adult_post = make_post(ana, make_thread("Adult lounge", audience="adult"), "adult words")
    client.login("ana")
    for path in (f"/threads/{teen_post.thread_id}", f"/posts/{teen_post.id}", f"/posts/{teen_post.id}/replies",
                 f"/posts/{teen_post.id}/reactions", f"/posts/{teen_post.id}/reply", f"/flag/post/{teen_post.id}"):
        assert client.get(path).status_code == 404, path
    client.logout()
    client.login("tess")
    assert client.get(f"/threads/{adult_post.thread_id}").status_code == 404
    assert client.get(f"/posts/{adult_post.id}").status_code == 404


def test_a_trainee_moved_out_of_a_program_s_group_is_told_and_no_longer_listed_as_waiting(client):
    """Tess, a teen, is halfway through a program for teens when a moderator moves her to
    the adults: the program is closed to her now. She is told which and why instead of
    finding it gone, the moderator hears it, and her trainer no longer sees her waiting."""
    program = make_program(make_trainer("tova"), title="Teen steps", discussions=2, min_words=1, peers=1,
                           audience="teen")
    tess, tia = make_user("tess", role="listener", age_group="teen"), make_user("tia", role="listener", age_group="teen")
    for trainee in (tess, tia):
        enrol(trainee, program)
    make_moderator()
    client.login("moss")
    response = client.submit("/mod/users/tess/age-group", {"age_group": "adult", "reason": "Turned 18, asked us"},
                             follow_redirects=True)
    assert "Tess can no longer reach the program “Teen steps”." in response.page
    client.logout()

    client.login("tess")
    # Only what she wrote there is still hers to read: the discussions lead to it, on the program's page.
    assert client.get(discussion_path(program, 1)).headers["Location"] == f"/programs/{program.slug}#your-posts"
    assert ("Your account moved to the adult spaces, so “Teen steps”, a program for teens, is closed to you now."
            in client.get("/notifications").page)
    client.logout()

    client.login("tova")
    board = client.get(f"/programs/{program.slug}/dashboard").page
    waiting = board[board.index("Waiting longest"):board.index('id="trainees-heading"')]
    assert "Tia" in waiting and "Tess" not in waiting


def test_an_adult_who_types_a_teen_s_name_in_a_shared_space_does_not_reach_them(client):
    """The mention box never offers an adult a teen (nor a teen an adult); typing the name
    by hand does not page them either, whether in a post, a quote or an edit. Staff and
    people of the same group still reach them, and a reply to the teen's own post tells them."""
    from forum.models.posts import Notification
    from forum.posts.services import edit_post

    sunny, kit = make_user("sunny", age_group="teen"), make_user("kit", age_group="teen")
    adam, moss = make_user("adam"), make_user("moss", role=("listener", "moderator"))
    thread = make_thread("Open to everyone")
    make_post(adam, thread, "@sunny want to chat somewhere else?")
    edit_post(adam, make_post(adam, thread, "plain words"), "plain words @sunny")
    make_post(adam, thread, "> @sunny wrote:\n> hello\n\nhi")

    def told(user):
        db.session.expire_all()
        return [n.message for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))]

    assert told(sunny) == []
    hers = make_post(sunny, thread, "@adam hi")
    assert told(adam) == []
    make_post(kit, thread, "@sunny hello")
    make_post(moss, thread, "@sunny checking in")
    make_post(adam, thread, "Hi Sunny.", parent=hers)
    assert sorted(told(sunny)) == ["Adam replied to your post in “Open to everyone”",
                                   "Kit mentioned you in “Open to everyone”", "Moss mentioned you in “Open to everyone”"]
