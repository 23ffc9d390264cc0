"""The schema declares pagination parameters and the course-status module id as the views take them.

``page`` and ``page_size`` accept any value (an unusable size is the default one, an unusable
page a 404), so they are strings without a pattern: a schema fuzzer then has no "invalid"
value to expect a refusal for. ``last_visited_module_id`` carries the pattern of the usage
keys the PATCH parses, so a value outside it is invalid data (a 400) and one inside it is
looked up in the course.
"""

from __future__ import annotations

import jsonschema
import pytest

from openedx_learner_apis.api import enroll
from openedx_learner_apis.core.keys import InvalidKey, parse_usage_key
from tests.course_builders import TOY_KEY, sequence_key, toy_course
from tests.robustness.openapi import api_schema

BADGES = "/api/badges/v1/assertions/user/{username}/"
ENROLLMENTS = "/api/mobile/{api_version}/users/{username}/course_enrollments/"
COURSE_STATUS = "/api/mobile/{api_version}/users/{username}/course_status_info/{course_key_string}"


def query_parameter(path: str, name: str) -> dict:
    operation = api_schema()["paths"][path]["get"]
    return next(parameter for parameter in operation["parameters"] if parameter["name"] == name)


@pytest.mark.parametrize("path", [BADGES, ENROLLMENTS])
@pytest.mark.parametrize("name", ["page", "page_size"])
def test_pagination_parameters_are_declared_as_any_string(path, name):
    parameter = query_parameter(path, name)
    assert parameter["schema"]["type"] == "string"
    assert not {"pattern", "enum", "minimum", "format"} & set(parameter["schema"])
    assert parameter["description"]


@pytest.fixture
def badges_client(session_client, learner):
    return session_client(learner)


@pytest.mark.django_db
@pytest.mark.parametrize("page_size", ["-5", "abc", "", "0", "1e3", "100000", "2"])
def test_any_page_size_is_served(badges_client, page_size):
    response = badges_client.get("/api/badges/v1/assertions/user/learner/", {"page_size": page_size})
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("page, status", [("", 200), ("1", 200), ("last", 200), ("abc", 404), ("0", 404),
                                          ("2", 404)])
def test_a_page_is_served_or_a_json_404(badges_client, page, status):
    response = badges_client.get("/api/badges/v1/assertions/user/learner/", {"page": page})
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")


def declared_valid(value: str) -> bool:
    """Whether ``value`` is a valid ``last_visited_module_id`` for the PATCH body's schema."""
    body = api_schema()["paths"][COURSE_STATUS]["patch"]["requestBody"]["content"]["application/json"]["schema"]
    schema = api_schema()["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]["properties"][
        "last_visited_module_id"]
    return jsonschema.Draft4Validator(schema).is_valid(value)


MATCHING_MODULE_IDS = ["", "block-v1:edX+toy+2012_Fall+type@sequential+block@sequence",
                       "block-v1:a+b+c+type@vertical+block@ê", "ccx-block-v1:a+b+c+ccx@1+type@html+block@x"]
NON_MATCHING_MODULE_IDS = ["ê", "XÍ", "i4x://edX/toy/sequential/sequence", "block-v1:a+b+type@html+block@c",
                           " block-v1:a+b+c+type@html+block@x"]


@pytest.mark.parametrize("value", MATCHING_MODULE_IDS)
def test_every_module_id_the_pattern_admits_parses(value):
    assert declared_valid(value)
    if value:
        parse_usage_key(value)


@pytest.mark.parametrize("value", NON_MATCHING_MODULE_IDS)
def test_module_ids_the_patch_refuses_do_not_match(value):
    assert not declared_valid(value)
    with pytest.raises(InvalidKey):
        parse_usage_key(value)


@pytest.mark.django_db
@pytest.mark.parametrize("value, status", [(NON_MATCHING_MODULE_IDS[0], 400), (str(sequence_key()), 200), ("", 200)])
def test_the_patch_answers_as_the_pattern_says(session_client, learner, value, status):
    toy_course(mobile_available=True)
    enroll(learner, TOY_KEY)
    response = session_client(learner).patch(f"/api/mobile/v1/users/learner/course_status_info/{TOY_KEY}",
                                              {"last_visited_module_id": value}, format="json")
    assert response.status_code == status, response.content
