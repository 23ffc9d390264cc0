"""Mobile configs and the learner time zone shown to the apps."""

from __future__ import annotations

import pytest

from openedx_learner_apis.api import set_preference
from openedx_learner_apis.applets.engagement.models import LastSeenCoursewareTimezone
from openedx_learner_apis.applets.mobile.models import IgnoreMobileAvailableFlagConfig, MobileConfig
from openedx_learner_apis.features.mobile.configs import ignore_mobile_available_flag, structured_configs
from openedx_learner_apis.features.mobile.selection import select_enrollments
from openedx_learner_apis.features.mobile.timezone import user_timezone

pytestmark = pytest.mark.django_db


def test_structured_configs():
    assert structured_configs() == {"iap_configs": {}}
    MobileConfig.objects.create(name="simple config", value="simple")
    MobileConfig.objects.create(name="iap_config", value="iap")
    MobileConfig.objects.create(name="iap config", value="false iap")
    assert structured_configs() == {"iap_configs": {"iap_config": "iap"}, "simple config": "simple",
                                    "iap config": "false iap"}


def test_ignore_flag_latest_row_wins():
    assert not ignore_mobile_available_flag()
    IgnoreMobileAvailableFlagConfig.objects.create(enabled=True)
    assert ignore_mobile_available_flag()
    IgnoreMobileAvailableFlagConfig.objects.create(enabled=False)
    assert not ignore_mobile_available_flag()


def test_user_timezone(learner):
    assert str(user_timezone(learner)) == "UTC"
    set_preference(learner, "time_zone", "America/New_York")
    assert str(user_timezone(learner)) == "America/New_York"
    set_preference(learner, "time_zone", "\x07Europe/Paris\x1b")
    assert str(user_timezone(learner)) == "Europe/Paris"
    set_preference(learner, "time_zone", "Not/AZone")
    assert str(user_timezone(learner)) == "UTC"


def test_user_timezone_falls_back_to_the_courseware_zone_in_one_query(learner, django_assert_num_queries):
    LastSeenCoursewareTimezone.objects.create(user=learner, last_seen_courseware_timezone="Asia/Tokyo")
    with django_assert_num_queries(1):
        assert str(user_timezone(learner)) == "Asia/Tokyo"
    set_preference(learner, "time_zone", "Europe/Paris")
    with django_assert_num_queries(1):
        assert str(user_timezone(learner)) == "Europe/Paris"
    set_preference(learner, "time_zone", "Not/AZone")
    assert str(user_timezone(learner)) == "Asia/Tokyo"


@pytest.mark.parametrize("with_primary", [False, True])
def test_the_selection_reads_the_zone_in_its_own_statement(learner, with_primary, django_assert_num_queries):
    """``with_timezone``: the zone ``user_timezone`` gives, read in the selection's one statement (no query more)."""
    ignore_mobile_available_flag()  # its configuration row cached first: the selection's own statement is left

    def zone(**options):
        with django_assert_num_queries(1):
            return select_enrollments(learner, with_primary=with_primary, **options).zone

    assert zone() is None
    assert str(zone(with_timezone=True)) == "UTC"
    LastSeenCoursewareTimezone.objects.create(user=learner, last_seen_courseware_timezone="Asia/Tokyo")
    assert str(zone(with_timezone=True)) == str(user_timezone(learner)) == "Asia/Tokyo"
    set_preference(learner, "time_zone", "\x07Europe/Paris\x1b")
    assert str(zone(with_timezone=True)) == str(user_timezone(learner)) == "Europe/Paris"
    set_preference(learner, "time_zone", "Not/AZone")
    assert str(zone(with_timezone=True)) == str(user_timezone(learner)) == "Asia/Tokyo"
