"""@mentions notify the right people; quotes fill the reply box."""
import re

from sqlalchemy import select

from forum.extensions import db
from forum.models.posts import Mention, Notification, Post
from forum.text import quote_for_reply
from tests.factories import make_post, make_thread, make_user


def mention_notes_for(user):
    return db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.kind == "mention")).all()


def test_a_mention_in_any_case_links_and_notifies(client):
    make_user("ana")
    sunny = make_user("Sunny_Day")
    thread = make_thread("Ideas")
    client.login("ana")
    client.submit(f"/threads/{thread.id}/posts", {"body": "Great point @sunny_day!"})
    page = client.get(f"/threads/{thread.id}").page
    assert 'class="mention" href="/users/Sunny_Day"' in page and ">@Sunny_Day</a>" in page
    (note,) = mention_notes_for(sunny)
    assert "Ana mentioned you" in note.message
    client.logout()
    client.login("Sunny_Day")
    home = client.get("/").page
    assert 'aria-label="1 unread"' in home


def test_mentions_in_code_and_of_yourself_notify_nobody(app):
    ana, ben = make_user("ana"), make_user("ben")
    make_post(ana, make_thread(), "`@ben` in code and me, @ana")
    assert mention_notes_for(ben) == [] and mention_notes_for(ana) == []


def test_a_post_notifies_at_most_ten_people(app):
    people = [make_user(f"friend{i:02}") for i in range(12)]
    make_post(make_user("ana"), make_thread(), " ".join(f"@{p.username}" for p in people))
    notified = db.session.scalar(select(db.func.count(Notification.id)).where(Notification.kind == "mention"))
    assert notified == 10
    assert db.session.scalar(select(db.func.count(Mention.id))) == 10


def test_nobody_is_told_of_a_post_they_cannot_see(app):
    adult = make_user("grown_up", age_group="adult")
    teen = make_user("kid", age_group="teen")
    make_post(teen, make_thread("Teen room", audience="teen"), "hey @grown_up")
    assert mention_notes_for(adult) == []


def test_edits_notify_only_people_newly_mentioned(client):
    ana, ben, cleo = make_user("ana"), make_user("ben"), make_user("cleo")
    post = make_post(ana, make_thread(), "hi @ben")
    client.login("ana")
    client.submit(f"/posts/{post.id}/edit", {"body": "hi @ben and @cleo"})
    assert len(mention_notes_for(ben)) == 1
    assert len(mention_notes_for(cleo)) == 1


def test_an_edit_naming_someone_else_instead_tells_them(client):
    ana, ben, cleo = make_user("ana"), make_user("ben"), make_user("cleo")
    post = make_post(ana, make_thread(), "hi @ben, what do you think?")
    client.login("ana")
    client.submit(f"/posts/{post.id}/edit", {"body": "hi @cleo, what do you think? (wrong name before, sorry)"})
    (note,) = mention_notes_for(cleo)
    assert "Ana mentioned you" in note.message
    assert mention_notes_for(ben) == []  # no longer named, and had not read it yet: taken back


def test_edits_cannot_page_more_than_ten_people_in_all(client):
    first = [make_user(f"first{i:02}") for i in range(10)]
    second = [make_user(f"second{i:02}") for i in range(10)]
    post = make_post(make_user("ana"), make_thread(), " ".join(f"@{p.username}" for p in first))
    client.login("ana")
    client.submit(f"/posts/{post.id}/edit", {"body": " ".join(f"@{p.username}" for p in second)})
    assert all(mention_notes_for(person) == [] for person in second)
    # The first ten, no longer named, have their unread notices taken back.
    assert db.session.scalar(select(db.func.count(Notification.id)).where(Notification.kind == "mention")) == 0


def test_quote_fills_the_reply_box_without_javascript(client):
    ana = make_user("ana")
    make_user("ben")
    thread = make_thread()
    post = make_post(ana, thread, "Sometimes it's hard\nto join in.")
    client.login("ben")
    page = client.get(f"/posts/{post.id}/reply?quote={post.id}").page
    assert "> @ana wrote:\n>\n> Sometimes it's hard\n> to join in." in page
    # The page is there to type the reply: the cursor waits in its box (and nowhere else).
    assert page.count("autofocus") == 1 and re.search(r'<textarea [^>]*autofocus id="body"', page)
    thread_page = client.get(f"/threads/{thread.id}").page
    assert thread_page.count(f"/posts/{post.id}/reply?quote={post.id}") == 1
    assert "autofocus" not in thread_page


def test_quoting_a_post_you_cannot_see_is_404(client):
    teen_post = make_post(make_user("kid", age_group="teen"), make_thread("Teens", audience="teen"))
    open_post = make_post(make_user("ana"), make_thread())
    make_user("ben")
    client.login("ben")
    assert client.get(f"/posts/{open_post.id}/reply?quote={teen_post.id}").status_code == 404


def test_quoting_a_post_hidden_meanwhile_says_why_the_box_is_empty(client):
    from forum.posts.services import hide_post

    thread = make_thread()
    post = make_post(make_user("ana"), thread, "Call me on 555 0100.")
    make_user("ben")
    client.login("ben")
    hide_post(make_user("moss", role="moderator"), post, "Shares a phone number")
    page = client.get(f"/posts/{post.id}/reply?quote={post.id}").page
    assert "That post was hidden by a moderator, so it can't be quoted." in page
    assert "555 0100" not in page


def test_quoting_a_quote_tells_only_the_person_quoted(client):
    ana, ben, dev = make_user("ana"), make_user("ben"), make_user("dev")
    make_user("cleo")
    thread = make_thread()
    first = make_post(ana, thread, "Thanks @dev, that helped.")
    second = make_post(ben, thread, quote_for_reply("ana", first.body_md) + "Same here.")
    client.login("cleo")
    quoted = client.get(f"/posts/{second.id}/reply?quote={second.id}").page
    assert "> > @ana wrote:" in quoted
    client.submit(f"/threads/{thread.id}/posts", {"body": quote_for_reply("ben", second.body_md) + "Me too."})
    assert [note.message for note in mention_notes_for(ben)] == [f"Cleo quoted you in “{thread.title}”"]
    # Ana was told once, when Ben quoted her, and Dev once, when Ana thanked him: not
    # again each time someone quotes the words that named them.
    assert len(mention_notes_for(ana)) == 1
    assert len(mention_notes_for(dev)) == 1


def test_being_quoted_reads_quoted_not_mentioned(client):
    ana, cleo = make_user("ana"), make_user("cleo")
    make_user("ben")
    thread = make_thread("Highs")
    first = make_post(ana, thread, "Sometimes it's hard to join in.")
    client.login("ben")
    client.submit(f"/threads/{thread.id}/posts", {"body": quote_for_reply("ana", first.body_md) + "Same, @cleo?"})
    assert [note.message for note in mention_notes_for(ana)] == ["Ben quoted you in “Highs”"]
    assert [note.message for note in mention_notes_for(cleo)] == ["Ben mentioned you in “Highs”"]


def test_an_edit_that_adds_a_quote_says_quoted(client):
    ana, ben = make_user("ana"), make_user("ben")
    thread = make_thread("Highs")
    first = make_post(ana, thread, "Sometimes it's hard to join in.")
    mine = make_post(ben, thread, "Same here.")
    client.login("ben")
    client.submit(f"/posts/{mine.id}/edit", {"body": quote_for_reply("ana", first.body_md) + "Same here."})
    assert [note.message for note in mention_notes_for(ana)] == ["Ben quoted you in “Highs”"]


def test_an_edit_that_drops_a_mention_takes_back_its_unread_notification(client):
    ana, ben, cleo = make_user("ana"), make_user("ben"), make_user("cleo")
    post = make_post(ana, make_thread("Evenings"), "hi @ben and @cleo, what helps you wind down?")
    (read,) = mention_notes_for(cleo)
    read.read_at = read.created_at
    db.session.commit()
    client.login("ana")
    client.submit(f"/posts/{post.id}/edit", {"body": "hi all, what helps you wind down?"})
    assert mention_notes_for(ben) == []
    assert mention_notes_for(cleo) == [read]  # already read: it stays, as a record of what they saw
    client.logout()
    client.login("ben")
    assert "Ana mentioned you" not in client.get("/notifications").page


def test_a_mention_dropped_and_named_again_is_told_once(client):
    ana, ben = make_user("ana"), make_user("ben")
    post = make_post(ana, make_thread("Evenings"), "hi @ben")
    client.login("ana")
    client.submit(f"/posts/{post.id}/edit", {"body": "hi ben"})
    client.submit(f"/posts/{post.id}/edit", {"body": "hi @ben, sorry"})
    client.submit(f"/posts/{post.id}/edit", {"body": "hi @ben, sorry about that"})
    assert [note.message for note in mention_notes_for(ben)] == ["Ana mentioned you in “Evenings”"]


def test_an_edit_adding_a_mention_tells_them_once(client):
    ana, cleo = make_user("ana"), make_user("cleo")
    post = make_post(ana, make_thread("Evenings"), "hi all")
    client.login("ana")
    client.submit(f"/posts/{post.id}/edit", {"body": "hi all and @cleo"})
    client.submit(f"/posts/{post.id}/edit", {"body": "hi all, and @cleo too"})
    assert len(mention_notes_for(cleo)) == 1


def test_a_follower_named_and_then_left_out_hears_of_the_post_as_a_follower(client):
    from forum.posts.following import follow

    ana, ben = make_user("ana"), make_user("ben")
    thread = make_thread("Evenings")
    follow(ben, thread)
    post = make_post(ana, thread, "hi @ben")
    client.login("ana")
    client.submit(f"/posts/{post.id}/edit", {"body": "hi all"})
    assert mention_notes_for(ben) == []
    notes = db.session.scalars(select(Notification.message).where(Notification.user_id == ben.id)).all()
    assert notes == ["New post from Ana in “Evenings”"]


def test_a_moderators_edit_tells_nobody_of_the_names_it_adds(client):
    ana, ben = make_user("ana"), make_user("ben")
    make_user("moss", role="moderator")
    post = make_post(ana, make_thread("Evenings"), "hi all")
    client.login("moss")
    assert client.submit(f"/posts/{post.id}/edit", {"body": "hi all (ask @ben, he knows)"}).status_code == 302
    assert "@ben" in db.session.get(Post, post.id).body_md
    assert mention_notes_for(ben) == []  # Ana did not write it


def test_an_edit_naming_the_person_a_reply_answers_does_not_tell_them_twice(client):
    # As when the reply is written naming them: told once, that it answers them.
    ana, ben = make_user("ana"), make_user("ben")
    post = make_post(ana, make_thread("Evenings"), "What helps you wind down?")
    reply = make_post(ben, post.thread, "A walk, most nights.", parent=post)
    client.login("ben")
    assert client.submit(f"/posts/{reply.id}/edit", {"body": "A walk, most nights. You, @ana?"}).status_code == 302
    notes = db.session.scalars(select(Notification.message).where(Notification.user_id == ana.id)).all()
    assert notes == ["Ben replied to your post in “Evenings”"]
