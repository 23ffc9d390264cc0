"""End to end: events published on the Redis Streams event bus are consumed into our tables.

The producer is edx-event-bus-redis as an LMS configures it; the consumer is the same
library's consumer loop (what ``manage.py consume_events`` runs), against a real Redis server.
"""

from __future__ import annotations

import threading
import uuid

import pytest

from .services import REDIS_URL, redis_client, require_module

require_module("event_bus", "openedx_events", "openedx-events")
require_module("event_bus", "edx_event_bus_redis", "edx-event-bus-redis")

from edx_event_bus_redis.internal import consumer as redis_consumer  # noqa: E402
from openedx_events.event_bus import get_producer, make_single_consumer  # noqa: E402
from openedx_events.learning import signals as events  # noqa: E402

from openedx_learner_apis.applets.certificates.models import Certificate  # noqa: E402
from openedx_learner_apis.applets.enrollments.models import Enrollment  # noqa: E402
from openedx_learner_apis.applets.progress.models import PersistentCourseGrade  # noqa: E402
from openedx_learner_apis.contrib.openedx_events.receivers import RECEIVERS  # noqa: E402

from . import event_data as data  # noqa: E402

pytestmark = [pytest.mark.event_bus, pytest.mark.django_db]

BUS_DB = 2
TOPIC = "learning-events"


@pytest.fixture
def bus(settings, monkeypatch):
    """The Redis event bus on database 2 of the local server, under a topic prefix of its own."""
    client = redis_client(BUS_DB, service="event_bus")
    prefix = f"olapi-test-{uuid.uuid4().hex[:8]}"
    settings.EVENT_BUS_PRODUCER = "edx_event_bus_redis.create_producer"
    settings.EVENT_BUS_CONSUMER = "edx_event_bus_redis.RedisEventConsumer"
    settings.EVENT_BUS_REDIS_CONNECTION_URL = f"{REDIS_URL}/{BUS_DB}"
    settings.EVENT_BUS_TOPIC_PREFIX = prefix
    # The loop blocks this long on an empty stream between checks of its stop flag.
    monkeypatch.setattr(redis_consumer, "CONSUMER_POLL_TIMEOUT", 1)
    yield client, f"{prefix}-{TOPIC}"
    client.delete(f"{prefix}-{TOPIC}")


def publish(signal, seconds: int, key_field: str, **event) -> None:
    get_producer().send(signal=signal, topic=TOPIC, event_key_field=key_field, event_data=event,
                        event_metadata=signal.generate_signal_metadata(time=data.at(seconds)))


def consume(group: str, expected: int) -> list:
    """Run the library's consumer loop until it has handed ``expected`` events to the receivers."""
    consumer = make_single_consumer(topic=TOPIC, group_id=group, consumer_name="worker-1", check_backlog=True)
    seen = []

    def count(signal, **kwargs):
        seen.append(signal.event_type)
        if len(seen) == expected:
            consumer._shut_down()

    signals = {signal for signal, _ in RECEIVERS}
    for signal in signals:
        signal.connect(count, weak=False)
    # A safety stop: a lost event ends the loop (and fails the test) instead of hanging it.
    watchdog = threading.Timer(30, consumer._shut_down)
    watchdog.start()
    try:
        consumer.consume_indefinitely()
    finally:
        watchdog.cancel()
        for signal in signals:
            signal.disconnect(count)
    return seen


PUBLISHED = [
    (events.COURSE_ENROLLMENT_CREATED, 0, "enrollment.course.course_key", {"enrollment": data.enrollment()}),
    (events.COURSE_ENROLLMENT_CHANGED, 20, "enrollment.course.course_key",
     {"enrollment": data.enrollment(mode="verified")}),
    # Delivered after a newer change: it must not win.
    (events.COURSE_ENROLLMENT_CHANGED, 10, "enrollment.course.course_key",
     {"enrollment": data.enrollment(mode="honor", is_active=False)}),
    (events.CERTIFICATE_CREATED, 30, "certificate.course.course_key",
     {"certificate": data.certificate(status="downloadable")}),
    (events.CERTIFICATE_REVOKED, 40, "certificate.course.course_key",
     {"certificate": data.certificate(status="notpassing", previous_status="downloadable")}),
    (events.COURSE_PASSING_STATUS_UPDATED, 50, "course_passing_status.course.course_key",
     {"course_passing_status": data.passing_status(is_passing=True)}),
]


def test_events_on_the_bus_end_up_in_our_tables(bus):
    client, stream = bus
    for signal, seconds, key_field, event in PUBLISHED:
        publish(signal, seconds, key_field, **event)
    # The producer logs (and swallows) its errors: check that every event really reached Redis.
    assert client.xlen(stream) == len(PUBLISHED)

    seen = consume("olapi-mirror", expected=len(PUBLISHED))

    assert seen == [signal.event_type for signal, *_ in PUBLISHED]
    enrollment = Enrollment.objects.select_related("course", "user").get()
    assert (enrollment.user.username, str(enrollment.course.course_key)) == ("learner", data.COURSE)
    assert (enrollment.mode, enrollment.is_active, enrollment.modified) == ("verified", True, data.at(20))
    certificate = Certificate.objects.get()
    assert (certificate.status, certificate.modified_date) == ("notpassing", data.at(40))
    grade = PersistentCourseGrade.objects.get()
    assert (grade.passed_timestamp, grade.modified) == (data.at(50), data.at(50))

    # A second consumer group replays the whole stream: the mirror is idempotent.
    before = [list(model.objects.values()) for model in (Enrollment, Certificate, PersistentCourseGrade)]
    assert consume("olapi-replay", expected=len(PUBLISHED)) == seen
    assert [list(model.objects.values()) for model in (Enrollment, Certificate, PersistentCourseGrade)] == before


def test_the_grade_summary_event_crosses_the_bus(bus, learner):
    publish(events.PERSISTENT_GRADE_SUMMARY_CHANGED, 0, "grade.course.course_key",
            grade=data.grade(learner.id, percent=0.95, letter="A", passed_at=data.at(-5)))
    consume("olapi-grades", expected=1)
    grade = PersistentCourseGrade.objects.get(user=learner)
    assert (grade.percent_grade, grade.letter_grade, grade.passed_timestamp) == (0.95, "A", data.at(-5))
