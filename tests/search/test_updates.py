"""The index follows every write: new posts, edits, hiding and restoring, removing,
profile headlines and sections, and a call's question."""
from sqlalchemy import update

from forum.accounts.staff import award_badge, revoke_badge, set_roles
from forum.extensions import db
from forum.mentors.services import edit_section, set_section_hidden, update_settings
from forum.models.ideas import IdeaCall
from forum.models.posts import Thread
from forum.posts.services import delete_own_post, edit_post, hide_post, restore_post
from tests.factories import make_badge, make_post, make_thread, make_user
from tests.ideas.factories import make_call, make_moderator
from tests.mentors.factories import make_mentor
from tests.search.pages import search, texts


def test_an_edit_replaces_the_words_found(client):
    ada = make_user("ada")
    post = make_post(ada, make_thread("Notes", author=ada), "First draft about tulips.")

    edit_post(ada, post, "Second draft about orchids.")

    assert search(client, "tulips") == []
    assert texts(search(client, "orchids")) == ["Second draft about orchids."]


def test_hiding_takes_a_post_out_and_restoring_brings_it_back(client):
    moss, ada = make_moderator("moss"), make_user("ada")
    post = make_post(ada, make_thread("Notes", author=ada), "Marigold thoughts.")

    hide_post(moss, post, "off topic")
    assert search(client, "marigold") == []

    restore_post(moss, post)
    assert texts(search(client, "marigold")) == ["Marigold thoughts."]


def test_a_removed_post_is_not_found_until_a_moderator_restores_it(client):
    moss, ada = make_moderator("moss"), make_user("ada")
    post = make_post(ada, make_thread("Notes", author=ada), "Marigold regrets.")

    delete_own_post(ada, post)
    assert search(client, "marigold") == []

    restore_post(moss, post)
    assert texts(search(client, "marigold")) == ["Marigold regrets."]


def test_profile_headline_and_section_edits_are_searchable_at_once(client):
    profile = make_mentor("wren", headline="Old headline")
    user = profile.user

    update_settings(user, profile, headline="Gentle pacing for beginners", tracks="", knowledge="",
                    languages="English", mentors_teens=False, mentors_adults=True, accepting=True,
                    timezone="UTC", hours="")
    edit_section(user, profile, "how_i_help", "We rehearse hard chats with driftwood examples.", hidden=False)

    assert [r.link for r in search(client, "pacing")] == ["/mentors/wren"]
    assert [r.link for r in search(client, "driftwood")] == ["/mentors/wren"]
    assert search(client, "old headline") == []

    set_section_hidden(user, profile, "how_i_help", True)
    assert search(client, "driftwood") == []
    set_section_hidden(user, profile, "how_i_help", False)
    edit_section(user, profile, "how_i_help", "Now about seashells.", hidden=False)
    assert search(client, "driftwood") == []
    assert [r.link for r in search(client, "seashells")] == ["/mentors/wren"]


def test_a_calls_new_title_and_question_are_searchable(client):
    call = make_call(make_moderator("moss"), title="First title", question="First question.")

    db.session.execute(update(Thread).where(Thread.id == call.thread_id).values(title="Renamed lighthouse call"))
    db.session.execute(update(IdeaCall).where(IdeaCall.thread_id == call.thread_id)
                       .values(question_md="Any harbour ideas?"))
    db.session.commit()

    assert [r.title for r in search(client, "lighthouse")] == ["Renamed lighthouse call"]
    assert [r.title for r in search(client, "harbour")] == ["Renamed lighthouse call"]
    assert search(client, "first") == []


def test_a_reader_finds_what_a_new_badge_opens_at_once_and_loses_it_with_the_badge(client):
    # The ranked statement is built once per reader and reused (forum/search/ranking.py):
    # what the reader holds must be read when it runs, not when it was built.
    badge = make_badge("trained", "Trained")
    holder, reader = make_user("holder"), make_user("reader")
    award_badge(holder, badge)
    make_post(holder, make_thread("Trained listeners", required_badge=badge, author=holder), "Saffron drills.")
    client.login("reader")
    assert search(client, "saffron") == []

    award_badge(reader, badge)
    assert texts(search(client, "saffron")) == ["Saffron drills."]

    revoke_badge(reader, badge)
    assert search(client, "saffron") == []


def test_a_mentor_who_loses_the_role_leaves_the_results_of_a_reader_who_searched_before(client):
    wren = make_mentor("wren", headline="Juniper walks for new listeners")
    make_user("reader")
    client.login("reader")
    assert [result.kind for result in search(client, "juniper")] == ["mentor"]

    set_roles(wren.user, [])
    assert search(client, "juniper") == []
