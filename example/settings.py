"""Demo host settings: SQLite, plugin discovery of openedx-learner-apis, a JWT issuer for demo tokens."""

import os
from pathlib import Path

from edx_django_utils.plugins import add_plugins, get_plugin_apps

BASE_DIR = Path(__file__).resolve().parent
STATE_DIR = Path(os.environ.get("DEMO_STATE_DIR", BASE_DIR.parent / ".demo"))
STATE_DIR.mkdir(exist_ok=True)

SECRET_KEY = os.environ.get("DEMO_SECRET_KEY", "insecure-demo-key")
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
USE_TZ = True
TIME_ZONE = "UTC"
ROOT_URLCONF = "example.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(STATE_DIR / "demo.sqlite3")}}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]
# As an Open edX LMS does: the app is found through its ``lms.djangoapp`` entry point.
INSTALLED_APPS += get_plugin_apps("lms.djangoapp")

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

MEDIA_ROOT = str(STATE_DIR / "media")
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "profile_image": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                      "OPTIONS": {"location": str(STATE_DIR / "media" / "profile-images"),
                                  "base_url": "/media/profile-images/"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
SPECTACULAR_SETTINGS = {
    "TITLE": "Open edX learner APIs (demo)",
    "VERSION": "0.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
}

JWT_AUTH = {
    "JWT_ISSUER": "http://127.0.0.1:8000/oauth2",
    "JWT_AUDIENCE": "openedx-learner-apis",
    "JWT_SECRET_KEY": "insecure-demo-jwt-secret-change-me-in-production",
    "JWT_ISSUERS": [{"ISSUER": "http://127.0.0.1:8000/oauth2", "AUDIENCE": "openedx-learner-apis",
                     "SECRET_KEY": "insecure-demo-jwt-secret-change-me-in-production"}],
    "JWT_ALGORITHM": "HS256",
    "JWT_VERIFY_EXPIRATION": True,
    "JWT_SUPPORTED_VERSION": "1.2.0",
    "JWT_AUTH_HEADER_PREFIX": "JWT",
    "JWT_AUTH_COOKIE": "edx-jwt-cookie",
}
LMS_ROOT_URL = "http://127.0.0.1:8000"

OPENEDX_LEARNER_APIS = {}
# As an Open edX LMS does: each plugin app adjusts the settings it needs.
add_plugins(__name__, "lms.djangoapp", "common")
