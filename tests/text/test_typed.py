"""Text as it is kept: pasted control characters gone, line ends of one kind."""
from forum.text.typed import typed_line, typed_note, typed_text


def test_several_lines_keep_their_breaks_and_tabs_and_lose_the_controls():
    assert typed_text("  \x02Calm\x03 day\r\nsecond\rthird\tcolumn\x1b[0m\x7f\n\n") == \
        "Calm day\nsecond\nthird\tcolumn[0m"


def test_one_line_collapses_its_white_space():
    assert typed_line(" A\x00 title\r\n on\ttwo   lines\x0c ") == "A title on two lines"


def test_nothing_typed_is_an_empty_string():
    assert typed_text(None) == typed_line(None) == typed_line(" \x02 \x03 ") == ""


def test_text_with_nothing_visible_is_an_empty_string():
    for invisible in ("\u200b\u200b", " \u200c\u200d\u2060\ufeff ", "\u3164", "\u2800\n\u202e"):
        assert typed_text(invisible) == typed_line(invisible) == ""


def test_joiners_between_visible_characters_stay():
    family = "\U0001F469\u200d\U0001F469\u200d\U0001F467"  # one emoji, joined
    assert typed_line(f" {family} night ") == f"{family} night"
    assert typed_text("\u200bhidden start") == "\u200bhidden start"


def test_a_note_keeps_its_lines_but_not_a_screen_of_empty_ones():
    assert typed_note(" First line  \r\n\r\n \r\n\r\n  second\x02\r\nthird \n") == "First line\n\nsecond\nthird"
    assert typed_note(" \n\u200b\n ") == ""
