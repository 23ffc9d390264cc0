"""The courses applet's public functions: overviews, modes, roles and outline reads."""

from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis import api
from openedx_learner_apis.applets.courses.models import Block, Course, CourseMode
from openedx_learner_apis.applets.courses.roles import course_roles, is_beta_tester, is_course_staff

DEMO_OLX = Path(__file__).resolve().parents[3] / "example" / "data" / "demo-course-olx.tar.gz"
DEMO_KEY = CourseKey.from_string("course-v1:OpenedX+DemoX+DemoCourse")

pytestmark = pytest.mark.django_db


def test_upsert_course_creates_then_updates_in_place():
    course = api.upsert_course("course-v1:edX+C1+2026", display_name="One")
    assert (course.org, course.number, course.run) == ("edX", "C1", "2026")
    again = api.upsert_course("course-v1:edX+C1+2026", display_name="Renamed")
    assert again.pk == course.pk and Course.objects.get().display_name == "Renamed"


def test_upsert_course_rejects_malformed_keys_and_unknown_fields():
    with pytest.raises(api.InvalidKey):
        api.upsert_course("not a key")
    with pytest.raises(TypeError):
        api.upsert_course("course-v1:edX+C1+2026", colour="blue")


def test_get_course_of_a_missing_course_raises():
    with pytest.raises(api.CourseNotFound):
        api.get_course("course-v1:edX+Nope+2026")


def test_course_modes_keep_skus_and_are_unique_per_currency():
    api.upsert_course("course-v1:edX+C1+2026")
    api.upsert_course_mode("course-v1:edX+C1+2026", "verified", min_price=49, sku="S", android_sku="A", ios_sku="I")
    mode = api.upsert_course_mode("course-v1:edX+C1+2026", "verified", min_price=59)
    assert CourseMode.objects.count() == 1
    assert (mode.min_price, mode.sku, mode.android_sku, mode.ios_sku) == (59, "S", "A", "I")
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseMode.objects.create(course=mode.course, mode_slug="verified", currency="usd")


def test_course_roles_and_org_roles(make_user):
    user = make_user("teacher")
    key = CourseKey.from_string("course-v1:edX+C1+2026")
    other = CourseKey.from_string("course-v1:Other+C2+2026")
    api.grant_course_role(user, key, "beta_testers")
    api.grant_course_role(user, None, "staff", org="Other")
    roles = course_roles(user, [key, other])
    assert roles[key] == {"beta_testers"} and roles[other] == {"staff"}
    assert is_beta_tester(user, key) and not is_course_staff(user, key) and is_course_staff(user, other)
    with pytest.raises(ValueError):
        api.grant_course_role(user, key, "emperor")
    with pytest.raises(api.UserNotFound):
        api.grant_course_role("ghost", key, "staff")


def test_block_usage_keys_are_unique():
    course = api.upsert_course("course-v1:edX+C1+2026")
    usage_key = course.course_key.make_usage_key("html", "x")
    Block.objects.create(course=course, usage_key=usage_key, block_type="html")
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(course=course, usage_key=usage_key, block_type="html")


def _make_course_with_units(key: str, units: int) -> CourseKey:
    course = api.upsert_course(key)
    course_key = course.course_key
    root = Block.objects.create(course=course, usage_key=course_key.make_usage_key("course", "course"),
                                block_type="course", preorder=0)
    chapter = Block.objects.create(course=course, parent=root, block_type="chapter", preorder=1,
                                   usage_key=course_key.make_usage_key("chapter", "c"))
    sequence = Block.objects.create(course=course, parent=chapter, block_type="sequential", preorder=2,
                                    usage_key=course_key.make_usage_key("sequential", "s"))
    Block.objects.bulk_create([
        Block(course=course, parent=sequence, block_type="vertical", position=index, preorder=3 + index,
              usage_key=course_key.make_usage_key("vertical", f"u{index}")) for index in range(units)])
    return course_key


@pytest.mark.parametrize("units", [10, 100])
def test_an_outline_read_is_one_query_then_a_cache_hit(units, django_assert_num_queries):
    from django.core.cache import cache

    cache.clear()
    key = _make_course_with_units(f"course-v1:edX+Size{units}+2026", units)
    with django_assert_num_queries(1):
        outline = api.get_outline(key)
    with django_assert_num_queries(0):
        again = api.get_outline(key)
    sequence = outline.of_type("sequential")[0]
    assert len(sequence.children) == units == len(again.of_type("vertical"))
    assert [child.usage_key.block_id for child in sequence.children][:2] == ["u0", "u1"]
    assert sequence.children[0].ancestors() == [sequence, sequence.parent, outline.root]


def test_several_outlines_in_one_query(django_assert_num_queries):
    from django.core.cache import cache

    keys = [_make_course_with_units(f"course-v1:edX+Many{index}+2026", 3) for index in range(5)]
    cache.clear()
    with django_assert_num_queries(1):
        outlines = api.get_outlines(keys)
    assert all(len(outlines[key]) == 6 for key in keys)


def test_writing_a_course_invalidates_its_cached_outline():
    key = _make_course_with_units("course-v1:edX+Cache+2026", 2)
    assert len(api.get_outline(key)) == 5
    api.import_olx(str(DEMO_OLX))
    course = Course.objects.get(course_key=key)
    Block.objects.filter(course=course, block_type="vertical").delete()
    api.upsert_course(key, display_name="Changed")
    assert len(api.get_outline(key)) == 3
