import pytest


@pytest.fixture(autouse=True)
def request_context(app):
    """Services link notifications with url_for, as they do inside a request."""
    with app.test_request_context():
        yield
