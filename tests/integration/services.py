"""Which real servers the integration tests need, and what happens when one is missing.

A test whose server or package is missing is skipped with the reason. ``REQUIRE_SERVICES``
(comma-separated names from ``SERVICES``, or ``all``) turns those skips into failures, so a
CI stage can never pass by skipping what it is there to test.
"""

from __future__ import annotations

import os
import socket

import pytest

SERVICES = ("mariadb", "redis", "redis_cache", "s3", "openedx_events", "event_bus")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")


def required_services() -> set[str]:
    names = {name.strip() for name in os.environ.get("REQUIRE_SERVICES", "").split(",") if name.strip()}
    return set(SERVICES) if "all" in names else names


def unavailable(service: str, reason: str):
    """Skip the test (or module) with ``reason``, or fail when ``REQUIRE_SERVICES`` names ``service``."""
    if service in required_services():
        pytest.fail(f"{reason} (REQUIRE_SERVICES asks for {service})", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def require_module(service: str, module: str, package: str) -> None:
    """Skip (or fail, see ``unavailable``) unless ``module`` imports."""
    try:
        __import__(module)
    except ImportError:
        unavailable(service, f"{package} is not installed (pip install -r requirements/test.txt)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_client(db: int, service: str = "redis"):
    """A client of the local Redis server's database ``db``, or a skip/failure saying why there is none."""
    require_module(service, "redis", "redis")
    import redis

    client = redis.Redis.from_url(f"{REDIS_URL}/{db}", socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        unavailable(service, f"no Redis server at {REDIS_URL} ({exc}); start one with redis-server")
    return client
