"""Every write path the app has makes every cached endpoint answer what an uncached build answers.

For each write: read every endpoint (built, then served from the cache), apply the write,
read again with the cache on and once more with it off. The cached body must equal the
uncached one, and the ETag must change exactly when the body did.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model

from openedx_learner_apis import api
from openedx_learner_apis.applets.badges.models import BadgeClass
from openedx_learner_apis.applets.courses.models import Block, Course
from openedx_learner_apis.applets.enrollments.models import Enrollment
from openedx_learner_apis.applets.learners.models import UserPreference
from openedx_learner_apis.applets.mobile.models import MobileConfig
from openedx_learner_apis.contrib.openedx_events import mirror
from tests.applets.badges.test_badges_api import png
from tests.applets.courses.test_cache_invalidation import admin_url, form_data
from tests.course_builders import TOY_KEY, sequence_key, unit_key, usage

from .conftest import endpoint_urls, read, read_uncached

pytestmark = pytest.mark.django_db

EVENT_TIME = datetime(2030, 1, 1, tzinfo=UTC)
PROBLEM = usage(TOY_KEY, "problem", "problem_0")


def _user(name="learner"):
    return get_user_model().objects.get(username=name)


def _badge_class():
    return BadgeClass.objects.get(slug="toy")


def _save_user(**fields):
    user = _user()
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()


# Each write takes the test's clients: ``learner`` (the learner's own) and ``admin`` (a superuser's).
WRITES = {
    # The public Python API.
    "set_account_privacy": lambda c: api.set_account_privacy(_user(), "all_users"),
    "set_preference": lambda c: api.set_preference(_user(), "time_zone", "Asia/Tokyo"),
    "update_preferences": lambda c: api.update_preferences(_user(), {"visibility.course_certificates": "all_users"}),
    "update_account": lambda c: api.update_account(_user(), {"bio": "A new bio."}),
    "get_or_create_profile": lambda c: api.get_or_create_profile(_user(), name="Named Learner"),
    "upsert_course": lambda c: api.upsert_course(TOY_KEY, display_name="Renamed Course"),
    "upsert_course_mode": lambda c: api.upsert_course_mode(TOY_KEY, "verified", min_price=99, sku="ABCD1234"),
    "grant_course_role": lambda c: api.grant_course_role(_user(), TOY_KEY, "staff"),
    "set_course_info_page": lambda c: api.set_course_info_page(TOY_KEY, "handouts", html="<p>Hi</p>"),
    "enroll_verified": lambda c: api.enroll(_user(), TOY_KEY, "verified"),
    "unenroll": lambda c: api.unenroll(_user(), TOY_KEY),
    "enroll_other_learner": lambda c: api.enroll(_user("other"), TOY_KEY),
    "record_completion": lambda c: api.record_completion(_user(), PROBLEM),
    "set_course_grade": lambda c: api.set_course_grade(_user(), TOY_KEY, 0.95, True),
    "set_subsection_grade": lambda c: api.set_subsection_grade(_user(), sequence_key(), earned=1, possible=1),
    "set_position": lambda c: api.set_position(_user(), sequence_key(), 1),
    "add_bookmark": lambda c: api.add_bookmark(_user(), unit_key()),
    "set_course_goal": lambda c: api.set_course_goal(_user(), TOY_KEY, 3, True),
    "issue_certificate": lambda c: api.issue_certificate(_user(), TOY_KEY, status="notpassing", mode="audit",
                                                              download_url=""),
    "create_badge_class": lambda c: api.create_badge_class("other", display_name="Other", description="d",
                                                           criteria="c", image=png()),
    "award_badge": lambda c: api.award_badge(_user(), api.create_badge_class(
        "second", display_name="Second", description="d", criteria="c", image=png()), image_url="https://example.com/2.png",
        assertion_url="https://example.com/2"),
    "remove_profile_image": lambda c: api.remove_profile_image(_user()),
    # The host's user model.
    "user_email_saved": lambda c: _save_user(email="renamed@example.com"),
    "user_made_staff": lambda c: _save_user(is_staff=True),
    "user_deactivated": lambda c: _save_user(is_active=False),
    # The openedx-events mirrors.
    "mirror_enrollment": lambda c: mirror.mirror_enrollment(_user(), TOY_KEY, mode="verified", is_active=True,
                                                            created=None, event_time=EVENT_TIME),
    "mirror_certificate": lambda c: mirror.mirror_certificate(
        _user(), TOY_KEY, status="downloadable", mode="verified", grade="1.0", download_url="", name="L",
        event_time=EVENT_TIME),
    "mirror_course_grade": lambda c: mirror.mirror_course_grade(_user(), TOY_KEY, percent=0.8, letter_grade="B",
                                                                passed_timestamp=EVENT_TIME, event_time=EVENT_TIME),
    "mirror_passing_status": lambda c: mirror.mirror_passing_status(_user(), TOY_KEY, is_passing=True,
                                                                    event_time=EVENT_TIME),
    # Bulk writes of querysets.
    "enrollment_queryset_update": lambda c: Enrollment.objects.filter(course__course_key=TOY_KEY).update(
        mode="verified"),
    "preference_bulk_create": lambda c: UserPreference.objects.bulk_create(
        [UserPreference(user=_user(), key="account_privacy", value="all_users")]),
    "badge_class_queryset_update": lambda c: BadgeClass.objects.update(display_name="Bulk renamed"),
    "course_queryset_update": lambda c: Course.objects.filter(course_key=TOY_KEY).update(display_name="Bulk"),
    "block_queryset_update": lambda c: Block.objects.filter(usage_key=sequence_key()).update(display_name="Seq"),
    "mobile_config_created": lambda c: MobileConfig.objects.create(name="iap_is_enabled", value="true"),
    # REST writes.
    "rest_account_patch": lambda c: c["learner"].patch(
        "/api/user/v1/accounts/learner", json.dumps({"bio": "Patched"}),
        content_type="application/merge-patch+json"),
    "rest_preferences_patch": lambda c: c["learner"].patch(
        "/api/user/v1/preferences/learner", json.dumps({"time_zone": "America/New_York"}),
        content_type="application/merge-patch+json"),
    "rest_course_status_patch": lambda c: c["learner"].patch(
        f"/api/mobile/v1/users/learner/course_status_info/{TOY_KEY}",
        {"last_visited_module_id": str(unit_key())}, format="json"),
    "rest_celebration_post": lambda c: c["learner"].post(
        f"/api/courseware/celebration/{TOY_KEY}", {"first_section": True}, format="json"),
    # The Django admin.
    "admin_enrollment_change": lambda c: _admin_change(c["admin"], Enrollment.objects.get(), mode="verified"),
    "admin_preference_change": lambda c: _admin_change(
        c["admin"], UserPreference.objects.get_or_create(user=_user(), key="time_zone", defaults={"value": "UTC"})[0],
        value="Asia/Tokyo"),
    "admin_badge_class_change": lambda c: _admin_change(c["admin"], _badge_class(), display_name="Admin badge"),
    "admin_certificate_change": lambda c: _admin_change(
        c["admin"], _user().learner_certificates.get(), grade="0.5"),
}


def _admin_change(admin, row, **changes):
    url = admin_url(type(row), "change", row.pk)
    response = admin.post(url, {**form_data(admin, url), **changes})
    assert response.status_code == 302, response.content[:2000]


@pytest.fixture
def clients(world, learner, session_client, jwt_client, django_user_model):
    admin = django_user_model.objects.create_superuser("admin", "admin@example.com", "password")
    return {"learner": jwt_client(learner), "session": session_client(learner), "admin": session_client(admin)}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_write_changes_the_cached_answer_exactly_as_the_uncached_one(clients, write):
    client = clients["learner"]
    urls = endpoint_urls()
    before = {}
    for url in urls:
        built = read(client, url)
        served = read(client, url)
        assert built[0] == 200, (url, built)
        assert served == built, url
        before[url] = built
    WRITES[write](clients)
    changed = []
    for url in urls:
        status, etag, body = read(client, url)
        assert (status, body) == read_uncached(client, url), f"{url} served a stale answer after {write}"
        assert (etag != before[url][1]) == (body != before[url][2]) or status != 200, url
        assert (etag is None) == (status != 200), url
        if body != before[url][2]:
            changed.append(url)
        # And the answer is stored again: a second read is the same.
        assert read(client, url)[1:] == (etag, body)
    assert changed or write in WRITES_THAT_CHANGE_NO_ANSWER, f"{write} changed no answer: is it still a write?"


# Writes whose rows none of the cached answers show (they still replace tokens: the reads rebuild).
WRITES_THAT_CHANGE_NO_ANSWER = {
    "add_bookmark", "create_badge_class", "remove_profile_image", "set_course_info_page", "set_subsection_grade",
    "enroll_other_learner", "mobile_config_created", "set_course_goal", "rest_celebration_post",
    "user_made_staff", "get_or_create_profile", "grant_course_role", "mirror_passing_status",
    "preference_bulk_create", "set_account_privacy", "update_preferences", "user_email_saved",
}
