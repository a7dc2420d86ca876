"""Demo safety data: a small open thread with a flag waiting in the moderators' queue,
a flag a moderator dismissed (on "Dismissed flags", its flagger told), a post already
hidden (so the audit log has entries), and a block. Names are invented."""
from sqlalchemy import select

from forum.extensions import db
from forum.models.moderation import Block
from forum.models.posts import Thread
from forum.moderation.flags import close_flag_group, create_flag
from forum.posts.services import hide_post, new_thread, write_post

THREAD_TITLE = "Say hello: how did you find us?"
DISMISS_NOTE = "A friendly hello: nothing against the guidelines."


def seed(people) -> None:
    if db.session.scalar(select(Thread.id).where(Thread.kind == "general", Thread.title == THREAD_TITLE)):
        return
    thread = new_thread(kind="general", title=THREAD_TITLE, author=people["moss_mod"])
    db.session.commit()
    write_post(people["moss_mod"], thread, "Welcome! Tell us one thing that brought you here. "
               "If anything here worries you, use the Flag link under a post and a moderator will look.")
    write_post(people["rowan_listens"], thread, "A friend from my night class told me about the listener training.")
    loud = write_post(people["pebble_adult"], thread,
                      "Honestly most of you sound fake. Anyone who needs a forum to talk is weak.")
    write_post(people["marigold_hears"], thread, "I searched for *peer support practice* and this came up first!")
    joke = write_post(people["quill_mentor"], thread, "Found you on a sleepless night three years ago and never "
                      "left. Fair warning: my puns are terrible, and I will not stop.")
    # Rowan flags it, Moss finds nothing wrong: Rowan is told it stays up.
    close_flag_group(people["moss_mod"], create_flag(people["rowan_listens"], "post", joke.id,
                                                     "Jokes in a welcome thread feel off-topic to me."),
                     "dismissed", DISMISS_NOTE)
    create_flag(people["marigold_hears"], "post", loud.id, "Calls people who come here for help weak.")
    create_flag(people["rowan_listens"], "post", loud.id, "Unkind to newcomers.")
    spam = write_post(people["pebble_adult"], thread, "Buy followers cheap at totally-not-a-scam.example")
    hide_post(people["moss_mod"], spam, "Advertising is not allowed here.")
    if db.session.scalar(select(Block.id).where(Block.blocker_id == people["wren_teen"].id)) is None:
        db.session.add(Block(blocker_id=people["wren_teen"].id, blocked_id=people["pebble_adult"].id))
        db.session.commit()
