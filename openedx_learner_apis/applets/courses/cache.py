"""The course cache: outlines and overviews kept under one generation token per course.

Entries follow the generation rule of :mod:`openedx_learner_apis.core.cache`: saves and
deletes of courses, modes and blocks (and the bulk writes of their querysets) replace the
course's token, so no reader is served an entry from before a committed write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ...core.cache import GenerationCache
from ...core.keys import as_course_key
from ...core.versions import invalidate_shared_data
from .models import Block, Course, CourseMode

PREFIX = "openedx_learner_apis:course"

courses = GenerationCache(PREFIX)


def generations(course_keys: Iterable) -> dict:
    """The current generation token of each course, creating the missing ones."""
    return courses.generations(course_keys)


def invalidate_course_cache(course_key) -> None:
    """Forget every cached entry of a course, now and again once the current transaction commits.

    Saves, deletes, ``update()``, ``bulk_create()`` and ``bulk_update()`` of courses, modes and
    blocks call it themselves; call it after raw SQL on those tables.
    """
    invalidate_course_caches([course_key])


def invalidate_course_caches(course_keys: Iterable) -> None:
    """:func:`invalidate_course_cache` for several courses at once."""
    course_keys = list(dict.fromkeys(course_keys))
    if course_keys:
        courses.invalidate(course_keys)
        invalidate_shared_data()  # response versions read courses through the shared token


def cached_per_course(kind: str, course_keys: Iterable, load: Callable[[list], dict]) -> dict:
    """``{course_key: value}`` from the cache, calling ``load(missing_keys)`` once for the misses.

    ``load`` returns ``{course_key: value}``; a course it leaves out is neither cached nor returned.
    """
    return courses.cached(kind, course_keys, load)


def get_course_overviews(course_keys: Iterable) -> dict:
    """``{course_key: Course}`` for the courses that exist, modes prefetched, from the cache or two queries.

    A key in another letter case than the stored one names no course, on every database: the
    column compares case-insensitively on SQLite and MySQL, so the rows found are kept only
    when spelled as asked (keys compare exactly in Python).
    """
    course_keys = [as_course_key(key) for key in course_keys]

    def load(missing: list) -> dict:
        wanted = set(missing)
        courses = Course.objects.filter(course_key__in=missing).prefetch_related("modes")
        return {course.course_key: course for course in courses if course.course_key in wanted}

    return cached_per_course("overview_with_modes", course_keys, load)


@receiver(post_save, sender=Course, dispatch_uid="openedx_learner_apis.course_saved")
@receiver(post_delete, sender=Course, dispatch_uid="openedx_learner_apis.course_deleted")
def _course_written(sender, instance: Course, **kwargs) -> None:
    """Any save of an overview (the admin, a host's own code) invalidates what is cached about the course."""
    invalidate_course_cache(instance.course_key)


@receiver(post_save, sender=CourseMode, dispatch_uid="openedx_learner_apis.course_mode_saved")
@receiver(post_delete, sender=CourseMode, dispatch_uid="openedx_learner_apis.course_mode_deleted")
def _course_mode_written(sender, instance: CourseMode, **kwargs) -> None:
    """Cached overviews carry their modes: a mode's save or delete invalidates its course."""
    # By id: when the course itself is being deleted, its own receiver invalidates it.
    course_key = Course.objects.filter(pk=instance.course_id).values_list("course_key", flat=True).first()
    if course_key is not None:
        invalidate_course_cache(course_key)


def _deleted_with_its_course(origin) -> bool:
    """Whether a delete cascades from a course's, whose own receiver already invalidates it."""
    return isinstance(origin, Course) or getattr(origin, "model", None) is Course


@receiver(post_save, sender=Block, dispatch_uid="openedx_learner_apis.block_saved")
@receiver(post_delete, sender=Block, dispatch_uid="openedx_learner_apis.block_deleted")
def _block_written(sender, instance: Block, origin=None, **kwargs) -> None:
    """Outlines are built from blocks: a block's save or delete (the admin's included) invalidates its course."""
    if _deleted_with_its_course(origin):
        return
    course_key = Course.objects.filter(pk=instance.course_id).values_list("course_key", flat=True).first()
    if course_key is not None:
        invalidate_course_cache(course_key)
