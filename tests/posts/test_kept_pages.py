"""Thread pages are kept per worker until the thread changes (forum/posts/page_cache.py).

Each test views a page first, so that it is kept, then changes the thread the way the
app does (a form posted to its route, or the service a command or another part calls),
then views it again: the change must show at once, in this worker and in any other.
Ana writes, Ben reads, reacts and replies, Cora moderates and Ada administers.
"""
import re
from types import SimpleNamespace

import pytest
from flask import current_app

from forum.accounts.staff import award_badge, grant_role
from forum.extensions import db
from forum.models.posts import Post
from forum.moderation.services import delete_post_permanently
from forum.posts.page_cache import KeptPages, kept_pages
from forum.posts.reading import POSTS_PER_PAGE, REPLIES_SHOWN
from forum.posts.services import delete_own_post, hide_post, toggle_reaction
from tests.factories import make_badge, make_post, make_thread, make_user

WORDS = "Walking after dinner helps me wind down."


@pytest.fixture
def people(app):
    return SimpleNamespace(ana=make_user("ana"), ben=make_user("ben"),
                           cora=make_user("cora", role="moderator"), ada=make_user("ada", role="admin"))


@pytest.fixture
def post(people):
    """Ana's post in a general thread."""
    return make_post(people.ana, make_thread("Evenings"), WORDS)


@pytest.fixture
def path(post):
    return f"/threads/{post.thread_id}"


def sign_in(app, username):
    client = app.test_client()
    client.login(username)
    return client


@pytest.fixture
def signed_in(app, people):
    """A browser per person (its own cookies), signed in on the first ask."""
    clients = {}

    def client_for(username):
        if username not in clients:
            clients[username] = sign_in(app, username)
        return clients[username]

    return client_for


def first_view(app, client, path) -> str:
    """The page, which this worker keeps from now on."""
    response = client.get(path)
    assert response.status_code == 200
    assert len(kept_pages(app)) > 0, "the page was not kept: this test would prove nothing"
    return response.page


def card_of(page: str, post_id: int) -> str:
    start = page.index(f'id="post-{post_id}"')
    return page[start:page.index("</article>", start)]


def hugs(page: str, post_id: int) -> tuple[str, str]:
    """The hug button's title ("Hug: Ben") and count ("" for none) on a post's card."""
    match = re.search(r'value="hug".*?title="([^"]*)">.*?class="reaction-count">([^<]*)<',
                      card_of(page, post_id), re.DOTALL)
    return match.group(1), match.group(2).strip()


def run_command(*args) -> str:
    """A `flask` command, in an app context (and session) of its own as from a shell."""
    app = current_app._get_current_object()
    with app.app_context():
        result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def posted(response):
    assert response.status_code == 302, response.page
    return response


# 1. New posts and replies

def test_a_new_post_and_a_new_reply_show_on_a_kept_page(app, signed_in, post, path):
    ben = signed_in("ben")
    first_view(app, ben, path)
    posted(signed_in("ana").submit(f"/threads/{post.thread_id}/posts", {"body": "Tea on the balcony, too."}))
    posted(ben.submit(f"/posts/{post.id}/replies", {"body": "Same here: the street is quiet then."}))
    page = ben.get(path).page
    assert "Tea on the balcony, too." in page
    assert "Same here: the street is quiet then." in page.split(WORDS, 1)[1]  # under Ana's post


def test_the_replies_link_and_the_pager_follow_new_posts(app, signed_in, people, post, path):
    for number in range(REPLIES_SHOWN):
        make_post(people.ben, post.thread, f"Reply number {number}.", parent=post)
    for number in range(POSTS_PER_PAGE - 1):
        make_post(people.ana, post.thread, f"Evening number {number}.")
    ben = signed_in("ben")
    page = first_view(app, ben, path)
    assert "See all" not in page and 'rel="next"' not in page
    posted(ben.submit(f"/posts/{post.id}/replies", {"body": "One more reply."}))
    posted(ben.submit(f"/threads/{post.thread_id}/posts", {"body": "One more evening."}))
    page = ben.get(path).page
    assert f"See all {REPLIES_SHOWN + 1} replies" in page
    assert 'rel="next"' in page and "One more evening." in ben.get(f"{path}?page=2").page


# 2. Edits, removals, hiding and restoring

CHANGES_TO_A_POST = {
    # what happens: (who, where they post the form, the form, what Ben then sees on the card)
    "edited by its author": ("ana", "/posts/{id}/edit", {"body": "Walking after dinner, phone at home."},
                             "Walking after dinner, phone at home."),
    "removed by its author": ("ana", "/posts/{id}/delete", {"confirmed": "yes"}, "This post was removed."),
    "hidden on the thread": ("cora", "/posts/{id}/hide", {"reason": "Names a neighbour"},
                             "This post was hidden by a moderator."),
    "hidden from the queue": ("cora", "/mod/posts/{id}/hide", {"reason": "Names a neighbour"},
                              "This post was hidden by a moderator."),
}


@pytest.mark.parametrize("who, action, form, shown", CHANGES_TO_A_POST.values(), ids=CHANGES_TO_A_POST)
def test_a_changed_post_shows_its_change_on_a_kept_page(app, signed_in, post, path, who, action, form, shown):
    ben = signed_in("ben")
    assert WORDS in card_of(first_view(app, ben, path), post.id)
    posted(signed_in(who).submit(action.format(id=post.id), form))
    card = card_of(ben.get(path).page, post.id)
    assert shown in card and WORDS not in card


@pytest.mark.parametrize("removed_by, restore", [("moderator", "/posts/{id}/restore"),
                                                 ("author", "/mod/posts/{id}/restore")])
def test_a_restored_post_shows_again_on_a_kept_page(app, signed_in, people, post, path, removed_by, restore):
    if removed_by == "moderator":
        hide_post(people.cora, post, "Off topic")
    else:
        delete_own_post(people.ana, post)
    ben = signed_in("ben")
    assert WORDS not in card_of(first_view(app, ben, path), post.id)
    posted(signed_in("cora").submit(restore.format(id=post.id)))
    assert WORDS in card_of(ben.get(path).page, post.id)


# 3. Reactions

def test_a_reaction_and_taking_it_back_show_in_the_count_and_the_names(app, signed_in, post, path):
    ben = signed_in("ben")
    assert hugs(first_view(app, ben, path), post.id) == ("Hug", "")
    posted(ben.submit(f"/posts/{post.id}/react", {"kind": "hug"}))
    assert hugs(ben.get(path).page, post.id) == ("Hug: Ben", "1")
    posted(ben.submit(f"/posts/{post.id}/react", {"kind": "hug"}))  # taken back
    assert hugs(ben.get(path).page, post.id) == ("Hug", "")


# 4. Deleting for good

def test_a_post_deleted_for_good_goes_with_its_replies(app, signed_in, people, post, path):
    make_post(people.ben, post.thread, "Same here: the street is quiet then.", parent=post)
    make_post(people.ben, post.thread, "Mornings work better for me.")
    ben = signed_in("ben")
    assert "Same here" in first_view(app, ben, path)
    posted(signed_in("ada").submit(f"/mod/posts/{post.id}/delete", {"reason": "Shares an address", "confirmed": "yes"}))
    page = ben.get(path).page
    assert WORDS not in page and "Same here" not in page and "Mornings work better for me." in page


def test_a_reply_deleted_for_good_leaves_its_post(app, signed_in, people, post, path):
    reply = make_post(people.ben, post.thread, "Same here: the street is quiet then.", parent=post)
    ben = signed_in("ben")
    assert "Same here" in first_view(app, ben, path)
    delete_post_permanently(people.ada, reply, "Shares an address")  # as the moderators' queue does
    page = ben.get(path).page
    assert WORDS in page and "Same here" not in page
    assert db.session.get(Post, reply.id) is None


# 5. Bylines and the names under reactions

def rename_ana(signed_in, people):
    posted(signed_in("ana").submit("/settings/profile", {"display_name": "Ana Lucia", "bio": ""}))


def set_anas_roles(signed_in, people):
    posted(signed_in("ada").submit("/admin/users/ana/roles", {"roles": ["member", "listener"]}))


def grant_ana_a_role_on_the_command_line(signed_in, people):
    assert "ana now has the role mentor" in run_command("grant-role", "ana", "mentor")


def award_ana_a_badge_on_the_command_line(signed_in, people):
    assert "ana now holds trained" in run_command("award-badge", "ana", "trained")


def award_ana_a_badge(signed_in, people):
    posted(signed_in("ada").submit("/admin/users/ana/badges", {"badge": "trained", "reason": "Finished"}))


BYLINE_CHANGES = {
    "a new display name": (rename_ana, '">Ana Lucia</a>'),
    "roles set by an admin": (set_anas_roles, '<span class="role role-listener">listener</span>'),
    "a role granted on the command line": (grant_ana_a_role_on_the_command_line,
                                           '<span class="role role-mentor">mentor</span>'),
    "a badge awarded by an admin": (award_ana_a_badge, '<span class="badge-icon" title="Trained">'),
    "a badge awarded on the command line": (award_ana_a_badge_on_the_command_line,
                                            '<span class="badge-icon" title="Trained">'),
}


@pytest.mark.parametrize("change, shown", BYLINE_CHANGES.values(), ids=BYLINE_CHANGES)
def test_a_changed_byline_shows_on_a_kept_card(app, signed_in, people, post, path, change, shown):
    make_badge("trained", "Trained")
    ben = signed_in("ben")
    assert shown not in card_of(first_view(app, ben, path), post.id)
    change(signed_in, people)
    assert shown in card_of(ben.get(path).page, post.id)


def test_a_revoked_badge_leaves_a_kept_card(app, signed_in, people, post, path):
    award_badge(people.ana, make_badge("trained", "Trained"), by=people.ada)
    ben = signed_in("ben")
    assert 'title="Trained"' in card_of(first_view(app, ben, path), post.id)
    posted(signed_in("ada").submit("/admin/users/ana/badges/trained/revoke", {"confirmed": "yes"}))
    assert 'title="Trained"' not in card_of(ben.get(path).page, post.id)


def test_a_reactors_new_name_shows_under_the_reaction(app, signed_in, people, post, path):
    # Ben wrote nothing here: his name is on the page only under his hug.
    toggle_reaction(people.ben, post, "hug")
    cora = signed_in("cora")
    assert hugs(first_view(app, cora, path), post.id) == ("Hug: Ben", "1")
    posted(signed_in("ben").submit("/settings/profile", {"display_name": "Benjamin", "bio": ""}))
    assert hugs(cora.get(path).page, post.id) == ("Hug: Benjamin", "1")


# Every kind of thread page keeps its pages, and sees a reply at once

def general_thread(people):
    post = make_post(people.ana, make_thread("Evenings"), WORDS)
    return f"/threads/{post.thread_id}", post, "ben", "ben"


def training_discussion(people):
    from tests.training.factories import discussion_path, enrol, make_program, respond

    program = make_program(discussions=1)
    for trainee in (people.ana, people.ben):
        enrol(trainee, program)
    post = respond(people.ana, program, 1, WORDS + " " + "Twelve words at least, as the discussion asks.")
    respond(people.ben, program, 1)
    return discussion_path(program, 1), post, "ben", "ben"


def idea_call(people):
    from tests.ideas.factories import make_call, post_idea

    call = make_call(people.cora)
    return f"/ideas/{call.id}", post_idea(people.ana, call, WORDS), "ben", "ben"


def mentor_conversation(people):
    from tests.mentors.factories import make_listener, make_mentor, make_mentorship, write_in_conversation

    mentorship = make_mentorship(make_listener("rowan"), make_mentor("juniper"))
    post = write_in_conversation(mentorship.mentee, mentorship, WORDS)
    return f"/mentors/conversations/{mentorship.thread_id}", post, "rowan", "juniper"


@pytest.mark.parametrize("thread_page", [general_thread, training_discussion, idea_call, mentor_conversation])
def test_every_kind_of_thread_page_shows_a_new_reply_at_once(app, people, thread_page):
    path, post, reader, replier = thread_page(people)
    reader = sign_in(app, reader)
    assert WORDS in first_view(app, reader, path)
    posted(sign_in(app, replier).submit(f"/posts/{post.id}/replies", {"body": "Thank you for this."}))
    assert "Thank you for this." in reader.get(path).page


# 6. Two workers on one database: nothing kept in one process can hide a change made in another
# Each change, made through worker B, returns what it takes off the page and what it adds.

def reply_in_worker(worker, post):
    posted(sign_in(worker, "ben").submit(f"/posts/{post.id}/replies", {"body": "Same here: quiet streets."}))
    return None, "Same here: quiet streets."


def edit_in_worker(worker, post):
    posted(sign_in(worker, "ana").submit(f"/posts/{post.id}/edit", {"body": "Walking, phone at home."}))
    return WORDS, "Walking, phone at home."


def take_back_hug_in_worker(worker, post):
    posted(sign_in(worker, "ben").submit(f"/posts/{post.id}/react", {"kind": "hug"}))
    return 'title="Hug: Ben"', None


def delete_for_good_in_worker(worker, post):
    posted(sign_in(worker, "ada").submit(f"/mod/posts/{post.id}/delete",
                                         {"reason": "Shares an address", "confirmed": "yes"}))
    return WORDS, None


def rename_reactor_in_worker(worker, post):
    posted(sign_in(worker, "ben").submit("/settings/profile", {"display_name": "Benjamin", "bio": ""}))
    return 'title="Hug: Ben"', 'title="Hug: Benjamin"'


@pytest.mark.parametrize("change_in_worker", [reply_in_worker, edit_in_worker, take_back_hug_in_worker,
                                              delete_for_good_in_worker, rename_reactor_in_worker])
def test_a_change_made_in_another_worker_shows_at_once(app, make_app, people, post, path, change_in_worker):
    toggle_reaction(people.ben, post, "hug")
    make_post(people.ben, post.thread, "Mornings work better for me.")  # the page never empties
    worker_a, worker_b = app, make_app()  # two gunicorn workers: each keeps its own pages
    reader = sign_in(worker_a, "cora")
    before = first_view(worker_a, reader, path)
    gone, shown = change_in_worker(worker_b, post)
    after = reader.get(path).page
    assert len(kept_pages(worker_b)) == 0 and "Mornings work better for me." in after
    if gone:
        assert gone in before and gone not in after
    if shown:
        assert shown not in before and shown in after


# 7. The store itself

def test_kept_pages_hold_up_to_their_budget_and_drop_the_least_recently_used():
    pages = KeptPages(budget=10)
    pages.put("first", "page 1", 4)
    pages.put("second", "page 2", 6)
    assert (pages.get("first"), pages.get("second")) == ("page 1", "page 2")  # 10 of 10: both kept
    pages.get("first")  # now "second" is the least recently used
    pages.put("third", "page 3", 3)
    assert (pages.get("first"), pages.get("second"), pages.get("third")) == ("page 1", None, "page 3")
    pages.put("fourth", "page 4", 6)
    assert (pages.get("first"), pages.get("third"), pages.get("fourth")) == (None, "page 3", "page 4")


def test_an_entry_larger_than_the_budget_is_not_kept():
    pages = KeptPages(budget=10)
    pages.put("small", "page 1", 4)
    pages.put("huge", "page 2", 11)
    assert pages.get("huge") is None and pages.get("small") == "page 1" and len(pages) == 1


def test_a_page_too_large_to_keep_is_shown_all_the_same(make_app):
    app = make_app(THREAD_PAGES_KEPT=100)
    with app.app_context():
        post = make_post(make_user("ana"), make_thread("Evenings"), WORDS)
        client = app.test_client()
        for _ in range(2):
            assert WORDS in client.get(f"/threads/{post.thread_id}").page
        assert len(kept_pages(app)) == 0


# 8. What keeping saves

def busy_thread(people, title, posts):
    """A thread of `posts` posts by people with roles and badges, each with a reply and reactions."""
    thread = make_thread(title)
    writers = [people.ana, people.cora, people.ada]
    for number in range(posts):
        top = make_post(writers[number % 3], thread, f"Evening number {number}.")
        make_post(people.ben, thread, "Same here.", parent=top)
        toggle_reaction(people.ben, top, "hug")
        toggle_reaction(writers[(number + 1) % 3], top, "heart")
    return f"/threads/{thread.id}"


def statements_for(client, count_queries, path) -> int:
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.count


@pytest.fixture
def warm_reader(app, people, signed_in):
    """Ben, having read one thread: what a worker does once (templates, the header) is done."""
    award_badge(people.ada, make_badge("trained", "Trained"))
    grant_role(people.cora, "mentor")
    ben = signed_in("ben")
    ben.get(busy_thread(people, "Warm-up", 2))
    return ben


def test_a_kept_page_runs_fewer_statements_than_its_first_view(warm_reader, count_queries, people):
    path = busy_thread(people, "Evenings", 3)
    cold = statements_for(warm_reader, count_queries, path)
    kept = statements_for(warm_reader, count_queries, path)
    assert kept < cold, f"{kept} statements once kept, {cold} the first time"


def test_a_first_view_costs_the_same_with_3_or_25_posts(warm_reader, count_queries, people):
    small, big = busy_thread(people, "Small", 3), busy_thread(people, "Big", 25)
    assert statements_for(warm_reader, count_queries, small) == statements_for(warm_reader, count_queries, big)
