"""Two badges never share a name: the Award list and profiles show badges by name, and
two "Kind Words" would look like one badge given twice, or the wrong one given."""
import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models.accounts import Badge
from tests.factories import make_badge


@pytest.mark.parametrize("typed", ["Kind Words", "kind words", "  KIND WORDS  "])
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

