"""Trainees who wrote in a program whose discussions then closed to them: they left it, lost the
badge it needs, never held a badge it asked for later, or were moved to the other age group.
Shared by the training tests and the search and notification tests that follow their posts."""
from forum.accounts.staff import award_badge, revoke_badge
from forum.moderation.services import change_age_group
from forum.posts.services import hide_post
from forum.training import authoring
from tests.factories import make_badge, make_user
from tests.forms_on_page import send_from
from tests.ideas.factories import make_moderator
from tests.training.factories import enrol, long_response, make_program, make_trainer, reply, respond


def leave(client, program):
    """Open the program page, follow its link to leave, and press the button there."""
    program_page = client.get(f"/programs/{program.slug}").page
    assert f'href="/programs/{program.slug}/leave"' in program_page
    return send_from(client, f"/programs/{program.slug}/leave", f"/programs/{program.slug}/leave")


def wrote_there(program, badge=None):
    """Ana and Ben each respond to discussion 1 and reply to the other; Ana responds to
    discussion 2 (Ben replies to it), and a moderator hides her reply. `badge`: the one the
    program needs, which both hold."""
    ana, ben = make_user("ana", display_name="Ana"), make_user("ben", display_name="Ben")
    for trainee in (ana, ben):
        if badge is not None:
            award_badge(trainee, badge)
        enrol(trainee, program)
    ana_first = respond(ana, program, 1, long_response(who="ana"))
    ben_first = respond(ben, program, 1, long_response(who="ben"))
    ana_reply, ben_reply = reply(ana, ben_first, "Ana's reply to Ben"), reply(ben, ana_first, "Ben's reply to Ana")
    ana_second = respond(ana, program, 2, long_response(who="anatwo"))
    reply(ben, ana_second, "Ben again, to Ana")
    hide_post(make_moderator("moss"), ana_reply, "Please keep it kind")
    return dict(ana_first=ana_first, ana_reply=ana_reply, ana_second=ana_second, ben_first=ben_first,
                ben_reply=ben_reply)


def wrote_and_left(client, program):
    """`wrote_there`, and Ana leaves."""
    posts = wrote_there(program)
    client.login("ana")
    leave(client, program)
    return posts


def wrote_and_lost_the_badge(client):
    """`wrote_there` in a program that needs a badge, which an admin then takes from Ana."""
    badge = make_badge("group-basics", "Group Basics", icon="🤝")
    program = make_program(make_trainer(), peers=1, required_badge="group-basics")
    posts = wrote_there(program, badge)
    revoke_badge(posts["ana_first"].author, badge)
    client.login("ana")
    return program, badge, posts


def wrote_before_a_badge_was_asked(client):
    """`wrote_there`, then a trainer makes the program need a badge Ana never held."""
    program = make_program(make_trainer(), peers=1)
    posts = wrote_there(program)
    make_badge("group-basics", "Group Basics", icon="🤝")
    authoring.update_program(program.created_by, program, title=program.title, slug=program.slug,
                             summary_md=program.summary_md, audience=program.audience,
                             required_badge="group-basics", awarded_badge="")
    client.login("ana")
    return program, posts


def wrote_and_moved_to_teens(client, program=None):
    """`wrote_there` in a program for adults; then a moderator moves Ana to the teen spaces."""
    program = program or make_program(make_trainer(), peers=1, audience="adult")
    posts = wrote_there(program)
    change_age_group(make_moderator("mina"), posts["ana_first"].author, "teen", "She is 16")
    client.login("ana")
    return program, posts


def left_after_writing(client):
    program = make_program(make_trainer(), peers=1)
    return program, wrote_and_left(client, program), "You left “Group Support Basics”."


def lost_the_badge_after_writing(client):
    program, _, posts = wrote_and_lost_the_badge(client)
    return program, posts, "You need the 🤝 Group Basics badge to enter this program."


def wrote_before_the_badge_was_asked(client):
    program, posts = wrote_before_a_badge_was_asked(client)
    return program, posts, "You need the 🤝 Group Basics badge to enter this program."


def moved_to_teens_after_writing(client):
    # None: the program is not theirs to see at all, so no discussion page says why.
    return *wrote_and_moved_to_teens(client), None
