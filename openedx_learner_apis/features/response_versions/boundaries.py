"""The next moment a response may change with no write at all: a date it compares with the clock is reached.

A stored response is valid while ``now < until``. ``until`` is the earliest candidate at or
after the moment it was built: a candidate equal to ``now`` ends validity at once, so both
``x < now`` and ``x <= now`` rules are covered. Candidates are a superset of the dates the
endpoint compares with the clock (over-including only costs a rebuild):

* of the courses read: start, end, enrollment window, certificate available date, the
  expiration of every mode and, for endpoints that walk the outline, each block's start and due;
* of the learner: the end of audit access in each course, enrollments and completions leaving
  the "recently active" window, local midnight in each zone the learner's day may be counted
  in, the new year (the parental consent rule counts years).

They are computed only when a response is built, never on a cache hit. Each function takes
the values it needs (the user, course keys, ``now``) and runs a few aggregate queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Max, Min, Q

from ...applets.courses.models import Block, Course, CourseMode
from ...applets.engagement.models import LastSeenCoursewareTimezone
from ...applets.engagement.timezones import first_zone, to_zone
from ...applets.enrollments.expiry import get_access_expirations
from ...applets.enrollments.models import Enrollment
from ...applets.learners.models import UserPreference
from ...applets.learners.preferences import TIME_ZONE as TIME_ZONE_PREFERENCE
from ...applets.progress.models import BlockCompletion
from ...conf import learner_apis_settings

COURSE_DATES = ("start", "end", "enrollment_start", "enrollment_end", "certificate_available_date")


def earliest(now: datetime, candidates: Iterable[datetime | None]) -> datetime | None:
    """The first candidate at or after ``now``; ``None`` when nothing ahead changes the answer."""
    ahead = [moment for moment in candidates if moment is not None and moment >= now]
    return min(ahead) if ahead else None


def _first_ahead(queryset, fields: Iterable[str], now: datetime) -> list:
    """For each date column, its smallest value at or after ``now``, in one aggregate query."""
    fields = list(fields)
    found = queryset.aggregate(**{f"next_{field}": Min(field, filter=Q(**{f"{field}__gte": now}))
                                  for field in fields})
    return list(found.values())


def course_dates(course_keys: Iterable, now: datetime, *, blocks: bool = False) -> list:
    """The coming dates of these courses (and of their blocks when ``blocks``)."""
    course_keys = [key for key in course_keys if key is not None]
    if not course_keys:
        return []
    courses = Course.objects.filter(course_key__in=course_keys)
    found = _first_ahead(courses, COURSE_DATES, now)
    found += _first_ahead(CourseMode.objects.filter(course__in=courses), ["expiration_datetime"], now)
    if blocks:
        found += _first_ahead(Block.objects.filter(course__in=courses), ["start", "due"], now)
    return found


def access_ends(user, now: datetime, course_keys: Iterable | None = None) -> list:
    """When the learner's audit access ends in each enrolled course (only these courses when named)."""
    if user is None or not user.is_authenticated:
        return []
    enrollments = Enrollment.objects.filter(user=user).select_related("course")
    if course_keys is not None:
        enrollments = enrollments.filter(course__course_key__in=list(course_keys))
    return list(get_access_expirations(user, enrollments, now=now).values())


def recent_activity_ends(user, now: datetime) -> list:
    """When enrollments and completions leave the ``ENROLLMENTS_STATUS_DAYS`` window."""
    window = timedelta(days=learner_apis_settings.ENROLLMENTS_STATUS_DAYS)
    threshold = now - window
    newest = Enrollment.objects.filter(user=user, created__gte=threshold).aggregate(
        first=Min("created"), last=Max("created"))
    per_course = (BlockCompletion.objects.filter(user=user, created__gte=threshold).order_by()
                  .values("course_key").annotate(last=Max("created")).values_list("last", flat=True))
    moments = [newest["first"], newest["last"], *per_course]
    return [moment + window for moment in moments if moment is not None]


def local_midnights(user, now: datetime, *zone_names: str | None) -> list:
    """The next midnight in every zone the learner's day may be counted in (preference, browser, last seen, UTC)."""
    names = list(zone_names)
    if user is not None and user.is_authenticated:
        names += UserPreference.objects.filter(user=user, key=TIME_ZONE_PREFERENCE).values_list("value", flat=True)
        names += LastSeenCoursewareTimezone.objects.filter(user=user).values_list(
            "last_seen_courseware_timezone", flat=True)
    zones = {first_zone()} | {zone for zone in map(to_zone, names) if zone is not None}
    midnights = []
    for zone in zones:
        local = now.astimezone(zone)
        midnights.append(datetime.combine(local.date() + timedelta(days=1), time.min, tzinfo=zone))
    return midnights


def new_year(now: datetime) -> list:
    """The next first of January in the server's local time (what ``date.today()`` counts in)."""
    this_year = date.today().year
    return [datetime(this_year + 1, 1, 1).astimezone()]
