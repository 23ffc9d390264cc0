"""Odd input that must be a 4xx in its family's shape, never a 500 (HTML):

* a usage or course key that names no course run (an old ``i4x://`` location);
* a course key in another letter case than the stored one: it names no course, on every database;
* a JSON body nested deeper than the decoder can follow.
"""

from __future__ import annotations

import pytest
from rest_framework.exceptions import ParseError
from rest_framework.test import APIClient

from openedx_learner_apis.api import enroll, issue_certificate
from openedx_learner_apis.applets.courses.api import CourseNotFound, find_course, get_course, get_outline
from openedx_learner_apis.applets.courses.models import Course
from openedx_learner_apis.applets.engagement.models import CourseEnrollmentCelebration
from openedx_learner_apis.core.keys import InvalidKey, parse_course_key, parse_usage_key, spelled_as
from openedx_learner_apis.rest_api.common.parsers import JSONParser
from tests.course_builders import TOY_KEY, sequence_key, toy_course

pytestmark = pytest.mark.django_db

RUNLESS_KEYS = ["i4x://OpenedX/DemoX/sequential/x", "i4x://edX/toy/sequential/sequence",
                "i4x://edX/toy/course/2012_Fall"]
OTHER_CASE = "course-v1:edx+TOY+2012_fall"
DEEP_JSON = "[" * 5000 + "]" * 5000


@pytest.fixture
def enrolled(learner):
    toy_course(mobile_available=True)
    enroll(learner, TOY_KEY)
    return learner


@pytest.fixture
def client(session_client, enrolled):
    c = session_client(enrolled)
    c.raise_request_exception = False  # a 500 is a failed assertion, not an exception in the test
    return c


def assert_json_4xx(response, status, keys=None):
    assert response.status_code == status, (response.status_code, response.content[:200])
    assert response["Content-Type"].startswith("application/json")
    if keys is not None:
        assert keys <= set(response.json()), response.json()


# Run-less (deprecated i4x) keys

@pytest.mark.parametrize("value", RUNLESS_KEYS)
def test_a_runless_usage_key_does_not_parse(value):
    with pytest.raises(InvalidKey, match="names no course run"):
        parse_usage_key(value)


def test_a_deprecated_course_key_with_a_run_still_parses():
    assert parse_course_key("edX/toy/2012_Fall").run == "2012_Fall"
    assert parse_usage_key("block-v1:edX+toy+2012_Fall+type@sequential+block@s").course_key.run == "2012_Fall"


@pytest.mark.parametrize("value", RUNLESS_KEYS)
@pytest.mark.parametrize("signed_in", [False, True])
def test_sequence_of_a_runless_key_is_a_400(client, value, signed_in):
    c = client if signed_in else APIClient(raise_request_exception=False)
    response = c.get(f"/api/courseware/sequence/{value}")
    assert_json_4xx(response, 400, {"developer_message"})
    assert value in response.json()["developer_message"]


@pytest.mark.parametrize("value", RUNLESS_KEYS)
def test_a_runless_module_id_is_an_invalid_module(client, value):
    response = client.patch(f"/api/mobile/v1/users/learner/course_status_info/{TOY_KEY}",
                            {"last_visited_module_id": value}, format="json")
    assert_json_4xx(response, 400)
    assert response.json()["errors"][0]["code"] == "invalid-module-id"


# A course key in another letter case names no course

def test_find_course_needs_the_stored_spelling(enrolled):
    assert find_course(TOY_KEY).course_key == parse_course_key(TOY_KEY)
    assert find_course(parse_course_key(OTHER_CASE)) is None
    with pytest.raises(CourseNotFound):
        get_course(OTHER_CASE)
    assert spelled_as(parse_course_key(TOY_KEY), TOY_KEY)
    assert not spelled_as(parse_course_key(TOY_KEY), OTHER_CASE)


def test_the_outline_of_another_spelling_is_empty(enrolled):
    assert len(get_outline(parse_course_key(TOY_KEY))) > 0
    assert len(get_outline(parse_course_key(OTHER_CASE))) == 0


@pytest.mark.parametrize("method, url, status, keys", [
    ("get", "/api/mobile/{v}/users/learner/course_status_info/{key}", 404, {"detail"}),
    ("patch", "/api/mobile/{v}/users/learner/course_status_info/{key}", 404, {"detail"}),
    ("get", "/api/courseware/course/{key}", 404, {"detail"}),
    ("get", "/api/courseware/resume/{key}", 404, {"developer_message"}),
    ("post", "/api/courseware/celebration/{key}", 404, {"developer_message"}),
    ("get", "/api/certificates/v0/certificates/learner/courses/{key}/", 404, {"error_code"}),
])
@pytest.mark.parametrize("version", ["v0.5", "v1", "v4"])
def test_a_course_key_in_another_case_is_a_404(client, method, url, status, keys, version):
    issue_certificate("learner", TOY_KEY, status="downloadable", mode="verified", grade="0.9",
                      download_url="https://example.com/cert.pdf")
    body = {"first_section": True} if "celebration" in url else {"last_visited_module_id": str(sequence_key())}
    response = getattr(client, method)(url.format(v=version, key=OTHER_CASE), body, format="json")
    assert_json_4xx(response, status, keys)
    assert not CourseEnrollmentCelebration.objects.exists()  # nothing written under the other spelling
    # The stored spelling is served.
    response = getattr(client, method)(url.format(v=version, key=TOY_KEY), body, format="json")
    assert response.status_code in (200, 201)


def test_a_usage_key_in_another_case_is_a_404(client):
    other = str(sequence_key()).replace("edX+toy", "edx+TOY")
    assert_json_4xx(client.get(f"/api/courseware/sequence/{other}"), 404, {"developer_message"})
    assert client.get(f"/api/courseware/sequence/{sequence_key()}").status_code == 200


def test_only_one_course_row_exists(enrolled):
    # The rule does not depend on the database: there is one course, spelled one way.
    assert [str(key) for key in Course.objects.values_list("course_key", flat=True)] == [TOY_KEY]


# JSON nested too deeply

def test_the_json_parser_refuses_deep_nesting():
    from io import BytesIO

    with pytest.raises(ParseError, match="nested too deeply"):
        JSONParser().parse(BytesIO(DEEP_JSON.encode()), "application/json", {})
    assert JSONParser().parse(BytesIO(b"[[[]]]"), "application/json", {}) == [[[]]]


def test_deep_json_to_course_status_is_an_invalid_body(client):
    response = client.generic("PATCH", f"/api/mobile/v1/users/learner/course_status_info/{TOY_KEY}", DEEP_JSON,
                              content_type="application/json")
    assert_json_4xx(response, 400)
    assert response.json()["errors"][0]["code"] == "invalid-request-body"


def test_deep_json_to_celebration_is_a_400(client):
    response = client.generic("POST", f"/api/courseware/celebration/{TOY_KEY}", DEEP_JSON,
                              content_type="application/json")
    assert_json_4xx(response, 400, {"developer_message"})
    assert not CourseEnrollmentCelebration.objects.exists()


@pytest.mark.parametrize("url", ["/api/user/v1/accounts/learner", "/api/user/v1/preferences/learner"])
def test_deep_json_to_an_account_update_is_a_400(client, url):
    response = client.generic("PATCH", url, DEEP_JSON, content_type="application/merge-patch+json")
    assert_json_4xx(response, 400, {"developer_message"})


def test_every_route_that_reads_json_uses_the_json_parser_that_refuses_deep_nesting():
    from django.urls import URLPattern, URLResolver, get_resolver
    from rest_framework.parsers import JSONParser as DRFJSONParser
    from rest_framework.views import APIView

    def views(resolver):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from views(pattern)
            elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "view_class"):
                yield pattern.callback.view_class

    writers = {view for view in views(get_resolver())
               if issubclass(view, APIView) and any(hasattr(view, method) for method in ("post", "put", "patch"))
               and not getattr(view, "serves_no_route", False)}
    assert writers, "no view that takes a body was found"
    for view in writers:
        for parser in view.parser_classes:
            if issubclass(parser, DRFJSONParser):
                assert issubclass(parser, JSONParser), (view.__name__, parser.__name__)
