"""System checks that tell an operator what is misconfigured and how to fix it."""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from .conf import DEFAULTS, FAMILIES, SETTING_NAME, learner_apis_settings
from .core.versions import default_cache_backend, default_cache_is_shared
from .rest_api.common.throttling import THROTTLED_FAMILIES, InvalidRate, parse_rate


@register()
def check_settings(app_configs=None, **kwargs):
    """Unknown keys, dotted paths that do not import, bad prefixes, a missing storage alias."""
    errors = []
    try:
        learner_apis_settings.user_settings  # noqa: B018  (reading it validates the keys)
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint=f"Remove the key or fix its spelling; valid keys: {sorted(DEFAULTS)}.",
                      id="openedx_learner_apis.E001")]
    for key in ("AUTHENTICATION_CLASSES", "PERMISSION_CLASSES", "PAGINATION_CLASS", "HOOKS"):
        try:
            getattr(learner_apis_settings, key)
        except ImproperlyConfigured as exc:
            errors.append(Error(str(exc), hint="Give a dotted path to an importable class.",
                                id="openedx_learner_apis.E002"))
    prefixes = learner_apis_settings.raw("URL_PREFIXES")
    for family, prefix in prefixes.items():
        if family not in FAMILIES:
            errors.append(Error(f"{SETTING_NAME}['URL_PREFIXES'] names an unknown family {family!r}.",
                                hint=f"Families are {list(FAMILIES)}.", id="openedx_learner_apis.E003"))
        elif prefix is not None and (not isinstance(prefix, str) or prefix.startswith("/")
                                     or (prefix and not prefix.endswith("/"))):
            errors.append(Error(f"{SETTING_NAME}['URL_PREFIXES'][{family!r}] = {prefix!r} is not a valid prefix.",
                                hint="Use a relative path ending with '/', like 'api/badges/v1/', or None.",
                                id="openedx_learner_apis.E004"))
    for key in ("USERNAME_PATTERN", "COURSE_KEY_PATTERN", "USAGE_KEY_PATTERN"):
        try:
            re.compile(learner_apis_settings.raw(key))
        except re.error as exc:
            errors.append(Error(f"{key} is not a valid regular expression: {exc}.", id="openedx_learner_apis.E005"))
    alias = learner_apis_settings.PROFILE_IMAGE_STORAGE
    storages = getattr(settings, "STORAGES", {})
    if alias not in storages and alias != DEFAULTS["PROFILE_IMAGE_STORAGE"]:
        errors.append(Error(f"{SETTING_NAME}['PROFILE_IMAGE_STORAGE'] = {alias!r} is not a STORAGES alias.",
                            hint=f"Add it to STORAGES or use one of {sorted(storages)}.",
                            id="openedx_learner_apis.E006"))
    elif alias not in storages:
        errors.append(Warning(f"STORAGES has no {alias!r} alias; profile images use the 'default' storage.",
                              hint="Add a 'profile_image' alias to STORAGES to serve them from elsewhere.",
                              id="openedx_learner_apis.W001"))
    if "waffle" not in settings.INSTALLED_APPS:
        errors.append(Error("django-waffle is not installed.", hint="Add 'waffle' to INSTALLED_APPS.",
                            id="openedx_learner_apis.E007"))
    return errors


JWT_AUTH_EXAMPLE = """JWT_AUTH = {
    "JWT_ISSUERS": [{"ISSUER": "https://lms.example.com/oauth2", "AUDIENCE": "<the LMS's JWT audience>",
                     "SECRET_KEY": "<the LMS's JWT secret>"}],
    "JWT_PUBLIC_SIGNING_JWK_SET": "<the LMS's public JWK set, as JSON>",
    "JWT_SUPPORTED_VERSION": "1.2.0",
    "JWT_AUTH_HEADER_PREFIX": "JWT",
    "JWT_AUTH_COOKIE": "edx-jwt-cookie",
}"""
ISSUER_KEYS = ("ISSUER", "AUDIENCE", "SECRET_KEY")


@register()
def check_jwt_settings(app_configs=None, **kwargs):
    """``JWT_AUTH`` has the issuers the Open edX decoder validates against; grants name real families.

    Without ``JWT_ISSUERS`` the decoder falls back to deprecated single-issuer settings, and
    an issuer without its audience or secret makes every JWT request fail with a server error.
    """
    errors = []
    jwt_auth = getattr(settings, "JWT_AUTH", None)
    issuers = jwt_auth.get("JWT_ISSUERS") if isinstance(jwt_auth, dict) else None
    if not issuers or not isinstance(issuers, (list, tuple)):
        what = "JWT_AUTH is not set" if jwt_auth is None else "JWT_AUTH has no JWT_ISSUERS list"
        errors.append(Error(
            f"{what}: JWTs are validated against the issuers, audience and keys of the Open edX LMS.",
            hint=f"Add the LMS's values, for example:\n{JWT_AUTH_EXAMPLE}", id="openedx_learner_apis.E008"))
    else:
        for index, issuer in enumerate(issuers):
            missing = [key for key in ISSUER_KEYS if not isinstance(issuer, dict) or key not in issuer]
            if missing:
                errors.append(Error(
                    f"JWT_AUTH['JWT_ISSUERS'][{index}] lacks {missing}.",
                    hint=f"Each issuer is a dict with {list(ISSUER_KEYS)}, as in the LMS:\n{JWT_AUTH_EXAMPLE}",
                    id="openedx_learner_apis.E009"))
    errors.extend(_check_restricted_application_scopes())
    return errors


def _check_restricted_application_scopes():
    grants = learner_apis_settings.raw("RESTRICTED_APPLICATION_SCOPES")
    hint = ('A family of URL_PREFIXES but certificates, mapped to a list of scopes or to {"read": [...], '
            '"write": [...]}, e.g. {"mobile": {"read": ["mobile:read"]}}.')
    if not isinstance(grants, dict):
        return [Error(f"{SETTING_NAME}['RESTRICTED_APPLICATION_SCOPES'] must be a dict.", hint=hint,
                      id="openedx_learner_apis.E010")]
    errors = []
    for family, grant in grants.items():
        if family not in FAMILIES or family in ("certificates", "profile_images_legacy"):
            errors.append(Error(
                f"{SETTING_NAME}['RESTRICTED_APPLICATION_SCOPES'] cannot grant {family!r}"
                + (": certificates follow their own scope and filter rules." if family == "certificates" else
                   ": the deprecated profile image routes follow 'profile_images'."
                   if family == "profile_images_legacy" else "."),
                hint=hint, id="openedx_learner_apis.E010"))
        elif not _is_scope_grant(grant):
            errors.append(Error(f"{SETTING_NAME}['RESTRICTED_APPLICATION_SCOPES'][{family!r}] = {grant!r} "
                                "is not a list of scopes.", hint=hint, id="openedx_learner_apis.E010"))
    return errors


def _is_scope_grant(grant) -> bool:
    def scopes(value):
        return isinstance(value, (list, tuple)) and all(isinstance(scope, str) and scope for scope in value)

    if isinstance(grant, dict):
        return bool(grant) and set(grant) <= {"read", "write"} and all(scopes(value) for value in grant.values())
    return scopes(grant) and bool(grant)


JWT_COOKIE_MIDDLEWARE = "edx_rest_framework_extensions.auth.jwt.middleware.JwtAuthCookieMiddleware"
BROWSER_ORIGIN_SETTINGS = ("CORS_ALLOWED_ORIGINS", "CORS_ORIGIN_WHITELIST", "CORS_ALLOWED_ORIGIN_REGEXES",
                           "CORS_ORIGIN_REGEX_WHITELIST", "CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL",
                           "CSRF_TRUSTED_ORIGINS")


@register()
def check_browser_clients(app_configs=None, **kwargs):
    """Browser MFEs on other origins send the LMS's JWT cookie pair: the host must join it (W002).

    The trigger: a family authenticates with a JWT class (which reads the cookie), and the host
    expects browser clients from other origins (a CORS origin setting or ``CSRF_TRUSTED_ORIGINS``
    is set). Then ``JwtAuthCookieMiddleware`` must be in ``MIDDLEWARE`` (it joins the
    header-payload and signature cookies into one) and ``JWT_AUTH["JWT_AUTH_COOKIE"]`` must name
    that cookie (without it the JWT class never looks at cookies); otherwise every MFE call is a 401.
    """
    from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication

    origins = [name for name in BROWSER_ORIGIN_SETTINGS if getattr(settings, name, None)]
    try:
        classes = {cls for family_classes in learner_apis_settings.AUTHENTICATION_CLASSES.values()
                   for cls in family_classes}
    except ImproperlyConfigured:  # reported as E002
        return []
    if not origins or not any(isinstance(cls, type) and issubclass(cls, JwtAuthentication) for cls in classes):
        return []
    missing = []
    if JWT_COOKIE_MIDDLEWARE not in getattr(settings, "MIDDLEWARE", []):
        missing.append(f"MIDDLEWARE lacks {JWT_COOKIE_MIDDLEWARE!r}")
    jwt_auth = getattr(settings, "JWT_AUTH", None)
    if not isinstance(jwt_auth, dict) or not jwt_auth.get("JWT_AUTH_COOKIE"):
        missing.append('JWT_AUTH has no "JWT_AUTH_COOKIE"')
    if not missing:
        return []
    return [Warning(
        f"Browser clients are expected ({', '.join(origins)} set) but {' and '.join(missing)}: the JWT "
        "cookies the LMS sets at login will not authenticate anyone (401).",
        hint=f'Add {JWT_COOKIE_MIDDLEWARE!r} to MIDDLEWARE before AuthenticationMiddleware and set '
             'JWT_AUTH["JWT_AUTH_COOKIE"] = "edx-jwt-cookie", as the LMS does (see the hosting docs).',
        id="openedx_learner_apis.W002")]


PLACEHOLDER_HASH_SEED = DEFAULTS["PROFILE_IMAGE_HASH_SEED"]
HASH_SEED_HINT = (f"Set {SETTING_NAME}['PROFILE_IMAGE_HASH_SEED'] to a long random string of your own, the same "
                  "on every process (the LMS's PROFILE_IMAGE_HASH_SEED when you share its images).")


def _hash_seed_is_placeholder() -> bool:
    return learner_apis_settings.PROFILE_IMAGE_HASH_SEED == PLACEHOLDER_HASH_SEED


@register()
def check_hash_seed(app_configs=None, **kwargs):
    """The placeholder seed makes profile image file names guessable from the username (W003)."""
    if _hash_seed_is_placeholder():
        return [Warning("The profile image hash seed is the placeholder 'placeholder_secret_key': anyone can "
                        "derive a learner's image URL from the username.", hint=HASH_SEED_HINT,
                        id="openedx_learner_apis.W003")]
    return []


@register(deploy=True)
def check_hash_seed_deploy(app_configs=None, **kwargs):
    """Under ``check --deploy`` the placeholder seed is an error (E011), not just a warning."""
    if _hash_seed_is_placeholder():
        return [Error("The profile image hash seed is the placeholder 'placeholder_secret_key' in a deployment.",
                      hint=HASH_SEED_HINT, id="openedx_learner_apis.E011")]
    return []


@register()
def check_profile_image_location(app_configs=None, **kwargs):
    """Profile images must not be written into the project directory (W004).

    A file system storage with no ``location`` and no ``MEDIA_ROOT`` writes to the current
    directory, i.e. next to ``manage.py``, where uploads mix with the code.
    """
    from .applets.profile_images.storage import get_profile_image_storage

    try:
        location = getattr(get_profile_image_storage(), "location", None)
    except Exception:  # noqa: BLE001  (a broken storage is reported by the storage itself)
        return []
    if not location:
        return []
    roots = {Path(os.getcwd()).resolve()}
    if getattr(settings, "BASE_DIR", None):
        roots.add(Path(settings.BASE_DIR).resolve())
    if Path(location).resolve() in roots:
        return [Warning(f"Profile images would be written to {location}, the project directory.",
                        hint="Set MEDIA_ROOT (e.g. MEDIA_ROOT = BASE_DIR / 'media') and MEDIA_URL, or give the "
                             "'profile_image' STORAGES alias a 'location' outside the code.",
                        id="openedx_learner_apis.W004")]
    return []




@register()
def check_shared_cache(app_configs=None, **kwargs):
    """With ``DEBUG`` off the default cache must be shared by every process (W005).

    Cached course data is invalidated by bumping a generation token in the cache; a
    process-local cache only sees its own bumps, so other processes keep serving stale data.
    """
    backend = default_cache_backend()
    if not settings.DEBUG and not default_cache_is_shared():
        return [Warning(f"CACHES['default'] is {backend.rsplit('.', 1)[-1]}, local to one process, and DEBUG is "
                        "off: cache invalidations in one process are not seen by the others.",
                        hint="Use a shared cache: django.core.cache.backends.redis.RedisCache or a Memcached "
                             "backend, the one the LMS uses.",
                        id="openedx_learner_apis.W005")]
    return []


@register()
def check_throttle_rates(app_configs=None, **kwargs):
    """``THROTTLE_RATES`` maps families with write routes to ``None`` or a rate like ``"10/minute"`` (E012).

    A rate that does not parse would otherwise leave that family's writes unlimited without
    a word, since the throttle lets requests through rather than failing them.
    """
    rates = learner_apis_settings.raw("THROTTLE_RATES")
    hint = (f'A dict from {list(THROTTLED_FAMILIES)} to a rate like "10/minute" (per second, minute, hour or '
            'day) or None for no limit.')
    if not isinstance(rates, dict):
        return [Error(f"{SETTING_NAME}['THROTTLE_RATES'] must be a dict, not {rates!r}.", hint=hint,
                      id="openedx_learner_apis.E012")]
    errors = []
    for family, rate in rates.items():
        if family not in THROTTLED_FAMILIES:
            reason = {"profile_images_legacy": ": the deprecated profile image routes share 'profile_images'."}.get(
                family, ": it has no write routes." if family in FAMILIES else ".")
            errors.append(Error(f"{SETTING_NAME}['THROTTLE_RATES'] cannot limit {family!r}{reason}", hint=hint,
                                id="openedx_learner_apis.E012"))
            continue
        try:
            parse_rate(rate)
        except InvalidRate as exc:
            errors.append(Error(f"{SETTING_NAME}['THROTTLE_RATES'][{family!r}]: {exc}", hint=hint,
                                id="openedx_learner_apis.E012"))
    return errors


PRECEDENCE_FIX = (f'Set {SETTING_NAME}["SERVE_BEFORE_HOST_ROUTES"] = True where the plugin settings hook sees it '
                  "(the LMS's YAML configuration, or a settings file read before add_plugins), so that the app "
                  f"answers first; or turn the family off with {SETTING_NAME}['URL_PREFIXES'] = {{family: None}}.")


@register(Tags.urls)
def check_route_precedence(app_configs=None, **kwargs):
    """Route precedence is wired as set (E013, E014); else the host routes and namespaces hiding the app's (W006, W007).

    ``SERVE_BEFORE_HOST_ROUTES`` works through ``ROOT_URLCONF = routing.host_urls``, which the
    plugin settings hook installs; a value set after the hook ran leaves the host's URLconf in
    place. Without it, a host route at a family's path answers first (W006) and a namespace
    both declare reverses to the host's routes only (W007).
    """
    from .routing import HOST_URLS
    from .routing.shadows import duplicate_namespaces, shadowed_routes

    root = getattr(settings, "ROOT_URLCONF", None)
    host = learner_apis_settings.raw("HOST_URLCONF")
    if learner_apis_settings.raw("SERVE_BEFORE_HOST_ROUTES") and root != HOST_URLS:
        return [Error(
            f"{SETTING_NAME}['SERVE_BEFORE_HOST_ROUTES'] is on but ROOT_URLCONF is {root!r}: the plugin settings "
            "hook did not see the setting, so the host's routes still answer first.",
            hint=f"Set it where the hook reads it (the LMS's YAML, ENV_TOKENS), or add after it: "
                 f"ROOT_URLCONF = {HOST_URLS!r} and {SETTING_NAME}['HOST_URLCONF'] = {root!r}.",
            id="openedx_learner_apis.E013")]
    if root == HOST_URLS and (not host or host == HOST_URLS):
        return [Error(f"ROOT_URLCONF is {HOST_URLS!r} but {SETTING_NAME}['HOST_URLCONF'] = {host!r} names no "
                      "host URLconf.", hint=f"Set {SETTING_NAME}['HOST_URLCONF'] to the host's root URLconf, "
                                            "e.g. 'lms.urls'.", id="openedx_learner_apis.E014")]
    try:
        shadows, duplicates = shadowed_routes(), duplicate_namespaces()
    except Exception:  # noqa: BLE001  (a URLconf that does not load is reported by Django's own checks)
        return []
    errors = []
    if shadows:
        lines = "\n".join(f"  {shadow.path} ({shadow.family}) -> {shadow.host_view}" for shadow in shadows)
        errors.append(Warning(f"{len(shadows)} route(s) of the app are answered by the host's views first:\n{lines}",
                              hint=PRECEDENCE_FIX, id="openedx_learner_apis.W006"))
    if duplicates:
        errors.append(Warning(
            f"The URL namespaces {', '.join(duplicates)} are declared by the host and by the app: reverse() finds "
            "only the first declaration's names.", hint=PRECEDENCE_FIX, id="openedx_learner_apis.W007"))
    return errors
