"""Limits (docs/robustness.rst): page sizes, request sizes, and usernames nobody thought of.

Every paginated list clamps ``page_size``; a body over Django's limits is a 4xx in the
family's JSON shape; a username of 10,000 characters or of unusual Unicode is a 4xx or a
404, never a 500; and a username that only folds to another one (``straße`` and
``strasse``) never opens that other account's data.
"""

from __future__ import annotations

import io
import json
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection
from PIL import Image

from openedx_learner_apis.api import award_badge, create_badge_class, enroll, issue_certificate
from openedx_learner_apis.applets.engagement.models import CourseEnrollmentCelebration
from openedx_learner_apis.applets.learners.models import LearnerProfile
from openedx_learner_apis.applets.progress.models import CoursewarePosition
from tests.course_builders import build_course

pytestmark = pytest.mark.django_db

COURSE = "course-v1:edX+Limits+2026"
OVER_BODY_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024


# -- page sizes ------------------------------------------------------------------------------------------------

def badge_class(slug: str):
    icon = io.BytesIO()
    Image.new("RGB", (8, 8)).save(icon, format="PNG")
    return create_badge_class(slug, "openedx__course", display_name=slug, description=slug,
                              criteria="https://example.com/criteria", image=ContentFile(icon.getvalue(), "i.png"))


def award(user, badge, number: int = 0):
    return award_badge(user, badge, image_url=f"https://example.com/{number}.png",
                       assertion_url=f"https://example.com/{number}.json")


@pytest.fixture
def many_badges(learner):
    badge = badge_class("many")
    for number in range(101):
        award(learner, badge, number)
    return 101


@pytest.fixture
def many_enrollments(learner):
    for number in range(101):
        key = f"course-v1:edX+Many{number}+2026"
        build_course(key, outline=((1,),))
        enroll(learner, key)
    return 101


# (list URL, the largest page it serves)
PAGINATED_LISTS = {
    "badges": ("/api/badges/v1/assertions/user/learner/", 100, "many_badges"),
    "mobile v3": ("/api/mobile/v3/users/learner/course_enrollments/", 100, "many_enrollments"),
    "mobile v4": ("/api/mobile/v4/users/learner/course_enrollments/", 50, "many_enrollments"),
}


def page_of(body: dict) -> dict:
    return body["enrollments"] if "enrollments" in body else body


@pytest.mark.parametrize("page_size", ["1000", "101", str(10**30), "9" * 400])
@pytest.mark.parametrize("name", PAGINATED_LISTS)
def test_every_list_clamps_page_size(request, jwt_client, learner, name, page_size):
    url, max_page_size, rows_fixture = PAGINATED_LISTS[name]
    rows = request.getfixturevalue(rows_fixture)
    response = jwt_client(learner).get(url, {"page_size": page_size})
    assert response.status_code == 200
    page = page_of(response.json())
    assert page["count"] >= rows - 1  # v4 lists its primary enrollment apart
    assert len(page["results"]) == max_page_size
    assert page["num_pages"] == -(-page["count"] // max_page_size)


@pytest.mark.parametrize("page_size", ["0", "-5", "abc", "", "1e3", "\u0661\u0662"])
@pytest.mark.parametrize("name", PAGINATED_LISTS)
def test_unusable_page_size_falls_back_to_the_default(request, jwt_client, learner, name, page_size):
    url, max_page_size, rows_fixture = PAGINATED_LISTS[name]
    request.getfixturevalue(rows_fixture)
    response = jwt_client(learner).get(url, {"page_size": page_size})
    assert response.status_code == 200
    assert 0 < len(page_of(response.json())["results"]) <= max_page_size


@pytest.mark.parametrize("page", ["0", "-1", "10000", "abc", "9" * 400])
@pytest.mark.parametrize("name", PAGINATED_LISTS)
def test_page_out_of_range_is_a_json_404(request, jwt_client, learner, name, page):
    url, _, rows_fixture = PAGINATED_LISTS[name]
    request.getfixturevalue(rows_fixture)
    response = jwt_client(learner).get(url, {"page": page})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


# -- request sizes ---------------------------------------------------------------------------------------------

@pytest.fixture
def enrolled(learner):
    build_course(COURSE)
    enroll(learner, COURSE)


def test_celebration_body_over_the_limit_is_413(jwt_client, learner, enrolled):
    body = json.dumps({"first_section": True, "padding": "x" * OVER_BODY_LIMIT})
    response = jwt_client(learner).post(f"/api/courseware/celebration/{COURSE}", body,
                                        content_type="application/json")
    assert response.status_code == 413
    assert "developer_message" in response.json()
    assert not CourseEnrollmentCelebration.objects.exists()


@pytest.mark.parametrize("content_type, body", [
    ("application/json", json.dumps({"last_visited_module_id": "x" * OVER_BODY_LIMIT})),
    ("application/x-www-form-urlencoded", "last_visited_module_id=" + "x" * OVER_BODY_LIMIT),
])
def test_course_status_body_over_the_limit_is_413(jwt_client, learner, enrolled, content_type, body):
    response = jwt_client(learner).patch(f"/api/mobile/v1/users/learner/course_status_info/{COURSE}", body,
                                         content_type=content_type)
    assert response.status_code == 413
    assert "detail" in response.json()
    assert not CoursewarePosition.objects.exists()


@pytest.mark.parametrize("url", ["/api/user/v1/accounts/learner/image", "/api/profile_images/v1/learner/upload"])
def test_profile_image_form_field_over_the_limit_is_413(jwt_client, learner, url):
    response = jwt_client(learner).post(url, {"padding": "x" * OVER_BODY_LIMIT})
    assert response.status_code == 413
    assert "developer_message" in response.json()
    assert not LearnerProfile.objects.filter(user=learner, profile_image_uploaded_at__isnull=False).exists()


@pytest.mark.parametrize("url", [
    "/api/badges/v1/assertions/user/learner/",
    "/api/mobile/v1/users/learner/course_enrollments/",
    "/api/certificates/v0/certificates/learner/",
    f"/api/courseware/course/{COURSE}",
])
def test_too_many_query_parameters_is_a_json_400(jwt_client, learner, enrolled, url):
    query = "&".join(f"p{number}=1" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = jwt_client(learner).get(f"{url}?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


# -- usernames -------------------------------------------------------------------------------------------------

ODD_USERNAMES = {
    "10,000 characters": "a" * 10_000,
    "10,000 characters, wider than the column": "\U0001f600" * 10_000,
    "NUL": "lear\x00ner",
    "newline": "learner\n",
    "right-to-left override": "lea\u202ernerr",
    "combining accent": "le\u0301arner",
    "fullwidth (NFKC of learner)": "\uff4c\uff45\uff41\uff52\uff4e\uff45\uff52",
    "dotted capital I": "\u0130learner",
    "emoji": "\U0001f9d1\u200d\U0001f393",
    "lone surrogate, percent-encoded": "%ED%A0%80",
    "zero-width space": "learn\u200ber",
    "only dots": "..",
}

USERNAME_ROUTES = [
    ("get", "/api/badges/v1/assertions/user/{}/"),
    ("get", "/api/certificates/v0/certificates/{}/"),
    ("get", f"/api/certificates/v0/certificates/{{}}/courses/{COURSE}/"),
    ("get", "/api/mobile/v1/users/{}"),
    ("get", "/api/mobile/v4/users/{}/course_enrollments/"),
    ("get", f"/api/mobile/v1/users/{{}}/course_status_info/{COURSE}"),
    ("patch", f"/api/mobile/v1/users/{{}}/course_status_info/{COURSE}"),
    ("get", "/api/mobile/v1/users/{}/enrollments_status/"),
    ("post", "/api/user/v1/accounts/{}/image"),
    ("delete", "/api/user/v1/accounts/{}/image"),
    ("post", "/api/profile_images/v1/{}/upload"),
    ("post", "/api/profile_images/v1/{}/remove"),
    ("get", f"/api/courseware/course/{COURSE}?username={{}}"),
    ("get", f"/api/courseware/resume/{COURSE}?username={{}}"),
]


def quoted(username: str) -> str:
    return username if username.startswith("%") else quote(username, safe="")


@pytest.mark.parametrize("method, route", USERNAME_ROUTES)
@pytest.mark.parametrize("username", ODD_USERNAMES.values(), ids=ODD_USERNAMES.keys())
@pytest.mark.parametrize("requester", ["learner", "staff"])
def test_odd_username_is_a_4xx_never_a_500(jwt_client, learner, staff_user, enrolled, method, route, username,
                                            requester):
    client = jwt_client(staff_user if requester == "staff" else learner)
    response = getattr(client, method)(route.format(quoted(username)), {}, format="json")
    assert 400 <= response.status_code < 500, response.content[:300]
    assert response["Content-Type"] == "application/json"


@pytest.fixture
def lookalike_pair(make_user):
    """An account ``strasse`` with private data, and ``straße``, whose name folds to ``strasse``."""
    victim = make_user("strasse")
    build_course(COURSE)
    enroll(victim, COURSE)
    issue_certificate(victim, COURSE, status="downloadable", mode="verified", grade="0.9")
    award(victim, badge_class("secret"))
    return victim, make_user("straße")


@pytest.mark.parametrize("url", [
    "/api/mobile/v1/users/{}",
    "/api/mobile/v1/users/{}/course_enrollments/",
    "/api/mobile/v1/users/{}/enrollments_status/",
    "/api/badges/v1/assertions/user/{}/",
    "/api/certificates/v0/certificates/{}/",
    f"/api/certificates/v0/certificates/{{}}/courses/{COURSE}/",
])
@pytest.mark.parametrize("named", ["strasse", "STRASSE"])
def test_a_username_that_folds_to_another_does_not_open_it(jwt_client, lookalike_pair, url, named):
    victim, attacker = lookalike_pair
    response = jwt_client(attacker).get(url.format(quote(named)))
    body = response.content.decode()
    assert response.status_code in (200, 403, 404)
    assert victim.email not in body and COURSE not in body and "secret" not in body


def test_case_twins_each_see_only_their_own(jwt_client, make_user):
    """Django allows ``Bob`` and ``bob`` side by side; ``bob`` naming ``Bob`` is another user."""
    if connection.vendor == "mysql":
        pytest.skip("MariaDB's default collation already keeps usernames unique whatever their case")
    bob, twin = make_user("bob"), make_user("Bob")
    response = jwt_client(bob).get("/api/mobile/v1/users/Bob")
    assert response.status_code == 403
    assert jwt_client(bob).get("/api/mobile/v1/users/bob").json()["email"] == bob.email
    assert jwt_client(twin).get("/api/mobile/v1/users/Bob").json()["email"] == twin.email


def test_a_case_variant_of_ones_own_name_still_works(jwt_client, learner):
    assert jwt_client(learner).get("/api/mobile/v1/users/LEARNER").json()["username"] == learner.username


def test_usernames_stored_by_django_are_nfkc(make_user):
    """Why the fullwidth username above cannot name ``learner``: Django stores NFKC forms."""
    assert make_user("\uff42\uff4f\uff42").username == "bob"
    assert get_user_model().objects.filter(username="\uff42\uff4f\uff42").count() == 0


# -- NUL bytes (PostgreSQL cannot store or even compare them) -------------------------------------------------

NUL_REQUESTS = [
    ("get", "/api/badges/v1/assertions/user/learner/?slug=a%00b&issuing_component=%00"),
    ("get", "/api/badges/v1/assertions/user/learner/?course_id=course-v1:a%2Bb%2Bc%00"),
    ("get", "/api/mobile/v4/users/learner/course_enrollments/?org=%00&status=%00&requested_fields=%00"),
    ("get", f"/api/courseware/course/{COURSE}?username=%00&browser_timezone=Europe/Paris%00"),
    ("get", f"/api/courseware/course/{COURSE}?requested_fields=%00&browser_timezone=%00"),
    ("get", f"/api/courseware/resume/{COURSE}?username=lear%00ner"),
    ("get", "/api/mobile/v1/users/lear%00ner"),
    ("get", "/api/certificates/v0/certificates/lear%00ner/"),
    ("post", "/api/user/v1/accounts/lear%00ner/image"),
]


@pytest.mark.parametrize("method, url", NUL_REQUESTS)
@pytest.mark.parametrize("requester", ["learner", "staff"])
def test_nul_bytes_in_parameters_are_never_a_500(jwt_client, learner, staff_user, enrolled, method, url, requester):
    """Found on PostgreSQL: a NUL in a username reached ``WHERE username = ...`` and raised ``DataError``."""
    client = jwt_client(staff_user if requester == "staff" else learner)
    response = getattr(client, method)(url)
    assert response.status_code < 500, response.content[:300]
    assert response["Content-Type"] == "application/json"
