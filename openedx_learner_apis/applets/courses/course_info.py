"""Course info for the courseware (courseware spec §4.3): one lazily computed attribute per field.

Nothing is computed until asked for, so a request with ``requested_fields`` pays only for
(and triggers only the side effects of) the fields it names. Each learner row is read at
most once per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone
from functools import cached_property
from urllib.parse import urlencode

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from ...conf import learner_apis_settings
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
from ..certificates.models import Certificate, CertificateStatuses
from ..engagement.activity import record_user_activity
from ..engagement.celebrations import NO_CELEBRATIONS, get_celebrations
from ..engagement.models import CourseGoal, LastSeenCoursewareTimezone
from ..engagement.timezones import first_zone, local_date, remember_courseware_timezone, seconds_until_local_midnight
from ..enrollments.expiry import get_access_expiration
from ..enrollments.models import Enrollment
from ..learners.models import UserPreference
from ..progress.models import PersistentCourseGrade, PersistentSubsectionGrade
from ..validation import spelled_exactly, spelled_exactly_in
from .outline import get_outline
from .sanitize import sanitize_html
from .visibility import can_enroll, is_course_full, is_invitation_only, is_public

AUDIT, HONOR, VERIFIED, PROFESSIONAL = "audit", "honor", "verified", "professional"
VERIFIED_MODES = frozenset({"verified", "professional", "masters", "executive-education", "paid-executive-education",
                            "paid-bootcamp"})
# Modes whose learners must sign the integrity agreement; masters is deliberately not one of them.
INTEGRITY_SIGNATURE_MODES = frozenset({"credit", "verified", "professional", "no-id-professional",
                                       "executive-education"})
UPSELL_MODES = frozenset({AUDIT, HONOR})
DEFAULT_START = datetime(2030, 1, 1, tzinfo=dt_timezone.utc)
DEFAULT_GRADE_CUTOFFS = {"Pass": 0.5}
TIME_ZONE_PREFERENCE = "time_zone"
NOTES_VISIBILITY_PREFERENCE = "edxnotes_visibility.{course_key}"
LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&"
LINKEDIN_CERTIFICATE_NAMES = {
    "honor": "{platform_name} Honor Code Certificate for {course_name}",
    "verified": "{platform_name} Verified Certificate for {course_name}",
    "professional": "{platform_name} Professional Certificate for {course_name}",
    "no-id-professional": "{platform_name} Professional Certificate for {course_name}",
}
NO_CERTIFICATE = {"cert_status": None, "cert_web_view_url": None, "download_url": None,
                  "certificate_available_date": None}


@dataclass(frozen=True)
class Masquerade:
    """How the real user is viewing the course (courseware spec §3.1)."""

    active: bool = False
    specific_learner: bool = False
    non_audit_track: bool = False


def certificate_eligible_mode(mode: str | None) -> bool:
    """Every mode but audit earns certificates; honor only while honor certificates are on."""
    if not mode or mode == AUDIT:
        return False
    return not (mode == HONOR and learner_apis_settings.DISABLE_HONOR_CERTIFICATES)


def start_display(course) -> str | None:
    if course.advertised_start:
        return course.advertised_start
    if course.start and course.start != DEFAULT_START:
        return course.start.strftime("%b %d, %Y").replace(" 0", " ")
    return None


def start_type(course) -> str:
    if course.advertised_start:
        return "string"
    if course.start and course.start != DEFAULT_START:
        return "timestamp"
    return "empty"


def course_price(modes) -> str:
    """The cheapest mode in the platform currency, as ``$49``; ``Free`` when nothing costs money."""
    currency, symbol = learner_apis_settings.PAID_COURSE_REGISTRATION_CURRENCY
    prices = [mode.min_price for mode in modes if mode.currency.lower() == currency.lower()]
    price = min(prices) if prices else 0
    return f"{symbol}{price}" if price > 0 else "Free"


def single_paid_mode(modes) -> dict:
    """The only mode when it is paid, else the professional mode, as ``{sku, name, min_price, description}``."""
    chosen = None
    if len(modes) == 1 and modes[0].min_price > 0:
        chosen = modes[0]
    else:
        chosen = next((mode for mode in modes if mode.mode_slug in (PROFESSIONAL, "no-id-professional")), None)
    if chosen is None:
        return {}
    return {"sku": chosen.sku, "name": chosen.mode_display_name, "min_price": chosen.min_price,
            "description": chosen.description}


def pre_requisite_courses(course) -> list[dict]:
    result = []
    for key in course.pre_requisite_courses or []:
        try:
            parsed = CourseKey.from_string(str(key))
        except InvalidKeyError:
            continue
        result.append({"key": str(parsed), "display": f"{parsed.org} {parsed.course}"})
    return result


class CourseInfo:
    """The fields of ``GET /api/courseware/course/{key}`` for one request.

    ``user`` is the effective user (the learner shown, after masquerade), ``real_user`` the
    requester. ``enrollment`` is the effective user's row whatever its ``is_active`` (with
    ``celebration`` selected), ``is_staff`` the effective user's course staff access,
    ``request`` the HTTP request, if any, that waffle flags are evaluated for.
    """

    def __init__(self, course, *, user, real_user, enrollment, is_staff: bool, roles: set,
                 masquerade: Masquerade, hooks, now: datetime, browser_timezone: str | None = None, request=None):
        self.course = course
        self.course_key = course.course_key
        self.user = user
        self.real_user = real_user
        self.enrollment = enrollment
        self.is_staff = is_staff
        self.roles = roles
        self.masquerade = masquerade
        self.hooks = hooks
        self.now = now
        self.browser_timezone = browser_timezone
        self.request = request  # waffle flags are evaluated for it (users, groups, percentages)
        self.authenticated = bool(user and user.is_authenticated)

    # Side effects documented by the spec (§4.2 steps 4 and 5); both idempotent.

    def record_visit(self) -> None:
        """Record the day's goal activity (not while masquerading) and the real user's browser time zone."""
        if self.authenticated and not self.masquerade.active and ENABLE_COURSE_GOALS.is_enabled(self.request):
            zone = self.activity_zone
            record_user_activity(self.user, self.course_key, local_date(self.now, zone),
                                 cache_seconds=seconds_until_local_midnight(self.now, zone))
        remember_courseware_timezone(self.real_user, self.browser_timezone)

    # Rows read at most once, each under the course key spelled exactly as stored (validation.spelled_exactly).

    @cached_property
    def modes(self) -> list:
        return list(self.course.modes.all())

    @cached_property
    def preferences(self) -> dict:
        if not self.authenticated:
            return {}
        keys = [TIME_ZONE_PREFERENCE, NOTES_VISIBILITY_PREFERENCE.format(course_key=self.course_key)]
        return dict(UserPreference.objects.filter(user=self.user, key__in=keys).values_list("key", "value"))

    @cached_property
    def activity_zone(self):
        """Preference, else this browser, else the last browser seen, else UTC (spec §7.1)."""
        last_seen = None
        if not self.preferences.get(TIME_ZONE_PREFERENCE) and not self.browser_timezone:
            last_seen = (LastSeenCoursewareTimezone.objects.filter(user=self.user)
                         .values_list("last_seen_courseware_timezone", flat=True).first())
        return first_zone(self.preferences.get(TIME_ZONE_PREFERENCE), self.browser_timezone, last_seen)

    @cached_property
    def goal(self) -> CourseGoal | None:
        if not self.authenticated:
            return None
        return CourseGoal.objects.filter(spelled_exactly("course_key", self.course_key), user=self.user).first()

    @cached_property
    def grade_percent(self) -> float:
        if not self.authenticated:
            return 0.0
        percent = (PersistentCourseGrade.objects.filter(spelled_exactly("course_key", self.course_key), user=self.user)
                   .values_list("percent_grade", flat=True).first())
        return percent or 0.0

    @cached_property
    def certificate(self) -> Certificate | None:
        if not self.authenticated:
            return None
        return Certificate.objects.filter(spelled_exactly("course_key", self.course_key), user=self.user).first()

    @cached_property
    def verified_mode(self):
        return next((mode for mode in self.modes if mode.mode_slug == VERIFIED), None)

    @property
    def enrollment_mode(self) -> str | None:
        return self.enrollment.mode if self.enrollment is not None else None

    @property
    def enrollment_active(self) -> bool:
        return bool(self.enrollment is not None and self.enrollment.is_active)

    # Fields, in the order of the spec.

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
        if not (self.enrollment_active and ENABLE_COURSE_GOALS.is_enabled(self.request)):
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
        """Earned over possible across the exam chapter's graded subsections (0.0 without grades)."""
        if not self.authenticated:
            return 0.0
        chapter = next((block for block in get_outline(self.course_key).of_type("chapter")
                        if str(block.usage_key) == self.course.entrance_exam_id
                        or block.usage_key.block_id == self.course.entrance_exam_id), None)
        if chapter is None:
            return 0.0
        keys = [block.usage_key for block in chapter.descendants() if block.block_type == "sequential"]
        rows = (PersistentSubsectionGrade.objects.filter(spelled_exactly_in("usage_key", keys), user=self.user)
                .values_list("earned", "possible"))
        earned = sum(row[0] for row in rows)
        possible = sum(row[1] for row in rows)
        return earned / possible if possible else 0.0

    @property
    def media(self) -> dict:
        image = self.course.course_image_url or None
        return {
            "course_image": {"uri": image},
            "course_video": {"uri": self.course.video_url or None},
            "image": {"raw": image, "small": image, "large": image},
        }

    @cached_property
    def offer(self) -> dict | None:
        if not self.authenticated or not ENABLE_DISCOUNTING.is_enabled(self.request):
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
                            and ENABLE_PROGRESS_MILESTONES.is_enabled(self.request)
                            and ENABLE_STREAK_CELEBRATION.is_enabled(self.request))
        if self.enrollment is None:
            return dict(NO_CELEBRATIONS)
        zone = first_zone(self.preferences.get(TIME_ZONE_PREFERENCE), self.browser_timezone)
        return get_celebrations(
            self.user, self.enrollment, self.course_key, today=local_date(self.now, zone), goal=self.goal,
            track_streak=track_streak,
            streak_discount=self.streak_discount_applies,
            on_streak_updated=lambda length: self.hooks.streak_updated(self.user, self.course_key, length))

    def streak_discount_applies(self) -> bool:
        """Spec §6.1: flag on, course running, a verified mode still for sale, an upsell enrollment."""
        verified = self.verified_mode
        return bool(ENABLE_STREAK_DISCOUNT.is_enabled(self.request)
                    and (self.course.end is None or self.course.end > self.now)
                    and verified is not None
                    and (verified.expiration_datetime is None or verified.expiration_datetime > self.now)
                    and self.enrollment_mode in UPSELL_MODES
                    and not self.hooks.is_enterprise_learner(self.user))

    @cached_property
    def user_has_passing_grade(self) -> bool:
        if not self.authenticated:
            return False
        cutoffs = self.course.grade_cutoffs or DEFAULT_GRADE_CUTOFFS
        return self.grade_percent >= min(cutoffs.values())

    @property
    def course_exit_page_is_active(self) -> bool:
        return COURSE_EXIT_PAGE.is_enabled(self.request)

    @cached_property
    def certificate_data(self) -> dict | None:
        """Spec §4.3: audit and honor shortcuts, then the certificate's own status."""
        if self.enrollment is None:
            return None
        mode = self.enrollment_mode
        if mode == AUDIT:
            return {**NO_CERTIFICATE, "cert_status": CertificateStatuses.audit_passing}
        if mode == HONOR and not certificate_eligible_mode(mode):
            return {**NO_CERTIFICATE, "cert_status": CertificateStatuses.honor_passing}
        certificate = self.certificate
        status = certificate.status if certificate is not None else None
        if status == CertificateStatuses.invalidated:
            return {**NO_CERTIFICATE, "cert_status": status}
        if status not in CertificateStatuses.PASSED and status != CertificateStatuses.requesting:
            if not self.user_has_passing_grade:
                return None
            return {**NO_CERTIFICATE, "cert_status": CertificateStatuses.requesting}
        available = self.certificate_available_date
        if status in CertificateStatuses.PASSED and available is not None and available > self.now:
            return {**NO_CERTIFICATE, "cert_status": "earned_but_not_available",
                    "certificate_available_date": available}
        if status != CertificateStatuses.downloadable:
            return {**NO_CERTIFICATE, "cert_status": status}
        web_url = self.certificate_web_view_url
        download_url = certificate.download_url or None
        if web_url is None and download_url is None:
            return None
        return {**NO_CERTIFICATE, "cert_status": status, "cert_web_view_url": web_url,
                "download_url": None if web_url else download_url}

    @property
    def certificate_available_date(self) -> datetime | None:
        """When instructor-paced certificates become visible (``end`` or ``end_with_date`` behaviour)."""
        course = self.course
        if course.self_paced or course.certificates_display_behavior == "early_no_info":
            return None
        if course.certificates_display_behavior == "end_with_date" and course.certificate_available_date:
            return course.certificate_available_date
        return course.end

    @cached_property
    def certificate_web_view_url(self) -> str | None:
        certificate = self.certificate
        if certificate is None or not self.course.cert_html_view_enabled:
            return None
        return self.hooks.certificate_web_view_url(certificate)

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

    @cached_property
    def linkedin_add_to_profile_url(self) -> str | None:
        """LinkedIn's add-certification URL for a downloadable certificate, when LinkedIn sharing is on."""
        if not self.authenticated:
            return None
        config = self.hooks.linkedin_add_to_profile_config()
        certificate = self.certificate
        if (not config or certificate is None or certificate.status != CertificateStatuses.downloadable
                or certificate.mode not in LINKEDIN_CERTIFICATE_NAMES):
            return None
        name = LINKEDIN_CERTIFICATE_NAMES[certificate.mode].format(
            platform_name=learner_apis_settings.PLATFORM_NAME, course_name=self.course.display_name_with_default)
        params = [("name", name), ("certUrl", self.absolute(self.hooks.certificate_web_view_url(certificate)))]
        if config.get("company_identifier"):
            params.append(("organizationId", config["company_identifier"]))
        params += [("certId", certificate.verify_uuid), ("issueYear", certificate.created_date.year),
                   ("issueMonth", certificate.created_date.month)]
        return LINKEDIN_ADD_URL + urlencode(params)

    @staticmethod
    def absolute(url: str | None) -> str | None:
        """``url`` made absolute against ``LMS_ROOT_URL`` (unchanged when already absolute or no root is set)."""
        root = learner_apis_settings.LMS_ROOT_URL
        if not url or "://" in url or not root:
            return url
        return root.rstrip("/") + "/" + url.lstrip("/")

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
        return bool(ENABLE_ANONYMOUS_COURSEWARE_ACCESS.is_enabled(self.request) and is_public(self.course))

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
        return self.course.start == DEFAULT_START and not self.course.advertised_start

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
