from forum.text.bidi import isolate, shortened


def test_right_to_left_text_is_isolated_and_left_to_right_text_left_as_it_is():
    assert isolate("דנה") == "\u2068דנה\u2069"
    assert isolate("Evening circle 2") == "Evening circle 2"


def test_a_direction_override_in_a_title_cannot_reverse_the_words_after_it():
    # U+202E (right-to-left override) never closed reversed "”, the latest from Ben" too.
    assert isolate("Evenings\u202e and \u2069mornings") == "Evenings and mornings"
    assert isolate("\u202eערב\u2069") == "\u2068ערב\u2069"


def test_a_message_cut_inside_an_isolate_closes_it_within_the_limit():
    message = "Ben replied in “" + isolate("مساء الخير يا أصدقاء") + "” today"
    cut = shortened(message, 25)
    assert len(cut) <= 25 and cut.count("\u2068") == cut.count("\u2069") == 1 and cut.endswith("\u2069")
    assert message.startswith(cut[:-1])
    assert shortened(message, len(message)) == message


def test_a_cut_just_after_an_isolate_opens_leaves_no_empty_one():
    assert shortened("Hello " + isolate("דנה"), 7) == "Hello "


def test_a_cut_keeps_accents_emoji_and_flags_whole():
    assert shortened("cafe\u0301 noir", 4) == "caf"  # é written as e + a combining accent
    family = "\U0001F469\u200d\U0001F469\u200d\U0001F467"
    assert shortened(f"Hi {family}!", 6) == "Hi "
    assert shortened("Hi \U0001F44B\U0001F3FD!", 4) == "Hi "  # a waving hand and its skin tone
    assert shortened("Go \U0001F1EB\U0001F1F7\U0001F1E9\U0001F1EA", 6) == "Go \U0001F1EB\U0001F1F7"  # France, not half Germany
    assert shortened("Go \U0001F1EB\U0001F1F7\U0001F1E9\U0001F1EA", 4) == "Go "  # half a flag
