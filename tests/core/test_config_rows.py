"""The configuration tables through django-config-models: queries, freshness after writes, history, admin."""

from __future__ import annotations

from datetime import datetime, timezone as dt_timezone

import pytest
from django.core.cache import cache
from django.db import transaction
from edx_django_utils.cache import RequestCache
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis.applets.enrollments.expiry import DurationLimitConfigs
from openedx_learner_apis.applets.enrollments.models import CourseDurationLimitConfig
from openedx_learner_apis.applets.mobile.models import IgnoreMobileAvailableFlagConfig, MobileConfig
from openedx_learner_apis.core.config_rows import current_rows, forget_current_rows
from openedx_learner_apis.features.mobile.configs import ignore_mobile_available_flag, structured_configs

pytestmark = pytest.mark.django_db

AS_OF = datetime(2015, 1, 1, tzinfo=dt_timezone.utc)
COURSE = CourseKey.from_string("course-v1:edX+Demo+1")


def another_process():
    """What a second process sharing the cache holds: the shared cache, not this thread's request cache."""
    RequestCache.clear_all_namespaces()


def read_all():
    limits = DurationLimitConfigs.load([COURSE]).enabled_as_of(COURSE)
    return structured_configs(), ignore_mobile_available_flag(), limits


def test_one_query_per_table_when_cold_none_when_warm(django_assert_num_queries):
    MobileConfig.objects.create(name="iap_is_enabled", value="true")
    MobileConfig.objects.create(name="calendar_sync", value="true")
    IgnoreMobileAvailableFlagConfig.objects.create(enabled=True)
    CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=AS_OF, org="edX")
    CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=AS_OF)
    cache.clear()
    another_process()
    with django_assert_num_queries(3):
        cold = read_all()
    assert cold == ({"iap_configs": {"iap_is_enabled": "true"}, "calendar_sync": "true"}, True, AS_OF)
    another_process()
    with django_assert_num_queries(0):
        assert read_all() == cold


def test_a_change_adds_a_row_and_the_latest_counts():
    MobileConfig.objects.create(name="calendar_sync", value="true")
    assert structured_configs()["calendar_sync"] == "true"
    MobileConfig(name="calendar_sync", value="false").save()
    another_process()
    assert structured_configs()["calendar_sync"] == "false"
    assert list(MobileConfig.objects.filter(name="calendar_sync").order_by("pk").values_list("value", flat=True)) == [
        "true", "false"]  # the history stays
    MobileConfig(name="calendar_sync", value="false", enabled=False).save()
    another_process()
    assert "calendar_sync" not in structured_configs()


def test_saving_an_existing_row_adds_a_row():
    row = MobileConfig.objects.create(name="calendar_sync", value="true")
    first = row.pk
    row.value = "false"
    row.save()
    assert row.pk != first
    assert MobileConfig.objects.count() == 2


def test_a_write_shows_on_the_next_read_of_every_process():
    IgnoreMobileAvailableFlagConfig.objects.create(enabled=True)
    CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=AS_OF, course_key=COURSE)
    assert ignore_mobile_available_flag() is True
    assert DurationLimitConfigs.load([COURSE]).enabled_as_of(COURSE) == AS_OF
    IgnoreMobileAvailableFlagConfig.objects.create(enabled=False)
    CourseDurationLimitConfig.objects.create(enabled=False, course_key=COURSE)
    another_process()
    assert ignore_mobile_available_flag() is False
    assert DurationLimitConfigs.load([COURSE]).enabled_as_of(COURSE) is None


def test_a_write_in_a_transaction_leaves_no_stale_entry_after_the_commit(django_capture_on_commit_callbacks):
    """A reader elsewhere stores the old rows between the write and the commit: the commit deletes them again."""
    MobileConfig.objects.create(name="calendar_sync", value="old")
    IgnoreMobileAvailableFlagConfig.objects.create(enabled=False)
    old_rows = current_rows(MobileConfig)
    old_flag = IgnoreMobileAvailableFlagConfig.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            MobileConfig.objects.create(name="calendar_sync", value="new")
            IgnoreMobileAvailableFlagConfig.objects.create(enabled=True)
            # The concurrent reader, who still sees the committed rows, caches them after config_models' delete.
            cache.set_many({MobileConfig.cache_key_name(*key): row for key, row in old_rows.items()})
            cache.set(MobileConfig.key_values_cache_key_name(), list(old_rows))
            cache.set(IgnoreMobileAvailableFlagConfig.cache_key_name(), old_flag)
    assert callbacks
    another_process()
    assert structured_configs()["calendar_sync"] == "new"
    assert ignore_mobile_available_flag() is True


def test_bulk_writes_need_forget_current_rows():
    MobileConfig.objects.create(name="calendar_sync", value="true")
    assert structured_configs()["calendar_sync"] == "true"
    MobileConfig.objects.update(value="false")  # no save(): config_models does not see it
    another_process()
    assert structured_configs()["calendar_sync"] == "true"
    forget_current_rows(MobileConfig)
    assert structured_configs()["calendar_sync"] == "false"


def test_cache_entry_names_are_safe_for_memcached():
    long_key = CourseKey.from_string(f"course-v1:edX+{'L' * 200}+1")
    for name in (MobileConfig.cache_key_name("iap config"), CourseDurationLimitConfig.cache_key_name("", long_key)):
        assert len(name) <= 250 and all(33 <= ord(char) < 127 for char in name)
    assert MobileConfig.cache_key_name("calendar_sync") == "configuration/MobileConfig/current/calendar_sync"
    MobileConfig.objects.create(name="iap config", value="a")
    assert structured_configs()["iap config"] == "a"
    MobileConfig.objects.create(name="iap config", value="b")
    another_process()
    assert structured_configs()["iap config"] == "b"


def test_duration_limits_scopes_resolve_as_before():
    """Course, then org, then global; a course row naming an org too still counts for its course."""
    other = CourseKey.from_string("course-v1:MITx+Other+1")
    CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=AS_OF)
    CourseDurationLimitConfig.objects.create(enabled=False, org="edX")
    assert DurationLimitConfigs.load([COURSE, other]).enabled_as_of(COURSE) is None
    assert DurationLimitConfigs.load([other]).enabled_as_of(other) == AS_OF
    CourseDurationLimitConfig.objects.create(enabled=True, org="edX", course_key=COURSE)
    another_process()
    configs = DurationLimitConfigs.load([COURSE])
    assert configs.enabled_as_of(COURSE) == AS_OF  # the course row decides; the date comes from the global row
    assert DurationLimitConfigs.load().enabled_as_of(other) == AS_OF  # every scope when no course is named


def test_empty_course_key_is_the_global_scope():
    row = CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=AS_OF, course_key="")
    assert row.course_key is None
    assert list(current_rows(CourseDurationLimitConfig)) == [("", None)]


@pytest.mark.parametrize("model", [MobileConfig, IgnoreMobileAvailableFlagConfig, CourseDurationLimitConfig])
def test_admin_pages_of_config_models(admin_client, model, admin_user):
    """config_models' admins: list, history, add; a change from the admin adds a row naming who made it."""
    base = f"/admin/openedx_learner_apis/{model._meta.model_name}/"
    assert admin_client.get(base).status_code == 200
    if model.KEY_FIELDS:  # the keyed admin lists the current rows; its filter shows every row
        assert admin_client.get(base + "?show_history=1").status_code == 200
    assert admin_client.get(base + "add/").status_code == 200
    data = {"enabled": "on", "name": "calendar_sync", "value": "true", "org": "edX", "course_key": "",
            "enabled_as_of_0": "", "enabled_as_of_1": ""}
    response = admin_client.post(base + "add/", data)
    assert response.status_code == 302, response.content[:2000]
    assert model.objects.get().changed_by == admin_user
