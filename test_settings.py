"""Settings for the test suite.

``DATABASE_URL`` picks the database: unset means SQLite in memory;
``postgres://user@host:port/name`` and ``mysql://user@host:port/name`` use the real servers.
``REDIS_CACHE_URL`` (``redis://127.0.0.1:6379/1``) puts the default cache on a real Redis
server; unset means a local-memory cache.
"""

import os
import tempfile
from importlib.util import find_spec
from urllib.parse import urlparse

SECRET_KEY = "insecure-test-key"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
ROOT_URLCONF = "example.urls"
ALLOWED_HOSTS = ["*"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def database_from_url(url: str | None) -> dict:
    """A ``DATABASES["default"]`` entry from a ``DATABASE_URL``-style string."""
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}
    parsed = urlparse(url)
    engine = {"postgres": "postgresql", "postgresql": "postgresql", "mysql": "mysql"}[parsed.scheme]
    entry = {
        "ENGINE": f"django.db.backends.{engine}",
        "NAME": parsed.path.lstrip("/") or "test",
        "USER": parsed.username or "",
        "PASSWORD": parsed.password or "",
        "HOST": parsed.hostname or "",
        "PORT": str(parsed.port or ""),
    }
    if engine == "mysql":
        entry["OPTIONS"] = {"charset": "utf8mb4"}
    return entry


DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL"))}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "waffle",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "openedx_learner_apis",
    # The repository's demo and benchmark commands (not in the wheel), which the suite runs too.
    "example.demo_tools",
]
# edx-completion, when installed (CI installs it), so that the suite follows its writes as an LMS would.
# It is an lms.djangoapp plugin too: example.urls mounts its API, whose models need the app installed.
if find_spec("completion") is not None:
    INSTALLED_APPS.append("completion")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "waffle.middleware.WaffleMiddleware",
]

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]

MEDIA_ROOT = tempfile.mkdtemp(prefix="olapi-test-media-")
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "profile_image": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                      "OPTIONS": {"location": os.path.join(MEDIA_ROOT, "profile-images"),
                                  "base_url": "/media/profile-images/"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}



def cache_from_url(url: str | None) -> dict:
    """A ``CACHES["default"]`` entry: Redis for a ``redis://`` URL, local memory otherwise."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    # A prefix per process keeps parallel runs sharing one Redis database apart.
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
            "KEY_PREFIX": f"olapi-test-{os.getpid()}"}


CACHES = {"default": cache_from_url(os.environ.get("REDIS_CACHE_URL"))}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "edx_rest_framework_extensions.auth.jwt.authentication.JwtAuthentication",
        "edx_rest_framework_extensions.auth.session.authentication.SessionAuthenticationAllowInactiveUser",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Open edX learner APIs",
    "VERSION": "0.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
}

JWT_AUTH = {
    "JWT_ISSUER": "http://127.0.0.1:8000/oauth2",
    "JWT_AUDIENCE": "openedx-learner-apis",
    "JWT_SECRET_KEY": "insecure-test-jwt-secret-at-least-32-bytes",
    "JWT_ISSUERS": [{
        "ISSUER": "http://127.0.0.1:8000/oauth2",
        "AUDIENCE": "openedx-learner-apis",
        "SECRET_KEY": "insecure-test-jwt-secret-at-least-32-bytes",
    }],
    "JWT_ALGORITHM": "HS256",
    "JWT_VERIFY_EXPIRATION": True,
    "JWT_SUPPORTED_VERSION": "1.2.0",
    "JWT_AUTH_HEADER_PREFIX": "JWT",
    "JWT_AUTH_COOKIE": "edx-jwt-cookie",
}

LMS_ROOT_URL = "http://testserver"
# ``FORCE_RESPONSE_CACHE=1`` runs the suite with the response cache on (a local-memory cache is
# shared by everything one process tests): every test then also checks that no stale answer is served.
# With Redis as the cache (REDIS_CACHE_URL) the response cache would be on by default; the suite's
# query counts measure how answers are built, so it stays off there (tests/response_cache turns it
# on and off itself).
if os.environ.get("FORCE_RESPONSE_CACHE"):
    OPENEDX_LEARNER_APIS = {"RESPONSE_CACHE": True}
elif os.environ.get("REDIS_CACHE_URL"):
    OPENEDX_LEARNER_APIS = {"RESPONSE_CACHE": False}
else:
    OPENEDX_LEARNER_APIS = {}

# The suite runs in one process (a local-memory cache is shared by everything it tests) and
# keeps the placeholder profile image hash seed that the profile image tests pin file names with.
SILENCED_SYSTEM_CHECKS = ["openedx_learner_apis.W003", "openedx_learner_apis.W005"]
