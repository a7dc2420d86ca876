"""Snippets are cut from what people typed, Markdown and all: what a result shows is that
Markdown read as the page shows it, whatever part of it the snippet was cut from."""
from forum.search.snippets import plain_snippet
from forum.search.terms import MARK_START, MARK_STOP

MARKED_CALM = f"{MARK_START}calm{MARK_STOP}"


def test_syntax_goes_and_the_words_stay():
    assert plain_snippet("# Tips\n- one *kind* word\n* a __bold__ one\n---\n```\n`code`\n```").split() == [
        "Tips", "one", "kind", "word", "a", "bold", "one", "code"]
    assert plain_snippet("see ![a map](map.png), [the guide](https://x.org/g) or <https://x.org/h>") == (
        "see a map, the guide or https://x.org/h")
    assert plain_snippet("~~old~~ new") == "old new"


def test_what_only_looks_like_syntax_is_kept():
    assert plain_snippet("3 * 4 = 12, ask @rowan_listens about snake_case") == (
        "3 * 4 = 12, ask @rowan_listens about snake_case")
    assert plain_snippet(r"\*stars\* that show, and a \_ too") == "*stars* that show, and a _ too"


def test_a_marked_word_keeps_its_markers_and_loses_its_emphasis():
    assert plain_snippet(f"**{MARKED_CALM}** and _{MARKED_CALM}_") == f"{MARKED_CALM} and {MARKED_CALM}"


def test_a_snippet_cut_inside_the_syntax_keeps_no_stray_marks():
    assert plain_snippet("…mentors online now** list, a *gentle") == "…mentors online now list, a gentle"
    assert plain_snippet("") == plain_snippet(None) == ""


def test_html_the_page_renders_or_hides_goes_and_its_words_stay():
    # Posts may hold the few tags the page renders (<b>, <em>, <br>, <a href>...) and
    # comments, which the page never shows; a snippet reads as the page does.
    assert " ".join(plain_snippet(
        'I feel <b>calm</b>, <em>safe</em><br>and <a href="https://x.org/h">here</a> <!-- a note to self -->'
        "<p>Later</p>").split()) == "I feel calm, safe and here Later"
    assert plain_snippet("one thing <!-- left open, as the page hides it") == "one thing "
    assert plain_snippet(f"<{MARK_START}b{MARK_STOP}>{MARKED_CALM}</b>") == MARKED_CALM


def test_html_the_page_shows_as_text_is_kept():
    assert plain_snippet("<script>x</script> <img src=x> a <3 b, A --> B") == "<script>x</script> <img src=x> a <3 b, A --> B"
    assert plain_snippet("use `<br>` for a line break") == "use <br> for a line break"
