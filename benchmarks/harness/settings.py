"""Settings of the bench host: the demo host (``example.settings``) as it would run in production.

It also mounts the floor endpoint (``benchmarks.harness.floor``), which no other host has.

``DATABASE_URL`` picks the database (``postgres://...``; unset means a SQLite file in
``BENCH_STATE_DIR``). ``BENCH_CACHE_URL`` picks the cache: Redis by default
(``redis://127.0.0.1:6379/7``, which ``benchmarks/run_all.py`` flushes at the start of each
database's run), shared by every worker as in production, so the response cache is on;
``locmem`` gives each worker its own local-memory cache instead (the response cache is then
off). DEBUG is off so Django keeps no query log, connections persist between requests, and
nothing is logged per request.
"""

from __future__ import annotations

import os
from pathlib import Path

STATE = Path(os.environ.setdefault("BENCH_STATE_DIR", str(Path(__file__).resolve().parents[2] / ".bench")))
STATE.mkdir(parents=True, exist_ok=True)
# The demo host keeps its media (profile images, badge images) under DEMO_STATE_DIR.
os.environ["DEMO_STATE_DIR"] = str(STATE)
# The load generator writes (uploads, course status updates) far faster than the write limits
# allow; the bench measures the endpoints' work, not the throttle's 429s.
os.environ["DEMO_THROTTLE_RATES"] = "off"

from example.settings import *  # noqa: E402,F403
from test_settings import database_from_url  # noqa: E402

DEBUG = False
# The demo host's URLs plus the floor endpoint the report compares every endpoint with.
ROOT_URLCONF = "benchmarks.harness.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL"))}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["NAME"] = str(STATE / "bench.sqlite3")
    # WAL lets the gunicorn workers read while one of them writes; IMMEDIATE avoids lock upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # Persistent connections, as a production host configures them.
    DATABASES["default"]["CONN_MAX_AGE"] = 300
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/7"
CACHE_URL = os.environ.get("BENCH_CACHE_URL") or DEFAULT_CACHE_URL
if CACHE_URL == "locmem":
    # One process-local cache per gunicorn worker, like a host without memcached/Redis, but sized like
    # one: the default 300 entries would evict the overviews of a learner with 1,000 courses.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                          "OPTIONS": {"MAX_ENTRIES": 100_000}}}
else:
    # A cache shared by every worker, as production hosts have: the versioned response cache is on.
    # Keys are prefixed with the database's name: two runs on one machine against different
    # databases (whose ids overlap) never read each other's tokens or entries.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL,
                          "KEY_PREFIX": f"bench:{Path(str(DATABASES['default']['NAME'])).name}"}}
# The header of the "cold" rows (benchmarks.harness.cold): the response cache off for one request.
MIDDLEWARE = [*MIDDLEWARE, "benchmarks.harness.cold.ColdRequestMiddleware"]  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # 4xx answers are expected (the readiness probe); the errors that matter are 5xx.
    "loggers": {"django.request": {"level": "ERROR"}},
}
