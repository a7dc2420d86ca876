"""The parts of the bench community: training programs, calls for ideas, mentors."""
from datetime import timedelta

from forum.bench.seed import MAIN_CALL_TITLE, MAIN_PROGRAM, responsiveness_course, table
from forum.bench.text import TextMaker
from forum.mentors.responsiveness import span_row
from forum.models.mentors import SECTION_KINDS

TAGS = {
    "track": ("Group chats", "One to one", "Night shifts", "Teen spaces", "Grief", "Study stress", "New parents",
              "Loneliness"),
    "knowledge": ("Reflective listening", "Boundaries", "Burnout", "Crisis signposting", "Open questions",
                  "Validation", "Self care", "Silence", "Summarising", "Hand-offs"),
    "language": ("English", "Spanish", "French", "German", "Portuguese"),
}
FILTERED_TRACK = "Night shifts"  # the benchmark filters the directory by this track


def seed_training(seeder) -> None:
    """Two programs; the first's opening discussion holds `responses` responses with replies."""
    people = seeder.people
    trainer = people.trainers[0]
    main_sizes, small_sizes = seeder.shape.discussion_sizes()
    programs = ((MAIN_PROGRAM, "Listening basics", people.badge_id, main_sizes),
                ("bench-group-support", "Supporting a group", None, small_sizes))
    for slug, title, badge_id, sizes in programs:
        created = seeder.moment(400)
        summary = seeder.text.body()
        program = seeder.rows.add(
            table("programs"), slug=slug, title=title, summary_md=summary, summary_html=TextMaker.html(summary),
            audience="everyone", required_badge_id=None, awarded_badge_id=badge_id, published=True,
            created_by_id=trainer["id"], created_at=created, updated_at=created)
        trainees = [people.reader] + seeder.random.sample(people.adult_listeners()[1:], sizes[0] - 1)
        enrollments = {person["id"]: seeder.rows.add(
            table("enrollments"), user_id=person["id"], program_id=program["id"], enrolled_at=created,
            completed_at=None, first_completed_at=None) for person in trainees}
        answered = trainees
        last_done = {}
        for position, size in enumerate(sizes, 1):
            lesson = seeder.text.body((3, 6))
            thread = seeder.thread("discussion", f"{title}: part {position}", trainer, created)
            discussion = seeder.rows.add(
                table("discussions"), program_id=program["id"], position=position, title=f"Part {position}",
                lesson_md=lesson, lesson_html=TextMaker.html(lesson), prompt="Share what you noticed this week.",
                response_template="", min_words=5, required_peer_replies=1, post_first=False,
                thread_id=thread["id"])
            answered = answered[:size]
            times = seeder.timeline(created + timedelta(days=position), 2 * len(answered))
            posted = [seeder.post(thread, person, times[number]) for number, person in enumerate(answered)]
            for number, person in enumerate(answered):
                # Each trainee answers the next one's response: one peer reply completes the discussion.
                seeder.post(thread, person, times[len(answered) + number], parent=posted[(number + 1) % len(posted)])
                last_done[person["id"]] = times[len(answered) + number]
                seeder.rows.add(table("discussion_completions"), enrollment_id=enrollments[person["id"]]["id"],
                                discussion_id=discussion["id"], completed_at=last_done[person["id"]])
        for person in answered:
            # Completed at the moment of the last discussion, as the forum stamps it: a
            # certificate counts the discussions done by then.
            enrollments[person["id"]]["completed_at"] = last_done[person["id"]]
            enrollments[person["id"]]["first_completed_at"] = last_done[person["id"]]
            if badge_id:
                seeder.rows.add(table("user_badges"), user_id=person["id"], badge_id=badge_id,
                                awarded_at=last_done[person["id"]], awarded_by_id=None,
                                reason=f"Completed {title}")


def seed_ideas(seeder) -> None:
    """A call with `ideas` ideas, a reply each and `idea_reactions` reactions; four small calls."""
    people = seeder.people
    moderator = people.moderators[0]
    main_call, *small_calls = seeder.shape.call_sizes()
    calls = [(MAIN_CALL_TITLE, *main_call)] + [(seeder.text.title() + "?", *sizes) for sizes in small_calls]
    for title, count, reactions in calls:
        start = seeder.moment(200)
        thread = seeder.thread("idea_call", title, moderator, start)
        question = seeder.text.body()
        seeder.rows.add(table("idea_calls"), thread_id=thread["id"], question_md=question,
                        question_html=TextMaker.html(question), phase="collecting",
                        hide_reactions_while_collecting=False, opened_by_id=moderator["id"], created_at=start,
                        phase_changed_at=start)
        times = seeder.timeline(start, 2 * count)
        posted = []
        for number in range(count):
            idea = seeder.post(thread, seeder.random.choice(people.all), times[number])
            status = "under_review" if number % 10 == 0 else "new"
            seeder.rows.add(table("idea_statuses"), post_id=idea["id"], status=status, merged_into_id=None,
                            note="", set_by_id=moderator["id"] if status != "new" else None, updated_at=times[number])
            posted.append(idea)
        for number, idea in enumerate(posted):
            seeder.post(thread, seeder.random.choice(people.all), times[count + number], parent=idea)
        # Popularity falls off with rank, so sorting by reactions has something to sort.
        weights = [1 / (rank + 1) ** 0.7 for rank in range(count)]
        given = 0
        while given < reactions:
            idea = seeder.random.choices(posted, weights=weights)[0]
            given += seeder.react(idea, seeder.random.choice(people.all))


def seed_mentors(seeder) -> None:
    """Profiles for every mentor, reviews from closed mentorships, some conversations kept."""
    people, rng = seeder.people, seeder.random
    tags = {kind: [seeder.rows.add(table("mentor_tags"), kind=kind, name=name,
                                   slug=name.lower().replace(" ", "-")) for name in names]
            for kind, names in TAGS.items()}
    profiles = {}
    for number, mentor in enumerate(people.mentors):
        teen = mentor["age_group"] == "teen"
        profile = seeder.rows.add(
            table("mentor_profiles"), user_id=mentor["id"], headline=seeder.text.title()[:120],
            mentors_teens=(teens := teen or rng.random() < 0.2), mentors_adults=not teen,
            accepting=rng.random() < 0.8, available_now=False, available_until=None, timezone="UTC",
            created_at=(created := seeder.moment(500)), rating_sum=0, review_count=0,
            # An adult mentors teens once approved (forum.mentors.teen_approval): as the forum keeps it.
            teens_approved_at=created if teens and not teen else None)
        for position, kind in enumerate(SECTION_KINDS[:3]):
            body = seeder.text.body((2, 5))
            seeder.rows.add(table("mentor_profile_sections"), profile_id=profile["id"], kind=kind, body_md=body,
                            body_html=TextMaker.html(body), position=position, hidden=False)
        chosen = [tags["track"][0 if number == 0 else rng.randrange(len(tags["track"]))],
                  rng.choice(tags["knowledge"]), rng.choice(tags["language"])]
        if number == 0:
            chosen[0] = next(tag for tag in tags["track"] if tag["name"] == FILTERED_TRACK)
        for position, tag in enumerate(chosen):
            seeder.rows.add(table("mentor_profile_tags"), profile_id=profile["id"], tag_id=tag["id"],
                            position=position)
        for weekday in rng.sample(range(7), 2):
            seeder.rows.add(table("mentor_availability_slots"), profile_id=profile["id"], weekday=weekday,
                            start_minute=18 * 60, end_minute=20 * 60)
        profiles[mentor["id"]] = (mentor, profile, [])
    _reviews(seeder, profiles)
    for mentor, profile, requests in profiles.values():
        for span in responsiveness_course(requests, seeder.now):
            seeder.rows.add(table("mentor_responsiveness_spans"), **span_row(mentor["id"], span))


def _reviews(seeder, profiles) -> None:
    people, shape, rng = seeder.people, seeder.shape, seeder.random
    others = [mentor for mentor in people.mentors if mentor is not people.top_mentor]
    mentors = [people.top_mentor] * shape.top_mentor_reviews + [
        others[number % len(others)] for number in range(shape.reviews - shape.top_mentor_reviews)]
    conversations = min(shape.reviews, shape.posts // 20)
    mentees = {"adult": people.adult_listeners(), "teen": [p for p in people.listeners if p["age_group"] == "teen"]}
    for number, mentor in enumerate(mentors):
        _, profile, requests = profiles[mentor["id"]]
        group = mentees["teen" if mentor["age_group"] == "teen" and mentees["teen"] else "adult"]
        mentee = rng.choice(group)
        while mentee["id"] == mentor["id"]:
            mentee = rng.choice(group)
        created = seeder.moment(360)
        answered = created + timedelta(hours=rng.uniform(0.5, 72))
        closed = min(answered + timedelta(days=rng.uniform(1, 20)), seeder.now)
        thread = None
        if number < conversations:
            thread = seeder.thread("conversation", f"Mentorship: {mentee['display_name']} and "
                                   f"{mentor['display_name']}", mentor, answered, members=(mentee, mentor),
                                   locked=True)
            first = seeder.post(thread, mentee, answered + timedelta(hours=1))
            seeder.post(thread, mentor, answered + timedelta(hours=3), parent=first)
        request = seeder.rows.add(
            table("mentorship_requests"), mentee_id=mentee["id"], mentor_id=mentor["id"],
            message=seeder.text.sentence(), status="closed", note="", created_at=created, answered_at=answered,
            closed_at=closed, closed_by_id=mentee["id"], thread_id=thread["id"] if thread else None,
            mentee_wrote_at=answered + timedelta(hours=1), last_message_at=answered + timedelta(hours=3))
        requests.append(request)
        rating = rng.choices((5, 4, 3, 2, 1), weights=(50, 30, 12, 5, 3))[0]
        body = seeder.text.body((1, 3))
        seeder.rows.add(table("mentor_reviews"), request_id=request["id"], mentor_id=mentor["id"],
                        author_id=mentee["id"], rating=rating, body_md=body, body_html=TextMaker.html(body),
                        created_at=closed, edited_at=None, mentor_reply_md="", mentor_reply_html="",
                        replied_at=None, reply_edited_at=None)
        profile["rating_sum"] += rating
        profile["review_count"] += 1
