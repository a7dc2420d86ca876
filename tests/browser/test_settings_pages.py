"""The account settings walked on a phone: each of the page's forms comes back where it is
when refused, and a change that worked says so where the member can read it."""
import pytest

from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def nia(app):
    return make_user("nia_reads", display_name="Nia")


@pytest.mark.parametrize("javascript", [False, True])
def test_a_refused_email_change_comes_back_at_its_error_on_a_phone(nia, visitors, expect, javascript):
    # "Change your email" sits near the foot of the settings: the page that comes back opens
    # at it, with the error and the new address in sight, not at the top of the page.
    page = visitors.visit("nia_reads", "/settings/account", javascript=javascript, viewport=PHONE)
    page.get_by_label("New email").fill("nia.new@example.org")
    page.get_by_label("Your password", exact=True).fill("not-my-password")
    page.get_by_role("button", name="Change email").click()
    # (exact: the list of errors above the form says it too, after the field's name)
    expect(page.get_by_text("Your password is not right.", exact=True)).to_be_in_viewport()
    expect(page.get_by_label("New email")).to_have_value("nia.new@example.org")


@pytest.mark.parametrize("javascript", [False, True])
def test_a_refused_new_password_comes_back_at_its_error_on_a_phone(nia, visitors, expect, javascript):
    page = visitors.visit("nia_reads", "/settings/account", javascript=javascript, viewport=PHONE)
    page.get_by_label("Current password").fill("not-my-password")
    page.get_by_label("New password").fill("a long new password")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your current password is not right.", exact=True)).to_be_in_viewport()


@pytest.mark.parametrize("javascript", [False, True])
def test_a_started_email_change_says_so_in_sight_on_a_phone(nia, visitors, expect, javascript):
    page = visitors.visit("nia_reads", "/settings/account", javascript=javascript, viewport=PHONE)
    page.get_by_label("New email").fill("nia.new@example.org")
    page.get_by_label("Your password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Change email").click()
    expect(page.get_by_text("To finish, open the link we sent to nia.new@example.org.", exact=False)).to_be_in_viewport()
