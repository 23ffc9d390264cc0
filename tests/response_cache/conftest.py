"""A learner with data behind every cached endpoint, the response cache forced on, and readers of both kinds."""

from __future__ import annotations

import pytest
from django.test import override_settings

from openedx_learner_apis.api import award_badge, create_badge_class, enroll, issue_certificate
from tests.applets.badges.test_badges_api import png
from tests.course_builders import TOY_KEY, sequence_key, toy_course

FORCED = {"RESPONSE_CACHE": True}
OFF = {"RESPONSE_CACHE": False}


def endpoint_urls(username: str = "learner") -> list[str]:
    """Every cached endpoint, read as ``username``."""
    mobile = f"/api/mobile/{{}}/users/{username}"
    return [
        f"/api/courseware/course/{TOY_KEY}",
        f"/api/courseware/course/{TOY_KEY}?browser_timezone=Europe/Paris",
        f"/api/courseware/sequence/{sequence_key()}",
        f"/api/courseware/resume/{TOY_KEY}",
        *(mobile.format(version) + "/course_enrollments/" for version in ("v0.5", "v1", "v2", "v3", "v4")),
        mobile.format("v4") + "/course_enrollments/?requested_fields=course_progress",
        mobile.format("v1") + "/enrollments_status/",
        mobile.format("v1") + f"/course_status_info/{TOY_KEY}",
        f"/api/certificates/v0/certificates/{username}/",
        f"/api/certificates/v0/certificates/{username}/courses/{TOY_KEY}/",
        f"/api/badges/v1/assertions/user/{username}/",
        f"/api/user/v1/accounts/{username}",
    ]


@pytest.fixture(autouse=True)
def _response_cache_on():
    with override_settings(OPENEDX_LEARNER_APIS=FORCED):
        yield


@pytest.fixture
def world(db, learner, other_learner):
    """The toy course (mobile), the learner enrolled with a certificate and a badge."""
    course = toy_course(mobile_available=True)
    enroll(learner, TOY_KEY)
    issue_certificate(learner, TOY_KEY, status="downloadable", mode="audit", grade="0.9",
                      download_url="https://example.com/certificate.pdf")
    badge_class = create_badge_class("toy", display_name="Toy", description="Toy badge", criteria="Pass",
                                     course_key=TOY_KEY, image=png())
    award_badge(learner, badge_class, image_url="https://example.com/b.png",
                assertion_url="https://example.com/a")
    return course


def read(client, url: str, **headers):
    """``(status, etag, body)`` of one read."""
    response = client.get(url, **headers)
    return response.status_code, response.headers.get("ETag"), response.content


def read_uncached(client, url: str) -> tuple[int, bytes]:
    """The status and body built from the database, the response cache and versions off."""
    with override_settings(OPENEDX_LEARNER_APIS=OFF):
        response = client.get(url)
        return response.status_code, response.content
