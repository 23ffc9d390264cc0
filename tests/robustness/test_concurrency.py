"""Concurrent writes on PostgreSQL lose nothing (docs/robustness.rst).

Real threads, each with its own database connection, released together by a barrier,
send the same kind of write for one learner: course_status_info PATCHes, celebration
POSTs, profile image uploads, and course-info GETs (which record activity, the browser
time zone and the streak). Each test runs several rounds from an empty state, where two
first writes race to create the same row. SQLite serialises whole transactions, so the
tests need PostgreSQL: they skip elsewhere, and fail instead with ``REQUIRE_POSTGRES=1``.
"""

from __future__ import annotations

import io
import re
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient
from waffle.models import Flag

from openedx_learner_apis.api import enroll
from openedx_learner_apis.applets.engagement.models import (
    CourseEnrollmentCelebration,
    LastSeenCoursewareTimezone,
    UserActivity,
    UserCelebration,
)
from openedx_learner_apis.applets.learners.models import LearnerProfile
from openedx_learner_apis.applets.profile_images.storage import get_profile_image_storage, profile_image_names
from openedx_learner_apis.applets.progress.models import CoursewarePosition
from openedx_learner_apis.rest_api.common.tokens import jwt_header, mint_jwt
from tests.course_builders import build_course

from .conftest import require

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
ROUNDS = 4
COURSE = "course-v1:edX+Race+2026"
# Two chapters of two subsections of two units: eight units, four paths.
OUTLINE = ((2, 2), (2, 2))


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        require(f"concurrency tests need PostgreSQL (DATABASE_URL=postgres://...), not {connection.vendor}",
                env="REQUIRE_POSTGRES")


def in_parallel(calls: list) -> list:
    """Run every call in its own thread, all released at once; their results, in order."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def worker(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request hung (a deadlock?)"
    assert not errors, errors
    return results


def client_for(user) -> APIClient:
    """A JWT client that answers a server error with its 500 rather than raising it."""
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=jwt_header(mint_jwt(user)))
    return client


def assert_no_server_error(responses) -> None:
    statuses = Counter(response.status_code for response in responses)
    assert not [code for code in statuses if code >= 500], (statuses, [r.content[:300] for r in responses])


@pytest.fixture
def course(learner):
    course, keys = build_course(COURSE, OUTLINE)
    enroll(learner, COURSE)
    return keys


# -- course_status_info PATCH ----------------------------------------------------------------------------------

def unit_ids(keys) -> list[str]:
    return sorted(block_id for block_id in keys if re.fullmatch(r"ch\d+s\d+u\d+", block_id))


def path_of(keys, unit_id: str) -> list[str]:
    chapter, subsection = unit_id[:3], unit_id[:5]
    return [str(keys[subsection]), str(keys[chapter]), str(keys["course"])]


def test_parallel_course_status_patches(learner, course):
    url = f"/api/mobile/v1/users/{learner.username}/course_status_info/{COURSE}"
    units = unit_ids(course)
    assert len(units) == THREADS
    for _ in range(ROUNDS):
        CoursewarePosition.objects.all().delete()
        responses = in_parallel([
            (lambda unit=unit: client_for(learner).patch(url, {"last_visited_module_id": str(course[unit])},
                                                         format="json"))
            for unit in units])
        assert_no_server_error(responses)
        assert {response.status_code for response in responses} == {200}
        blocks = list(CoursewarePosition.objects.filter(user=learner).values_list("block_key", flat=True))
        assert len(blocks) == len(set(blocks)), "duplicate position rows"
        # Whichever PATCH came last, the stored path is one PATCH's whole path, not a mix of two.
        final = client_for(learner).get(url).json()["last_visited_module_path"]
        assert final in [path_of(course, unit) for unit in units]


def test_parallel_stale_patches_change_nothing(learner, course):
    """PATCHes dated before the stored position are all skipped, however many arrive at once."""
    url = f"/api/mobile/v1/users/{learner.username}/course_status_info/{COURSE}"
    units = unit_ids(course)
    first = client_for(learner).patch(url, {"last_visited_module_id": str(course[units[0]])}, format="json")
    assert first.status_code == 200
    before = dict(CoursewarePosition.objects.filter(user=learner).values_list("block_key", "position"))
    stale = (timezone.now() - timedelta(hours=1)).isoformat()
    responses = in_parallel([
        (lambda unit=unit: client_for(learner).patch(
            url, {"last_visited_module_id": str(course[unit]), "modification_date": stale}, format="json"))
        for unit in units[1:]])
    assert {response.status_code for response in responses} == {200}
    assert dict(CoursewarePosition.objects.filter(user=learner).values_list("block_key", "position")) == before
    assert client_for(learner).get(url).json()["last_visited_module_path"] == path_of(course, units[0])


def test_parallel_dated_patches_keep_one_whole_path(learner, course):
    """Fresh PATCHes, each dated after the stored position: each applies whole or not at all."""
    url = f"/api/mobile/v1/users/{learner.username}/course_status_info/{COURSE}"
    units = unit_ids(course)
    for _ in range(ROUNDS):
        CoursewarePosition.objects.all().delete()
        future = timezone.now() + timedelta(hours=1)
        dates = [(future + timedelta(seconds=index)).isoformat() for index in range(len(units))]
        responses = in_parallel([
            (lambda unit=unit, date=date: client_for(learner).patch(
                url, {"last_visited_module_id": str(course[unit]), "modification_date": date}, format="json"))
            for unit, date in zip(units, dates, strict=True)])
        assert_no_server_error(responses)
        final = client_for(learner).get(url).json()["last_visited_module_path"]
        assert final in [path_of(course, unit) for unit in units]


# -- celebration POST ------------------------------------------------------------------------------------------

def test_parallel_celebration_posts(learner, course):
    url = f"/api/courseware/celebration/{COURSE}"
    bodies = [{"first_section": bool(index & 1), "weekly_goal": bool(index & 2)} for index in range(THREADS)]
    for _ in range(ROUNDS):
        CourseEnrollmentCelebration.objects.all().delete()
        responses = in_parallel([
            (lambda body=body: client_for(learner).post(url, body, format="json")) for body in bodies])
        assert_no_server_error(responses)
        statuses = Counter(response.status_code for response in responses)
        assert statuses[201] == 1 and statuses[200] == THREADS - 1, statuses
        rows = list(CourseEnrollmentCelebration.objects.filter(enrollment__user=learner))
        assert len(rows) == 1
        stored = {"first_section": rows[0].celebrate_first_section, "weekly_goal": rows[0].celebrate_weekly_goal}
        assert stored in bodies  # one POST's pair of flags, never half of one and half of another


# -- profile image upload --------------------------------------------------------------------------------------

COLORS = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (255, 0, 255), (0, 255, 255), (128, 0, 0),
          (0, 0, 128)]


def jpeg(color) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 600), color).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def closest_color(data: bytes):
    pixel = Image.open(io.BytesIO(data)).convert("RGB").getpixel((5, 5))
    return min(COLORS, key=lambda color: sum((a - b) ** 2 for a, b in zip(color, pixel, strict=True)))


@pytest.fixture
def storage(tmp_path, settings):
    settings.STORAGES = {**settings.STORAGES, "profile_image": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path), "base_url": "/media/profile-images/"}}}
    return get_profile_image_storage()


def test_parallel_profile_image_uploads(learner, storage, settings):
    # Rounds of parallel uploads by one learner exceed the upload limit on purpose: lift it here.
    settings.OPENEDX_LEARNER_APIS = {**getattr(settings, "OPENEDX_LEARNER_APIS", {}),
                                     "THROTTLE_RATES": {"profile_images": None}}
    url = f"/api/user/v1/accounts/{learner.username}/image"
    uploads = [jpeg(color) for color in COLORS[:THREADS]]
    for _ in range(ROUNDS):
        LearnerProfile.objects.all().delete()
        for name in storage.listdir("")[1]:
            storage.delete(name)
        responses = in_parallel([
            (lambda data=data: client_for(learner).post(
                url, data, content_type="image/jpeg", HTTP_CONTENT_DISPOSITION="attachment; filename=me.jpg"))
            for data in uploads])
        assert_no_server_error(responses)
        assert {response.status_code for response in responses} == {204}
        profile = LearnerProfile.objects.get(user=learner)
        expected = set(profile_image_names(learner.username, profile.profile_image_version).values())
        # Exactly the files of the upload the profile points at: none missing, no orphan of the others.
        assert set(storage.listdir("")[1]) == expected
        colors = {closest_color(storage.open(name).read()) for name in expected}
        assert len(colors) == 1, "the sizes come from different uploads"


# -- course info: activity, time zone, streak ------------------------------------------------------------------

@pytest.fixture
def goals_and_streaks(db):
    for name in ("course_experience.enable_course_goals", "courseware.mfe_progress_milestones",
                 "courseware.mfe_progress_milestones_streak_celebration"):
        Flag.objects.create(name=name, everyone=True)


def test_parallel_course_info_visits(learner, course, goals_and_streaks):
    url = f"/api/courseware/course/{COURSE}?browser_timezone=Europe/Paris"
    for _ in range(ROUNDS):
        UserActivity.objects.all().delete()
        LastSeenCoursewareTimezone.objects.all().delete()
        UserCelebration.objects.all().delete()
        # A streak of two days that today's first visit turns into three, which is celebrated once.
        today = timezone.now().astimezone(timezone.get_fixed_timezone(60)).date()
        UserCelebration.objects.create(user=learner, last_day_of_streak=today - timedelta(days=1), streak_length=2,
                                       longest_ever_streak=2)
        from django.core.cache import cache
        cache.clear()
        responses = in_parallel([lambda: client_for(learner).get(url) for _ in range(THREADS)])
        assert_no_server_error(responses)
        assert {response.status_code for response in responses} == {200}
        assert UserActivity.objects.filter(user=learner).count() == 1
        assert LastSeenCoursewareTimezone.objects.filter(user=learner).count() == 1
        streak = UserCelebration.objects.get(user=learner)
        assert (streak.streak_length, streak.longest_ever_streak) == (3, 3)
        celebrated = [response.json()["celebrations"]["streak_length_to_celebrate"] for response in responses]
        assert sorted(celebrated, key=str) == [3] + [None] * (THREADS - 1)
