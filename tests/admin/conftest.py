"""The people of the admin tests."""
import pytest

from tests.factories import make_user


@pytest.fixture
def people(app):
    """Ada runs the forum; Pebble is a member; Moss moderates."""
    return {
        "ada": make_user("ada", role="admin", display_name="Ada"),
        "pebble": make_user("pebble", display_name="Pebble"),
        "moss": make_user("moss", role=("listener", "moderator"), display_name="Moss"),
    }


@pytest.fixture
def admin(app, people):
    client = app.test_client()
    client.login("ada")
    return client
