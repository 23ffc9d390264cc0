"""Routes of the courseware API: plugin mounting, names, anchoring, malformed keys."""

from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, resolve, reverse

from example.plugins import plugin_url_patterns
from openedx_learner_apis.apps import LearnerApisConfig

pytestmark = pytest.mark.django_db

COURSE = "course-v1:edX+DemoX+Demo_Course"
BLOCK = "block-v1:edX+DemoX+Demo_Course+type@sequential+block@basic_questions"


@pytest.mark.parametrize("name, kwargs, path", [
    ("course", {"course_key_string": COURSE}, f"/api/courseware/course/{COURSE}"),
    ("courseware-api", {"course_key_string": COURSE}, f"/api/courseware/course/{COURSE}"),
    ("sequence", {"usage_key_string": BLOCK}, f"/api/courseware/sequence/{BLOCK}"),
    ("sequence-api", {"usage_key_string": BLOCK}, f"/api/courseware/sequence/{BLOCK}"),
    ("resume", {"course_key_string": COURSE}, f"/api/courseware/resume/{COURSE}"),
    ("resume-api", {"course_key_string": COURSE}, f"/api/courseware/resume/{COURSE}"),
    ("celebration", {"course_key_string": COURSE}, f"/api/courseware/celebration/{COURSE}"),
    ("celebration-api", {"course_key_string": COURSE}, f"/api/courseware/celebration/{COURSE}"),
])
def test_names_in_the_courseware_api_namespace(name, kwargs, path):
    assert reverse(f"courseware_api:{name}", kwargs=kwargs) == path
    assert resolve(path).namespace == "courseware_api"


def test_mounted_through_plugin_discovery():
    """The example host mounts the app with edx-django-utils' plugin discovery only."""
    assert LearnerApisConfig.plugin_app["url_config"]["lms.djangoapp"]["relative_path"] == "urls"
    patterns = plugin_url_patterns("lms.djangoapp")
    assert patterns
    assert resolve(f"/api/courseware/course/{COURSE}").url_name in ("course", "courseware-api")


def test_deprecated_course_key_matches():
    match = resolve("/api/courseware/course/edX/DemoX/Demo_Course")
    assert match.kwargs["course_key_string"] == "edX/DemoX/Demo_Course"


def test_routes_are_anchored(client):
    assert client.get(f"/api/courseware/resume/{COURSE}/junk").status_code == 404
    with pytest.raises(NoReverseMatch):
        reverse("courseware_api:course", kwargs={"course_key_string": "no-separators"})


@pytest.mark.parametrize("method, path", [
    ("get", "/api/courseware/course/course-v1:edX+DemoX+bad key"),
    ("get", "/api/courseware/sequence/block-v1:edX+DemoX"),
    ("get", "/api/courseware/resume/course-v1:edX+DemoX+bad key"),
    ("post", "/api/courseware/celebration/course-v1:edX+DemoX+bad key"),
])
def test_malformed_key_is_400_everywhere(session_client, learner, method, path):
    response = getattr(session_client(learner), method)(path, {}, format="json") if method == "post" else \
        session_client(learner).get(path)
    assert response.status_code == 400
    body = response.json()
    assert set(body) & {"detail", "developer_message"}
