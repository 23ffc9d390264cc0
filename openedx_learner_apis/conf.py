"""The settings object for the ``OPENEDX_LEARNER_APIS`` dict.

Read values as attributes of ``learner_apis_settings``; dotted paths listed in
``IMPORT_STRINGS`` come back imported. Open edX top-level settings a host already
has (``PROFILE_IMAGE_*``, ``USERNAME_PATTERN``...) are used as defaults.

.. setting_name: OPENEDX_LEARNER_APIS
.. setting_default: {}
.. setting_description: One dict configuring every API family of openedx-learner-apis;
   see docs/settings.rst for each key and its default.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

SETTING_NAME = "OPENEDX_LEARNER_APIS"

FAMILIES = ("profile_images", "profile_images_legacy", "accounts", "badges", "certificates", "mobile", "courseware")

JWT = "openedx_learner_apis.rest_api.common.authentication.JwtAuthentication"
BEARER = "openedx_learner_apis.contrib.oauth2.BearerAuthenticationAllowInactiveUser"
SESSION = "edx_rest_framework_extensions.auth.session.authentication.SessionAuthenticationAllowInactiveUser"

DEFAULTS = {
    # Where each family is mounted; ``None`` turns a family off.
    "URL_PREFIXES": {
        "profile_images": "api/user/v1/",
        "profile_images_legacy": "api/profile_images/v1/",
        "accounts": "api/user/v1/",
        "badges": "api/badges/v1/",
        "certificates": "api/certificates/v0/",
        "mobile": "api/mobile/",
        "courseware": "api/courseware/",
    },
    # ``default`` applies to every family without its own entry.
    "AUTHENTICATION_CLASSES": {"default": [JWT, BEARER, SESSION]},
    # Per-family overrides; a family not listed keeps its own default (see the family's page in docs/).
    "PERMISSION_CLASSES": {},
    # Families a restricted OAuth application may call, and the scopes its JWT must carry:
    # {"mobile": {"read": ["mobile:read"]}} or {"badges": ["badges:read"]} (every method).
    "RESTRICTED_APPLICATION_SCOPES": {},
    # Per user and family, the write requests (POST, PUT, PATCH, DELETE) allowed per period; ``None``
    # lifts a family's limit. Keys: the families with write routes (docs/settings.rst, "Rate limits").
    "THROTTLE_RATES": {
        "profile_images": "10/minute",
        "accounts": "60/minute",
        "mobile": "60/minute",
        "courseware": "60/minute",
    },
    "PAGINATION_CLASS": "openedx_learner_apis.rest_api.common.pagination.DefaultPagination",
    "HOOKS": "openedx_learner_apis.hooks.DefaultHooks",
    "LMS_ROOT_URL": None,
    # Copy a host's openedx-events (enrollments, certificates, grades) into the applets; see docs/deployment.rst.
    "MIRROR_OPENEDX_EVENTS": True,
    # Repeated reads served from Django's cache (docs/http_caching.rst): None is on where the default cache
    # is shared by every process; True/False for every family; {"mobile": False, ...} per family.
    "RESPONSE_CACHE": None,
    # Copy edx-completion's BlockCompletion writes into the progress applet when it is installed.
    "MIRROR_COMPLETIONS": True,
    # Answer the families' paths before the host's own routes; the plugin settings hook then makes
    # ``openedx_learner_apis.routing.host_urls`` the ROOT_URLCONF and keeps the host's in HOST_URLCONF.
    "SERVE_BEFORE_HOST_ROUTES": False,
    "HOST_URLCONF": None,
    # Profile images.
    "PROFILE_IMAGE_STORAGE": "profile_image",
    "PROFILE_IMAGE_SIZES_MAP": {"full": 500, "large": 120, "medium": 50, "small": 30},
    "PROFILE_IMAGE_MIN_BYTES": 100,
    "PROFILE_IMAGE_MAX_BYTES": 1024 * 1024,
    "PROFILE_IMAGE_MAX_PIXELS": 36_000_000,
    "PROFILE_IMAGE_HASH_SEED": "placeholder_secret_key",
    "PROFILE_IMAGE_DEFAULT_FILENAME": "images/profiles/default",
    "PROFILE_IMAGE_DEFAULT_FILE_EXTENSION": "png",
    # URL patterns (named groups), as Open edX defines them.
    "USERNAME_PATTERN": r"(?P<username>[\w .@_+-]+)",
    "COURSE_KEY_PATTERN": r"(?P<course_key_string>[^/+]+(/|\+)[^/+]+(/|\+)[^/?]+)",
    "USAGE_KEY_PATTERN": r"(?P<usage_key_string>(?:i4x://?[^/]+/[^/]+/[^/]+/[^@]+(?:@[^/]+)?)|(?:[^/]+))",
    # Learner visibility (badges, certificates).
    "PARENTAL_CONSENT_AGE_LIMIT": 13,
    "ACCOUNT_VISIBILITY_CONFIGURATION": {
        "default_visibility": "all_users",
        "public_fields": ["account_privacy", "profile_image", "username"],
        "bulk_shareable_fields": [
            "username", "profile_image", "accomplishments_shared", "name", "course_certificates",
            "bio", "country", "date_joined", "language_proficiencies", "level_of_education", "social_links",
            "time_zone",
        ],
        "custom_shareable_fields": [
            "username", "profile_image", "accomplishments_shared", "name", "course_certificates",
            "bio", "country", "date_joined", "language_proficiencies", "level_of_education", "social_links",
            "time_zone",
        ],
    },
    # Certificates: ``None`` follows the host's ``FEATURES`` flag of the same name (False without one).
    "CERTIFICATES_HTML_VIEW": None,
    "ENABLE_V2_CERT_DISPLAY_SETTINGS": None,
    # Mobile.
    "SITE_COURSE_ORG_FILTER": [],
    "ENROLLMENTS_STATUS_DAYS": 30,
    "ENROLLMENTS_STATUS_LIMIT": 500,
    # Where the enrollment payload's course_updates/course_handouts links point: None is this app's own routes.
    "MOBILE_COURSE_INFO_URL_ROOT": None,
    # Courseware (docs/courseware.rst, "Settings added").
    "ENABLE_MASQUERADE": True,
    "ENABLE_INTEGRITY_SIGNATURE": False,
    "LEARNING_ASSISTANT_AVAILABLE": False,
    "COURSES_INVITE_ONLY": False,
    "ENABLE_LMS_MIGRATION": False,
    "ENABLE_ENTRANCE_EXAMS": False,
    "ENABLE_EDXNOTES": False,
    "DISABLE_HONOR_CERTIFICATES": False,
    "PLATFORM_NAME": "Your Platform Name Here",
    "PAID_COURSE_REGISTRATION_CURRENCY": ["usd", "$"],
    "COURSE_ENROLLMENT_MODES": {
        "audit": {"id": 1}, "verified": {"id": 2}, "professional": {"id": 3}, "no-id-professional": {"id": 4},
        "credit": {"id": 5}, "honor": {"id": 6}, "masters": {"id": 7}, "executive-education": {"id": 8},
    },
}

# Open edX top-level settings honoured as defaults when the host defines them.
LEGACY_SETTINGS = (
    "LMS_ROOT_URL",
    "PROFILE_IMAGE_SIZES_MAP",
    "PROFILE_IMAGE_MIN_BYTES",
    "PROFILE_IMAGE_MAX_BYTES",
    "PROFILE_IMAGE_HASH_SEED",
    "PROFILE_IMAGE_DEFAULT_FILENAME",
    "PROFILE_IMAGE_DEFAULT_FILE_EXTENSION",
    "USERNAME_PATTERN",
    "COURSE_KEY_PATTERN",
    "USAGE_KEY_PATTERN",
    "PARENTAL_CONSENT_AGE_LIMIT",
    "ACCOUNT_VISIBILITY_CONFIGURATION",
    "ENABLE_INTEGRITY_SIGNATURE",
    "LEARNING_ASSISTANT_AVAILABLE",
    "COURSES_INVITE_ONLY",
    "ENABLE_LMS_MIGRATION",
    "DISABLE_HONOR_CERTIFICATES",
    "PLATFORM_NAME",
    "PAID_COURSE_REGISTRATION_CURRENCY",
    "COURSE_ENROLLMENT_MODES",
)

# Keys whose values are dotted paths (or lists of them, or dicts of lists of them).
IMPORT_STRINGS = ("AUTHENTICATION_CLASSES", "PERMISSION_CLASSES", "PAGINATION_CLASS", "HOOKS")


def perform_import(value, key):
    """Import a dotted path, or every dotted path inside a list or dict."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return import_string(value)
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"{SETTING_NAME}[{key!r}]: could not import {value!r} ({exc.__class__.__name__}: {exc})."
            ) from exc
    if isinstance(value, (list, tuple)):
        return [perform_import(item, key) for item in value]
    if isinstance(value, dict):
        return {name: perform_import(item, f"{key}.{name}") for name, item in value.items()}
    return value


class LearnerApisSettings:
    """Lazy view of the host's ``OPENEDX_LEARNER_APIS`` merged over the defaults."""

    def __init__(self):
        self._cached: dict = {}
        self._user_settings: dict | None = None

    @property
    def user_settings(self) -> dict:
        if self._user_settings is None:
            configured = getattr(settings, SETTING_NAME, {}) or {}
            unknown = sorted(set(configured) - set(DEFAULTS))
            if unknown:
                raise ImproperlyConfigured(
                    f"{SETTING_NAME} has unknown keys {unknown}; valid keys are {sorted(DEFAULTS)}."
                )
            self._user_settings = configured
        return self._user_settings

    def raw(self, key: str):
        """The configured value of ``key`` before dotted paths are imported."""
        if key not in DEFAULTS:
            raise AttributeError(f"Invalid {SETTING_NAME} key: {key!r}")
        if key in self.user_settings:
            value = self.user_settings[key]
        elif key in LEGACY_SETTINGS and hasattr(settings, key):
            value = getattr(settings, key)
        else:
            value = DEFAULTS[key]
        if isinstance(DEFAULTS[key], dict) and key in ("URL_PREFIXES", "AUTHENTICATION_CLASSES"):
            value = {**DEFAULTS[key], **value}
        elif key == "THROTTLE_RATES" and isinstance(value, dict):
            value = {**DEFAULTS[key], **value}  # a family left out keeps its default rate
        return value

    def __getattr__(self, key: str):
        if key.startswith("_") or key not in DEFAULTS:
            raise AttributeError(f"Invalid {SETTING_NAME} key: {key!r}")
        if key not in self._cached:
            value = self.raw(key)
            if key in IMPORT_STRINGS:
                value = perform_import(value, key)
            self._cached[key] = value
        return self._cached[key]

    def authentication_classes(self, family: str) -> list:
        """The authentication classes of one API family."""
        classes = self.AUTHENTICATION_CLASSES
        return list(classes.get(family, classes["default"]))

    def permission_classes(self, family: str, default: list) -> list:
        """The permission classes of one family: the host's override, else the family's own ``default``."""
        return list(self.PERMISSION_CLASSES.get(family, default))

    def response_cache(self, family: str, *, cache_is_shared: bool) -> bool:
        """Whether repeated reads of ``family`` are served from the cache (``RESPONSE_CACHE``)."""
        value = self.RESPONSE_CACHE
        if isinstance(value, dict):
            value = value.get(family, value.get("default"))
        return cache_is_shared if value is None else bool(value)

    def hooks(self):
        """The provider of subsystems this app does not own (see ``hooks.py``)."""
        return self.HOOKS()

    def reload(self):
        self._cached = {}
        self._user_settings = None


learner_apis_settings = LearnerApisSettings()

_RELOAD_ON = {SETTING_NAME, *LEGACY_SETTINGS}


def reload_learner_apis_settings(*args, setting=None, **kwargs):
    """Forget cached values when a test overrides a setting we read."""
    if setting in _RELOAD_ON:
        learner_apis_settings.reload()


def connect_reload():
    setting_changed.connect(reload_learner_apis_settings, dispatch_uid="openedx_learner_apis.conf.reload")
