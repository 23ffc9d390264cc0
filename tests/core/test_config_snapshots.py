"""Cached snapshots of the configuration tables: no SQL when warm, never stale after a committed write."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone as dt_timezone
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis.applets.enrollments.expiry import DurationLimitConfigs
from openedx_learner_apis.applets.enrollments.models import DURATION_LIMITS, CourseDurationLimitConfig
from openedx_learner_apis.applets.mobile.models import (
    IGNORE_MOBILE_AVAILABLE_FLAG,
    MOBILE_CONFIGS,
    IgnoreMobileAvailableFlagConfig,
    MobileConfig,
)
from openedx_learner_apis.core import config_snapshots
from openedx_learner_apis.core.config_snapshots import (
    SNAPSHOTS,
    invalidate_config_snapshots,
    read_config_snapshot,
    read_config_snapshots,
    snapshot_cache,
)
from openedx_learner_apis.features.mobile.configs import ignore_mobile_available_flag, structured_configs

pytestmark = pytest.mark.django_db

ALL = [MOBILE_CONFIGS, IGNORE_MOBILE_AVAILABLE_FLAG, DURATION_LIMITS]
COURSE = CourseKey.from_string("course-v1:edX+Snap+2026")
AS_OF = datetime(2020, 1, 1, tzinfo=dt_timezone.utc)


def duration_limits_on() -> bool:
    return DurationLimitConfigs.load().enabled_as_of(COURSE) is not None


@pytest.fixture
def configured():
    MobileConfig.objects.create(name="iap_is_enabled", value="true")
    IgnoreMobileAvailableFlagConfig.objects.create(enabled=True)
    CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=AS_OF, org="edX")


def test_a_warm_read_runs_no_query_and_one_cache_round_trip(configured, django_assert_num_queries):
    with django_assert_num_queries(3):  # one per table
        read_config_snapshots(ALL)
    with django_assert_num_queries(0), mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
        assert structured_configs() == {"iap_configs": {"iap_is_enabled": "true"}}
        assert ignore_mobile_available_flag()
        assert duration_limits_on()
        read_config_snapshots(ALL)
    assert get_many.call_count == 4  # the tokens, once per call: values this process has seen are not re-read


def test_another_process_reads_the_shared_cache_without_sql(configured, monkeypatch, django_assert_num_queries):
    read_config_snapshots(ALL)
    monkeypatch.setattr(config_snapshots, "_seen", {})  # what a process that never read them holds
    with django_assert_num_queries(0), mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
        assert read_config_snapshots(ALL) == {MOBILE_CONFIGS: (("iap_is_enabled", "true"),),
                                              IGNORE_MOBILE_AVAILABLE_FLAG: True,
                                              DURATION_LIMITS: ((True, AS_OF, "edX", ""),)}
    assert get_many.call_count == 2  # tokens, then entries


def test_mobile_config_save_delete_and_new_row_invalidate_at_once():
    assert structured_configs() == {"iap_configs": {}}
    row = MobileConfig.objects.create(name="calendar_sync", value="true")
    assert structured_configs() == {"iap_configs": {}, "calendar_sync": "true"}
    row.value = "false"
    row.save()
    assert structured_configs() == {"iap_configs": {}, "calendar_sync": "false"}
    row.delete()
    assert structured_configs() == {"iap_configs": {}}


def test_ignore_flag_save_delete_and_new_row_invalidate_at_once():
    assert not ignore_mobile_available_flag()
    row = IgnoreMobileAvailableFlagConfig.objects.create(enabled=True)
    assert ignore_mobile_available_flag()
    row.enabled = False
    row.save()
    assert not ignore_mobile_available_flag()
    row.enabled = True
    row.save()
    assert ignore_mobile_available_flag()
    row.delete()
    assert not ignore_mobile_available_flag()


def test_duration_limit_save_delete_and_new_row_invalidate_at_once():
    assert not duration_limits_on()
    row = CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=AS_OF, course_key=COURSE)
    assert duration_limits_on()
    row.enabled = False
    row.save()
    assert not duration_limits_on()
    CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=AS_OF)  # global: the course row still wins
    assert not duration_limits_on()
    row.delete()
    assert duration_limits_on()


def test_a_write_only_invalidates_its_own_table(configured):
    tokens = snapshot_cache.generations(ALL)
    MobileConfig.objects.create(name="other", value="1")
    after = snapshot_cache.generations(ALL)
    assert after[MOBILE_CONFIGS] != tokens[MOBILE_CONFIGS]
    assert after[IGNORE_MOBILE_AVAILABLE_FLAG] == tokens[IGNORE_MOBILE_AVAILABLE_FLAG]
    assert after[DURATION_LIMITS] == tokens[DURATION_LIMITS]


def test_a_rolled_back_write_leaves_the_snapshot_valid(configured):
    assert structured_configs() == {"iap_configs": {"iap_is_enabled": "true"}}
    with pytest.raises(RuntimeError), transaction.atomic():
        MobileConfig.objects.filter(name="iap_is_enabled").get().delete()
        IgnoreMobileAvailableFlagConfig.objects.create(enabled=False)
        raise RuntimeError("rolled back")
    assert structured_configs() == {"iap_configs": {"iap_is_enabled": "true"}}
    assert ignore_mobile_available_flag()


def test_the_token_is_replaced_again_when_the_write_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        MobileConfig.objects.create(name="calendar_sync", value="true")
        during = read_config_snapshot(MOBILE_CONFIGS)  # a reader inside the transaction, before the commit
        token = snapshot_cache.generations([MOBILE_CONFIGS])[MOBILE_CONFIGS]
    assert during == (("calendar_sync", "true"),)
    assert snapshot_cache.generations([MOBILE_CONFIGS])[MOBILE_CONFIGS] != token


def test_a_reader_racing_a_write_cannot_store_stale_data(monkeypatch):
    MobileConfig.objects.create(name="calendar_sync", value="old")
    snapshot = SNAPSHOTS[MOBILE_CONFIGS]

    def slow_load():
        rows = snapshot.load()
        row = MobileConfig.objects.get(name="calendar_sync")
        row.value = "new"
        row.save()  # a write that lands meanwhile
        return rows

    monkeypatch.setitem(SNAPSHOTS, MOBILE_CONFIGS, replace(snapshot, load=slow_load))
    assert structured_configs()["calendar_sync"] == "old"  # that reader started before the write...
    monkeypatch.setitem(SNAPSHOTS, MOBILE_CONFIGS, snapshot)
    assert structured_configs()["calendar_sync"] == "new"  # ...but nobody is served its copy afterwards


def test_bulk_writes_invalidate(configured):
    """``update()``, ``bulk_update()`` and ``bulk_create()`` send no model signal; the querysets announce them."""
    assert ignore_mobile_available_flag()
    IgnoreMobileAvailableFlagConfig.objects.update(enabled=False)
    assert not ignore_mobile_available_flag()
    IgnoreMobileAvailableFlagConfig.objects.bulk_create([IgnoreMobileAvailableFlagConfig(enabled=True)])
    assert ignore_mobile_available_flag()
    assert read_config_snapshot(MOBILE_CONFIGS) == (("iap_is_enabled", "true"),)
    config = MobileConfig.objects.get(name="iap_is_enabled")
    config.value = "false"
    MobileConfig.objects.bulk_update([config], ["value"])
    assert read_config_snapshot(MOBILE_CONFIGS) == (("iap_is_enabled", "false"),)
    assert duration_limits_on()
    CourseDurationLimitConfig.objects.bulk_create([CourseDurationLimitConfig(enabled=False, course_key=COURSE)])
    assert not duration_limits_on()


def test_raw_sql_needs_an_explicit_invalidation(configured):
    assert ignore_mobile_available_flag()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {IgnoreMobileAvailableFlagConfig._meta.db_table} SET enabled = %s", [False])
    assert ignore_mobile_available_flag()  # the ORM did not see that write
    invalidate_config_snapshots()
    assert not ignore_mobile_available_flag()


def test_an_evicted_token_is_recreated_not_reused(configured):
    assert ignore_mobile_available_flag()
    cache.delete(snapshot_cache.generation_key(IGNORE_MOBILE_AVAILABLE_FLAG))  # evicted by the cache
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {IgnoreMobileAvailableFlagConfig._meta.db_table} SET enabled = %s", [False])
    assert not ignore_mobile_available_flag()
