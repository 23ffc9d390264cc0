"""The ``user_timezone`` the mobile apps show (spec mobile_users §5.3, audit M13)."""

from __future__ import annotations

from ..engagement.models import LastSeenCoursewareTimezone
from ..engagement.timezones import first_zone
from ..learners.models import UserPreference

__all__ = ["user_timezone"]

TIME_ZONE_PREFERENCE = "time_zone"


def _printable(value) -> str:
    return "".join(char for char in value if char.isprintable()) if isinstance(value, str) else ""


def user_timezone(user):
    """The learner's zone: the ``time_zone`` preference, else the zone last seen in the courseware, else UTC.

    Non-printable characters are dropped and an unknown name falls through to the next
    source, so the answer is always a valid zone (``str()`` gives its name).
    """
    preference = UserPreference.objects.filter(user=user, key=TIME_ZONE_PREFERENCE).values_list(
        "value", flat=True).first()
    last_seen = LastSeenCoursewareTimezone.objects.filter(user=user).values_list(
        "last_seen_courseware_timezone", flat=True).first()
    return first_zone(_printable(preference), _printable(last_seen))
