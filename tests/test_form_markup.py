"""Screen readers read a field's hint and error through `aria-describedby`: every id it
names must be on the page, or the field is announced with nothing (or with "None")."""
import re
from collections import Counter

from tests.factories import make_badge, make_user
from tests.ideas.factories import make_moderator

_DESCRIBED_BY = re.compile(r'aria-describedby="([^"]*)"')
_IDS = re.compile(r'\sid="([^"]+)"')


def missing_descriptions(page: str) -> list[str]:
    ids = set(_IDS.findall(page))
    return [name for value in _DESCRIBED_BY.findall(page) for name in value.split() if name not in ids]


def test_the_sign_in_checkbox_points_at_nothing_that_is_not_there(client):
    page = client.get("/login").page

    assert 'name="remember"' in page
    assert missing_descriptions(page) == []


def test_hints_and_errors_of_checkboxes_and_other_fields_are_read_out(client):
    make_moderator("moss")
    client.login("moss")

    page = client.get("/ideas/new").page
    assert 'aria-describedby="required_badge-hint"' in page
    assert missing_descriptions(page) == []

    refused = client.submit("/ideas/new", {"title": "", "question": "Why?", "audience": "everyone",
                                           "required_badge": "", "hide_reactions_while_collecting": "y"}).page
    assert re.search(r'aria-describedby="[^"]*\btitle-error\b', refused)
    assert missing_descriptions(refused) == []


def test_a_failed_sign_in_keeps_the_checkbox_clean(client):
    make_user("sam")

    page = client.submit("/login", {"login": "sam", "password": "not it", "remember": "y"}).page

    assert "not right" in page
    assert missing_descriptions(page) == []


_LABEL_FOR = re.compile(r'<label[^>]*\sfor="([^"]+)"')


def labels_not_tied_to_one_field(page: str) -> list[str]:
    ids = _IDS.findall(page)
    return [target for target in _LABEL_FOR.findall(page) if ids.count(target) != 1]


def test_each_field_on_a_moderators_person_page_has_its_own_label(client):
    make_user("pebble")
    make_moderator("moss")
    client.login("moss")

    page = client.get("/mod/users/pebble").page
    assert 'for="suspension-reason"' in page and 'for="age-group-reason"' in page
    assert labels_not_tied_to_one_field(page) == []

    # Sent back with errors, the page still ties each label to its own field.
    refused = client.submit("/mod/users/pebble/age-group", {"age_group": "adult", "reason": ""}).page
    assert "Say why; it goes in the audit log." in refused
    assert labels_not_tied_to_one_field(refused) == []
    assert missing_descriptions(refused) == []


def repeated_ids(page: str) -> list[str]:
    counts = Counter(_IDS.findall(page))
    return sorted(name for name, count in counts.items() if count > 1)


_LABELS = re.compile(r"<label[^>]*>(.*?)</label>", re.S)
_HIDDEN = re.compile(r'<span class="visually-hidden">.*?</span>', re.S)


def repeated_labels(page: str) -> list[str]:
    """Labels that read alike, as seen: the admin going from box to box can't tell which
    action each explains (a screen reader hears the same, but for words only it hears)."""
    counts = Counter(" ".join(re.sub(r"<[^>]+>", "", _HIDDEN.sub("", text)).split()) for text in _LABELS.findall(page))
    return sorted(text for text, count in counts.items() if count > 1)


def test_pages_of_several_forms_name_each_element_once(client):
    # Ids are how labels, hints and skip links find their element: one repeated, and the
    # second element is unreachable (the pages below hold a form per action and badge).
    # Each box's label says which action it explains: "Why" alone fits every one of them.
    make_user("pebble")
    make_badge("trained", "Trained")
    make_badge("kind", "Kind words")  # still one to award: the award form stays beside the take-away one
    make_user("ada", role="admin")
    client.login("ada")
    client.submit("/admin/users/pebble/badges", {"badge": "trained", "reason": "Finished the course"})
    person = client.get("/admin/users/pebble").page
    assert "Take away" in person and "Award badge" in person
    for path in ("/admin/users/pebble", "/mod/users/pebble", "/settings/account"):
        page = client.get(path).page
        assert 'name="csrf_token"' in page, path
        assert repeated_ids(page) == [], path
        assert repeated_labels(page) == [], path


def test_a_checkbox_or_choice_left_wrong_is_announced_as_invalid(client):
    """A screen reader says "invalid" for a field marked so: the box to tick on the closing
    page, and the choice of what happens to what was written, were read as if all was well."""
    make_user("sam")
    client.login("sam")

    page = client.submit("/settings/close", {"password": ""}).page

    box = re.search(r'<input[^>]*name="understood"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in box
    assert 'aria-describedby="understood-error"' in box
    choices = re.findall(r'<input[^>]*name="writing"[^>]*>', page)
    assert len(choices) == 2 and all('aria-invalid="true"' in choice for choice in choices)
    assert missing_descriptions(page) == []
