"""Demo calls for ideas: one told from question to shortlist, one still collecting.

The first is modelled on the community's thread about mentees and mentors talking more,
written in our own words with the demo people.
"""
from sqlalchemy import select

from forum.extensions import db
from forum.ideas import services
from forum.models.ideas import IdeaCall
from forum.models.posts import Thread
from forum.posts.following import follow
from forum.posts.services import toggle_reaction, write_post

MENTORS_CALL = "Ideas to help listeners and mentors talk more"
MENTORS_QUESTION = """Mentors are here to help listeners grow, yet many listeners never send a mentor a single \
message. We'd love your ideas: **what would make reaching out to a mentor feel easy and natural?**

- How could a listener find the right mentor for them?
- What would make that first message less daunting?

One idea per post, please. Reply to an idea to build on it, and react to the ones you like."""

# key, author, text
MENTOR_IDEAS = [
    ("online", "rowan_listens", "A **mentors online now** list right beside the chat requests, so a listener who "
                                "just finished a hard chat can reach someone straight away."),
    ("topics", "marigold_hears", "> @rowan_listens wrote:\n> A mentors online now list beside the chat requests\n\n"
                                 "Building on this: show each mentor's topics (grief, first chats, night shifts) "
                                 "next to their name, so you can pick the right person in one glance."),
    ("sections", "quill_mentor", "Mentor profiles with sections: *How I can help*, *When I'm around* and "
                                 "*What mentees said*. Today a profile is one long bio, and it's hard to tell what "
                                 "a mentor is good at."),
    ("reviews", "pebble_adult", "Let mentees leave a short review after a mentoring chat. Kind words help others "
                                "choose, and mentors learn what works."),
    ("teen_hour", "sunny_teen", "A weekly *ask a mentor* hour in the teen listeners' room, with a mentor who drops "
                                "in to answer whatever comes up."),
    ("badge", "kit_teen", "A badge for listeners who had three mentoring chats. Something that says "
                          "*I'm growing*, not just *I've been chatting a lot*."),
    ("training", "tova_trainer", "End the group support training with a mentor check-in: every trainee books one "
                                 "chat with a mentor before they finish."),
    ("tips", "juniper_mentor", "Mentors could post a monthly tip in the listener support room, with a link to "
                               "message them. Hearing a mentor's voice first makes the first message easier."),
    ("button", "wren_teen", "Make the *message a mentor* button bigger and put it on the listener dashboard. "
                            "I didn't know mentors existed for months!"),
    ("active_tags", "rowan_listens", "Activity tags on mentor profiles, like *active this week*, so nobody writes "
                                     "to someone who left months ago."),
    ("live_list", "marigold_hears", "Show the mentors who are available right now at the top of the listener page."),
    ("weekly_duty", "pebble_adult", "Require a chat with a mentor every week for listeners above a certain level."),
]
# idea key, author, text
MENTOR_REPLIES = [
    ("online", "juniper_mentor", "@rowan_listens yes please! I'd happily show up on that list in my evening hours."),
    ("topics", "kit_teen", "> @marigold_hears wrote:\n> show each mentor's topics\n\n"
                           "This would help teens a lot; some things are easier to talk through with a teen mentor."),
    ("sections", "pebble_adult", "@quill_mentor and the reviews from my idea could live in *What mentees said*!"),
    ("reviews", "quill_mentor", "As a mentor I'd love this. Could mentors reply to a review too?"),
    ("badge", "sunny_teen", "Yes! And maybe a different badge for mentors who helped ten mentees."),
    ("training", "moss_mod", "@tova_trainer this would fit neatly into the last discussion of the training."),
    ("button", "rowan_listens", "Same here, @wren_teen. I found the mentor page by accident."),
]
# idea key, reactor, kind
MENTOR_REACTIONS = [
    ("online", "marigold_hears", "lightbulb"), ("online", "juniper_mentor", "high_five"),
    ("online", "quill_mentor", "heart"), ("online", "sunny_teen", "high_five"), ("online", "wren_teen", "hug"),
    ("topics", "rowan_listens", "lightbulb"), ("topics", "kit_teen", "heart"),
    ("sections", "juniper_mentor", "lightbulb"), ("sections", "pebble_adult", "high_five"),
    ("reviews", "quill_mentor", "heart"), ("reviews", "marigold_hears", "hug"),
    ("reviews", "tova_trainer", "lightbulb"),
    ("teen_hour", "kit_teen", "hug"), ("teen_hour", "wren_teen", "heart"),
    ("badge", "sunny_teen", "high_five"), ("training", "juniper_mentor", "lightbulb"),
    ("tips", "rowan_listens", "heart"), ("tips", "marigold_hears", "hug"),
    ("button", "sunny_teen", "hug"), ("active_tags", "quill_mentor", "lightbulb"),
    ("live_list", "pebble_adult", "high_five"), ("weekly_duty", "rowan_listens", "hug"),
]
# idea key, status, staff note
MENTOR_STATUSES = [
    ("online", "planned", "First on our list: a mentors-online-now list beside the chat requests."),
    ("topics", "under_review", ""),
    ("sections", "shortlisted", "Profile sections come with the new mentor page."),
    ("reviews", "shortlisted", "Reviews from mentees, with a reply from the mentor."),
    ("teen_hour", "under_review", "We're asking the teen mentors which evening suits them."),
    ("badge", "under_review", ""),
    ("training", "planned", "Joins the group support training next term."),
    ("tips", "done", "Juniper posted the first monthly tip; more mentors will follow."),
    ("active_tags", "shortlisted", "Goes with the mentors-online list."),
    ("weekly_duty", "declined", "We want mentoring to stay an invitation, not a duty; the training check-in covers "
                                "the first step."),
]

TEEN_CALL = "Ideas for the teen listeners' room"
TEEN_QUESTION = ("The teen listeners' room is getting busier. What would make it a friendlier place to start "
                 "as a new teen listener?")
TEEN_IDEAS = [
    ("sunny_teen", "A pinned *first week* post with the three things every new teen listener asks about."),
    ("kit_teen", "Quiet hours twice a week, when the room is for study-stress chats only."),
]


def _existing_call(title: str) -> IdeaCall | None:
    return db.session.scalar(select(IdeaCall).join(IdeaCall.thread).where(Thread.title == title))


def _seed_mentors_call(people) -> None:
    staff = people["moss_mod"]
    call = services.open_call(staff, title=MENTORS_CALL, question=MENTORS_QUESTION)
    follow(staff, call.thread)  # to see the ideas come in: gathered in one notification
    ideas = {key: write_post(people[author], call.thread, text) for key, author, text in MENTOR_IDEAS}
    for key, author, text in MENTOR_REPLIES:
        write_post(people[author], call.thread, text, parent=ideas[key])
    for key, reactor, kind in MENTOR_REACTIONS:
        toggle_reaction(people[reactor], ideas[key], kind)
    services.change_phase(staff, call, "evaluating")
    for key, status, note in MENTOR_STATUSES:
        services.set_status(staff, ideas[key], status, note)
    services.merge_idea(staff, ideas["live_list"], ideas["online"].id, "The same idea as the mentors-online list.")
    services.change_phase(staff, call, "shortlisted")


def _seed_teen_call(people) -> None:
    call = services.open_call(people["moss_mod"], title=TEEN_CALL, question=TEEN_QUESTION, audience="teen",
                              hide_reactions_while_collecting=True)
    (first_author, first_text), (second_author, second_text) = TEEN_IDEAS
    first = write_post(people[first_author], call.thread, first_text)
    follow(people[first_author], call.thread)  # told of the ideas after hers
    second = write_post(people[second_author], call.thread, second_text)
    toggle_reaction(people["kit_teen"], first, "heart")
    toggle_reaction(people["wren_teen"], first, "lightbulb")
    toggle_reaction(people["sunny_teen"], second, "high_five")


def seed(people) -> None:
    """Add the demo calls unless they are there already."""
    if _existing_call(MENTORS_CALL) is None:
        _seed_mentors_call(people)
    if _existing_call(TEEN_CALL) is None:
        _seed_teen_call(people)
