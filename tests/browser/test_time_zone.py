"""The time zone setting in the browser: the device's zone offered in one click, and the
list alone without JavaScript."""
import pytest

from forum.extensions import db
from forum.models.accounts import User
from tests.factories import make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def nia(app):
    return make_user("nia_reads", display_name="Nia")


def stored_zone(user) -> str:
    db.session.expire_all()
    return db.session.get(User, user.id).time_zone


def test_the_device_zone_is_offered_and_saved_in_one_click(nia, visitors, expect):
    page = visitors.visit("nia_reads", "/settings/account", time_zone="Australia/Sydney")
    page.get_by_role("button", name="Use this device's time zone: Australia/Sydney").click()
    expect(page.get_by_text("Times are shown in your time zone now: Australia/Sydney.")).to_be_visible()
    assert stored_zone(nia) == "Australia/Sydney"
    # Chosen already: nothing more to offer.
    expect(page.get_by_role("button", name="Use this device's time zone: Australia/Sydney")).to_be_hidden()


def test_without_javascript_the_list_chooses_the_zone(nia, visitors, expect):
    page = visitors.visit("nia_reads", "/settings/account", javascript=False, time_zone="Australia/Sydney")
    expect(page.get_by_role("button", name="Use this device's time zone")).to_be_hidden()
    page.get_by_label("Your time zone").select_option("America/Argentina/Buenos_Aires")
    page.get_by_role("button", name="Save time zone").click()
    expect(page.get_by_text("Times are shown in your time zone now: America/Argentina/Buenos Aires.")).to_be_visible()
    assert stored_zone(nia) == "America/Argentina/Buenos_Aires"
