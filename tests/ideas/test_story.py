"""The seed thread's story, played through the test client from the call's opening to its shortlist."""
import re

from sqlalchemy import select

from forum.extensions import db
from forum.models.ideas import IdeaCall, IdeaStatus
from forum.models.posts import Notification, Post
from tests.factories import make_user
from tests.ideas.factories import make_moderator


def _posted_id(response) -> int:
    assert response.status_code == 302, response.page[-1500:]
    return int(re.search(r"/posts/(\d+)", response.headers["Location"]).group(1))


def share_idea(client, call, body) -> int:
    return _posted_id(client.submit(f"/threads/{call.thread_id}/posts", {"body": body}))


def reply(client, call, idea_id, body) -> int:
    return _posted_id(client.submit(f"/posts/{idea_id}/replies", {"body": body}))


def react(client, call, post_id, kind):
    response = client.submit(f"/posts/{post_id}/react", {"kind": kind})
    assert response.status_code == 302


def review(client, call, idea_id, status, note=""):
    url = f"/ideas/{call.id}/ideas/{idea_id}/review"
    response = client.submit(url, {"status": status, "note": note})
    assert response.status_code == 302, response.page[-1500:]


def switch(client, who):
    client.logout()
    client.login(who)


def notes_for(user, kind):
    return list(db.session.scalars(select(Notification.message).where(
        Notification.user_id == user.id, Notification.kind == kind)))


def test_a_call_for_ideas_from_question_to_shortlist(client):
    make_moderator("moss")
    rowan, marigold, pebble, juniper = (make_user(name) for name in ("rowan", "marigold", "pebble", "juniper"))

    # Staff open the call.
    client.login("moss")
    response = client.submit("/ideas/new", {
        "title": "Ideas to help mentees and mentors talk more",
        "question": "Many listeners never reach out to a mentor. **What would make it easier?**",
        "audience": "everyone", "required_badge": ""})
    assert response.status_code == 302
    call = db.session.scalar(select(IdeaCall))
    assert response.headers["Location"].endswith(f"/ideas/{call.id}")

    # Several people share ideas, mention and quote each other, discuss and react.
    switch(client, "rowan")
    online_list = share_idea(client, call, "A list of mentors who are **online right now**, next to the chat queue.")
    switch(client, "marigold")
    badges = share_idea(client, call, "> @rowan wrote:\n> A list of mentors who are online right now\n\n"
                                      "Yes! And a badge for mentors who answered ten mentees, so people know whom "
                                      "to ask.")
    react(client, call, online_list, "lightbulb")
    switch(client, "pebble")
    duplicate = share_idea(client, call, "Show which mentors are around at the moment, like a live list.")
    declined = share_idea(client, call, "Make mentor chats compulsory for every listener each week.")
    react(client, call, online_list, "hug")
    react(client, call, badges, "high_five")
    switch(client, "juniper")
    reply(client, call, online_list, "Love this, @marigold and @rowan. Could it show the topics each mentor knows?")
    react(client, call, online_list, "heart")
    react(client, call, duplicate, "high_five")

    page = client.get(f"/ideas/{call.id}").page
    assert 'class="mention" href="/users/rowan"' in page
    assert re.search(r"<blockquote>\s*<p><a class=\"mention\" href=\"/users/rowan\"[^>]*>@rowan</a> wrote:", page)
    assert re.search(r"<dt>Ideas</dt><dd>4</dd>.*<dt>Contributors</dt><dd>4</dd>.*<dt>Replies</dt><dd>1</dd>"
                     r".*<dt>Reactions</dt><dd>5</dd>", page, re.S)

    # Staff review, merge the duplicate, stop collecting and pick what to act on.
    switch(client, "moss")
    review(client, call, online_list, "under_review")
    merge = client.submit(f"/ideas/{call.id}/ideas/{duplicate}/merge",
                          {"target": f"#{online_list}", "note": "Same idea as the live list.", "confirmed": "yes"})
    assert merge.status_code == 302
    client.submit(f"/ideas/{call.id}/phase", {"phase": "evaluating", "confirmed": "yes"})
    review(client, call, online_list, "planned", "We will build the live list first.")
    review(client, call, badges, "shortlisted", "A good fit for the mentor page.")
    review(client, call, declined, "declined", "We want mentoring to stay a choice.")

    # No new ideas once evaluating; nothing is stored.
    switch(client, "rowan")
    refused = client.submit(f"/threads/{call.thread_id}/posts", {"body": "One more idea!"})
    assert refused.status_code == 422
    assert "takes no new ideas" in refused.page
    assert db.session.scalar(select(Post).where(Post.body_md == "One more idea!")) is None

    switch(client, "moss")
    client.submit(f"/ideas/{call.id}/phase", {"phase": "shortlisted", "confirmed": "yes"})
    client.logout()

    # Anyone may read the published shortlist: the right ideas, credited, with staff notes.
    shortlist = client.get(f"/ideas/{call.id}/shortlist").page
    assert "online right now" in shortlist and "Rowan" in shortlist
    assert "badge for mentors" in shortlist and "Marigold" in shortlist
    assert "We will build the live list first." in shortlist and "A good fit for the mentor page." in shortlist
    assert shortlist.index("online right now") < shortlist.index("badge for mentors")  # planned before shortlisted
    assert "like a live list" not in shortlist and "compulsory" not in shortlist

    # The merged idea links to the one it joined; people heard about what happened.
    call_page = client.get(f"/ideas/{call.id}").page
    assert re.search(rf'joined\s*<a href="/posts/{online_list}">idea #{online_list} by Rowan</a>', call_page)
    statuses = dict(db.session.execute(select(IdeaStatus.post_id, IdeaStatus.status)).all())
    assert statuses == {online_list: "planned", badges: "shortlisted", duplicate: "merged", declined: "declined"}
    assert len(notes_for(rowan, "idea_status")) == 2  # under review, then planned
    assert any("declined: We want mentoring to stay a choice." in note for note in notes_for(pebble, "idea_status"))
    assert any("merged into Rowan's idea" in note for note in notes_for(pebble, "idea_status"))
    assert notes_for(juniper, "idea_merged")  # juniper reacted to the duplicate
    assert len(notes_for(marigold, "idea_phase")) == 2 and len(notes_for(juniper, "idea_phase")) == 2
