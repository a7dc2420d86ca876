"""Stories of what a reader may or may not enter: each hides a word somewhere and returns
it, the readers who may see it and those who may not (SIGNED_OUT: someone signed out).
Search's visibility tests and the profile's list of posts read the same ones."""
from sqlalchemy import select

from forum.accounts.closing import close_account
from forum.accounts.services import update_profile
from forum.accounts.staff import award_badge, set_roles
from forum.extensions import db
from forum.mentors.services import edit_section
from forum.models.training import Enrollment
from forum.posts.services import delete_own_post, hide_post, write_post
from forum.training.completion import reopen_discussion
from tests.factories import PASSWORD, make_badge, make_post, make_thread, make_user
from tests.ideas.factories import make_call, make_moderator
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, write_in_conversation
from tests.training.factories import complete, discussion, enrol, make_program, make_trainer, respond

SIGNED_OUT = None


def teen_space():
    tess = make_user("tess", age_group="teen")
    make_user("adam")
    make_post(tess, make_thread("Teen corner", audience="teen", author=tess), "Our periwinkle plans.")
    return "periwinkle", ["tess"], ["adam", SIGNED_OUT]


def adult_space():
    adam = make_user("adam")
    make_user("tess", age_group="teen")
    make_post(adam, make_thread("Adults only", audience="adult", author=adam), "Periwinkle paperwork.")
    return "periwinkle", ["adam"], ["tess", SIGNED_OUT]


def badge_locked_space():
    badge = make_badge("trained", "Trained")
    holder = make_user("holder")
    make_user("other")
    award_badge(holder, badge)
    make_post(holder, make_thread("Trained listeners", required_badge=badge, author=holder), "Periwinkle drills.")
    return "periwinkle", ["holder"], ["other", SIGNED_OUT]


def private_conversation():
    profile = make_mentor("wren", headline="Here for you")
    mentee = make_listener("mina")
    make_listener("stranger")
    request = make_mentorship(mentee, profile)
    write_in_conversation(mentee, request, "My periwinkle worry, just between us.")
    return "periwinkle", ["mina", "wren"], ["stranger", SIGNED_OUT]


def hidden_post():
    moss, ada = make_moderator("moss"), make_user("ada")
    make_user("reader")
    thread = make_thread("Open space", author=ada)
    make_post(ada, thread, "A visible periwinkle note.")
    hide_post(moss, make_post(ada, thread, "A periwinkle rant hidden by moderators."), "unkind")
    return "periwinkle rant", [], ["reader", "ada", "moss", SIGNED_OUT]


def deleted_post():
    ada = make_user("ada")
    make_user("reader")
    thread = make_thread("Open space", author=ada)
    make_post(ada, thread, "Periwinkle, kept.")
    delete_own_post(ada, make_post(ada, thread, "Periwinkle regret, removed by its author."))
    return "periwinkle regret", [], ["reader", "ada", SIGNED_OUT]


def discussion_not_opened_yet():
    trainer = make_trainer("tova")
    program = make_program(trainer, discussions=2)
    trainee = make_user("trina", role="listener")
    make_user("outsider", role="listener")
    enrol(trainee, program)
    write_post(trainer, discussion(program, 2).thread, "Periwinkle lesson for later.")
    return "periwinkle", ["tova"], ["trina", "outsider", SIGNED_OUT]


def discussion_reopened_behind_the_trainee():
    trainer = make_trainer("tova")
    program = make_program(trainer, discussions=3, peers=1)
    trainee, peer = make_user("trina", role="listener"), make_user("pia", role="listener")
    make_user("outsider", role="listener")
    enrol(trainee, program), enrol(peer, program)
    complete([trainee, peer], program, 1)
    respond(trainee, program, 2, "3 highs: periwinkle " + " ".join(f"word{n}" for n in range(12)))
    enrollment = db.session.scalar(select(Enrollment).where(Enrollment.user_id == trainee.id))
    reopen_discussion(trainer, program, enrollment.id, discussion(program, 1).id)
    # Discussion 2 was open when discussion 1 was reopened: it stays open to her.
    return "periwinkle", ["trina", "tova"], ["outsider", SIGNED_OUT]


def post_first_discussion():
    program = make_program(make_trainer("tova"), discussions=1, post_first=True)
    early, late = make_user("early", role="listener"), make_user("late", role="listener")
    enrol(early, program)
    enrol(late, program)
    respond(early, program, 1, "3 highs: periwinkle " + " ".join(f"word{n}" for n in range(12)))
    return "periwinkle", ["early", "tova"], ["late"]


def teen_only_call():
    moss = make_moderator("moss")
    make_user("adam")
    make_user("tess", age_group="teen")
    make_call(moss, title="Periwinkle ideas for teens", audience="teen")
    return "periwinkle", ["tess"], ["adam", SIGNED_OUT]


def mentor_of_adults_only():
    make_mentor("wren", headline="Periwinkle listening for adults", teens=False, adults=True)
    make_user("tess", age_group="teen")
    make_user("adam")
    return "periwinkle", ["adam", SIGNED_OUT], ["tess"]


def hidden_profile_section():
    profile = make_mentor("wren", headline="Here to help")
    edit_section(profile.user, profile, "about", "My periwinkle past.", hidden=True)
    make_user("adam")
    return "periwinkle", [], ["adam", "wren", SIGNED_OUT]


def former_mentor():
    profile = make_mentor("wren", headline="Periwinkle mentoring")
    set_roles(profile.user, ["member", "listener"])
    make_user("adam")
    return "periwinkle", [], ["adam", SIGNED_OUT]


def mentor_of_adults_only_by_name():
    profile = make_mentor("wren", headline="Here for adults", teens=False, adults=True)
    update_profile(profile.user, display_name="Periwinkle", bio_md="")
    make_user("tess", age_group="teen")
    make_user("adam")
    return "periwinkle", ["adam", SIGNED_OUT], ["tess"]


def former_mentor_by_name():
    profile = make_mentor("wren", headline="Here to help")
    update_profile(profile.user, display_name="Periwinkle", bio_md="")
    set_roles(profile.user, ["member", "listener"])
    make_user("adam")
    return "periwinkle", [], ["adam", SIGNED_OUT]


def closed_mentor_by_name():
    profile = make_mentor("periwinkle", headline="Here to help")
    close_account(profile.user, PASSWORD, remove_writing=False)
    make_user("adam")
    return "periwinkle", [], ["adam", SIGNED_OUT]


def closed_mentor_as_former_member():
    profile = make_mentor("wren", headline="Here to help")
    close_account(profile.user, PASSWORD, remove_writing=False)
    make_user("adam")
    return "former member", [], ["adam", SIGNED_OUT]


STORIES = [teen_space, adult_space, badge_locked_space, private_conversation, hidden_post, deleted_post,
           discussion_not_opened_yet, discussion_reopened_behind_the_trainee, post_first_discussion, teen_only_call, mentor_of_adults_only,
           hidden_profile_section, former_mentor, mentor_of_adults_only_by_name, former_mentor_by_name,
           closed_mentor_by_name, closed_mentor_as_former_member]
