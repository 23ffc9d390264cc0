"""Every write path of a cached table makes the next read fresh: the admin, models, bulk and queryset writes."""

from __future__ import annotations

import pytest
from django.forms import MultiWidget
from django.urls import reverse
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis.api import enroll, get_course_overview, get_outline
from openedx_learner_apis.applets.courses.models import Block, Course, CourseMode, SubsectionPrerequisite
from tests.course_builders import TOY_KEY, build_course, build_outline, sequence_key, toy_course, usage

pytestmark = pytest.mark.django_db

KEY = CourseKey.from_string("course-v1:edX+Cached+1")


def unit_key(block_id="ch1s1u1"):
    return KEY.make_usage_key("vertical", block_id)


def name_in_outline(usage_key=None):
    block = get_outline(KEY).get(usage_key or unit_key())
    return None if block is None else block.display_name


@pytest.fixture
def course():
    course, _ = build_course(str(KEY))
    assert name_in_outline() == "ch1s1u1"  # the outline is now cached
    return course


@pytest.fixture
def admin(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.com", "password")
    client.force_login(user)
    return client


def form_data(admin, url) -> dict:
    """The admin change form's current values, as the browser would post them back."""
    form = admin.get(url).context["adminform"].form
    data = {}
    for name, bound in form.fields.items():
        value = form[name].value()
        widget = bound.widget
        if isinstance(widget, MultiWidget):
            for index, part in enumerate(widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else part
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            prepared = bound.prepare_value(value)
            data[name] = "" if prepared is None else prepared
    return data


def admin_url(model, action, *args):
    return reverse(f"admin:openedx_learner_apis_{model._meta.model_name}_{action}", args=args)


# The Django admin -----------------------------------------------------------------------------

def test_admin_change_of_a_block(admin, course):
    block = Block.objects.get(usage_key=unit_key())
    url = admin_url(Block, "change", block.pk)
    response = admin.post(url, {**form_data(admin, url), "display_name": "Renamed"})
    assert response.status_code == 302, response.content
    assert name_in_outline() == "Renamed"


def test_admin_add_of_a_block(admin, course):
    url = admin_url(Block, "add")
    parent = Block.objects.get(usage_key=KEY.make_usage_key("sequential", "ch1s1"))
    response = admin.post(url, {"course": course.pk, "usage_key": str(unit_key("added")), "block_type": "vertical",
                                "parent": parent.pk, "position": 9, "preorder": 999, "display_name": "Added",
                                "fields": "{}"})
    assert response.status_code == 302, response.content
    assert name_in_outline(unit_key("added")) == "Added"


def test_admin_delete_of_a_block(admin, course):
    block = Block.objects.get(usage_key=unit_key())
    response = admin.post(admin_url(Block, "delete", block.pk), {"post": "yes"})
    assert response.status_code == 302
    assert name_in_outline() is None


def test_admin_bulk_delete_of_blocks(admin, course):
    blocks = Block.objects.filter(usage_key__in=[unit_key("ch1s1u1"), unit_key("ch1s1u2")])
    response = admin.post(admin_url(Block, "changelist"), {
        "action": "delete_selected", "post": "yes", "_selected_action": [block.pk for block in blocks]})
    assert response.status_code == 302
    assert name_in_outline() is None and name_in_outline(unit_key("ch1s1u2")) is None


def test_admin_cannot_move_a_block_to_another_course(admin, course):
    """A block's course and key are fixed once created: the outlines of two courses cannot diverge from it."""
    block = Block.objects.get(usage_key=unit_key())
    form = admin.get(admin_url(Block, "change", block.pk)).context["adminform"].form
    assert "course" not in form.fields and "usage_key" not in form.fields


def test_admin_change_of_a_course(admin, course):
    url = admin_url(Course, "change", course.pk)
    assert get_course_overview(KEY).display_name != "Renamed"
    response = admin.post(url, {**form_data(admin, url), "display_name": "Renamed"})
    assert response.status_code == 302, response.content
    assert get_course_overview(KEY).display_name == "Renamed"


def test_admin_change_of_a_course_mode(admin, course):
    mode = CourseMode.objects.create(course=course, mode_slug="verified", min_price=10)
    assert [m.min_price for m in get_course_overview(KEY).modes.all()] == [10]
    url = admin_url(CourseMode, "change", mode.pk)
    response = admin.post(url, {**form_data(admin, url), "min_price": 49})
    assert response.status_code == 302, response.content
    assert [m.min_price for m in get_course_overview(KEY).modes.all()] == [49]


def test_admin_change_of_a_subsection_prerequisite(admin, session_client, learner):
    """Prerequisites are read per request (never cached): an admin edit shows on the next sequence read."""
    toy = toy_course(enable_subsection_gating=True)
    chapter = Block.objects.get(usage_key=usage(TOY_KEY, "chapter", "chapter"))
    for position, name in enumerate(("gated", "other"), start=1):
        unit = ("vertical", f"{name}_unit", {}, [("problem", f"{name}_problem", {}, [])])
        build_outline(toy, ("sequential", name, {"display_name": name}, [unit]), parent=chapter,
                      counter=[100 * position], position=position)
    gate = SubsectionPrerequisite.objects.create(course_key=toy.course_key,
                                                 gated_usage_key=usage(TOY_KEY, "sequential", "gated"),
                                                 prereq_usage_key=sequence_key(), min_score=0, min_completion=100)
    enroll(learner, TOY_KEY)
    client = session_client(learner)
    url = f"/api/courseware/sequence/{usage(TOY_KEY, 'sequential', 'gated')}"
    assert client.get(url).json()["gated_content"]["prereq_id"] == str(sequence_key())
    change = admin_url(SubsectionPrerequisite, "change", gate.pk)
    other = str(usage(TOY_KEY, "sequential", "other"))
    response = admin.post(change, {**form_data(admin, change), "prereq_usage_key": other})
    assert response.status_code == 302, response.content
    assert client.get(url).json()["gated_content"]["prereq_id"] == other
    admin.post(admin_url(SubsectionPrerequisite, "delete", gate.pk), {"post": "yes"})
    assert client.get(url).json()["gated_content"]["gated"] is False


# Models, querysets and bulk writes --------------------------------------------------------------

def test_block_save_and_delete(course):
    block = Block.objects.get(usage_key=unit_key())
    block.display_name = "Saved"
    block.save()
    assert name_in_outline() == "Saved"
    block.delete()
    assert name_in_outline() is None


def test_block_queryset_update_and_delete(course):
    Block.objects.filter(usage_key=unit_key()).update(display_name="Updated")
    assert name_in_outline() == "Updated"
    Block.objects.filter(usage_key=unit_key()).delete()
    assert name_in_outline() is None


def test_block_bulk_create_and_bulk_update(course):
    parent = Block.objects.get(usage_key=KEY.make_usage_key("sequential", "ch1s1"))
    [added] = Block.objects.bulk_create([Block(course=course, usage_key=unit_key("bulk"), block_type="vertical",
                                               parent=parent, position=9, preorder=999, display_name="Bulk")])
    assert name_in_outline(unit_key("bulk")) == "Bulk"
    added.display_name = "Bulk updated"
    Block.objects.bulk_update([added], ["display_name"])
    assert name_in_outline(unit_key("bulk")) == "Bulk updated"


def test_course_and_mode_queryset_writes(course):
    Course.objects.filter(pk=course.pk).update(display_name="Updated")
    assert get_course_overview(KEY).display_name == "Updated"
    CourseMode.objects.bulk_create([CourseMode(course=course, mode_slug="audit")])
    assert [m.mode_slug for m in get_course_overview(KEY).modes.all()] == ["audit"]
    CourseMode.objects.filter(course=course).update(min_price=5)
    assert [m.min_price for m in get_course_overview(KEY).modes.all()] == [5]
    CourseMode.objects.filter(course=course).delete()
    assert list(get_course_overview(KEY).modes.all()) == []


def test_course_queryset_delete(course):
    Course.objects.filter(pk=course.pk).delete()
    assert name_in_outline() is None
    with pytest.raises(Exception, match="No course"):
        get_course_overview(KEY)

