"""The nightly `search-optimize` job: searches find the same things, highlighted the same,
after it as before, and what is written after it is found as at once as ever."""
from forum.posts.services import delete_own_post, edit_post
from tests.factories import make_post, make_thread, make_user
from tests.search.pages import search, texts


def test_searches_find_the_same_after_the_nightly_merge_and_writes_after_it_count(client, runner):
    ada, ben = make_user("ada"), make_user("ben")
    thread = make_thread("Evenings", author=ada)
    # One transaction each, as people post: on SQLite, one index segment each.
    for day in range(12):
        make_post(ada if day % 2 else ben, thread, f"Day {day}: a gentle walk, then boundaries with my sister.")
    make_post(ben, thread, "Only boundaries today.")
    to_edit = make_post(ada, thread, "A gentle morning.")
    to_remove = make_post(ben, thread, "Gentle rain on the boundaries of the garden.")
    before = {q: search(client, q) for q in ("gentle boundaries", "boundaries", "morning")}

    result = runner.invoke(args=["search-optimize"])

    assert result.exit_code == 0, result.output
    assert "merged" in result.output or "moved in" in result.output
    for q, shown in before.items():
        after = search(client, q)
        assert [(r.link, r.snippet_html) for r in after] == [(r.link, r.snippet_html) for r in shown], q
    assert len(before["gentle boundaries"]) == 13

    make_post(ada, thread, "New tonight: gentle boundaries, at last.")
    edit_post(ada, to_edit, "A quiet morning.")
    delete_own_post(ben, to_remove)

    found = texts(search(client, "gentle boundaries"))
    assert len(found) == 13
    assert "New tonight: gentle boundaries, at last." in found
    assert "Gentle rain on the boundaries of the garden." not in found
    assert texts(search(client, "morning")) == ["A quiet morning."]


def test_the_nightly_merge_runs_on_an_empty_forum(runner):
    result = runner.invoke(args=["search-optimize"])

    assert result.exit_code == 0, result.output
