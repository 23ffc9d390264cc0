"""Receivers of openedx-events: each turns an event's data into a ``mirror`` (or ``catalog``) call.

They run for events sent in the same process (the app installed in the LMS) and for events
an event bus consumer re-emits (the app running as its own service).
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from openedx_events.content_authoring.signals import COURSE_CATALOG_INFO_CHANGED
from openedx_events.learning.signals import (
    CERTIFICATE_CHANGED,
    CERTIFICATE_CREATED,
    CERTIFICATE_REVOKED,
    COURSE_ENROLLMENT_CHANGED,
    COURSE_ENROLLMENT_CREATED,
    COURSE_PASSING_STATUS_UPDATED,
    COURSE_UNENROLLMENT_COMPLETED,
    PERSISTENT_GRADE_SUMMARY_CHANGED,
)

from ...conf import learner_apis_settings
from . import catalog, mirror

log = logging.getLogger(__name__)


def _user(user_data):
    return mirror.user_for(user_data.pii.username, email=user_data.pii.email, is_active=user_data.is_active)


def _enabled() -> bool:
    return bool(learner_apis_settings.MIRROR_OPENEDX_EVENTS)


def enrollment_changed(sender, signal, enrollment, metadata, **kwargs):
    """Enrollment created, changed or ended: the event carries the whole new state."""
    if not _enabled():
        return
    course = enrollment.course
    mirror.mirror_enrollment(
        _user(enrollment.user), course.course_key, mode=enrollment.mode, is_active=enrollment.is_active,
        created=enrollment.creation_date, event_time=metadata.time,
        course_fields={"display_name": course.display_name, "start": course.start, "end": course.end})


def certificate_changed(sender, signal, certificate, metadata, **kwargs):
    """Certificate created, changed or revoked."""
    if not _enabled():
        return
    mirror.mirror_certificate(
        _user(certificate.user), certificate.course.course_key, status=certificate.current_status,
        mode=certificate.mode, grade=certificate.grade, download_url=certificate.download_url,
        name=certificate.name, event_time=metadata.time, revoked=signal is CERTIFICATE_REVOKED)


def course_grade_changed(sender, signal, grade, metadata, **kwargs):
    """The persistent course grade changed; the event names the learner by user id only."""
    if not _enabled():
        return
    user = get_user_model().objects.filter(pk=grade.user_id).first()
    if user is None:
        log.warning("Ignoring a grade event for user id %s, unknown here.", grade.user_id)
        return
    mirror.mirror_course_grade(user, grade.course.course_key, percent=grade.percent_grade,
                               letter_grade=grade.letter_grade, passed_timestamp=grade.passed_timestamp,
                               event_time=metadata.time)


def passing_status_changed(sender, signal, course_passing_status, metadata, **kwargs):
    """The learner started or stopped passing the course."""
    if not _enabled():
        return
    mirror.mirror_passing_status(_user(course_passing_status.user), course_passing_status.course.course_key,
                                 is_passing=course_passing_status.is_passing, event_time=metadata.time)


def course_catalog_changed(sender, signal, catalog_info, metadata, **kwargs):
    """Studio published a course or changed its schedule, name or catalog flags."""
    if not _enabled():
        return
    schedule = catalog_info.schedule_data
    catalog.mirror_course_catalog(
        catalog_info.course_key, name=catalog_info.name, start=schedule.start, pacing=schedule.pacing,
        end=schedule.end, enrollment_start=schedule.enrollment_start, enrollment_end=schedule.enrollment_end,
        hidden=catalog_info.hidden, invitation_only=catalog_info.invitation_only)


RECEIVERS = (
    (COURSE_ENROLLMENT_CREATED, enrollment_changed),
    (COURSE_ENROLLMENT_CHANGED, enrollment_changed),
    (COURSE_UNENROLLMENT_COMPLETED, enrollment_changed),
    (CERTIFICATE_CREATED, certificate_changed),
    (CERTIFICATE_CHANGED, certificate_changed),
    (CERTIFICATE_REVOKED, certificate_changed),
    (PERSISTENT_GRADE_SUMMARY_CHANGED, course_grade_changed),
    (COURSE_PASSING_STATUS_UPDATED, passing_status_changed),
    (COURSE_CATALOG_INFO_CHANGED, course_catalog_changed),
)


def connect_receivers() -> None:
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, dispatch_uid=f"openedx_learner_apis.contrib.openedx_events.{signal.event_type}")
