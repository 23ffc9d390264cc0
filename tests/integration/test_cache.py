"""Course outlines and overviews in a real Redis cache: cached reads, and no stale read after a write.

Every test here runs on Redis (database 1 of the local server) whatever the suite's cache is;
``.ci/run`` also runs the outline and courseware tests with ``REDIS_CACHE_URL`` set.
"""

from __future__ import annotations

import io
import os

import pytest
from django.core.cache import cache

from openedx_learner_apis import api
from openedx_learner_apis.applets.courses import cache as course_cache
from openedx_learner_apis.applets.courses.models import Course
from tests.olx_archives import make_tar

from .services import REDIS_URL, redis_client

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

CACHE_DB = 1
KEY = "course-v1:edX+Cache+2026"


@pytest.fixture(autouse=True)
def redis_cache(settings):
    """The default cache on the real Redis server, emptied before and after the test."""
    redis_client(CACHE_DB)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"{REDIS_URL}/{CACHE_DB}", "KEY_PREFIX": f"olapi-it-{os.getpid()}"}}
    cache.clear()
    yield
    cache.clear()


def olx(chapters: dict[str, str], display_name: str = "Cache course") -> io.BytesIO:
    """A course export with one chapter per ``{url_name: display name}``."""
    files = {
        "course/course.xml": '<course url_name="run" org="edX" course="Cache"/>',
        "course/course/run.xml": f'<course display_name="{display_name}">'
                                 + "".join(f'<chapter url_name="{name}"/>' for name in chapters) + "</course>",
        **{f"course/chapter/{name}.xml": f'<chapter display_name="{title}"/>' for name, title in chapters.items()},
    }
    return io.BytesIO(make_tar(files, top=""))


def chapter_names(course_key) -> list[str]:
    return [block.display_name for block in api.get_outline(course_key).root.children]


def test_the_cache_really_is_redis():
    cache.set("probe", 42)
    assert redis_client(CACHE_DB).exists(cache.make_and_validate_key("probe")) == 1


def test_outline_and_overview_are_read_once_then_cached(django_assert_num_queries):
    key = api.import_olx(olx({"c1": "One", "c2": "Two"}))
    with django_assert_num_queries(3):  # outline, course, its modes
        assert chapter_names(key) == ["One", "Two"]
        assert api.get_course_overview(key).display_name == "Cache course"
    with django_assert_num_queries(0):
        assert chapter_names(key) == ["One", "Two"]
        assert api.get_course_overview(key).display_name == "Cache course"


def test_many_courses_cost_two_queries_then_none(django_assert_num_queries):
    keys = [api.upsert_course(f"course-v1:edX+Many{index}+2026", display_name=f"M{index}").course_key
            for index in range(6)]
    with django_assert_num_queries(2):  # the courses, their modes
        assert len(api.get_course_overviews(keys)) == 6
    with django_assert_num_queries(0):
        assert [course.display_name for course in api.get_course_overviews(keys).values()] == [
            f"M{index}" for index in range(6)]


def test_reimport_replaces_the_cached_outline_and_overview():
    key = api.import_olx(olx({"c1": "One", "c2": "Two"}))
    assert chapter_names(key) == ["One", "Two"]
    assert api.get_course_overview(key).display_name == "Cache course"
    api.import_olx(olx({"c2": "Two renamed", "c3": "Three"}, display_name="Second edition"))
    assert chapter_names(key) == ["Two renamed", "Three"]
    assert api.get_course_overview(key).display_name == "Second edition"


def test_python_api_and_model_writes_invalidate_the_overview():
    course = api.upsert_course(KEY, display_name="First")
    assert api.get_course_overview(KEY).display_name == "First"
    api.upsert_course(KEY, display_name="Second")
    assert api.get_course_overview(KEY).display_name == "Second"
    course.refresh_from_db()
    course.display_name = "Edited in the admin"
    course.save()
    assert api.get_course_overview(KEY).display_name == "Edited in the admin"
    course.delete()
    with pytest.raises(api.CourseNotFound):
        api.get_course_overview(KEY)
    assert api.get_outline(course.course_key).root is None


def test_mode_writes_invalidate_the_overview_that_carries_them(django_assert_num_queries):
    api.upsert_course(KEY)
    api.upsert_course_mode(KEY, "audit")
    assert [mode.mode_slug for mode in api.get_course_overview(KEY).modes.all()] == ["audit"]
    mode = api.upsert_course_mode(KEY, "verified", min_price=49)
    with django_assert_num_queries(2):
        modes = {mode.mode_slug: mode.min_price for mode in api.get_course_overview(KEY).modes.all()}
    assert modes == {"audit": 0, "verified": 49}
    mode.delete()
    assert [mode.mode_slug for mode in api.get_course_overview(KEY).modes.all()] == ["audit"]
    Course.objects.filter(course_key=KEY).delete()  # the cascade's mode deletes find no course: no error
    with pytest.raises(api.CourseNotFound):
        api.get_course_overview(KEY)


def test_a_reader_racing_a_write_cannot_store_stale_data():
    """The reader loads the old row, the write commits, then the reader stores what it loaded."""
    api.upsert_course(KEY, display_name="Old")
    course_key = api.get_course(KEY).course_key

    def slow_load(missing):
        loaded = {course.course_key: course for course in Course.objects.filter(course_key__in=missing)}
        api.upsert_course(KEY, display_name="New")  # commits (and bumps the generation) meanwhile
        return loaded

    raced = course_cache.cached_per_course("overview", [course_key], slow_load)
    assert raced[course_key].display_name == "Old"  # that reader started before the write...
    assert api.get_course_overview(KEY).display_name == "New"  # ...but nobody is served its copy afterwards


def test_a_missing_generation_token_is_recreated_not_reused():
    api.upsert_course(KEY, display_name="Cached")
    assert api.get_course_overview(KEY).display_name == "Cached"
    cache.delete(course_cache.courses.generation_key(api.get_course(KEY).course_key))  # evicted by Redis
    Course.objects.filter(course_key=api.get_course(KEY).course_key).update(display_name="Bulk update")
    assert api.get_course_overview(KEY).display_name == "Bulk update"


def test_stage_runs_with_redis_as_the_default_cache(settings):
    """In ``.ci/run``'s Redis stage the suite's own settings must select Redis."""
    from .services import unavailable

    if not os.environ.get("REDIS_CACHE_URL"):
        unavailable("redis_cache", "REDIS_CACHE_URL is not set: the suite's cache is local memory in this run")
    from test_settings import CACHES

    assert CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert CACHES["default"]["LOCATION"] == os.environ["REDIS_CACHE_URL"]
