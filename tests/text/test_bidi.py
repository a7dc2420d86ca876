from forum.text.bidi import isolate


def test_right_to_left_text_is_isolated_and_left_to_right_text_left_as_it_is():
    assert isolate("דנה") == "\u2068דנה\u2069"
    assert isolate("Evening circle 2") == "Evening circle 2"


def test_a_direction_override_in_a_title_cannot_reverse_the_words_after_it():
    # U+202E (right-to-left override) never closed reversed "”, the latest from Ben" too.
    assert isolate("Evenings\u202e and \u2069mornings") == "Evenings and mornings"
    assert isolate("\u202eערב\u2069") == "\u2068ערב\u2069"
