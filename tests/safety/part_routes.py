"""The route table's entries for the parts built on the engine: training, ideas, mentors.

`build_part_world(people, author, part)` makes what one part's paths name, between specific personas:
- training: a published program for adults by the trainer, with two discussions; two
  trainees (not personas) enrolled, who completed the first one (for reopening).
- ideas: a call for everyone opened by the moderator, with two ideas by the author.
- mentors: the mentor persona's profile (mentoring adults); the listener persona is its
  mentee in a running mentorship (conversation, review), and in one with another mentor
  ("guide") that they have talked in but not reviewed; someone else's request waits for
  the mentor persona; a third mentor ("sage") is free to be asked.
"""
from forum.clock import utcnow
from forum.mentors import reviews, services as mentor_services
from tests.factories import make_user
from tests.ideas.factories import make_call, post_idea
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, make_request, write_in_conversation
from tests.safety.route_table import LOGIN, Route, everyone, expect, signed_in, staff_only, trainers_only
from tests.training.factories import complete, discussion, enrol, make_program

PROGRAM = "/programs/{program.slug}"
PROGRAM_FORM = {"title": "Table program", "slug": "{program.slug}", "summary_md": "Learn **together**.",
                "audience": "adult", "required_badge": "", "awarded_badge": ""}
DISCUSSION_FORM = {"title": "From the table", "lesson_md": "A lesson.", "prompt": "Share one high.",
                   "response_template": "1.", "min_words": "1", "required_peer_replies": "1"}
CALL_FORM = {"title": "A call from {persona}", "question": "What would help?", "audience": "everyone",
             "required_badge": ""}
MENTOR_SETTINGS = {"headline": "From the table", "tracks": "", "knowledge": "", "languages": "English",
                   "mentors_adults": "y", "accepting": "y", "timezone": "UTC", "hours": ""}


def mentor_only(status) -> dict:
    """The mentor persona's own profile pages."""
    return expect(403, anonymous=LOGIN, mentor=status)


def parties_only(mentee=None, mentor=None) -> dict:
    """A private mentorship: its mentee (the listener) and mentor; anyone else gets 404."""
    answers = {"listener": mentee, "mentor": mentor}
    return expect(404, anonymous=LOGIN, **{persona: status for persona, status in answers.items() if status})


PART_ROUTES: dict[str, Route] = {
    # Training: the program is for adults, so it does not exist for teens and strangers.
    "training.catalogue": Route("/programs", get=everyone(200)),
    "training.program": Route(PROGRAM, get=expect(200, anonymous=404, teen=404)),
    "training.enrol": Route(PROGRAM + "/enrol", post=expect(302, anonymous=LOGIN, teen=404)),
    # Nobody here is enrolled: sent back to the program, told they are not enrolled.
    "training.leave": Route(PROGRAM + "/leave", get=expect(302, anonymous=LOGIN, teen=404),
                            post=expect(302, anonymous=LOGIN, teen=404)),
    "training.discussion": Route(PROGRAM + "/discussions/1", get=expect(
        403, anonymous=404, teen=404, trainer=200, moderator=200, admin=200)),  # locked until enrolled
    "training.certificate": Route(PROGRAM + "/certificate", get=expect(  # to the program page: not done yet
        302, anonymous=LOGIN, teen=404)),
    "training.create_program": Route("/programs/new", get=trainers_only(200), post=trainers_only(302),
                                     data={**PROGRAM_FORM, "title": "Table program by {persona}", "slug": ""}),
    "training.edit_program": Route(PROGRAM + "/edit", get=trainers_only(200), post=trainers_only(302),
                                   data=PROGRAM_FORM),
    "training.publish": Route(PROGRAM + "/publish", post=trainers_only(302), data={"published": "1"}),
    "training.create_discussion": Route(PROGRAM + "/discussions/new", get=trainers_only(200),
                                        post=trainers_only(302), data=DISCUSSION_FORM),
    "training.edit_discussion": Route(PROGRAM + "/discussions/1/edit", get=trainers_only(200),
                                      post=trainers_only(302), data=DISCUSSION_FORM),
    "training.reorder": Route(PROGRAM + "/order", get=trainers_only(200), post=trainers_only(302),
                              data={"position-{first_discussion.id}": "2", "position-{second_discussion.id}": "1"}),
    "training.delete_discussion": Route(PROGRAM + "/discussions/2/delete", get=trainers_only(200),
                                        post=trainers_only(302), data={"discussion_id": "{second_discussion.id}"},
                                        isolate=True),
    "training.move": Route(PROGRAM + "/discussions/1/move", post=trainers_only(302), data={"direction": "down"}),
    "training.progress_dashboard": Route(PROGRAM + "/dashboard", get=trainers_only(200)),
    "training.dashboard_csv": Route(PROGRAM + "/dashboard.csv", get=trainers_only(200)),
    "training.reopen": Route(PROGRAM + "/enrollments/{enrollment.id}/discussions/{first_discussion.id}/reopen",
                             post=trainers_only(302),
                             data={"reason": "From the table", "confirmed": "yes"}),  # without it, a page asks first
    # Ideas
    "ideas.board": Route("/ideas", get=everyone(200)),
    "ideas.call": Route("/ideas/{call.id}", get=everyone(200)),
    "ideas.open_call": Route("/ideas/new", get=staff_only(200), post=staff_only(302), data=CALL_FORM),
    "ideas.edit_call": Route("/ideas/{call.id}/edit", get=staff_only(200), post=staff_only(302),
                             data={**CALL_FORM, "title": "Table call, edited by {persona}"}),
    "ideas.change_phase": Route("/ideas/{call.id}/phase", post=staff_only(302),
                                data={"phase": "evaluating", "confirmed": "yes"}),  # without it, a page asks first
    "ideas.review": Route("/ideas/{call.id}/ideas/{idea.id}/review", get=staff_only(200), post=staff_only(302),
                          data={"status": "under_review", "note": "From the table"}),
    "ideas.merge": Route("/ideas/{call.id}/ideas/{idea.id}/merge", post=staff_only(302),
                         data={"target": "{other_idea.id}", "note": "", "confirmed": "yes"}, isolate=True),
    "ideas.shortlist": Route("/ideas/{call.id}/shortlist", get=everyone(200)),
    "posts.suggest_mentions": Route("/mentions/suggest?q=as", get=expect(200, anonymous=401)),  # JSON
    # Mentors: the mentor persona mentors adults, so teens don't find their page.
    "mentors.index": Route("/mentors", get=everyone(200)),
    "mentors.profile": Route("/mentors/{mentor.username}", get=expect(200, teen=404)),
    "mentors.me": Route("/mentors/me", get=mentor_only(302)),
    "mentors.edit": Route("/mentors/me/edit", get=mentor_only(200), post=mentor_only(302), data=MENTOR_SETTINGS),
    "mentors.sections": Route("/mentors/me/sections", get=mentor_only(200)),
    "mentors.edit_section": Route("/mentors/me/sections/about", get=mentor_only(200), post=mentor_only(302),
                                  data={"body": "About me, from the table"}),
    "mentors.move_section": Route("/mentors/me/sections/about/move", post=mentor_only(302),
                                  data={"direction": "down"}),
    "mentors.toggle_section": Route("/mentors/me/sections/about/visibility", post=mentor_only(302),
                                    data={"hidden": "1"}),
    "mentors.mark_available": Route("/mentors/me/available", post=mentor_only(302), data={"hours": "1"}),
    # The mentor persona is an adult not approved for teens: they may ask, and withdraw it.
    "mentors.ask_teen_approval": Route("/mentors/me/teens/ask", post=mentor_only(302),
                                       data={"note": "From the table"}),
    "mentors.withdraw_teen_approval_request": Route("/mentors/me/teens/withdraw", post=mentor_only(302)),
    # Only listeners ask for a mentor: the others read why not (403).
    "mentors.ask": Route("/mentors/{sage.username}/request", get=signed_in(200, teen=404),
                         post=expect(403, anonymous=LOGIN, teen=404, listener=302),
                         data={"message": "Could you help me with long chats?"}),
    "mentors.request_page": Route("/mentors/requests/{mentorship.id}", get=parties_only(200, 200)),
    "mentors.answer": Route("/mentors/requests/{pending.id}/answer", post=parties_only(mentor=302),
                            data={"decision": "accept", "note": "Welcome"}),
    "mentors.close": Route("/mentors/requests/{mentorship.id}/close", post=parties_only(302, 302),
                           data={"confirmed": "yes"}),  # without it, a page asks first (200)
    "mentors.my_mentors": Route("/mentors/me/mentors", get=signed_in(200)),
    "mentors.my_mentees": Route("/mentors/me/mentees", get=signed_in(200)),
    "mentors.conversation": Route("/mentors/conversations/{mentorship.thread_id}",
                                  get=expect(404, listener=200, mentor=200)),
    "mentors.write_review": Route("/mentors/requests/{guide_mentorship.id}/review", get=parties_only(200),
                                  post=parties_only(302), data={"rating": "4", "body": "Patient and clear."}),
    # The way to a review: the page of the mentor's profile it is on (302), or none (404).
    "mentors.review_permalink": Route("/mentors/reviews/{review.id}", get=expect(302, teen=404)),
    "mentors.edit_review": Route("/mentors/reviews/{review.id}/edit", get=expect(
        403, anonymous=LOGIN, teen=404, listener=200), post=expect(403, anonymous=LOGIN, teen=404, listener=302),
        data={"rating": "3", "body": "Edited at the table"}),
    "mentors.reply_to_review": Route("/mentors/reviews/{review.id}/reply", get=expect(
        403, anonymous=LOGIN, teen=404, mentor=200), post=expect(403, anonymous=LOGIN, teen=404, mentor=302),
        data={"body": "Thank you for the kind words."}),
    "mentors.edit_reply": Route("/mentors/reviews/{replied_review.id}/reply/edit", get=expect(
        403, anonymous=LOGIN, teen=404, mentor=200), post=expect(403, anonymous=LOGIN, teen=404, mentor=302),
        data={"body": "Thank you for the kind words, edited."}),
    # Earlier versions: a review's for its author, a reply's for its mentor; both for staff.
    "mentors.review_history": Route("/mentors/reviews/{review.id}/history", get=expect(
        403, anonymous=LOGIN, teen=404, listener=200, moderator=200, admin=200)),
    "mentors.reply_history": Route("/mentors/reviews/{replied_review.id}/reply/history", get=expect(
        403, anonymous=LOGIN, teen=404, mentor=200, moderator=200, admin=200)),
    "mentors.hide_review": Route("/mentors/reviews/{review.id}/hide", post=staff_only(302),
                                 data={"reason": "From the table"}),
    "mentors.restore_review": Route("/mentors/reviews/{review.id}/restore", post=staff_only(302)),
}


def build_part_world(people: dict, author, part: str) -> dict:
    """What the paths of one part name (see the module's docstring): a route of one part
    never names another's things, and building all three for every route was most of the
    route table's time."""
    return PART_WORLDS[part](people, author) if part in PART_WORLDS else {}


def training_world(people: dict, author) -> dict:
    program = make_program(people["trainer"], title="Table program", discussions=2, audience="adult", min_words=1,
                           peers=1)
    trainees = [make_user(name, role="listener") for name in ("trainee_a", "trainee_b")]
    enrollment = enrol(trainees[0], program)
    enrol(trainees[1], program)
    complete(trainees, program, 1)
    return dict(program=program, first_discussion=discussion(program, 1), second_discussion=discussion(program, 2),
                enrollment=enrollment)


def ideas_world(people: dict, author) -> dict:
    call = make_call(people["moderator"], "Table call")
    idea, other_idea = post_idea(author, call, "An idea from the table"), post_idea(author, call, "Another idea")
    return dict(call=call, idea=idea, other_idea=other_idea)


def mentors_world(people: dict, author) -> dict:
    listener, mentor = people["listener"], people["mentor"]
    profile = mentor_services.own_profile(mentor)
    guide, sage = make_mentor("guide"), make_mentor("sage")
    mentorship = make_mentorship(listener, profile)
    write_in_conversation(listener, mentorship)
    review = reviews.write_review(listener, mentorship, 5, "Kind and steady.", utcnow())
    thankful = make_listener("thankful")
    thanked = make_mentorship(thankful, profile)
    write_in_conversation(thankful, thanked)
    replied_review = reviews.write_review(thankful, thanked, 4, "Steady and warm.", utcnow())
    reviews.reply_to_review(mentor, replied_review, "Thank you.", utcnow())
    guide_mentorship = make_mentorship(listener, guide)
    write_in_conversation(listener, guide_mentorship)
    pending = make_request(make_listener("asker"), profile)
    return dict(sage=sage.user, mentorship=mentorship, guide_mentorship=guide_mentorship, review=review,
                replied_review=replied_review, pending=pending)


PART_WORLDS = {"training": training_world, "ideas": ideas_world, "mentors": mentors_world}
