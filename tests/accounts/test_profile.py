"""The public profile: who someone is in the community."""
from datetime import timedelta

import pytest

from forum.accounts import services, staff
from forum.clock import utcnow
from forum.extensions import db
from tests.factories import make_badge, make_user


@pytest.fixture
def juniper(app):
    """A mentor with a bio, a badge and a last visit three hours ago."""
    juniper = make_user("juniper", role=("listener", "mentor"), display_name="Juniper Hale")
    services.update_profile(juniper, display_name="Juniper Hale",
                            bio_md="Mentor for **two years**. Ask me about first chats.")
    staff.award_badge(juniper, make_badge("verified-listener", "Verified Listener", icon="✔"))
    juniper.created_at = utcnow().replace(year=2025, month=3, day=14)
    juniper.last_seen_at = utcnow() - timedelta(hours=3)
    db.session.commit()
    return juniper


def test_profile_shows_who_someone_is(client, juniper):
    response = client.get("/users/juniper")

    assert response.status_code == 200
    page = response.page
    assert "<h1>Juniper Hale</h1>" in page
    assert "@juniper" in page
    assert "Mentor for <strong>two years</strong>. Ask me about first chats." in page
    assert '<span class="role role-listener">listener</span>' in page
    assert '<span class="role role-mentor">mentor</span>' in page
    assert '<span aria-hidden="true">✔</span> Verified Listener' in page
    assert "Joined" in page and "March 2025" in page
    assert "Last seen" in page and "3 hours ago" in page


def test_profile_address_ignores_case(client, juniper):
    assert "<h1>Juniper Hale</h1>" in client.get("/users/JUNIPER").page


@pytest.mark.parametrize("path", ["/users/@juniper", "/users/@Juniper", "/users/%40juniper"])
def test_the_name_as_mentions_write_it_leads_to_the_profile(client, juniper, path):
    response = client.get(path)
    assert response.status_code == 301 and response.location.endswith("/users/juniper")
    assert "<h1>Juniper Hale</h1>" in client.get(path, follow_redirects=True).page


def test_an_unknown_name_with_an_at_is_a_404(client, juniper):
    assert client.get("/users/@nobody_here").status_code == 404


def test_empty_profile_says_so(client):
    make_user("wren", display_name="Wren")
    page = client.get("/users/wren").page
    assert "Nothing here yet." in page
    assert "Badges" not in page


@pytest.mark.parametrize("path", ["/users/nobody_here", "/users/no.body", "/users/" + "x" * 300])
def test_unknown_person_is_a_404(client, juniper, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "We couldn't find that page" in response.page


@pytest.mark.parametrize("viewer, sees_edit, sees_manage", [
    (None, False, False),
    ("juniper", True, False),
    ("pebble", False, False),
    ("ada", False, True),
])
def test_who_sees_which_profile_buttons(app, juniper, viewer, sees_edit, sees_manage):
    make_user("pebble")
    make_user("ada", role="admin")
    client = app.test_client()
    if viewer:
        client.login(viewer)

    page = client.get("/users/juniper").page

    assert ("Edit profile" in page) is sees_edit
    assert ("Manage roles and badges" in page) is sees_manage


@pytest.mark.parametrize("viewer, sees", [
    (None, False), ("adam", False), ("kit", True), ("moss", True), ("sunny", True),
])
def test_when_a_teen_was_last_here_is_shown_only_to_teens_staff_and_themselves(client, viewer, sees):
    sunny = make_user("sunny", age_group="teen", display_name="Sunny")
    sunny.last_seen_at = utcnow() - timedelta(hours=3)
    db.session.commit()
    make_user("adam")
    make_user("kit", age_group="teen")
    make_user("moss", role="moderator")
    if viewer:
        client.login(viewer)
    page = client.get("/users/sunny").page
    assert "<h1>Sunny</h1>" in page
    assert ("Last seen" in page) is sees


def test_when_an_adult_was_last_here_is_shown_to_anyone(client, juniper):
    assert "Last seen" in client.get("/users/juniper").page
