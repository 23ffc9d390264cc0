"""Pure rules of certificate display: passing, download URL, when a course shows its certificates.

The rules are those of docs/certificates.rst ("Detail", "List"); no database access here, so
every rule is unit-tested alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.conf import settings

from ...conf import learner_apis_settings
from ..learners.visibility import ALL_USERS, VISIBILITY_PREFIX, is_field_shared
from .models import Certificate, CertificateStatuses

__all__ = [
    "COURSE_CERTIFICATES_FIELD", "feature_enabled", "is_passing", "html_certificates_enabled",
    "certificate_download_url", "certificates_viewable_for_course", "has_certificate_to_show",
    "certificates_marked_public", "certificates_visible_to",
]

COURSE_CERTIFICATES_FIELD = "course_certificates"
EARLY_BEHAVIORS = frozenset({"early_with_info", "early_no_info"})


def feature_enabled(name: str) -> bool:
    """A certificates flag: our setting when given, else the host's ``FEATURES[name]``, else False."""
    value = getattr(learner_apis_settings, name)
    if value is None:
        value = (getattr(settings, "FEATURES", None) or {}).get(name, False)
    return bool(value)


def is_passing(status: str) -> bool:
    return status in CertificateStatuses.PASSED


def html_certificates_enabled(course) -> bool:
    """Web (HTML) certificates: on for the platform and for this course."""
    return course is not None and feature_enabled("CERTIFICATES_HTML_VIEW") and course.cert_html_view_enabled


def certificate_download_url(certificate: Certificate, course) -> str | None:
    """The ``download_url`` the API shows (docs/certificates.rst, "List").

    Only a ``downloadable`` certificate has one; any other status gives ``None``, even
    when a PDF URL is stored, as in Open edX (so an invalidated certificate never
    advertises its old PDF). A PDF URL wins; otherwise a web certificate links to its web
    page, which has one home: the ``certificate_web_view_url`` hook (``/certificates/<verify_uuid>``
    by default). Without a course, a web view or that page, the URL is ``""``.
    """
    if certificate.status != CertificateStatuses.downloadable:
        return None
    if certificate.download_url:
        return certificate.download_url
    if not html_certificates_enabled(course):
        return ""
    return learner_apis_settings.hooks().certificate_web_view_url(certificate) or ""


def certificates_viewable_for_course(course, *, now: datetime.datetime | None = None) -> bool:
    """Whether the course lets learners see their certificates yet (Open edX display behaviours)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    behavior = course.certificates_display_behavior
    available = course.certificate_available_date
    has_ended = course.end is not None and course.end < now
    if feature_enabled("ENABLE_V2_CERT_DISPLAY_SETTINGS"):
        show_early = behavior == "early_no_info" or course.certificates_show_before_end
        past_available_date = behavior == "end_with_date" and available is not None and available < now
        ended_without_date = behavior == "end" and has_ended
    else:
        show_early = behavior in EARLY_BEHAVIORS or course.certificates_show_before_end
        past_available_date = available is not None and available < now
        ended_without_date = available is None and has_ended
    return bool(course.self_paced or show_early or past_available_date or ended_without_date)


def has_certificate_to_show(certificate: Certificate, course) -> bool:
    """A PDF certificate always has something to show; a web one needs an active configuration."""
    return bool(certificate.download_url) or (course is not None and course.has_any_active_web_certificate)


def certificates_marked_public(preferences: Mapping[str, str]) -> bool:
    """The owner's ``visibility.course_certificates`` is ``all_users`` (docs/certificates.rst, permissions)."""
    return preferences.get(VISIBILITY_PREFIX + COURSE_CERTIFICATES_FIELD) == ALL_USERS


def certificates_visible_to(requester, owner, *, preferences: Mapping[str, str] | None = None,
                            profile=None) -> bool:
    """Whether ``requester`` may see ``owner``'s certificates in the list (otherwise it is empty).

    The owner and global staff always may; anyone else only when the owner's profile
    shares ``course_certificates`` (which a minor's or a private profile never does).
    ``preferences`` and ``profile`` are read only for anyone else, when not given.
    """
    if requester is not None and requester.is_authenticated and (requester.pk == owner.pk or requester.is_staff):
        return True
    return is_field_shared(owner, COURSE_CERTIFICATES_FIELD, preferences=preferences, profile=profile)
