"""Mobile time zone: the ``user_timezone`` the apps show, with its fallbacks."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery

from ...applets.engagement.models import LastSeenCoursewareTimezone
from ...applets.engagement.timezones import first_zone
from ...applets.learners.models import UserPreference
from ...applets.learners.preferences import TIME_ZONE as TIME_ZONE_PREFERENCE

__all__ = ["user_timezone"]


def _printable(value) -> str:
    return "".join(char for char in value if char.isprintable()) if isinstance(value, str) else ""


def user_timezone(user):
    """The learner's zone: the ``time_zone`` preference, else the zone last seen in the courseware, else UTC.

    Non-printable characters are dropped and an unknown name falls through to the next
    source, so the answer is always a valid zone (``str()`` gives its name).
    """
    # Both single-row reads as subqueries of the user's row: one query instead of two.
    preference = UserPreference.objects.filter(user=OuterRef("pk"), key=TIME_ZONE_PREFERENCE).values("value")[:1]
    last_seen = LastSeenCoursewareTimezone.objects.filter(user=OuterRef("pk")).values(
        "last_seen_courseware_timezone")[:1]
    preference, last_seen = get_user_model().objects.filter(pk=user.pk).annotate(
        olapi_time_zone=Subquery(preference), olapi_last_seen_time_zone=Subquery(last_seen),
    ).values_list("olapi_time_zone", "olapi_last_seen_time_zone").first() or (None, None)
    return first_zone(_printable(preference), _printable(last_seen))
