"""Default providers for subsystems this app does not own.

A host replaces them with ``OPENEDX_LEARNER_APIS["HOOKS"] = "dotted.path.MyHooks"``,
usually a subclass of ``DefaultHooks``. Defaults never write to the database.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

from .conf import learner_apis_settings
from .core.urls import lms_url

log = logging.getLogger(__name__)

# A course id the course-key URL pattern accepts, replaced by the real one in reversed paths.
COURSE_ID_STAND_IN = "course-v1:stand+in+id"
# What reverse() leaves unquoted in a path (RFC 3986 sub-delimiters and "/~:@").
URL_SAFE = "!$&'()*+,;=/~:@"


@lru_cache(maxsize=4096)
def _quoted_id(course_id: str) -> str:
    """A course id as reverse() puts it in a path, per process: the same courses are linked on every request."""
    return quote(course_id, safe=URL_SAFE)


class DefaultHooks:
    """Sane standalone answers; each method documents its contract."""

    def course_run_titles(self, course_keys) -> dict:
        """``{course_key: title}`` from the host's catalog for courses that have no overview here.

        The certificates list calls it once per request with every such key, so that a
        catalog is asked once however many certificates there are; keys the catalog does not
        know may be left out. Default: no catalog, ``{}``.
        """
        return {}

    # Commerce (ecommerce service, discounts).

    def ecommerce_checkout_enabled(self, user) -> bool:
        """Whether ``user`` pays through an ecommerce service; without one, nobody does."""
        return False

    def ecommerce_checkout_url(self, user, *, course_key, sku: str) -> str | None:
        """The checkout page for ``sku`` in ``course_key`` (absolute URL), or ``None``."""
        return None

    def upgrade_url(self, user, *, course_key, sku: str | None) -> str | None:
        """Where ``user`` buys the verified upgrade of ``course_key``, or ``None`` when there is no store."""
        return None

    def offer(self, user, course) -> dict | None:
        """A first-purchase discount for ``user`` in ``course`` or ``None``.

        Keys: ``code``, ``expiration_date``, ``original_price``, ``discounted_price``,
        ``percentage``, ``upgrade_url``. Asked only when ``discounts.enable_discounting`` is
        on; must not record anything (GET requests do not write: docs/decisions/0005-get-does-not-write.rst).
        """
        return None

    def is_enterprise_learner(self, user) -> bool:
        """Whether ``user`` learns through an enterprise customer (no streak discounts then)."""
        return False

    # Programs (course discovery).

    def related_programs(self, user, course_key) -> list[dict] | None:
        """The programs containing ``course_key``, or ``None`` when it is in none.

        Each entry: ``{"progress": {"completed", "in_progress", "not_started"}, "slug", "title",
        "url", "uuid"}``. The progress key is ``completed``, the name Open edX clients read
        (docs/courseware.rst, "Hooks").
        """
        return None

    # Identity verification.

    def verification_status(self, user, course_key) -> str:
        """One of ``none``, ``expired``, ``approved``, ``pending``, ``must_reverify``."""
        return "none"

    def verify_identity_url(self, user, course_key, *, status: str) -> str | None:
        """Where a learner in a verified mode verifies (or re-verifies) their identity, or ``None``."""
        return None

    # Content type gating (paywalled graded content for audit learners).

    def content_type_gating_enabled(self, user, course_key, *, enrollment) -> bool:
        """Whether feature-based content gating applies to ``user``'s enrollment."""
        return False

    def contains_gated_content(self, user, block) -> bool:
        """Whether the outline ``block`` (a unit) holds content paywalled for ``user``."""
        return False

    # Learning assistant, integrity agreement, certificates on LinkedIn.

    def learning_assistant_enabled(self, user, course_key) -> bool:
        """Whether the learning assistant is offered: the ``LEARNING_ASSISTANT_AVAILABLE`` setting."""
        return bool(learner_apis_settings.LEARNING_ASSISTANT_AVAILABLE)

    def has_integrity_signature(self, user, course_key) -> bool:
        """Whether ``user`` signed the honor code agreement of ``course_key``; no agreements store → no."""
        return False

    def linkedin_add_to_profile_config(self) -> dict | None:
        """``{"company_identifier": str | None}`` when adding certificates to LinkedIn is on, else ``None``."""
        return None

    def certificate_web_view_url(self, certificate) -> str | None:
        """The web page of a certificate (relative or absolute); ``/certificates/<verify_uuid>`` by default."""
        if not certificate.verify_uuid:
            return None
        return f"/certificates/{certificate.verify_uuid}"

    # Courseware display and tracking.

    def unit_icon_type(self, unit) -> str | None:
        """The icon of a unit in a sequence, or ``None`` for the default rule (problem > video > other).

        Open edX deployments set ``GET_UNIT_ICON_IMPL`` for this.
        """
        return None

    def streak_updated(self, user, course_key, streak_length: int) -> None:
        """Told after commit that ``user``'s streak changed (Open edX emits ``edx.user.celebration.streak_updated``)."""
        log.info("Streak of user %s is %s days (course %s).", user.pk, streak_length, course_key)

    # Mobile: links to pages and APIs served by other apps, absolute so the apps can open them.

    def course_about_url(self, request, course) -> str:
        """The course's about page, absolute: the custom sharing URL when the host's
        ``SOCIAL_SHARING_SETTINGS["CUSTOM_COURSE_URLS"]`` is on and the course has one, else its
        marketing URL, else ``{LMS_ROOT_URL}/courses/{course_id}/about``."""
        if course.social_sharing_url and getattr(settings, "SOCIAL_SHARING_SETTINGS", {}).get("CUSTOM_COURSE_URLS"):
            return course.social_sharing_url
        if course.marketing_url:
            return course.marketing_url
        return self.lms_url(request, f"/courses/{course.course_key}/about")

    def mobile_course_info_url(self, request, course_key, *, api_version: str, kind: str) -> str | None:
        """The mobile course-info route of a course (``kind`` is ``updates`` or ``handouts``), absolute, or ``None``.

        ``{MOBILE_COURSE_INFO_URL_ROOT}/api/mobile/{v}/course_info/{course_id}/{kind}`` when that
        setting names an LMS serving them, else this app's own route on the request's host.
        """
        root = learner_apis_settings.MOBILE_COURSE_INFO_URL_ROOT
        if root:
            return f"{root.rstrip('/')}/api/mobile/{api_version}/course_info/{course_key}/{kind}"
        # Reversed once per hooks object (one request's) around a stand-in id: a list of a hundred
        # enrollments asks for two links each, and reverse() costs ~20 times the formatting.
        namespace = getattr(request.resolver_match, "namespace", "") or "mobile_api"
        paths = self.__dict__.setdefault("_course_info_paths", {})
        if (namespace, api_version, kind) not in paths:
            path = reverse(f"{namespace}:course-{kind}-list",
                           kwargs={"api_version": api_version, "course_key_string": COURSE_ID_STAND_IN})
            paths[namespace, api_version, kind] = path.split(COURSE_ID_STAND_IN)
        before, after = paths[namespace, api_version, kind]
        return request.build_absolute_uri(f"{before}{_quoted_id(str(course_key))}{after}")

    def discussion_url(self, request, course) -> str | None:
        """The discussion API of a course whose discussions are on (``course.discussion_enabled``), else ``None``."""
        if not course.discussion_enabled:
            return None
        return request.build_absolute_uri(f"/api/discussion/v1/courses/{course.course_key}")

    def jump_to_url(self, request, course_key, usage_key) -> str:
        """The LMS page that opens a block, absolute: ``{LMS_ROOT_URL}/courses/{course}/jump_to/{block}``."""
        return self.lms_url(request, f"/courses/{course_key}/jump_to/{usage_key}")

    def lms_url(self, request, path: str) -> str:
        """``path`` on the LMS: under ``LMS_ROOT_URL`` when configured, else on the request's host."""
        return lms_url(path, root=learner_apis_settings.LMS_ROOT_URL, absolute_url=request.build_absolute_uri)
