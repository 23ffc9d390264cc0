"""GET /api/courseware/sequence/{usage_key} over HTTP (docs/courseware.rst, "Sequence metadata")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from waffle.testutils import override_flag

from openedx_learner_apis.api import (
    add_bookmark,
    enroll,
    grant_course_role,
    record_completion,
    set_position,
    set_subsection_grade,
)
from openedx_learner_apis.applets.courses.models import Block, SubsectionPrerequisite
from openedx_learner_apis.applets.courses.outline import invalidate_outline
from openedx_learner_apis.features.courseware.sequences import (
    BANNER_HIDDEN_INSTRUCTOR_PACED,
    BANNER_IS_PREREQUISITE,
    BANNER_PREREQUISITE_STAFF,
)
from tests.course_builders import TOY_KEY, build_outline, sequence_key, toy_course, unit_key, usage

pytestmark = pytest.mark.django_db

URL = f"/api/courseware/sequence/{sequence_key()}"


@pytest.fixture
def enrolled(learner, course):
    enroll(learner, TOY_KEY, "verified")
    return learner


def masquerade(client, **entry):
    session = client.session
    session["masquerade_settings"] = {TOY_KEY: entry}
    session.save()


def update_block(key, **fields):
    Block.objects.filter(usage_key=key).update(**fields)
    invalidate_outline(key.course_key)


# Authorization matrix.

def test_enrolled_learner(session_client, enrolled):
    response = session_client(enrolled).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "sequence"
    assert len(body["items"]) == 1
    item = body["items"][0]
    assert item == {"content": "", "page_title": "Vertical", "type": "problem", "id": str(unit_key()),
                    "bookmarked": False, "path": "chapter > sequence > Vertical", "graded": False,
                    "contains_content_type_gated_content": False, "href": "", "complete": False}
    assert body["element_id"] == "sequence"
    assert body["item_id"] == str(sequence_key())
    assert (body["tag"], body["save_position"], body["show_completion"], body["exclude_units"]) == (
        "sequential", True, True, True)
    assert body["banner_text"] is None and body["is_hidden_after_due"] is False


def test_jwt_learner(jwt_client, enrolled):
    assert jwt_client(enrolled).get(URL).status_code == 200


def test_anonymous_private_course_is_404(api_client, course):
    response = api_client.get(URL)
    assert response.status_code == 404
    assert "developer_message" in response.json()


def test_anonymous_public_course_gets_public_view(api_client, course):
    course.course_visibility = "public"
    course.save()
    with override_flag("seo.enable_anonymous_courseware_access", active=True):
        body = api_client.get(URL).json()
    assert (body["save_position"], body["show_completion"], body["position"]) == (False, False, None)
    assert "complete" not in body["items"][0]
    assert body["items"][0]["bookmarked"] is False


def test_unenrolled_learner_is_404(session_client, learner, course):
    assert session_client(learner).get(URL).status_code == 404


def test_inactive_enrollment_is_404(session_client, learner, course):
    enroll(learner, TOY_KEY, "audit", is_active=False)
    assert session_client(learner).get(URL).status_code == 404


def test_course_staff_not_enrolled(session_client, instructor):
    assert session_client(instructor).get(URL).status_code == 200


def test_global_staff_username_shows_learner_state(session_client, staff_user, enrolled):
    set_position(enrolled, sequence_key(), 1)
    body = session_client(staff_user).get(URL, {"username": "learner"}).json()
    assert body["position"] == 1


def test_non_staff_naming_another_user_is_403(session_client, enrolled, other_learner):
    response = session_client(enrolled).get(URL, {"username": "other"})
    assert response.status_code == 403
    assert "developer_message" in response.json()


def test_missing_block_and_missing_course(session_client, enrolled):
    client = session_client(enrolled)
    assert client.get(f"/api/courseware/sequence/{usage(TOY_KEY, 'sequential', 'nope')}").status_code == 404
    response = client.get("/api/courseware/sequence/block-v1:does+not+exist+type@sequential+block@x")
    assert response.status_code == 404
    assert "developer_message" in response.json()


def test_malformed_key_is_400(session_client, enrolled):
    response = session_client(enrolled).get("/api/courseware/sequence/block-v1:not-a-key")
    assert response.status_code == 400
    assert response.json() == {"developer_message": "Invalid usage key: 'block-v1:not-a-key'."}


def test_unit_is_422(session_client, enrolled):
    response = session_client(enrolled).get(f"/api/courseware/sequence/{unit_key()}")
    assert response.status_code == 422
    assert "not a sequence" in response.json()["developer_message"]


def test_chapter_has_metadata(session_client, enrolled):
    body = session_client(enrolled).get(f"/api/courseware/sequence/{usage(TOY_KEY, 'chapter', 'chapter')}").json()
    assert body["tag"] == "chapter"
    assert [item["id"] for item in body["items"]] == [str(sequence_key())]


def test_wrong_method(session_client, enrolled):
    response = session_client(enrolled).post(URL)
    assert response.status_code == 405
    assert response.json()["developer_message"] == 'Method "POST" not allowed.'


def test_not_started_and_staff_only(session_client, enrolled, instructor):
    update_block(sequence_key(), start=timezone.now() + timedelta(days=3))
    assert session_client(enrolled).get(URL).status_code == 404
    assert session_client(instructor).get(URL).status_code == 200
    update_block(sequence_key(), start=None)
    update_block(unit_key(), visible_to_staff_only=True)
    assert session_client(enrolled).get(URL).json()["items"] == []
    assert len(session_client(instructor).get(URL).json()["items"]) == 1


def test_preview_shows_drafts_to_staff_only(session_client, enrolled, instructor):
    update_block(unit_key(), fields={"published": False})
    assert session_client(enrolled).get(URL, {"preview": "1"}).json()["items"] == []
    assert session_client(instructor).get(URL).json()["items"] == []
    assert len(session_client(instructor).get(URL, {"preview": "1"}).json()["items"]) == 1


# Learner state.

def test_position_bookmarks_completion(session_client, enrolled):
    set_position(enrolled, sequence_key(), 1)
    add_bookmark(enrolled, unit_key())
    record_completion(enrolled, usage(TOY_KEY, "problem", "problem_0"))
    record_completion(enrolled, usage(TOY_KEY, "html", "html_0"))
    body = session_client(enrolled).get(URL).json()
    assert body["position"] == 1
    assert body["items"][0]["bookmarked"] is True
    assert body["items"][0]["complete"] is True


def test_item_icon_and_graded(session_client, learner):
    course = toy_course(sequence_fields={"graded": True, "format": "Homework"})
    enroll(learner, TOY_KEY)
    vertical = Block.objects.get(usage_key=unit_key())
    build_outline(course, ("vertical", "videos", {"display_name": "Videos"}, [
        ("video", "clip", {}, []), ("html", "notes", {}, [])]), parent=vertical.parent, counter=[100], position=1)
    body = session_client(learner).get(URL).json()
    assert [item["type"] for item in body["items"]] == ["problem", "video"]
    assert body["items"][0]["graded"] is True
    assert body["format"] == "Homework"


# Hidden after due and banners, in the documented order.

@pytest.mark.parametrize("past_due, how, hidden, banner", [
    (False, None, False, None),
    (True, None, True, None),
    (True, "specific", False, BANNER_HIDDEN_INSTRUCTOR_PACED),
    (True, "partition", True, None),
])
def test_hidden_after_due(session_client, enrolled, instructor, past_due, how, hidden, banner):
    due = timezone.now() + timedelta(days=-1 if past_due else 1)
    update_block(sequence_key(), hide_after_due=True, due=due)
    if how is None:
        client = session_client(enrolled)
    else:
        client = session_client(instructor)
        entry = ({"role": "student", "user_name": "learner"} if how == "specific"
                 else {"role": "student", "user_partition_id": 51, "group_id": 1})
        masquerade(client, **entry)
    body = client.get(URL).json()
    assert body["is_hidden_after_due"] is hidden
    assert body["banner_text"] == banner
    assert len(body["items"]) == 1  # items are still listed


def test_self_paced_uses_course_end(session_client, enrolled, course):
    course.self_paced = True
    course.end = timezone.now() - timedelta(days=1)
    course.save()
    update_block(sequence_key(), hide_after_due=True)
    assert session_client(enrolled).get(URL).json()["is_hidden_after_due"] is True


def _gated_course(learner):
    course = toy_course(enable_subsection_gating=True)
    chapter = Block.objects.get(usage_key=usage(TOY_KEY, "chapter", "chapter"))
    build_outline(course, ("sequential", "gated", {"display_name": "Gated"}, [
        ("vertical", "gated_unit", {"display_name": "Locked"}, [("problem", "p2", {}, [])])]),
        parent=chapter, counter=[100], position=1)
    SubsectionPrerequisite.objects.create(course_key=course.course_key, gated_usage_key=usage(TOY_KEY, "sequential",
                                                                                              "gated"),
                                          prereq_usage_key=sequence_key(), min_score=0, min_completion=100)
    enroll(learner, TOY_KEY)
    return f"/api/courseware/sequence/{usage(TOY_KEY, 'sequential', 'gated')}"


def test_gated_sequence(session_client, learner):
    url = _gated_course(learner)
    client = session_client(learner)
    body = client.get(url).json()
    assert body["gated_content"] == {
        "prereq_id": str(sequence_key()), "prereq_url": f"/courses/{TOY_KEY}/jump_to/{sequence_key()}",
        "prereq_section_name": "sequence", "gated": True, "gated_section_name": "Gated"}
    assert body["items"] == [{"id": str(usage(TOY_KEY, "vertical", "gated_unit")), "type": "vertical",
                              "display_name": "Locked", "is_gated": True, "content": ""}]
    assert client.get(URL).json()["banner_text"] == BANNER_IS_PREREQUISITE
    record_completion(learner, usage(TOY_KEY, "problem", "problem_0"))
    record_completion(learner, usage(TOY_KEY, "html", "html_0"))
    set_subsection_grade(learner, sequence_key(), earned=1, possible=1)
    assert client.get(url).json()["gated_content"]["gated"] is False
    assert client.get(URL).json()["banner_text"] is None


def test_gated_sequence_staff_banner(session_client, learner, make_user):
    url = _gated_course(learner)
    instructor = make_user("instructor")
    grant_course_role(instructor, TOY_KEY, "instructor")
    body = session_client(instructor).get(url).json()
    assert body["banner_text"] == BANNER_PREREQUISITE_STAFF
    assert body["gated_content"]["gated"] is False


# Query counts: a fixed number whatever the number of units.

SEQUENCE_QUERIES = 9  # session and user 2, course and modes 2, roles 1, enrollment 1, position 1, bookmarks 1,
# completions 1; the outline is a cache hit after the first request.


def test_query_count_is_bounded_and_size_independent(session_client, learner, django_assert_num_queries):
    client = session_client(learner)
    for key, units in (("course-v1:edX+small+run", 10), ("course-v1:edX+large+run", 100)):
        toy_course(course_key=key, units=units)
        enroll(learner, key)
        url = f"/api/courseware/sequence/{sequence_key(key)}"
        client.get(url)
        with django_assert_num_queries(SEQUENCE_QUERIES):
            response = client.get(url)
        assert len(response.json()["items"]) == units
    assert SEQUENCE_QUERIES <= 15


def test_outline_is_read_once_without_cache(session_client, learner):
    toy_course(units=10)
    enroll(learner, TOY_KEY)
    client = session_client(learner)
    client.get(URL)
    invalidate_outline(TOY_KEY)
    with CaptureQueriesContext(connection) as captured:
        client.get(URL)
    block_table = connection.ops.quote_name("openedx_learner_apis_block")
    assert sum(block_table in query["sql"] for query in captured) == 1
