"""Who the demo mentors are and what they write about themselves. Invented people, our own words."""

# username, display name, age group
NEW_MENTORS = [
    ("birch_mentor", "Birch", "adult"),
    ("cove_mentor", "Cove", "adult"),
    ("dune_mentor", "Dune", "adult"),
    ("ember_mentor", "Ember", "adult"),
    ("fable_mentor", "Fable", "adult"),
    ("grove_mentor", "Grove", "adult"),
    ("harbor_mentor", "Harbor", "adult"),
    ("indigo_teen", "Indigo", "teen"),
    ("juno_mentor", "Juno", "adult"),
    ("kestrel_mentor", "Kestrel", "adult"),
]
NEW_LISTENERS = [
    ("lark_listens", "Lark", "adult"),
    ("pip_listens", "Pip", "teen"),
]

# Each mentor: settings, then sections (kind -> Markdown; missing kinds stay empty),
# `hidden` kinds, an optional `order`, how recently they were around, and for an adult
# mentor not approved for teens, an optional `teens_ask`: their note asking an admin to approve them.
MENTORS = {
    "juniper_mentor": dict(
        headline="Helping new listeners find their voice", tracks="Listener support, First chats",
        knowledge="Active listening, Boundaries, Grief, Open questions", languages="English, Spanish",
        teens=True, adults=True, timezone="Europe/Madrid", hours="Mon-Thu 19:00-21:00", seen_minutes_ago=4,
        sections={
            "about": "I started listening four years ago after a friend's late-night call showed me how much "
                     "a patient ear matters. I have mentored for two years.",
            "situations": "- Your first ten chats, when everything feels unfamiliar\n"
                          "- Members who go silent halfway through\n- Saying no without feeling guilty",
            "how_i_help": "We read one of your chats together (with names removed) and look for the moment "
                          "it turned. Then we practise that moment until it feels natural.",
            "availability": "Evenings, Madrid time. Weekends I am offline on purpose.",
        }),
    "quill_mentor": dict(
        headline="Night owl: grief, loneliness and first chats", tracks="Night listening, Listener support",
        knowledge="Grief, Loneliness, First chats", languages="English", teens=False, adults=True,
        timezone="America/Chicago", hours="Mon-Fri 22:00-24:00", available_hours=4, seen_minutes_ago=90,
        order=["how_i_help", "about", "situations", "knowledge", "tracks", "availability"],
        sections={
            "about": "Retired night-shift nurse. Quiet hours are when people open up, and when listeners "
                     "most need someone in their corner.",
            "how_i_help": "Message me after a heavy chat. We will unpack it, and I will check how *you* are.",
            "situations": "Grief after losing a parent or a pet, anniversaries, people who feel nobody would "
                          "notice them gone.",
        }),
    "birch_mentor": dict(
        headline="Group rooms that feel safe for everyone", tracks="Group support",
        knowledge="Group facilitation, Anxiety, House rules", languages="English, German",
        teens=False, adults=True, timezone="Europe/Berlin", hours="Sat, Sun 10:00-13:00", seen_minutes_ago=2,
        sections={
            "about": "I host two weekly support rooms and train new hosts.",
            "how_i_help": "Shadow one of my rooms, then host one while I sit in. Afterwards we talk it through.",
        }),
    "cove_mentor": dict(
        headline="For teen listeners finding their feet", tracks="Teen listeners",
        knowledge="School stress, Friendships, Self-esteem", languages="English", teens=True, adults=False,
        timezone="America/New_York", hours="Mon-Fri 16:00-18:00", seen_minutes_ago=600,
        sections={
            "about": "Youth worker by day. I mentor teen listeners only.",
            "situations": "Chats about exams, group-chat drama, feeling left out, and being the friend everyone leans on.",
            "how_i_help": "Short check-ins after school. Bring one chat you are proud of and one you are not.",
        }),
    "dune_mentor": dict(
        headline="Listening without burning out", tracks="Listener support, Self-care for listeners",
        knowledge="Burnout, Compassion fatigue, Boundaries", languages="English, Arabic",
        teens=False, adults=True, timezone="Asia/Dubai", hours="Sun-Thu 18:00-20:00", seen_minutes_ago=3000,
        hidden=["availability"],
        sections={
            "about": "I burned out in my second year of listening. Now I help others notice the signs earlier.",
            "situations": "Listeners caring for a parent with dementia who give their evenings to others too; "
                          "members who feel guilty for resting.",
            "how_i_help": "We make a simple plan: how many chats a week, what you do after a hard one, "
                          "and who you tell.",
            "availability": "My hours shift with Ramadan; I update them here.",
        }),
    "ember_mentor": dict(
        headline="Crisis handovers and safety plans", tracks="Crisis handovers",
        knowledge="Safety planning, Crisis referrals, Self-harm", languages="English",
        teens=False, adults=True, accepting=False, timezone="Europe/London", hours="Tue, Thu 12:00-14:00",
        seen_minutes_ago=200,
        sections={
            "about": "Ten years on a crisis line. I teach when and how to hand a chat on to emergency help.",
            "situations": "A member mentions a plan or a date. You are scared and unsure what to say next.",
            "how_i_help": "Role-play, with clear steps you can keep next to your keyboard. "
                          "**Currently full** until my mentees finish.",
        }),
    "fable_mentor": dict(
        headline="Reflective listening, one story at a time", tracks="Listener support",
        knowledge="Reflective listening, Open questions, Storytelling", languages="English, French",
        teens=True, adults=True, timezone="Europe/Paris", hours="Wed 17:00-19:00\nSat 09:00-11:00",
        seen_minutes_ago=45,
        sections={
            "about": "Librarian and listener. Stories are how people make sense of what happened to them.",
            "situations": "Grief told as a story: a member who keeps coming back to the day it happened.",
            "how_i_help": "We practise reflections until they sound like you, not like a textbook.",
        }),
    "grove_mentor": dict(
        headline="Writing supportive forum replies", tracks="Forum mentor",
        knowledge="Writing replies, Tone online", languages="English", teens=False, adults=True,
        timezone="Australia/Sydney", hours="Mon, Wed, Fri 07:00-08:30", seen_minutes_ago=20000,
        sections={"about": "I help listeners write forum replies that feel warm on a screen."}),
    "harbor_mentor": dict(
        headline="Relationships and family conflict", tracks="Listener support, Group support",
        knowledge="Relationships, Family conflict, Breakups", languages="English, Portuguese",
        teens=False, adults=True, timezone="America/Sao_Paulo", hours="Mon-Fri 20:00-22:00", seen_minutes_ago=1500,
        sections={
            "about": "Family mediator. I answer slowly but thoroughly.",
            "situations": "Members caught between two people they love, as in a divorce; listeners who feel they "
                          "must pick a side.",
            "how_i_help": "Long written feedback on a chat you share, usually within a couple of days.",
        }),
    "indigo_teen": dict(
        headline="Teen mentor for teen listeners", tracks="Teen listeners",
        knowledge="Exam stress, Online friendships", languages="English, Hindi", teens=True, adults=False,
        timezone="Asia/Kolkata", hours="Sat, Sun 15:00-17:00", seen_minutes_ago=8,
        sections={
            "about": "I have been a teen listener for two years and it changed how I talk to my friends.",
            "situations": "Exams and results day, a friend who stopped replying, feeling left out online.",
            "how_i_help": "Ask me anything about starting out. No question is too small.",
        }),
    "juno_mentor": dict(
        headline="Identity, belonging and coming out", tracks="Listener support",
        knowledge="LGBTQ+ support, Identity, Coming out", languages="English, Dutch", teens=True, adults=True,
        timezone="Europe/Amsterdam", hours="Thu-Sat 19:00-21:00", seen_minutes_ago=300,
        sections={
            "about": "Queer, cheerful and patient. I mentor listeners who support people figuring out who they are.",
            "situations": "A member is not out to anyone yet; a member's family reacted badly.",
        }),
    "kestrel_mentor": dict(
        headline="New mentor: feedback on real chats", tracks="Quality chats",
        knowledge="Chat reviews, Feedback, Boundaries", languages="English", teens=False, adults=True,
        timezone="Pacific/Auckland", hours="Mon-Fri 06:00-07:00", seen_minutes_ago=100,
        teens_ask="I run a peer support club at a secondary school and would like to mentor teen listeners here.",
        sections={"about": "Just became a mentor. Early mornings, New Zealand time."}),
}

# mentee, mentor, what happens, days ago, hours until the answer, messages, review (stars, text, reply)
STORIES = [
    ("rowan_listens", "juniper_mentor", "accepted", 6, 0.4,
     ["Hi Juniper! My chats keep stalling after the first few messages.",
      "Let's look at your openers. Could you paste one, names removed?"],
     (5, "Juniper spotted in five minutes what I had missed for weeks.", "It was all you, Rowan. Keep practising!")),
    ("marigold_hears", "juniper_mentor", "closed", 20, 0.7,
     ["I rush to give advice. How do I stop?", "Try counting to three before you type. Then reflect first."],
     (4, "Kind and practical. I still rush sometimes, but less.", None)),
    ("sunny_teen", "juniper_mentor", "accepted", 3, 0.2, ["Hello! Is it OK to take a break mid-chat?"], None),
    ("sunny_teen", "cove_mentor", "accepted", 9, 0.5,
     ["A member talked about exams and I froze.", "Totally normal. What did you want to say in that moment?"],
     (5, "Cove makes hard chats feel doable.", "Thank you, Sunny. You are doing great work.")),
    ("kit_teen", "cove_mentor", "pending", 0.1, None, [], None),
    ("pip_listens", "cove_mentor", "accepted", 4, 10, ["Hi Cove, I'm new here."], None),
    ("kit_teen", "indigo_teen", "accepted", 2, 1.5,
     ["How do you deal with members who are rude?", "I remind myself it's rarely about me. Then I set a boundary."],
     None),
    ("rowan_listens", "quill_mentor", "declined", 12, 5, [], None),
    ("marigold_hears", "birch_mentor", "pending", 1, None, [], None),
    ("moss_mod", "dune_mentor", "accepted", 15, 3,
     ["Moderating plus listening is wearing me down.", "Let's start by counting your hours last week."],
     (4, "Helped me see I was doing too much. Simple, useful plan.", None)),
    ("tova_trainer", "fable_mentor", "closed", 30, 2,
     ["Could you help me write better reflection prompts for trainees?", "Gladly. Send me your current list."],
     (5, "Fable's feedback made my training prompts much clearer.", "Working on them with you was a joy.")),
    ("pip_listens", "fable_mentor", "withdrawn", 5, None, [], None),
    ("lark_listens", "harbor_mentor", "accepted", 10, 26,
     ["A member's parents are divorcing and she feels it's her fault.", "Let's talk about validating without fixing."],
     (3, "Thoughtful advice, though it took a while to hear back.",
      "Fair point, Lark. I answer slowly but I'm working on it.")),
    ("rowan_listens", "harbor_mentor", "declined", 8, 30, [], None),
    ("marigold_hears", "harbor_mentor", "accepted", 6, 50, ["Hello Harbor, do you have room for one more?"], None),
    ("lark_listens", "juno_mentor", "accepted", 1, 0.9, ["Hi Juno! I'd like help supporting people who are questioning."],
     None),
]

DECLINE_NOTE = "Thank you for asking. I'm full right now; Juniper or Fable may have room."
ACCEPT_NOTE = "Happy to. Tell me a bit about the chats you find hardest."
