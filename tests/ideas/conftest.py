import pytest


@pytest.fixture(autouse=True)
def request_context(app):
    """The engine's services build links with url_for, which needs a request to build them in."""
    with app.test_request_context():
        yield
