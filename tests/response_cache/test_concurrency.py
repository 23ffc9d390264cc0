"""A read that races a write never leaves a stale answer behind once the write commits (PostgreSQL).

A reader that reads while the writer's transaction is open sees the old rows and files its
answer under the token the writer replaced at once; the writer replaces it again on commit,
so the next read rebuilds. SQLite serialises transactions, so this needs PostgreSQL (skipped
elsewhere; ``REQUIRE_POSTGRES=1`` makes it fail instead).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.test import override_settings

from openedx_learner_apis.api import enroll, set_course_grade, upsert_course
from openedx_learner_apis.applets.enrollments.models import Enrollment
from tests.course_builders import TOY_KEY
from tests.robustness.conftest import require

from .conftest import FORCED, endpoint_urls, read, read_uncached

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        require(f"concurrency tests need PostgreSQL (DATABASE_URL=postgres://...), not {connection.vendor}",
                env="REQUIRE_POSTGRES")


WRITES = {
    "mode": lambda learner: Enrollment.objects.filter(user=learner).update(mode="verified"),
    "grade": lambda learner: set_course_grade(learner, TOY_KEY, 0.9, True),
    "course": lambda learner: upsert_course(TOY_KEY, display_name="Raced"),
    "enrollment": lambda learner: enroll(learner, TOY_KEY, "verified"),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_read_during_an_open_write_leaves_nothing_stale(world, learner, jwt_client, write):
    client = jwt_client(learner)
    urls = endpoint_urls()
    for url in urls:
        read(client, url)
    written, read_done = threading.Event(), threading.Event()
    errors = []

    def writer():
        try:
            with override_settings(OPENEDX_LEARNER_APIS=FORCED), transaction.atomic():
                WRITES[write](learner)
                written.set()
                assert read_done.wait(timeout=60)
        except BaseException as exc:
            errors.append(exc)
            written.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    assert written.wait(timeout=60)
    during = [read(client, url) for url in urls]  # the old rows: the write is not committed yet
    read_done.set()
    thread.join(timeout=60)
    assert not errors, errors
    for url, old in zip(urls, during):
        status, _, body = read(client, url)
        assert (status, body) == read_uncached(client, url), url
        assert old[0] == 200, url
