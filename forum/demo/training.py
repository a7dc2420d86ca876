"""Demo training: a group support program of three discussions, with trainees at
different points (two finished, one at the second discussion, one just enrolled, and one
who left after the first), and a badge-locked follow-up program. All text is invented for
the demo."""
from sqlalchemy import select

from forum.accounts import staff
from forum.errors import Conflict
from forum.extensions import db
from forum.models.accounts import Badge
from forum.models.training import Discussion, Enrollment, Program
from forum.posts.services import write_post
from forum.training import authoring, discussion_authoring, services

FOUNDATIONS = dict(
    slug="group-support-foundations", title="Group Support Foundations", audience="adult",
    summary_md=("Three discussions about supporting people **in a group** rather than one to one. "
                "Share your own experience, read your fellow trainees' and reply to them: each "
                "discussion opens once you have finished the one before."),
)

DISCUSSIONS = [
    dict(title="What group support is", min_words=30, required_peer_replies=2, post_first=False,
         prompt="Share three highs and three lows you have experienced in a group support room.",
         response_template="3 highs:\n1.\n2.\n3.\n\n3 lows:\n1.\n2.\n3.",
         lesson_md=(
             "Most of us began as listeners in one-to-one chats. Group support works differently: several "
             "people share one space, and what helps is not only what each person says but how the group "
             "behaves together: who speaks, who waits, how newcomers are greeted and how disagreements "
             "are handled.\n\n"
             "A group is more than people who happen to be in the same room. It has a shared purpose, "
             "unwritten habits, and roles people slip into without noticing. Seeing those patterns is the "
             "first skill of anyone who wants to support a group.\n\n"
             "Our community opened group rooms because one-to-one chats could not meet every need: people "
             "wanted to celebrate together, swap ideas and feel they belong. As the rooms grew we added "
             "hosts, session leaders and badge-locked rooms to keep them safe, and we keep adjusting.\n\n"
             "In this program you will look at group rooms with fresh eyes, starting with your own "
             "experience of them.")),
    dict(title="Welcoming someone new", min_words=40, required_peer_replies=2, post_first=False,
         prompt="Someone joins a busy room and says nothing for ten minutes. What would you do, step by step?",
         response_template="What I would notice:\n\nWhat I would say first:\n\nWhat I would avoid:",
         lesson_md=(
             "Newcomers decide within minutes whether a room is for them. A short, warm greeting by name, "
             "one sentence about what the room is for, and an open invitation (never pressure) make a big "
             "difference.\n\n"
             "Busy rooms are the hardest to enter. Slowing the pace for a moment, or asking regulars to "
             "leave a gap, gives quieter people room to speak.")),
    dict(title="When a conversation turns tense", min_words=40, required_peer_replies=1,
         post_first=True, response_template="",
         prompt="Think of a time a group conversation became tense. What helped it calm down, or what could have?",
         lesson_md=(
             "Tension in a group is normal; what matters is how it is handled. Name what is happening "
             "without blaming anyone, point back to the room's guidelines, and offer a one-to-one chat "
             "to anyone who needs more space.\n\n"
             "If someone is unsafe or a conversation keeps escalating, call a moderator. Asking for help "
             "is part of hosting well, not a failure.\n\n"
             "*In this discussion you will see the others' answers once you have posted your own.*")),
]

HOSTING = dict(
    slug="hosting-support-sessions", title="Hosting a Support Session", audience="adult",
    summary_md="For graduates of Group Support Foundations: plan and lead a short support session.",
)
HOSTING_DISCUSSION = dict(
    title="Planning a session", min_words=40, required_peer_replies=2, post_first=False,
    prompt="Outline a 30-minute session on a topic you care about: opening, activity and closing.",
    response_template="Topic:\n\nOpening:\n\nActivity:\n\nClosing:",
    lesson_md="A good session has a clear start, one simple activity and a gentle close. Plan all three.")

# (key, author, discussion number, text, key of the response replied to or None)
POSTS = [
    ("d1-juniper", "juniper_mentor", 1, "3 highs:\n1. Watching a shy regular finally share a good day and the whole room cheering\n"
     "2. Learning coping ideas from people with very different lives\n3. Nobody has to carry a hard night alone\n\n"
     "3 lows:\n1. Fast scrolling buries people who type slowly\n2. Side conversations can drown out someone in distress\n"
     "3. Regulars sometimes forget to explain the room's habits", None),
    ("d1-quill", "quill_mentor", 1, "3 highs:\n1. Late-night rooms feel like a lighthouse for people who can't sleep\n"
     "2. Several listeners can notice different things in the same message\n3. Small wins get celebrated loudly\n\n"
     "3 lows:\n1. Two people in crisis at once is hard to balance\n2. Jokes can land badly when someone is hurting\n"
     "3. It is easy to talk more than you listen", None),
    ("d1-rowan", "rowan_listens", 1, "3 highs:\n1. Structured sessions with a clear topic help me join in\n"
     "2. Hearing that others feel the same is a relief\n3. Hosts who greet everyone by name\n\n"
     "3 lows:\n1. Busy rooms make it hard to find a gap to speak\n2. Disagreements sometimes spill over\n"
     "3. Some people speak over others without noticing", None),
    ("d1-pebble", "pebble_adult", 1, "3 highs:\n1. Friendly faces I recognise from week to week\n"
     "2. Being able to just read quietly when I'm not up to talking\n3. Practical tips that actually work\n\n"
     "3 lows:\n1. Topics jump around too quickly\n2. Newcomers get missed when the room is full\n"
     "3. Long silences after someone shares something heavy", None),
    ("d1-juniper-quill", "juniper_mentor", 1, "@quill_mentor the lighthouse image is lovely, and so true for night rooms.", "d1-quill"),
    ("d1-juniper-rowan", "juniper_mentor", 1, "@rowan_listens same here: a clear topic makes it much easier to start.", "d1-rowan"),
    ("d1-quill-juniper", "quill_mentor", 1, "Slow typists getting buried is such a good point. Maybe hosts can pause the room now and then?", "d1-juniper"),
    ("d1-quill-pebble", "quill_mentor", 1, "Reading quietly counts as taking part too. Thanks for saying it.", "d1-pebble"),
    ("d1-rowan-juniper", "rowan_listens", 1, "I've seen side chats drown someone out as well. It's hard to watch.", "d1-juniper"),
    ("d1-rowan-pebble", "rowan_listens", 1, "Long silences after a heavy share worry me too. A simple 'thank you for telling us' helps.", "d1-pebble"),
    ("d1-pebble-quill", "pebble_adult", 1, "Two crises at once sounds really hard. Do you ask another listener to help?", "d1-quill"),
    ("d1-pebble-rowan", "pebble_adult", 1, "Greeting by name makes such a difference, I agree.", "d1-rowan"),
    ("d2-juniper", "juniper_mentor", 2, "What I would notice:\nThey joined ten minutes ago, haven't typed, and the room is moving fast.\n\n"
     "What I would say first:\nA short welcome by name, one line about what the room is for, and that reading quietly is fine too.\n\n"
     "What I would avoid:\nAsking them a direct personal question in front of everyone or flooding them with messages.", None),
    ("d2-quill", "quill_mentor", 2, "What I would notice:\nWhether the conversation is leaving any gap at all for a new voice.\n\n"
     "What I would say first:\nI'd ask the room to slow down for a minute, then welcome the newcomer and mention they can message me privately.\n\n"
     "What I would avoid:\nMaking a big deal of their silence; some people need time to read before they feel safe.", None),
    ("d2-rowan", "rowan_listens", 2, "What I would notice:\nIf they were greeted at all, and how busy the chat is.\n\n"
     "What I would say first:\nHi and welcome! We're chatting about weekend plans, jump in whenever you like, or just say hi.\n\n"
     "What I would avoid:\nPinging them again and again if they don't answer straight away.", None),
    ("d2-juniper-quill", "juniper_mentor", 2, "Asking the room to slow down is brave and it works. I'll borrow that.", "d2-quill"),
    ("d2-juniper-rowan", "juniper_mentor", 2, "@rowan_listens mentioning the current topic is a great touch.", "d2-rowan"),
    ("d2-quill-juniper", "quill_mentor", 2, "'Reading quietly is fine' takes so much pressure off. Lovely.", "d2-juniper"),
    ("d2-quill-rowan", "quill_mentor", 2, "Not pinging again and again is important, agreed.", "d2-rowan"),
    ("d2-rowan-juniper", "rowan_listens", 2, "I like that you avoid personal questions in public. I hadn't thought of that.", "d2-juniper"),
    ("d3-juniper", "juniper_mentor", 3, "Two regulars started arguing about whose advice was better while the person who asked went quiet. "
     "What helped was naming it gently: 'I think we all want the best for Sam, let's hear what Sam thinks.' "
     "Then I offered each of them a one-to-one chat if they wanted to keep talking.", None),
    ("d3-quill", "quill_mentor", 3, "A joke about a sensitive topic upset someone late at night. The room went tense and people took sides. "
     "It calmed down when the host pointed to the guideline about sensitive topics, thanked the person for speaking up "
     "and moved the conversation on. Calling a moderator earlier would have helped too.", None),
    ("d3-juniper-quill", "juniper_mentor", 3, "Thanking the person who spoke up is such an important step.", "d3-quill"),
    ("d3-quill-juniper", "quill_mentor", 3, "Bringing it back to the person who asked is a brilliant move.", "d3-juniper"),
]

ENROLLED = ("juniper_mentor", "quill_mentor", "rowan_listens", "pebble_adult", "marigold_hears")
# Enrolled, completed the first discussion, then left (the dashboard counts them apart).
LEFT = ("pebble_adult",)


def _badge(slug, name, description, icon) -> Badge:
    badge = db.session.scalar(select(Badge).where(Badge.slug == slug))
    return badge or staff.create_badge(slug=slug, name=name, description=description, icon=icon)


def _program(trainer, fields, discussions, required="", awarded="") -> Program:
    program = db.session.scalar(select(Program).where(Program.slug == fields["slug"]))
    if program is None:
        program = authoring.create_program(trainer, **fields, required_badge=required, awarded_badge=awarded)
    have = len(discussion_authoring.discussions_of(program))
    for values in discussions[have:]:
        discussion_authoring.add_discussion(trainer, program, **values)
    if not program.published:
        authoring.set_published(trainer, program, True)
    return program


def seed(people) -> None:
    trainer = people["tova_trainer"]
    basics = _badge("group-support-basics", "Group Support Basics",
                    "Completed the Group Support Foundations program.", "🤝")
    host = _badge("session-host", "Session Host", "Completed Hosting a Support Session.", "🎙")
    program = _program(trainer, FOUNDATIONS, DISCUSSIONS, awarded=basics.slug)
    _program(trainer, HOSTING, [HOSTING_DISCUSSION], required=basics.slug, awarded=host.slug)
    enrolled_now = []
    for username in ENROLLED:
        if db.session.scalar(select(Enrollment.id).where(
                Enrollment.user_id == people[username].id, Enrollment.program_id == program.id)) is None:
            try:
                services.enrol(people[username], program)
                enrolled_now.append(username)
            except Conflict:
                pass
    discussions = {d.position: d for d in db.session.scalars(
        select(Discussion).where(Discussion.program_id == program.id))}
    written = {}
    for key, author, number, body, parent_key in POSTS:
        thread = discussions[number].thread
        parent = written.get(parent_key)
        written[key] = write_post(people[author], thread, body, parent=parent,
                                  submission_token=f"demo-training-{key}")
    # Only those enrolled by this run: one who enrolled again since is left alone.
    for username in LEFT:
        if username in enrolled_now:
            services.leave(people[username], program)
