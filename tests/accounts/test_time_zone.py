"""Times in each reader's own zone: the setting."""
import re

import pytest

from forum.extensions import db
from forum.models.accounts import User
from tests.factories import make_user


def words(page: str) -> str:
    """The page's words, tags taken out, as a reader sees them."""
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def choose_zone(client, name: str):
    return client.submit("/settings/time-zone", {"time_zone": name}, page="/settings/account")


@pytest.fixture
def nia(app):
    return make_user("nia", display_name="Nia")


@pytest.fixture
def laptop(app, nia):
    client = app.test_client()
    client.login("nia")
    return client


def in_sydney(user):
    user.time_zone = "Australia/Sydney"
    db.session.commit()
    return user


# The setting

def test_a_member_reads_utc_until_they_choose_and_their_choice_is_kept(laptop, nia):
    page = laptop.get("/settings/account").page
    assert '<option selected value="UTC">UTC</option>' in page
    assert "Times are shown in UTC" in words(page)

    response = choose_zone(laptop, "Australia/Sydney")

    assert response.status_code == 302
    assert db.session.get(User, nia.id).time_zone == "Australia/Sydney"
    page = laptop.get(response.headers["Location"]).page
    assert "Times are shown in your time zone now: Australia/Sydney." in page
    assert '<option selected value="Australia/Sydney">Australia/Sydney</option>' in page


@pytest.mark.parametrize("sent", ["Mars/Olympus_Mons", "", "australia/sydney", "x" * 500, "../../etc/passwd"])
def test_a_zone_not_on_the_list_is_refused_in_plain_words_and_nothing_changes(laptop, nia, sent):
    in_sydney(nia)
    response = choose_zone(laptop, sent)
    assert response.status_code == 422
    assert "Choose your time zone from the list." in response.page
    assert db.session.get(User, nia.id).time_zone == "Australia/Sydney"
    # The rest of the settings page is still there to use.
    assert "Change your password" in response.page


def test_the_setting_needs_an_account_and_the_page_s_token(app, client, nia):
    response = client.post("/settings/time-zone", data={"time_zone": "Europe/Paris"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    signed_in = app.test_client()
    signed_in.login("nia")
    refused = signed_in.post("/settings/time-zone", data={"time_zone": "Europe/Paris"})
    assert refused.status_code in (302, 400, 422)
    assert db.session.get(User, nia.id).time_zone == "UTC"
