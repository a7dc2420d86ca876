"""Searching finds posts, calls for ideas and mentor profiles by their words, best first,
with the matching words highlighted and nothing else of the text taken as markup."""
import re
from datetime import datetime, timedelta

from sqlalchemy import insert, update

from forum.clock import utcnow
from forum.extensions import db
from forum.models.posts import Post, Thread
from forum.search.ranking import PART_THREADS_LIMIT, RECENT_POSTS
from tests.factories import make_post, make_thread, make_user
from tests.ideas.factories import make_call, make_moderator, post_idea, reply_to
from tests.mentors.factories import make_listener, make_mentor, make_mentorship, write_in_conversation
from tests.search.pages import places_offered, search, shown_results, texts
from tests.training.factories import make_program, make_trainer


def test_a_post_is_found_by_its_words_and_by_their_other_forms(client):
    ada = make_user("ada")
    thread = make_thread("Evening chats", author=ada)
    make_post(ada, thread, "Grounding exercises helped me after a difficult chat.")
    make_post(ada, thread, "Something unrelated about gardening.")

    [hit] = search(client, "grounding")
    assert hit.kind == "post" and hit.title == "Evening chats"
    assert "Grounding exercises helped me" in hit.snippet
    assert [r.snippet for r in search(client, "exercise")] == [hit.snippet]  # stemmed: exercise ~ exercises
    assert search(client, "grounding gardening") == []  # every word must match


def test_a_call_is_found_by_its_title_and_its_question(client):
    moss = make_moderator("moss")
    make_call(moss, title="Ideas for quieter weekends", question="What would make the weekend rota kinder?")

    [by_title] = search(client, "quieter")
    [by_question] = search(client, "rota")
    assert by_title.kind == by_question.kind == "call"
    assert by_title.title == "Ideas for quieter weekends"
    assert "<mark>quieter</mark>" in by_title.html
    assert "weekend <mark>rota</mark>" in by_question.snippet_html


def test_a_mentor_is_found_by_headline_and_sections(client):
    from forum.mentors.services import edit_section

    profile = make_mentor("wren", headline="Calm voice for night shifts")
    edit_section(profile.user, profile, "about", "I volunteer with bereavement groups.", hidden=False)

    [by_headline] = search(client, "night shifts")
    [by_section] = search(client, "bereavement")
    assert by_headline.kind == by_section.kind == "mentor"
    assert by_headline.link == "/mentors/wren"
    assert "<mark>bereavement</mark>" in by_section.snippet_html


def test_a_mentor_is_found_by_the_name_shown_and_by_username_and_a_new_name_replaces_the_old(client):
    from forum.accounts.services import update_profile

    profile = make_mentor("wren_listens", headline="Calm voice for night shifts")
    update_profile(profile.user, display_name="Harbor Light", bio_md="")

    [by_name] = search(client, "harbor")
    assert by_name.kind == "mentor" and by_name.link == "/mentors/wren_listens" and by_name.title == "Harbor Light"
    assert [r.link for r in search(client, "wren")] == ["/mentors/wren_listens"]  # by username
    assert [r.link for r in search(client, "harbor", part="mentors")] == ["/mentors/wren_listens"]

    update_profile(profile.user, display_name="Quay", bio_md="")

    assert search(client, "harbor") == []
    assert [r.title for r in search(client, "quay")] == ["Quay"]


def test_a_match_in_a_mentors_name_ranks_above_one_in_their_sections(client):
    from forum.accounts.services import update_profile
    from forum.mentors.services import edit_section

    in_sections = make_mentor("fern", headline="Here to help")
    edit_section(in_sections.user, in_sections, "about", "I grew up by a harbor and still love boats.", hidden=False)
    in_name = make_mentor("wren", headline="Here to help")
    update_profile(in_name.user, display_name="Harbor", bio_md="")

    assert [r.link for r in search(client, "harbor")] == ["/mentors/wren", "/mentors/fern"]


def test_better_matches_rank_first(client):
    ada = make_user("ada")
    thread = make_thread("Notes", author=ada)
    make_post(ada, thread, "A long post that mentions boundaries once, among many other words about "
                           "weather, cooking, music, trains, books, films and the sea.")
    make_post(ada, thread, "Boundaries, boundaries: keeping boundaries is how listeners last.")

    first, second = search(client, "boundaries")
    assert first.snippet.startswith("Boundaries, boundaries")
    assert "boundaries once" in second.snippet


def test_results_can_come_newest_first_instead_of_best_first(client):
    ada = make_user("ada")
    thread = make_thread("Notes", author=ada)
    best = make_post(ada, thread, "Boundaries, boundaries: keeping boundaries.")
    newer = make_post(ada, thread, "Boundaries once, then the weather, music, trains and the sea.")
    db.session.execute(update(Post).where(Post.id == best.id).values(created_at=utcnow() - timedelta(days=3)))
    db.session.commit()
    make_mentor("wren", headline="Boundaries for night listeners")

    best_text, newer_text = "Boundaries, boundaries: keeping boundaries.", newer.body_md
    assert [r.snippet for r in search(client, "boundaries") if r.kind == "post"] == [best_text, newer_text]
    newest_first = client.get("/search", query_string={"q": "boundaries", "order": "newest"})
    # The profile, written last but undated on the page, follows what is dated.
    assert [(r.kind, r.snippet) for r in shown_results(newest_first)] == [
        ("post", newer_text), ("post", best_text), ("mentor", "Boundaries for night listeners")]
    assert "3 results, newest first." in newest_first.page
    assert '<option value="newest" selected>Newest first</option>' in newest_first.get_data(as_text=True)


def test_newest_first_goes_on_page_after_page(client):
    ada = make_user("ada")
    thread = make_thread("Many", author=ada)
    start = utcnow() - timedelta(days=30)
    # Some say "pebble" more than others, so the best matches are not the newest.
    said = {number: "Pebble " * (1 + number % 3) + f"number {number}." for number in range(25)}
    for number in range(25):
        post = make_post(ada, thread, said[number])
        # Written in a shuffled order of days: the order shown is by date, not by id.
        db.session.execute(update(Post).where(Post.id == post.id).values(
            created_at=start + timedelta(days=(number * 7) % 25)))
    db.session.commit()

    first_page = client.get("/search", query_string={"q": "pebble", "order": "newest"})
    second_page = client.get("/search", query_string={"q": "pebble", "order": "newest", "page": 2})

    by_day = sorted(range(25), key=lambda number: (number * 7) % 25, reverse=True)
    assert texts(shown_results(first_page)) + texts(shown_results(second_page)) == [said[n] for n in by_day]
    assert 'href="/search?page=2&amp;q=pebble&amp;order=newest"' in first_page.get_data(as_text=True)


def test_a_snippet_reads_as_the_page_shows_the_post_not_as_its_markdown(client):
    ada = make_user("ada")
    thread = make_thread("Ideas", author=ada)
    make_post(ada, thread, "> @rowan_listens wrote:\n> A list of mentors\n\nA **mentors online now** list, "
                           "as in [the guide](https://example.org/guide), with *gentle* reminders.")
    moss = make_moderator("moss")
    make_call(moss, title="Quieter weekends", question="What would make the **weekend rota** kinder?")

    [post] = search(client, "online")
    # Each engine picks where its snippet starts and stops; around the match it reads plainly.
    assert "A mentors online now list, as in the guide, with gentle" in " ".join(post.snippet.split())
    assert not set("*>[]()") & set(post.snippet) and "example.org" not in post.snippet
    assert "<mark>online</mark>" in post.snippet_html
    [call] = search(client, "rota")
    assert call.snippet == "What would make the weekend rota kinder?"


def test_a_snippet_shows_neither_the_tags_the_page_renders_nor_the_comments_it_hides(client):
    ada = make_user("ada")
    make_post(ada, make_thread("Evenings", author=ada),
              "Hello <!-- a note to self --> everyone, I feel <b>calm</b> and <em>rested</em> tonight.")

    [post] = search(client, "calm")
    assert "I feel calm and rested tonight." in " ".join(post.snippet.split())
    assert "<" not in post.snippet and "note to self" not in post.snippet
    assert "<mark>calm</mark>" in post.snippet_html


def test_a_snippet_shows_the_words_around_the_match_not_only_those_after_it(client):
    ada = make_user("ada")
    make_post(ada, make_thread("Highs and lows", author=ada),
              "3 highs:\n1. Late-night rooms feel like a lighthouse for people who can't sleep\n"
              "2. Several listeners can notice different things in the same message\n"
              "3. Small wins get celebrated loudly\n\n3 lows:\n1. Two people in crisis at once is hard to balance\n"
              "2. Jokes can land badly when someone is hurting\n3. It is easy to talk more than you listen")

    [hit] = search(client, "sleep")
    # What is said of sleep comes before the word: a snippet that starts at it says nothing.
    assert "feel like a lighthouse for people who can't sleep" in " ".join(hit.snippet.split())
    assert "<mark>sleep</mark>" in hit.snippet_html


def test_highlights_are_the_only_markup_in_a_snippet(client):
    ada = make_user("ada")
    thread = make_thread("Markup <b>in</b> titles", author=ada)
    make_post(ada, thread, 'Hello <script>alert("x")</script> <mark>fake</mark> & <img src=x onerror=1> beacon')

    response = client.get("/search", query_string={"q": "beacon"})
    [hit] = shown_results(response)
    assert "<script>" not in response.get_data(as_text=True).split('id="main"')[1]
    # SQLite shows the tags as text; PostgreSQL's ts_headline drops them: neither is markup.
    for tag in ("<script", "<img", "<mark>fake"):
        assert tag not in hit.snippet_html
    assert 'alert("x")' in hit.snippet
    assert hit.snippet_html.count("<mark>") == hit.snippet_html.count("</mark>") == 1
    assert "<mark>beacon</mark>" in hit.snippet_html
    assert hit.title == "Markup <b>in</b> titles"  # shown as text


def test_filters_by_part_author_and_dates(client):
    ada, bo, moss = make_user("ada"), make_user("bodhi"), make_moderator("moss")
    thread = make_thread("Lanterns", author=ada)
    old = make_post(ada, thread, "Lantern walks in winter.")
    make_post(bo, thread, "Lantern festivals in spring.")
    call = make_call(moss, title="Lantern ideas", question="How could we light up the forum?")
    post_idea(bo, call, "A lantern for each new listener.")
    make_mentor("wren", headline="Lantern keeper for new listeners")
    db.session.execute(update(Post).where(Post.id == old.id).values(created_at=utcnow() - timedelta(days=40)))
    db.session.commit()

    assert len(search(client, "lantern")) == 5
    assert {r.kind for r in search(client, "lantern", part="ideas")} == {"call", "post"}
    assert [r.snippet for r in search(client, "lantern", part="ideas") if r.kind == "post"] == [
        "A lantern for each new listener."]
    assert [r.kind for r in search(client, "lantern", part="mentors")] == ["mentor"]
    assert sorted(texts(search(client, "lantern", part="threads"))) == [
        "Lantern festivals in spring.", "Lantern walks in winter."]
    assert sorted(texts(search(client, "lantern", author="bodhi"))) == [
        "A lantern for each new listener.", "Lantern festivals in spring."]
    since = (utcnow() - timedelta(days=10)).date().isoformat()
    until = (utcnow() - timedelta(days=30)).date().isoformat()
    assert "Lantern walks in winter." not in texts(search(client, "lantern", since=since))
    assert texts(search(client, "lantern", until=until)) == ["Lantern walks in winter."]


def test_dates_filter_posts_whose_ids_do_not_follow_their_dates(client):
    """Imports and several servers' clocks write posts out of date order: a later id with
    an earlier date. Each is found by its own date, however the days' ids interleave."""
    ada = make_user("ada")
    thread = make_thread("Imported", author=ada)
    written = {}
    for body, days_ago in (("Today's lantern.", 0), ("A lantern from last month.", 30),
                           ("A lantern from last week.", 7), ("A lantern from two months ago.", 60),
                           ("Another lantern from last month.", 30)):
        post = make_post(ada, thread, body)
        written[body] = utcnow() - timedelta(days=days_ago)
        db.session.execute(update(Post).where(Post.id == post.id).values(created_at=written[body]))
    db.session.commit()

    def day(days_ago: int) -> str:
        return (utcnow() - timedelta(days=days_ago)).date().isoformat()

    assert sorted(texts(search(client, "lantern", until=day(30)))) == [
        "A lantern from last month.", "A lantern from two months ago.", "Another lantern from last month."]
    assert sorted(texts(search(client, "lantern", since=day(30), until=day(7)))) == [
        "A lantern from last month.", "A lantern from last week.", "Another lantern from last month."]
    assert sorted(texts(search(client, "lantern", since=day(7)))) == ["A lantern from last week.", "Today's lantern."]
    assert texts(search(client, "lantern", until=day(61))) == []
    assert texts(search(client, "lantern", since=day(-1))) == []


def test_a_number_finds_the_posts_that_say_it_not_the_posts_of_that_thread_or_person(client):
    # SQLite indexes each post's thread and author ids beside its text, to search one
    # part's threads or one person's posts.
    bo, _, ada = make_user("bodhi"), make_user("cyril"), make_user("ada")
    numbered = make_thread("Weekly check-in", author=ada)
    assert numbered.id != ada.id  # two numbers, each said in one post
    make_post(ada, numbered, "Nothing to count in this one.")
    countdown = make_thread("Countdown", author=bo)
    make_post(bo, countdown, f"Day {numbered.id} of the challenge.")
    make_post(bo, countdown, f"Only {ada.id} of us turned up.")
    make_post(ada, countdown, "Still nothing to count.")

    assert texts(search(client, str(numbered.id))) == [f"Day {numbered.id} of the challenge."]
    assert texts(search(client, str(numbered.id), part="threads")) == [f"Day {numbered.id} of the challenge."]
    assert texts(search(client, str(ada.id), part="threads")) == [f"Only {ada.id} of us turned up."]
    assert texts(search(client, str(ada.id), author="ada")) == []


def test_a_search_in_conversations_finds_the_readers_own_among_everyone_elses(client):
    wren, alder = make_mentor("wren"), make_mentor("alder")
    mina, theo = make_listener("mina"), make_listener("theo")
    make_user("pia")
    write_in_conversation(mina, make_mentorship(mina, wren), "Could we talk about my compass worries?")
    write_in_conversation(theo, make_mentorship(theo, alder), "My compass worries are back.")
    make_post(mina, make_thread("Open space", author=mina), "A compass in the open.")
    client.login("mina")

    assert texts(search(client, "compass", part="conversations")) == ["Could we talk about my compass worries?"]
    assert texts(search(client, "compass", part="conversations", author="theo")) == []
    assert texts(search(client, "compass", part="threads", author="mina")) == ["A compass in the open."]
    assert sorted(texts(search(client, "compass"))) == ["A compass in the open.",
                                                        "Could we talk about my compass worries?"]
    assert places_offered(client) == ["", "ideas", "mentors", "conversations", "threads"]  # no program yet
    make_program(title="Compass basics")
    assert places_offered(client) == ["", "training", "ideas", "mentors", "conversations", "threads"]
    client.logout()
    client.login("pia")  # a member, not a listener: mentorship conversations are not for her
    assert places_offered(client) == ["", "training", "ideas", "mentors", "threads"]
    client.logout()  # a visitor reads no training discussion and has no conversation
    assert places_offered(client) == ["", "ideas", "mentors", "threads"]
    # A link naming one still answers, plainly: nothing there, and the choice shows where it looked.
    assert search(client, "compass", part="conversations") == []
    assert places_offered(client, q="compass", part="conversations") == ["", "ideas", "mentors", "conversations",
                                                                        "threads"]


def test_training_discussions_are_offered_only_to_those_a_program_is_open_to(client):
    # A teen whose forum holds only programs for adults could never find a training
    # discussion: the choice would always find nothing.
    tova = make_trainer("tova")
    make_program(tova, title="For adults", audience="adult")
    make_user("sunny", age_group="teen")
    make_user("ana")
    for reader, offered in (("sunny", False), ("ana", True), ("tova", True)):
        client.login(reader)
        assert ("training" in places_offered(client)) is offered, reader
        client.logout()
    make_program(tova, title="For everyone")
    client.login("sunny")
    assert "training" in places_offered(client)


def test_a_part_with_more_threads_than_are_named_to_the_index_is_still_searched_whole(client):
    moss, bo = make_moderator("moss"), make_user("bodhi")
    call = make_call(moss, title="Lantern ideas", question="How could we light up the forum?")
    post_idea(bo, call, "A lantern for each new listener.")
    # Threads of the ideas part beyond what a search names to the index: it then walks
    # the words' matches instead, and must still find the idea.
    db.session.execute(insert(Thread), [{"kind": "idea_call", "title": f"Call {number}"}
                                         for number in range(PART_THREADS_LIMIT)])
    db.session.commit()

    assert sorted(texts(search(client, "lantern", part="ideas"))) == ["A lantern for each new listener.",
                                                                      "How could we light up the forum?"]


def test_a_result_is_named_as_its_part_names_it(client):
    moss, bo = make_moderator("moss"), make_user("bodhi")
    idea = post_idea(bo, make_call(moss, title="Lantern ideas", question="How could we light up the forum?"),
                     "A lantern for each new listener.")
    reply_to(moss, idea, "A lantern in every room, yes.")
    make_post(bo, make_thread("Lanterns", author=bo), "Lantern walks in winter.")

    def named(result) -> str:
        meta = re.search(r'<p class="search-meta">(.*?)</p>', result.html, re.S).group(1)
        return " ".join(re.sub(r"<[^>]+>", "", meta).split())

    meta = {result.snippet: named(result) for result in search(client, "lantern") if result.kind == "post"}
    assert meta["A lantern for each new listener."].startswith("Ideas · idea · by Bodhi")
    assert meta["A lantern in every room, yes."].startswith("Ideas · reply · by Moss")
    assert meta["Lantern walks in winter."].startswith("Other threads · post · by Bodhi")


def test_bad_filters_are_explained_and_the_form_keeps_what_was_typed(client):
    make_user("ada")
    cases = [({"author": "nobody_here"}, "Nobody here is called “nobody_here”."),
             ({"since": "2026-13-45"}, "There is no day 2026-13-45 in the calendar: check the month and the day."),
             ({"until": "2026-02-30"}, "There is no day 2026-02-30 in the calendar: check the month and the day."),
             ({"since": "1/3/2026"}, "Write the date as year-month-day"),
             ({"since": "2026-03-01garbage"}, "Write the date as year-month-day"),
             ({"since": "2026-05-01", "until": "2026-04-01"}, "The “from” date comes after the “to” date."),
             ({"part": "everything-else"}, "Choose where to search from the list."),
             ({"order": "loudest"}, "Choose how to order the results from the list.")]
    for filters, message in cases:
        response = client.get("/search", query_string={"q": "kind words", **filters})
        assert response.status_code == 400
        assert message in response.page
        assert 'value="kind words"' in response.page


def test_filters_nobody_set_are_folded_under_the_words_so_results_come_first(client):
    # Five filters filled a phone's first screen: a search from the header's box seemed to
    # find nothing until the reader scrolled past them.
    ada = make_user("ada")
    make_post(ada, make_thread("Evening chats", author=ada), "Kind words help.")

    def filters_shown(**args) -> bool:
        page = client.get("/search", query_string=args).get_data(as_text=True)
        fold = re.search(r"<details[^>]*>\s*<summary>Where, who, when, order</summary>", page)
        assert fold and 'id="search-author"' in page[fold.end():], "the filters are in the fold"
        return " open" in fold.group(0)

    assert not filters_shown(q="kind")
    # Open when they are what the reader came for, one is set, or one needs mending.
    assert filters_shown() and filters_shown(q="kind", part="ideas") and filters_shown(q="kind", order="newest")
    assert filters_shown(q="kind", author="nobody_here") and filters_shown(q="kind", since="2026-13-45")
    assert filters_shown(q="kind", author="ada")


def test_the_author_box_takes_the_name_shown_on_results_when_one_person_has_it(client):
    from forum.accounts.closing import close_account
    from tests.factories import PASSWORD

    rowan, sam_a, sam_b = make_user("rowan_listens", display_name="Rowan"), make_user("sam1"), make_user("sam2")
    for person, name in ((sam_a, "Sam"), (sam_b, "sam")):
        person.display_name = name
    db.session.commit()
    thread = make_thread("Lanterns", author=rowan)
    make_post(rowan, thread, "Rowan's lantern.")
    make_post(sam_a, thread, "Sam's lantern.")
    closed = make_user("former_fan", display_name="Rowan")
    close_account(closed, PASSWORD, remove_writing=False)  # no longer anybody: Rowan stays one person

    assert texts(search(client, "lantern", author="rowan")) == ["Rowan's lantern."]
    assert texts(search(client, "lantern", author=" ROWAN ")) == ["Rowan's lantern."]
    assert texts(search(client, "lantern", author="@rowan_listens")) == ["Rowan's lantern."]
    for typed, message in (("Sam", "More than one person here is called “Sam”. Use the @username shown on "
                                   "their profile."),
                           ("Former member", "Nobody here is called “Former member”. Use the @username shown on "
                                             "their profile.")):
        response = client.get("/search", query_string={"q": "lantern", "author": typed})
        assert response.status_code == 400 and message in response.page, typed
        assert f'value="{typed}"' in response.page


def test_results_come_in_pages_of_twenty(client):
    ada = make_user("ada")
    thread = make_thread("Many", author=ada)
    for number in range(25):
        make_post(ada, thread, f"Pebble number {number}.")

    first_page = client.get("/search", query_string={"q": "pebble"})
    second_page = client.get("/search", query_string={"q": "pebble", "page": 2})
    assert len(shown_results(first_page)) == 20 and len(shown_results(second_page)) == 5
    assert "25 results" in first_page.page
    assert 'href="/search?page=2&amp;q=pebble"' in first_page.get_data(as_text=True)
    shown = texts(shown_results(first_page)) + texts(shown_results(second_page))
    assert sorted(shown) == sorted(f"Pebble number {n}." for n in range(25))


def test_the_widest_dates_are_read_as_dates(client):
    ada = make_user("ada")
    make_post(ada, make_thread("Notes", author=ada), "A pebble by the door.")

    # The day after 9999-12-31 does not exist; "until" must not need it.
    shown = search(client, "pebble", since="0001-01-01", until="9999-12-31")

    assert texts(shown) == ["A pebble by the door."]


def days_hint(client) -> str:
    """The hint the From and To boxes both point at, as a screen reader reads it with them."""
    page = client.get("/search", query_string={"q": "pebble"}).page
    described = {re.search(rf'id="search-{box}"[^>]*aria-describedby="([^"]+)"', page).group(1)
                 for box in ("since", "until")}
    assert described == {"search-days-hint"}, described
    return re.search(r'<p class="hint" id="search-days-hint">(.*?)</p>', page).group(1)


def date_shown(result) -> str:
    return re.search(r'<time datetime="[^"]+" title="[^"]+">(.*?)</time>', result.html).group(1)


def test_a_reader_abroad_filters_by_the_days_of_their_own_clock(client):
    """Late in a Toronto evening is the next day in UTC: "To 7 Jun" left out a post its page
    shows at 7 Jun, 21:30 in Toronto. Sydney's first and Toronto's last day reach past the
    calendar in UTC, and still bound nothing; a visitor reads UTC days. (A day long past: on
    SQLite, the index's row for the day a post is written keeps its id when its date moves.)
    The form says whose days the boxes mean, and each result the day it was written on."""
    ada = make_user("ada")
    late = make_post(ada, make_thread("Notes", author=ada), "A pebble by the door.")
    db.session.execute(update(Post).where(Post.id == late.id).values(created_at=datetime(2025, 6, 8, 1, 30)))
    ada.time_zone = "America/Toronto"
    make_user("sol").time_zone = "Australia/Sydney"
    db.session.commit()

    assert texts(search(client, "pebble", until="2025-06-07")) == []
    assert days_hint(client) == "Days in UTC"
    assert [date_shown(hit) for hit in search(client, "pebble")] == ["8 Jun 2025"]
    client.login("ada")
    assert days_hint(client) == "Days in America/Toronto"
    assert [date_shown(hit) for hit in search(client, "pebble")] == ["7 Jun 2025"]
    assert texts(search(client, "pebble", since="2025-06-07", until="2025-06-07")) == ["A pebble by the door."]
    assert texts(search(client, "pebble", since="2025-06-08")) == []
    assert texts(search(client, "pebble", since="0001-01-01", until="9999-12-31")) == ["A pebble by the door."]
    client.logout()
    client.login("sol")
    assert texts(search(client, "pebble", since="0001-01-01", until="2025-06-08")) == ["A pebble by the door."]


def test_a_teens_posts_show_no_date_to_those_who_may_not_know_when_teens_are_here(client):
    """As on the teen's profile: when a teen writes says when they are here."""
    tess = make_user("tess", display_name="Tess", age_group="teen")
    make_post(tess, make_thread("Open to everyone", author=tess), "A pebble by the door.")
    make_user("adam"), make_user("kit", age_group="teen"), make_moderator("moss")

    def meta(reader):
        if reader:
            client.login(reader)
        [hit] = search(client, "pebble")
        if reader:
            client.logout()
        return re.search(r'<p class="search-meta">(.*?)</p>', hit.html, re.S).group(1)

    for reader in (None, "adam"):
        assert "by Tess" in meta(reader) and "<time" not in meta(reader), reader
    for reader in ("kit", "moss", "tess"):
        assert "<time" in meta(reader), reader


def test_a_page_past_the_last_shows_the_last_page_and_says_so(client):
    ada = make_user("ada")
    thread = make_thread("Many", author=ada)
    for number in range(25):
        make_post(ada, thread, f"Pebble number {number}.")

    for page in (3, 99999):
        response = client.get("/search", query_string={"q": "pebble", "page": page})
        assert len(shown_results(response)) == 5
        assert "There are only 2 pages of results; this is the last." in response.page
        assert "Nothing you can see matches" not in response.page


def test_page_links_keep_the_search_but_not_url_builder_arguments(client):
    ada = make_user("ada")
    thread = make_thread("Many", author=ada)
    for number in range(25):
        make_post(ada, thread, f"Pebble number {number}.")

    # `endpoint` and `_anchor` are url_for's own arguments: passed on, they were a 500
    # ("got multiple values for argument 'endpoint'") and a #fragment on every page link.
    response = client.get("/search", query_string={"q": "pebble", "endpoint": "x", "_anchor": "top"})

    assert len(shown_results(response)) == 20
    html = response.get_data(as_text=True)
    assert 'href="/search?page=2&amp;q=pebble"' in html
    assert "#top" not in html


def test_a_word_longer_than_forty_letters_is_found_whole(client):
    ada = make_user("ada")
    make_post(ada, make_thread("Words", author=ada), "The Donaudampfschifffahrtsgesellschaftskapitän waved.")
    make_post(ada, make_thread("More words", author=ada), "A Donaudampfschifffahrtsgesellschaftskapitänsmütze.")

    assert texts(search(client, "Donaudampfschifffahrtsgesellschaftskapitän")) == [
        "The Donaudampfschifffahrtsgesellschaftskapitän waved."]


def test_a_mentor_with_only_a_headline_shows_just_the_headline(client):
    make_mentor("wren", headline="Periwinkle guide")

    assert texts(search(client, "periwinkle")) == ["Periwinkle guide"]


def test_a_word_with_a_turkish_capital_i_is_found(client):
    ada = make_user("ada")
    make_post(ada, make_thread("Travels", author=ada), "Visiting İstanbul soon.")

    assert texts(search(client, "İstanbul")) == ["Visiting İstanbul soon."]
    assert texts(search(client, "istanbul")) == ["Visiting İstanbul soon."]


def test_a_word_is_found_with_or_without_its_accents_and_shown_as_it_was_typed(client):
    """As SQLite's index does (remove_diacritics), PostgreSQL's folds accents both ways:
    "cafe" finds "café" and "Zoë" finds "Zoe", in posts, calls' titles and mentor profiles."""
    from forum.mentors.services import edit_section

    ada = make_user("ada")
    make_post(ada, make_thread("Meeting places", author=ada), "We met at the café by the station.")
    make_post(ada, make_thread("Names", author=ada), "Zoe listened all evening.")
    make_call(make_moderator("moss"), title="Ideas for the Café corner", question="What would make it cosier?")
    profile = make_mentor("wren", headline="Ask for Zoë")
    edit_section(profile.user, profile, "about", "I run a cafe for carers.", hidden=False)

    for words in ("cafe", "café", "CAFÉ"):
        assert sorted((r.kind, r.title) for r in search(client, words)) == [
            ("call", "Ideas for the Café corner"), ("mentor", "Wren"), ("post", "Meeting places")], words
    [post] = [r for r in search(client, "cafe") if r.kind == "post"]
    assert "the <mark>café</mark> by" in post.snippet_html
    [call] = [r for r in search(client, "cafe") if r.kind == "call"]
    assert "<mark>Café</mark> corner" in call.html
    for words in ("zoe", "Zoë", "zoë"):
        assert sorted((r.kind, r.title) for r in search(client, words)) == [("mentor", "Wren"), ("post", "Names")], words
    [mentor] = [r for r in search(client, "zoe") if r.kind == "mentor"]
    assert "<mark>Zoë</mark>" in mentor.html


def test_the_header_has_a_search_box_on_every_page(client):
    for path in ("/", "/programs", "/mentors"):
        page = client.get(path).get_data(as_text=True)
        assert 'role="search"' in page and 'action="/search"' in page and 'name="q"' in page


def test_old_posts_are_found_behind_a_long_run_of_newer_ones(client):
    # PostgreSQL searches the newest RECENT_POSTS posts first and the older ones only when
    # those hold too few matches (forum/search/ranking.py): both halves must be found.
    ada = make_user("ada")
    thread = make_thread("Harbour walks", author=ada)
    old = make_post(ada, thread, "The lighthouse keeper waved at me this morning.")
    newest = make_post(ada, thread, "Something newer about the tide.")
    # A post with an id as far past the old one as a long-lived forum would put it.
    db.session.execute(update(Post).where(Post.id == newest.id).values(
        id=old.id + RECENT_POSTS + 10, body_md="A lighthouse again, much later.",
        body_html="<p>A lighthouse again, much later.</p>"))
    db.session.commit()

    found = texts(search(client, "lighthouse"))
    assert sorted(found) == ["A lighthouse again, much later.", "The lighthouse keeper waved at me this morning."]
    assert texts(search(client, "keeper")) == ["The lighthouse keeper waved at me this morning."]


def test_the_count_says_more_than_a_thousand_only_when_there_are_more(client):
    ada = make_user("ada")
    thread = make_thread("Pebbles", author=ada)
    pebble = {"thread_id": thread.id, "author_id": ada.id, "body_md": "A pebble.", "body_html": "<p>A pebble.</p>"}
    db.session.execute(insert(Post), [pebble] * 1000)
    db.session.commit()

    exactly = client.get("/search", query_string={"q": "pebble"}).page
    assert "1,000 results," in exactly and "More than" not in exactly

    make_post(ada, thread, "One pebble more.")
    assert "More than 1,000 results," in client.get("/search", query_string={"q": "pebble"}).page


def test_a_search_of_only_the_commonest_words_never_says_that_nothing_matches(client):
    ada = make_user("ada")
    make_post(ada, make_thread("Check-in", author=ada), "How are you doing after the night shift?")

    response = client.get("/search", query_string={"q": "How are you"})
    if db.engine.dialect.name == "postgresql":
        # PostgreSQL's English configuration does not index its stop words at all.
        assert "“how”, “are” and “you” are too common to search for on their own." in response.page
        assert "Add a word that says more about what you are looking for." in response.page
        assert shown_results(response) == []
    else:
        # FTS5 indexes every word, so they are searched like any other.
        assert texts(shown_results(response)) == ["How are you doing after the night shift?"]
    assert "Nothing you can see matches" not in response.page


def test_a_common_word_beside_others_leaves_the_others_searched(client):
    ada = make_user("ada")
    make_post(ada, make_thread("Check-in", author=ada), "The lighthouse keeper waved back.")

    found = client.get("/search", query_string={"q": "the lighthouse"})
    missing = client.get("/search", query_string={"q": "the harbour"})
    assert texts(shown_results(found)) == ["The lighthouse keeper waved back."]
    left_out = "“the” is too common to search for, so it was left out."
    if db.engine.dialect.name == "postgresql":
        assert left_out in found.page and left_out in missing.page
        assert "Nothing you can see matches “harbour”." in missing.page
    else:
        # SQLite searched "the" too, and says so.
        assert left_out not in found.page
        assert "Nothing you can see matches “the”, “harbour”." in missing.page


def test_posts_by_someone_the_reader_blocked_are_left_out_of_their_searches_only(client):
    from forum.moderation.blocking import block, unblock

    ada, bo, cy = make_user("ada"), make_user("bodhi"), make_user("cyan")
    thread = make_thread("Evenings", author=ada)
    make_post(ada, thread, "Driftwood by the fire.")
    make_post(bo, thread, "Driftwood sculptures again.")
    block(cy, bo)

    client.login("cyan")
    assert texts(search(client, "driftwood")) == ["Driftwood by the fire."]
    assert "1 result" in client.get("/search", query_string={"q": "driftwood"}).page
    client.logout()
    client.login("ada")
    assert len(search(client, "driftwood")) == 2
    client.logout()

    unblock(cy, bo)
    client.login("cyan")
    assert len(search(client, "driftwood")) == 2


def test_an_author_box_holding_only_invisible_characters_searches_everyone(client):
    ada = make_user("ada")
    make_post(ada, make_thread("Notes", author=ada), "A pebble by the door.")

    response = client.get("/search", query_string={"q": "pebble", "author": "\u200b"})

    assert response.status_code == 200 and "Nobody here is called" not in response.page
    assert texts(shown_results(response)) == ["A pebble by the door."]


def test_a_search_that_finds_nothing_says_what_to_try_next(client):
    ada = make_user("ada")
    make_post(ada, make_thread("Check-in", author=ada), "The lighthouse keeper waved back.")
    missing = client.get("/search", query_string={"q": "harbour"})
    assert "Nothing you can see matches “harbour”." in missing.page
    assert "Try fewer or other words, choose “Everything” under Where" in missing.page
    assert "Try fewer or other words" not in client.get("/search", query_string={"q": "lighthouse"}).page
