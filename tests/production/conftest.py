"""Fixtures for production-mode tests: Redis for shared rate limits, and a mark for the
tests that need PostgreSQL (several servers on one SQLite file prove nothing about hosts)."""
import os

import pytest

from tests.database import wanted_backend
from tests.live_server import live_server  # noqa: F401  (the fixture, for this package's tests)

TEST_REDIS_URL = os.environ.get("FORUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")

needs_postgresql = pytest.mark.skipif(
    wanted_backend() != "postgresql",
    reason="needs PostgreSQL: run with FORUM_TEST_DATABASE=postgresql (CI's PostgreSQL pass runs it)",
)


@pytest.fixture(scope="module")
def shared_redis():
    """A Redis database for the servers of a module (number 14 unless FORUM_TEST_REDIS_URL
    says otherwise), emptied before and after."""
    import redis

    client = redis.Redis.from_url(TEST_REDIS_URL, socket_timeout=5)
    try:
        client.flushdb()
    except redis.RedisError as error:
        message = f"Redis is not reachable at {TEST_REDIS_URL}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def redis_url(shared_redis):
    """The shared Redis, emptied for this test (rate-limit counts start from zero)."""
    shared_redis.flushdb()
    return TEST_REDIS_URL
