"""The course info of the learning MFE: one lazily computed attribute per field of the course endpoint.

Nothing is computed until asked for, so a request naming ``requested_fields`` pays only for
(and triggers only the side effects of) the fields it names. Each learner row is read at most
once. The rules of each field are in ``docs/courseware.rst`` ("Course info").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property

from django.db import transaction

from ...applets.courses.dates import start_date_is_still_default
from ...applets.courses.visibility import can_enroll, is_course_full, is_invitation_only, is_public
from ...applets.engagement.celebrations import NO_CELEBRATIONS, get_celebrations
from ...applets.engagement.timezones import first_zone, local_date
from ...applets.enrollments.expiry import get_access_expiration
from ...applets.enrollments.models import Enrollment
from ...applets.enrollments.modes import VERIFIED_MODES
from ...conf import learner_apis_settings
from ...core.sanitize import sanitize_html
from ...toggles import (
    COURSE_EXIT_PAGE,
    ENABLE_ABOUT_SIDEBAR_HTML,
    ENABLE_ANONYMOUS_COURSEWARE_ACCESS,
    ENABLE_COURSE_GOALS,
    ENABLE_DISCOUNTING,
    ENABLE_PROGRESS_MILESTONES,
    ENABLE_STREAK_CELEBRATION,
    ENABLE_STREAK_DISCOUNT,
)
from .access import enrollment_of, load_course, require_visible
from .course_facts import (
    INTEGRITY_SIGNATURE_MODES,
    UPSELL_MODES,
    certificate_eligible_mode,
    course_price,
    media,
    pre_requisite_courses,
    single_paid_mode,
)
from .course_info_certificate import CertificateFields
from .course_info_rows import NOTES_VISIBILITY_PREFERENCE, TIME_ZONE_PREFERENCE, CourseInfoRows, flag_for_everyone
from .entrance_exam import entrance_exam_score as exam_score
from .viewer import CoursewareUser

# The course info's writes (activity, time zone, streak) must persist even when the answer
# fails afterwards, so whatever serves it runs outside the per-request transaction.
outside_request_transaction = transaction.non_atomic_requests


def course_info_for(course_key, resolve_viewer: Callable[[object], CoursewareUser], *, hooks, now: datetime,
                    browser_timezone: str | None = None, flag_enabled=flag_for_everyone) -> CourseInfo:
    """The course info for ``resolve_viewer(course_key)``, its visit recorded.

    Refuses with :class:`.CourseUnavailable` when there is no such course (before the viewer
    is resolved) or the requester may not see it.
    """
    course = load_course(course_key)
    viewer = resolve_viewer(course.course_key)
    enrollment = enrollment_of(viewer.user, course)
    require_visible(course, viewer, enrollment, now=now)
    info = CourseInfo(course, user=viewer.user, real_user=viewer.real_user, enrollment=enrollment,
                      is_staff=viewer.is_staff, roles=set(viewer.roles), masquerade=viewer.masquerade, hooks=hooks,
                      now=now, browser_timezone=browser_timezone, flag_enabled=flag_enabled)
    info.record_visit()
    return info


class CourseInfo(CertificateFields, CourseInfoRows):
    """The fields of ``GET /api/courseware/course/{key}`` for one viewer, in the order of the endpoint."""

    @property
    def lms_root_url(self) -> str | None:
        """The root that relative LMS links are made absolute against."""
        return learner_apis_settings.LMS_ROOT_URL

    @cached_property
    def access_expiration(self) -> dict | None:
        if self.enrollment is None:
            return None
        expiration = get_access_expiration(self.user, self.enrollment, self.course, modes=self.modes,
                                           roles=self.roles, now=self.now)
        if expiration is None:
            return None
        verified = self.verified_mode
        deadline = verified.expiration_datetime if verified is not None else None
        deadline = deadline if deadline is not None and deadline > self.now else None
        return {
            "expiration_date": expiration,
            "masquerading_expired_course": self.masquerade.specific_learner and expiration < self.now,
            "upgrade_deadline": deadline,
            "upgrade_url": (self.hooks.upgrade_url(self.user, course_key=self.course_key, sku=verified.sku)
                            if deadline is not None else None),
        }

    @cached_property
    def content_type_gating_enabled(self) -> bool:
        return bool(self.hooks.content_type_gating_enabled(self.user, self.course_key, enrollment=self.enrollment))

    @cached_property
    def course_goals(self) -> dict:
        if not (self.enrollment_active and self.flag_enabled(ENABLE_COURSE_GOALS)):
            return {"selected_goal": None, "weekly_learning_goal_enabled": False}
        goal = self.goal
        selected = ({"days_per_week": goal.days_per_week, "subscribed_to_reminders": goal.subscribed_to_reminders}
                    if goal is not None else None)
        return {"selected_goal": selected, "weekly_learning_goal_enabled": True}

    @property
    def enrollment_data(self) -> dict:
        return {"mode": self.enrollment_mode, "is_active": self.enrollment_active}

    @cached_property
    def entrance_exam_data(self) -> dict:
        course = self.course
        enabled = bool(learner_apis_settings.ENABLE_ENTRANCE_EXAMS and course.entrance_exam_enabled
                       and course.entrance_exam_id)
        score = self.entrance_exam_score() if enabled else 0.0
        passed = (not enabled or self.is_staff
                  or score >= course.entrance_exam_minimum_score_pct)
        return {
            "entrance_exam_current_score": score,
            "entrance_exam_enabled": enabled,
            "entrance_exam_id": course.entrance_exam_id or None,
            "entrance_exam_minimum_score_pct": course.entrance_exam_minimum_score_pct,
            "entrance_exam_passed": passed,
        }

    def entrance_exam_score(self) -> float:
        """The learner's score on the entrance exam chapter (0.0 for anonymous visitors)."""
        return exam_score(self.user, self.course) if self.authenticated else 0.0

    @property
    def media(self) -> dict:
        return media(self.course)

    @cached_property
    def offer(self) -> dict | None:
        if not self.authenticated or not self.flag_enabled(ENABLE_DISCOUNTING):
            return None
        return self.hooks.offer(self.user, self.course)

    @cached_property
    def related_programs(self) -> list | None:
        if not self.authenticated:
            return None
        return self.hooks.related_programs(self.user, self.course_key)

    @property
    def pacing(self) -> str:
        return "self" if self.course.self_paced else "instructor"

    @property
    def user_timezone(self) -> str | None:
        return self.preferences.get(TIME_ZONE_PREFERENCE) or None

    @cached_property
    def can_access_proctored_exams(self) -> bool:
        if self.masquerade.non_audit_track:
            return True
        return self.enrollment_active and certificate_eligible_mode(self.enrollment_mode)

    @cached_property
    def notes(self) -> dict:
        enabled = bool(learner_apis_settings.ENABLE_EDXNOTES and self.course.notes_enabled)
        visible = self.preferences.get(NOTES_VISIBILITY_PREFERENCE.format(course_key=self.course_key), "true")
        return {"enabled": enabled, "visible": visible.lower() != "false"}

    @cached_property
    def celebrations(self) -> dict:
        track_streak = bool(self.authenticated and not self.masquerade.specific_learner
                            and self.flag_enabled(ENABLE_PROGRESS_MILESTONES)
                            and self.flag_enabled(ENABLE_STREAK_CELEBRATION))
        if self.enrollment is None:
            return dict(NO_CELEBRATIONS)
        zone = first_zone(self.preferences.get(TIME_ZONE_PREFERENCE), self.browser_timezone)
        return get_celebrations(
            self.user, self.enrollment, self.course_key, today=local_date(self.now, zone), goal=self.goal,
            track_streak=track_streak,
            streak_discount=self.streak_discount_applies,
            on_streak_updated=lambda length: self.hooks.streak_updated(self.user, self.course_key, length))

    def streak_discount_applies(self) -> bool:
        """Flag on, course running, a verified mode still for sale, an upsell enrollment, not an enterprise learner."""
        verified = self.verified_mode
        return bool(self.flag_enabled(ENABLE_STREAK_DISCOUNT)
                    and (self.course.end is None or self.course.end > self.now)
                    and verified is not None
                    and (verified.expiration_datetime is None or verified.expiration_datetime > self.now)
                    and self.enrollment_mode in UPSELL_MODES
                    and not self.hooks.is_enterprise_learner(self.user))

    @property
    def course_exit_page_is_active(self) -> bool:
        return self.flag_enabled(COURSE_EXIT_PAGE)

    @cached_property
    def verification_status(self) -> str:
        if self.enrollment_mode not in VERIFIED_MODES:
            return "none"
        return self.hooks.verification_status(self.user, self.course_key)

    @cached_property
    def verify_identity_url(self) -> str | None:
        if self.enrollment_mode not in VERIFIED_MODES:
            return None
        return self.hooks.verify_identity_url(self.user, self.course_key, status=self.verification_status)

    @property
    def is_integrity_signature_enabled(self) -> bool:
        return bool(learner_apis_settings.ENABLE_INTEGRITY_SIGNATURE)

    @cached_property
    def user_needs_integrity_signature(self) -> bool:
        if not self.is_integrity_signature_enabled or not self.authenticated:
            return False
        required = self.masquerade.non_audit_track or self.enrollment_mode in INTEGRITY_SIGNATURE_MODES
        return bool(required and not self.hooks.has_integrity_signature(self.user, self.course_key))

    @cached_property
    def learning_assistant_enabled(self) -> bool:
        return bool(self.hooks.learning_assistant_enabled(self.user, self.course_key))

    @cached_property
    def show_courseware_link(self) -> bool:
        return bool(self.is_staff or self.enrollment_active or is_public(self.course)
                    or learner_apis_settings.ENABLE_LMS_MIGRATION)

    @cached_property
    def is_course_full(self) -> bool:
        if self.course.max_student_enrollments_allowed is None:
            return False
        active = Enrollment.objects.filter(course=self.course, is_active=True).count()
        return is_course_full(self.course, active)

    @cached_property
    def invitation_only(self) -> bool:
        return is_invitation_only(self.course, invite_only_setting=learner_apis_settings.COURSES_INVITE_ONLY)

    @cached_property
    def can_enroll(self) -> bool:
        return can_enroll(self.user, self.course, is_staff=self.is_staff, invitation_only=self.invitation_only,
                          is_full=self.is_course_full, now=self.now)

    @property
    def is_shib_course(self) -> bool:
        return self.course.enrollment_domain.startswith("shib:")

    @cached_property
    def allow_anonymous(self) -> bool:
        return bool(self.flag_enabled(ENABLE_ANONYMOUS_COURSEWARE_ACCESS) and is_public(self.course))

    @cached_property
    def ecommerce_checkout(self) -> bool:
        return bool(self.authenticated and self.hooks.ecommerce_checkout_enabled(self.user))

    @cached_property
    def single_paid_mode(self) -> dict:
        return single_paid_mode(self.modes) if self.ecommerce_checkout else {}

    @cached_property
    def ecommerce_checkout_link(self) -> str | None:
        sku = self.single_paid_mode.get("sku")
        if not sku:
            return None
        return self.hooks.ecommerce_checkout_url(self.user, course_key=self.course_key, sku=sku)

    @property
    def course_image_urls(self) -> list[str]:
        image = self.media["image"]
        return [url for url in (image["raw"], image["small"], image["large"]) if url]

    @property
    def start_date_is_still_default(self) -> bool:
        return start_date_is_still_default(self.course)

    @property
    def course_price(self) -> str:
        return course_price(self.modes)

    @property
    def pre_requisite_courses(self) -> list[dict]:
        return pre_requisite_courses(self.course)

    @cached_property
    def about_sidebar_html(self) -> str | None:
        return sanitize_html(self.course.about_sidebar_html) if ENABLE_ABOUT_SIDEBAR_HTML.is_enabled() else None

    @cached_property
    def overview(self) -> str | None:
        return sanitize_html(self.course.overview)
