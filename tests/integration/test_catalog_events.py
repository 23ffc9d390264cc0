"""``COURSE_CATALOG_INFO_CHANGED``, sent with openedx-events' own data classes, updates the course overview.

Read back through the courseware course endpoint (name, start, end, pacing, invitation only)
and as functions.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings

from .services import require_module

require_module("openedx_events", "openedx_events", "openedx-events")

from opaque_keys.edx.keys import CourseKey  # noqa: E402
from openedx_events.content_authoring.data import CourseCatalogData, CourseScheduleData  # noqa: E402
from openedx_events.content_authoring.signals import COURSE_CATALOG_INFO_CHANGED  # noqa: E402

from openedx_learner_apis import api  # noqa: E402
from openedx_learner_apis.applets.courses.models import Course  # noqa: E402
from openedx_learner_apis.contrib.openedx_events.catalog import catalog_visibility, mirror_course_catalog  # noqa: E402

from . import event_data as data  # noqa: E402

pytestmark = [pytest.mark.openedx_events, pytest.mark.django_db]

KEY = CourseKey.from_string(data.COURSE)
COURSE_URL = f"/api/courseware/course/{data.COURSE}"


def catalog_info(*, name="Events 101", pacing="instructor", hidden=False, invitation_only=False, end_days=90):
    return CourseCatalogData(
        course_key=KEY, name=name, hidden=hidden, invitation_only=invitation_only,
        schedule_data=CourseScheduleData(start=data.T0, pacing=pacing, end=data.T0 + timedelta(days=end_days),
                                         enrollment_start=data.at(-86400), enrollment_end=data.at(86400 * 30)))


def send(seconds: int, **fields):
    COURSE_CATALOG_INFO_CHANGED.send_event(send_robust=False, time=data.at(seconds),
                                           catalog_info=catalog_info(**fields))


def test_a_new_course_gets_an_overview():
    send(0)
    course = Course.objects.get(course_key=KEY)
    assert (course.display_name, course.start, course.end) == ("Events 101", data.T0, data.T0 + timedelta(days=90))
    assert (course.enrollment_start, course.enrollment_end) == (data.at(-86400), data.at(86400 * 30))
    assert (course.self_paced, course.invitation_only, course.catalog_visibility) == (False, False, "both")
    assert (course.org, course.number, course.run) == ("edX", "Events", "2026")


def test_changes_show_in_the_courseware_endpoint(staff_user, jwt_client):
    send(0)
    client = jwt_client(staff_user)
    before = client.get(COURSE_URL).json()
    assert (before["name"], before["pacing"], before["invitation_only"]) == ("Events 101", "instructor", False)
    send(60, name="Events 101 (2nd edition)", pacing="self", invitation_only=True, end_days=120)
    after = client.get(COURSE_URL).json()
    assert (after["name"], after["pacing"], after["invitation_only"]) == ("Events 101 (2nd edition)", "self", True)
    assert after["end"].startswith((data.T0 + timedelta(days=120)).date().isoformat())


def test_an_existing_overview_keeps_what_the_event_does_not_carry():
    api.upsert_course(KEY, display_name="Old", short_description="Kept", catalog_visibility="about")
    send(0, hidden=True)
    course = Course.objects.get(course_key=KEY)
    assert (course.display_name, course.short_description, course.catalog_visibility) == ("Events 101", "Kept",
                                                                                          "about")
    send(1, hidden=False)
    assert Course.objects.get(course_key=KEY).catalog_visibility == "both"


@override_settings(OPENEDX_LEARNER_APIS={"MIRROR_OPENEDX_EVENTS": False})
def test_the_setting_turns_it_off():
    send(0)
    assert not Course.objects.filter(course_key=KEY).exists()


@pytest.mark.parametrize(("hidden", "current", "expected"), [
    (False, "none", "both"), (True, "both", "none"), (True, "about", "about"), (True, None, "none"),
])
def test_catalog_visibility(hidden, current, expected):
    assert catalog_visibility(hidden, current) == expected


def test_mirror_course_catalog_as_a_function():
    course = mirror_course_catalog(data.COURSE, name="Direct", start=None, pacing="self")
    assert (course.display_name, course.start, course.self_paced) == ("Direct", None, True)
