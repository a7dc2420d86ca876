"""The walk the issue asks for: directory (filtered) -> request -> acceptance -> conversation
-> review -> the mentor's reply, then the profile's rating and responsiveness label."""
from sqlalchemy import select

from forum.extensions import db
from forum.models.mentors import MentorshipRequest, Review
from forum.models.posts import Notification, Post, Thread
from tests.mentors.factories import make_listener, make_mentor, make_mentorship
from tests.mentors.reading import card_names


def test_listener_finds_asks_talks_reviews_and_the_mentor_replies(client):
    juniper = make_mentor("juniper", headline="Helping new listeners find their feet",
                          tracks="Listener support", knowledge="Grief, Loneliness, First chats")
    make_mentor("oakley", headline="Group chat regular", tracks="Group support", knowledge="Anxiety")
    rowan = make_listener("rowan")
    # Two earlier mentorships, each answered within half an hour, give Juniper a track record.
    for name in ("sage", "tamsin"):
        make_mentorship(make_listener(name), juniper, hours_ago=48, answered_after_hours=0.5)

    client.login("rowan")
    directory = client.get("/mentors?track=listener-support&accepting=1")
    assert directory.status_code == 200
    assert card_names(directory.page) == ["Juniper"]
    assert "Helping new listeners find their feet" in directory.page

    profile = client.get("/mentors/juniper")
    assert "Ask Juniper to mentor you" in profile.page
    sent = client.submit("/mentors/juniper/request", {"message": "I freeze when a member goes quiet. Help?"})
    assert sent.status_code == 302
    request = db.session.scalar(select(MentorshipRequest).where(MentorshipRequest.mentee_id == rowan.id))
    assert request.status == "pending"
    assert db.session.scalar(select(Notification.message).where(Notification.user_id == juniper.user_id,
                                                                 Notification.kind == "mentorship")
                             .order_by(Notification.id.desc())) == "Rowan asks you to be their mentor"
    client.logout()

    client.login("juniper")
    asked = client.get(f"/mentors/requests/{request.id}").page
    assert "I freeze when a member goes quiet" in asked
    # Accepting promises what the conversation will say of who may read it.
    assert ("Accepting opens a private conversation: only the two of you can read it, and the moderators "
            "a message either of you flags.") in " ".join(asked.split())
    accepted = client.submit(f"/mentors/requests/{request.id}/answer",
                             {"decision": "accept", "note": "Happy to. Tell me about your last chat."})
    db.session.refresh(request)
    assert request.status == "accepted"
    assert accepted.headers["Location"] == f"/mentors/conversations/{request.thread_id}"
    thread = db.session.get(Thread, request.thread_id)
    assert thread.is_private and thread.member_ids == {rowan.id, juniper.user_id}
    client.logout()

    client.login("rowan")
    conversation = f"/mentors/conversations/{thread.id}"
    # The promise says who else may read: a message either of them flags reaches the moderators.
    assert "Only the two of you can read this, and the moderators a message either of you flags." in client.get(
        conversation).page
    client.submit(f"/threads/{thread.id}/posts", {"body": "Last night a member stopped typing for ten minutes."})
    client.logout()
    client.login("juniper")
    first = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    client.submit(f"/posts/{first.id}/replies", {"body": "Silence is fine. Try a gentle *check-in*."})
    client.logout()

    client.login("rowan")
    page = client.get(conversation).page
    assert "stopped typing for ten minutes" in page and "<em>check-in</em>" in page
    reviewed = client.submit(f"/mentors/requests/{request.id}/review",
                             {"rating": "4", "body": "Calm, practical advice I used the same day."})
    assert reviewed.status_code == 302
    client.logout()

    client.login("juniper")
    review = db.session.scalar(select(Review))
    client.submit(f"/mentors/reviews/{review.id}/reply", {"body": "Thank you, Rowan. Keep going!"})
    client.logout()

    page = client.get("/mentors/juniper").page
    assert "4.0" in page and "(1 review)" in page
    assert "Calm, practical advice I used the same day." in page
    assert "Thank you, Rowan. Keep going!" in page
    assert "Usually answers within an hour" in page
    card = client.get("/mentors?track=listener-support&sort=responsive").page
    assert "Usually answers within an hour" in card and "4.0" in card
