"""Every list route runs the same number of queries for 2 and 40 enrollments (docs/mobile.rst, "Measured").

Two, not one: with a single enrollment v4 lists only the primary, and an empty page needs no query.
"""

from __future__ import annotations

from datetime import datetime, timezone as dt_timezone

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openedx_learner_apis.api import (
    enroll,
    grant_course_role,
    issue_certificate,
    record_completion,
    set_position,
    upsert_course_mode,
)
from openedx_learner_apis.applets.enrollments.models import CourseDurationLimitConfig
from tests.course_builders import build_course

pytestmark = pytest.mark.django_db

ROUTES = [
    "/api/mobile/v0.5/users/learner/course_enrollments/",
    "/api/mobile/v1/users/learner/course_enrollments/",
    "/api/mobile/v2/users/learner/course_enrollments/",
    "/api/mobile/v3/users/learner/course_enrollments/?page_size=100",
    "/api/mobile/v4/users/learner/course_enrollments/",
    "/api/mobile/v4/users/learner/course_enrollments/?requested_fields=course_progress&page_size=50",
    "/api/mobile/v4/users/learner/course_enrollments/?status=all&requested_fields=course_progress",
    "/api/mobile/v1/users/learner/enrollments_status/",
]


def populate(learner, count: int):
    CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=datetime(2015, 1, 1, tzinfo=dt_timezone.utc))
    for index in range(count):
        key = f"course-v1:edX+Q{index}+1"
        build_course(key, outline=((2,), (1,)), blocks={"ch1s1": {"graded": True}},
                     pre_requisite_courses=["course-v1:edX+Pre+1"], entrance_exam_enabled=True,
                     entrance_exam_id=f"block-v1:edX+Q{index}+1+type@chapter+block@ch1")
        upsert_course_mode(key, "audit")
        upsert_course_mode(key, "verified", min_price=10)
        enroll(learner, key)
        issue_certificate(learner, key, status="downloadable", mode="audit", download_url="/c.pdf")
        record_completion(learner, f"block-v1:edX+Q{index}+1+type@problem+block@ch1s1u1p")
        set_position(learner, f"block-v1:edX+Q{index}+1+type@course+block@course", 1)
        grant_course_role(learner, key, "beta_testers")


def count_queries(client, url) -> int:
    cache.clear()  # outlines are read from the database, not a warm cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("url", ROUTES)
def test_constant_query_count(session_client, learner, make_user, url):
    client = session_client(learner)
    populate(learner, 2)
    small = count_queries(client, url)
    other = make_user("big")
    populate_big = session_client(other)
    populate(other, 40)
    large = count_queries(populate_big, url.replace("learner", "big"))
    assert small == large, (small, large)
    print(f"{url}: {small} queries")
