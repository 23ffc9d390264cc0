"""Demo host settings: SQLite, plugin discovery of openedx-learner-apis, a JWT issuer, browser MFEs (CORS, CSRF)."""

import os
from pathlib import Path

from corsheaders.defaults import default_headers
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

# SQLite for concurrent requests: WAL lets readers run while one connection writes; IMMEDIATE
# takes the write lock when a transaction begins (a read lock upgraded later fails at once with
# "database is locked"); writers queue for up to ``timeout`` seconds instead of failing.
DATABASES = {"default": {
    "ENGINE": "django.db.backends.sqlite3",
    "NAME": str(STATE_DIR / "demo.sqlite3"),
    "OPTIONS": {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    },
}}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Browser MFEs on other origins, as the LMS serves them: CORS with credentials, and
    # edx-drf-extensions' ``csrf`` app (GET /csrf/api/v1/token, which MFEs call before a write).
    "corsheaders",
    "csrf",
]
# As an Open edX LMS does: the app is found through its ``lms.djangoapp`` entry point.
INSTALLED_APPS += get_plugin_apps("lms.djangoapp")
# The demo's own commands (load_demo_data, demo_curl, generate_scale_data); they are not in the wheel.
INSTALLED_APPS += ["example.demo_tools"]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",  # first: it answers preflights and must see every response
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Joins the LMS's two JWT cookies (header.payload, signature) into JWT_AUTH["JWT_AUTH_COOKIE"],
    # the cookie the JWT authentication class reads.
    "edx_rest_framework_extensions.auth.jwt.middleware.JwtAuthCookieMiddleware",
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

# JWTs as the Open edX LMS issues and checks them: the issuer list, and an RS512 key pair (JWKs)
# that signs every token mint_jwt and demo_curl print. THIS KEY PAIR IS A PUBLIC DEMO KEY, committed
# to the repository: anyone can sign tokens with it. Never use it outside the demo; a real host
# copies JWT_ISSUERS and JWT_PUBLIC_SIGNING_JWK_SET from its LMS (see docs/hosting.rst).
JWT_AUTH = {
    "JWT_ISSUER": "http://127.0.0.1:8000/oauth2",
    "JWT_AUDIENCE": "openedx-learner-apis",
    "JWT_SECRET_KEY": "insecure-demo-jwt-secret-change-me-in-production",
    "JWT_ISSUERS": [{"ISSUER": "http://127.0.0.1:8000/oauth2", "AUDIENCE": "openedx-learner-apis",
                     "SECRET_KEY": "insecure-demo-jwt-secret-change-me-in-production"}],
    "JWT_ALGORITHM": "HS256",
    "JWT_SIGNING_ALGORITHM": "RS512",
    "JWT_PRIVATE_SIGNING_JWK": (
        '{"kty":"RSA","key_ops":["sign"],"n":"3jjkOfd67TN4cBDzjLArfOFacjG1zVfH6bkGUsCvQmHu1JbHWOTXz1CvRnd'
        'Ug3c5Fj41T4p2CF-lhXQrT882kXgA8A6w1ruGpPCKR_CYk8B9B5DiFIfku5VBUupXivUSNY6B5miTa2ba4xS2TZlYDeLqgoi'
        'tqyYzHwQycKtjJ14RdLHTbXLPDf6eZPNqDWGlh0PyYAZSfVRp7a94sxn5zwD4N_JTnp2ybC3Ajdj28520JISzn7DEpzF0Cjg'
        'YBDaZ_bXz4G4Hdb17RKpoO-N-O65UXSWVnLYocby2I1Y0S8O6iIdqGLRrmilrMgi9bIdfMaBEepP6CSE3pBwb-ycl6Q","e"'
        ':"AQAB","d":"Hm7TI_R2WMATmTaxFqN_vnv25ixUS1lfWZegZo_Ye0esggpeJZiSzOOuBVainoMi2x7M2pD0m4P3HUDXYk2'
        'B7x0XSnObQzpuSkNeOf5DSaTIWqi8VXcg25GpXwtpzsVuPM3AkMc3PTOvpqlM_XE9LmBU9mh1GZBt2tcOeKtNX8llmp_vHbe'
        'EcO3HV7siq2qoAbYUVWKHopIRPEDSbraDbzL8K7-hpmfIacPQBAEKIYctpDCAj3ItE_S5ttmdzNQHLj8fcWdMx4xx0M6UK33'
        'H3tOEl3cqT4ZQFKFIAgdUikaZybibQAeTFyoMWKHvHSs2PUSD6ZXRW0UsWq0aSG1Iew","p":"-hKaH_QzFRN0usSOJjlM6v'
        'obdvy_j4Hvz1wfcz1v2ZZGJMPiP-GKMH76VJgt1cBb2RRQWHyTK3ZO8UhCGfKdamiLXSBe5Pghu8xrZ_9AllrQgaTLeHzgKc'
        'v-umoLOJGM4G9D_BK2ZGqEZd4LVU3fJsAsnTWGZt7gWxKs2wdbRo8","q":"431MPkvWFiSrqY7SOLGEEPYXo0YQJ0y_3n8x'
        'KYzHg8fEI0OUPys0u4-cJ8yfQWVrr1E7ssapHSsl00a-6PQkxLVHjufWVJYc5l0E3d1Ny_EQ6kkUpHwr3FOCUr00h2SJRcOu'
        'xdBThJ1V_0Q6Q2mLezT5tjj2T6crbXrAGo8wSAc","dp":"fjanTVtd8NQ6BQ2xRP-En9ANzpcwQ8jr9TdktDAc5K_gxSuMZ'
        'Ht72JAt3kZUU97bPIvxJUfyq2vx2fuDST9XTd5oAF-XJW9K71L0HrAItBovxE8dVrmIFfBcp09gTHPBq4DcyjvTjIjqO9O-2'
        'pYL-63glpPuOrtgdvbNAVsMKWc","dq":"3V3G_HPVXvTOKo_1Fv_-kHa4Z8Q84dE4f-1rTJBWcXDJ9rrDHnkPtlg3zy655e'
        'woTpCQtBXG6MBc7WvRSGSTBuuUN4Z4NRViB_SKUM8R7hulpyX4NVszXxHQJm1BGWMGhWG2x31CWDC2R1EAFSs2dG0HdX-Wh8'
        'oXY1BocS_W_q8","qi":"pNmF_WdIoy7IS9KoHCbb1BiEXOlKwmAtX2KcOyn-uoVzs1dO18YpVCXz_uQpsQDUQhLW6gvT5FN'
        'EcUoPEImhYTZmkZbJtS6thEvywYnqNE9cHyhdaJmZMs9RuPgqpyvJvJqohc3sRfJi3Dlgb7XBBEb2km4qo-LRhA8sqpEFi9Y'
        '","kid":"openedx-learner-apis-demo"}'
    ),
    "JWT_PUBLIC_SIGNING_JWK_SET": (
        '{"keys":[{"kty":"RSA","key_ops":["verify"],"n":"3jjkOfd67TN4cBDzjLArfOFacjG1zVfH6bkGUsCvQmHu1JbH'
        'WOTXz1CvRndUg3c5Fj41T4p2CF-lhXQrT882kXgA8A6w1ruGpPCKR_CYk8B9B5DiFIfku5VBUupXivUSNY6B5miTa2ba4xS2'
        'TZlYDeLqgoitqyYzHwQycKtjJ14RdLHTbXLPDf6eZPNqDWGlh0PyYAZSfVRp7a94sxn5zwD4N_JTnp2ybC3Ajdj28520JISz'
        'n7DEpzF0CjgYBDaZ_bXz4G4Hdb17RKpoO-N-O65UXSWVnLYocby2I1Y0S8O6iIdqGLRrmilrMgi9bIdfMaBEepP6CSE3pBwb'
        '-ycl6Q","e":"AQAB","kid":"openedx-learner-apis-demo"}]}'
    ),
    "JWT_VERIFY_EXPIRATION": True,
    "JWT_SUPPORTED_VERSION": "1.2.0",
    "JWT_AUTH_HEADER_PREFIX": "JWT",
    "JWT_AUTH_COOKIE": "edx-jwt-cookie",
    # The two cookies an LMS login sets (JS-readable header.payload, HttpOnly signature), which
    # JwtAuthCookieMiddleware joins into JWT_AUTH_COOKIE.
    "JWT_AUTH_COOKIE_HEADER_PAYLOAD": "edx-jwt-cookie-header-payload",
    "JWT_AUTH_COOKIE_SIGNATURE": "edx-jwt-cookie-signature",
}
LMS_ROOT_URL = "http://127.0.0.1:8000"

# The origins browser MFEs are served from (the learning MFE's and the profile MFE's development
# ports by default; DEMO_MFE_ORIGINS, comma-separated, replaces them). They are on 127.0.0.1 like
# the demo, so they are the same site: the LMS's cookies (SameSite=Lax) travel with their
# requests, as they do between an LMS and its MFEs on subdomains of one domain.
MFE_ORIGINS = [origin.strip().rstrip("/") for origin in
               os.environ.get("DEMO_MFE_ORIGINS", "http://127.0.0.1:2000,http://127.0.0.1:1995").split(",")
               if origin.strip()]
CORS_ALLOWED_ORIGINS = MFE_ORIGINS
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_HEADERS = (*default_headers, "use-jwt-cookie")  # frontend-platform sends USE-JWT-COOKIE
CORS_URLS_REGEX = r"^/(api|csrf)/"
# Cross-origin writes: Django's CSRF check accepts the Origin header of these origins; the token
# itself comes from GET /csrf/api/v1/token and goes back in X-CSRFToken with the csrftoken cookie.
CSRF_TRUSTED_ORIGINS = MFE_ORIGINS

# A demo seed of its own (the placeholder default is a warning, an error under check --deploy).
OPENEDX_LEARNER_APIS = {"PROFILE_IMAGE_HASH_SEED": "insecure-demo-profile-image-seed"}
# The write limits keep their defaults (10 profile image changes a minute per user...);
# DEMO_THROTTLE_RATES=off lifts them, for the fuzzer and load tests that write far faster.
if os.environ.get("DEMO_THROTTLE_RATES") == "off":
    OPENEDX_LEARNER_APIS["THROTTLE_RATES"] = {family: None for family in
                                              ("profile_images", "accounts", "mobile", "courseware")}
# As an Open edX LMS does: each plugin app adjusts the settings it needs.
add_plugins(__name__, "lms.djangoapp", "common")
