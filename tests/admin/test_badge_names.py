"""Two badges never share a name: the Award list and profiles show badges by name, and
two "Kind Words" would look like one badge given twice, or the wrong one given."""
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models.accounts import Badge
from tests.factories import make_badge
from tests.html_checks import error_beside


@pytest.mark.parametrize("typed", ["Kind Words", "kind words", "  KIND WORDS  ", "\u202eKind Words"])
def test_a_name_another_badge_has_is_refused_and_what_was_typed_stays(admin, typed):
    make_badge("kind-words", "Kind Words")

    response = admin.submit("/admin/badges", {"slug": "kind-words-2", "name": typed,
                                              "description": "For gentle replies."})

    assert response.status_code == 200
    assert "A badge with that name exists already." in response.page
    assert 'value="kind-words-2"' in response.page and "For gentle replies." in response.page
    assert list(db.session.scalars(select(Badge.slug))) == ["kind-words"]
    award_list = admin.get("/admin/users/pebble").page
    assert award_list.count("Kind Words") == 1



@pytest.mark.parametrize("typed", ["\u200b\u200b", "\u2800", "\u202e\u2066"])
def test_a_name_with_nothing_visible_is_refused(admin, typed):
    # Zero-width spaces passed for a name: a badge nobody could see on a profile or pick
    # from the Award list.
    response = admin.submit("/admin/badges", {"slug": "blank", "name": typed, "description": "For gentle replies."})

    assert response.status_code == 200
    assert "Give the badge a name." in response.page
    assert 'value="blank"' in response.page and "For gentle replies." in response.page
    assert list(db.session.scalars(select(Badge.slug))) == []


def test_a_name_that_differs_only_by_pasted_control_characters_is_taken(admin):
    make_badge("kind-words", "Kind Words")

    response = admin.submit("/admin/badges", {"slug": "kind-words-2", "name": "Kind\tWords\x1b"})

    assert "A badge with that name exists already." in response.page
    assert list(db.session.scalars(select(Badge.slug))) == ["kind-words"]


def test_direction_controls_are_left_out_of_a_new_badge(admin):
    # A right-to-left override made "\u202eevil" read "live" wherever the badge shows, and
    # the words set after it too; an isolate opened in a description ran on past its end.
    response = admin.submit("/admin/badges", {"slug": "evil", "name": "\u202eevil\u202c",
                                              "description": "For \u2067kind words", "icon": "\u202e★"})

    assert response.status_code == 302
    badge = db.session.scalar(select(Badge))
    assert (badge.name, badge.description, badge.icon) == ("evil", "For kind words", "★")
    assert "\u202e" not in admin.get("/admin/badges").text


def test_every_mistake_in_a_new_badge_is_told_at_once_beside_its_field(admin):
    make_badge("kind-words", "Kind Words")
    # The form's own check (a name left empty) and the forum's (a short name with a space)
    # are told in one round.
    response = admin.submit("/admin/badges", {"slug": "group basics", "name": "", "description": "For gentle replies."})
    assert response.status_code == 200
    assert error_beside(response.page, "slug") == "Use 2 to 40 lower-case letters, digits or dashes."
    assert error_beside(response.page, "name") == "Give the badge a name."
    assert 'value="group basics"' in response.page and "For gentle replies." in response.page
    # Both taken: both said.
    response = admin.submit("/admin/badges", {"slug": "kind-words", "name": "kind words"})
    assert error_beside(response.page, "slug") == "A badge with that short name exists already."
    assert error_beside(response.page, "name") == "A badge with that name exists already."
    # A field the form already found fault with is told that alone.
    response = admin.submit("/admin/badges", {"slug": "x", "name": "Kind Words"})
    assert error_beside(response.page, "slug") == "Use 2 to 40 characters (this is 1)."
    assert error_beside(response.page, "name") == "A badge with that name exists already."
    assert list(db.session.scalars(select(Badge.slug))) == ["kind-words"]
