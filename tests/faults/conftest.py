"""The fault tests run the real services: PostgreSQL only (they cut its connections, or share it
between two app servers), so they skip without TEST_DATABASE_URL (and fail in CI)."""

import pytest

from tests.faults.servers import running_redis


@pytest.fixture
def backend() -> str:
    return "postgresql"


@pytest.fixture
def redis_server(tmp_path):
    """A private redis-server of the test's own, to stop and start."""
    with running_redis(tmp_path) as server:
        yield server
