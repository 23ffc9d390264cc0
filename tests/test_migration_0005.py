"""Migration 0005 keeps every row of the three configuration tables when they become ConfigurationModels."""

from __future__ import annotations

from datetime import datetime, timezone as dt_timezone

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

APP = "openedx_learner_apis"
BEFORE = [(APP, "0004_account_fields_positions_info_pages")]
AFTER = [(APP, "0005_configuration_models")]
WHEN = datetime(2020, 5, 6, 7, 8, 9, tzinfo=dt_timezone.utc)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_rows_survive_the_migration(django_user_model):
    old = migrate(BEFORE)
    try:
        user = old.get_model(*django_user_model._meta.label.split(".")).objects.create(username="operator")
        old_mobile = old.get_model(APP, "MobileConfig")
        for name, value in (("iap_is_enabled", "true"), ("course_dates_calendar_sync", "false")):
            old_mobile.objects.create(name=name, value=value)
        old_mobile.objects.update(modified=WHEN)
        old_flag = old.get_model(APP, "IgnoreMobileAvailableFlagConfig")
        old_flag.objects.create(enabled=False)
        old_flag.objects.create(enabled=True, changed_by_id=user.pk)
        old_limits = old.get_model(APP, "CourseDurationLimitConfig")
        old_limits.objects.create(enabled=True, enabled_as_of=WHEN)
        old_limits.objects.create(enabled=False, org="edX")
        old_limits.objects.create(enabled=True, course_key="course-v1:edX+Demo+1")

        new = migrate(AFTER)
        mobile = new.get_model(APP, "MobileConfig")
        assert list(mobile.objects.order_by("pk").values_list("name", "value", "enabled", "change_date")) == [
            ("iap_is_enabled", "true", True, WHEN), ("course_dates_calendar_sync", "false", True, WHEN)]
        flag = new.get_model(APP, "IgnoreMobileAvailableFlagConfig")
        assert list(flag.objects.order_by("pk").values_list("enabled", "changed_by_id")) == [
            (False, None), (True, user.pk)]
        limits = new.get_model(APP, "CourseDurationLimitConfig")
        rows = [(enabled, as_of, org, str(key) if key else "") for enabled, as_of, org, key in
                limits.objects.order_by("pk").values_list("enabled", "enabled_as_of", "org", "course_key")]
        assert rows == [(True, WHEN, "", ""), (False, None, "edX", ""), (True, None, "", "course-v1:edX+Demo+1")]
        assert set(limits.objects.values_list("changed_by_id", flat=True)) == {None}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes(APP))


@pytest.mark.django_db(transaction=True)
def test_the_migrated_rows_read_through_config_models():
    """Rows written before the migration are what the API reads after it."""
    old = migrate(BEFORE)
    try:
        old.get_model(APP, "MobileConfig").objects.create(name="iap_is_enabled", value="true")
        old.get_model(APP, "IgnoreMobileAvailableFlagConfig").objects.create(enabled=True)
        migrate(AFTER)
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes(APP))
        from openedx_learner_apis.features.mobile.configs import ignore_mobile_available_flag, structured_configs

        assert structured_configs() == {"iap_configs": {"iap_is_enabled": "true"}}
        assert ignore_mobile_available_flag() is True
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes(APP))
