"""``manage.py demo_curl``: print ready-to-paste curl commands, with fresh tokens, for every mounted endpoint."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from edx_rest_framework_extensions.auth.jwt.cookies import jwt_cookie_header_payload_name, jwt_cookie_signature_name

from openedx_learner_apis.applets.courses.models import Block, Course
from openedx_learner_apis.checks import JWT_COOKIE_MIDDLEWARE
from openedx_learner_apis.conf import learner_apis_settings
from openedx_learner_apis.rest_api.common.tokens import jwt_header, mint_jwt

BASE = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = "Print curl commands for the demo host, each with a freshly minted JWT."

    def handle(self, **options):
        user_model = get_user_model()
        try:
            learner, staff = user_model.objects.get(username="learner"), user_model.objects.get(username="staff")
        except user_model.DoesNotExist:
            raise CommandError("Run load_demo_data first.") from None
        course = Course.objects.filter(course_key__startswith="course-v1:OpenedX").first() or Course.objects.first()
        sequence = Block.objects.filter(course=course, block_type="sequential").order_by("preorder").first()
        learner_auth = jwt_header(mint_jwt(learner, expires_in=24 * 3600))
        staff_auth = jwt_header(mint_jwt(staff, expires_in=24 * 3600))
        prefixes = learner_apis_settings.raw("URL_PREFIXES")
        lines = [f"export LEARNER='Authorization: {learner_auth}'", f"export STAFF='Authorization: {staff_auth}'", ""]

        def curl(family, path, header="$LEARNER", extra=""):
            if prefixes.get(family) is not None:
                lines.append(f'curl -s {extra}-H "{header}" "{BASE}/{prefixes[family]}{path}"')

        curl("profile_images", "accounts/learner/image", extra="-X POST -F file=@photo.jpg ")
        curl("badges", "assertions/user/learner/")
        curl("certificates", "certificates/learner/")
        curl("mobile", "v4/users/learner/course_enrollments/")
        curl("mobile", f"v1/users/learner/course_status_info/{course.course_key}")
        curl("mobile", "v1/users/learner/enrollments_status/")
        curl("courseware", f"course/{course.course_key}")
        if sequence is not None:
            curl("courseware", f"sequence/{sequence.usage_key}")
        curl("courseware", f"resume/{course.course_key}")
        lines += ["", f"API docs (Swagger UI): {BASE}/api-docs/   admin: {BASE}/admin/ (staff / password)"]
        lines += ["", *browser_lines(mint_jwt(learner, expires_in=24 * 3600))]
        self.stdout.write("\n".join(lines))


def browser_lines(token: str) -> list[str]:
    """Where to serve a browser MFE from, and how to sign a browser in with the LMS's two JWT cookies.

    The origins are the host's ``CORS_ALLOWED_ORIGINS``: only pages served from one of them get
    answers to credentialed requests. The LMS splits a JWT into a header.payload cookie and a
    signature cookie at login; ``JwtAuthCookieMiddleware`` joins them again.
    """
    origins = list(getattr(settings, "CORS_ALLOWED_ORIGINS", None) or [])
    if not origins:
        return ["Browser MFEs: no origin is allowed (set CORS_ALLOWED_ORIGINS and CSRF_TRUSTED_ORIGINS)."]
    header_payload, _, signature = token.rpartition(".")
    lines = [f"Browser MFEs: serve an MFE from {' or '.join(origins)} (allowed with credentials; "
             "DEMO_MFE_ORIGINS changes the list) with",
             f"  LMS_BASE_URL={BASE}; writes take X-CSRFToken from {BASE}/csrf/api/v1/token.",
             "Sign the browser in as an LMS login does (paste into the console of a page of the demo):",
             f'  document.cookie = "{jwt_cookie_header_payload_name()}={header_payload}; path=/";',
             f'  document.cookie = "{jwt_cookie_signature_name()}={signature}; path=/";']
    if JWT_COOKIE_MIDDLEWARE not in settings.MIDDLEWARE:
        lines.append(f"  (this host lacks {JWT_COOKIE_MIDDLEWARE}: the cookies will not authenticate)")
    return lines
