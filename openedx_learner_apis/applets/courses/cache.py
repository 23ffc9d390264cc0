"""The course cache: outlines and overviews kept under one generation token per course.

Entries follow the generation rule of :mod:`openedx_learner_apis.core.cache`: saves and
deletes of courses, modes and blocks (and the bulk writes of their querysets) replace the
course's token, so no reader is served an entry from before a committed write.

Hot readers (the mobile enrollment list) read the tokens of their courses together with the
shared token in one round trip (:func:`generations_and_shared`) and take the overviews from this
process's memo (:func:`shared_course_overviews`): no entry round trip and no unpickling of
courses and their modes while the tokens stay the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ...core.cache import GenerationCache, ProcessMemo
from ...core.keys import as_course_key
from ...core.versions import SHARED, invalidate_shared_data, shared_tokens
from .models import Block, Course, CourseMode

PREFIX = "openedx_learner_apis:course"

courses = GenerationCache(PREFIX)
# Overviews (modes prefetched) kept in this process under their course's token: shared, read-only.
overviews_memo = ProcessMemo(size=1024)


def generations(course_keys: Iterable) -> dict:
    """The current generation token of each course, creating the missing ones."""
    return courses.generations(course_keys)


def generations_and_shared(course_keys: Iterable) -> tuple[dict, str]:
    """``({course_key: token}, shared token)``: the courses' tokens and the shared one, in one round trip.

    The shared token (:mod:`openedx_learner_apis.core.versions`) changes with every write of a
    row that belongs to no learner (configuration tables included), so readers may keep such
    rows under it as well.
    """
    course_keys = list(dict.fromkeys(course_keys))
    # One round trip for every token; a missing one is then created as ``generations`` creates it.
    found = cache.get_many([*map(courses.generation_key, course_keys), shared_tokens.generation_key(SHARED)])
    return courses.generations(course_keys, found=found), shared_tokens.generations([SHARED], found=found)[SHARED]


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


def cached_per_course(kind: str, course_keys: Iterable, load: Callable[[list], dict], *,
                      tokens: dict | None = None) -> dict:
    """``{course_key: value}`` from the cache, calling ``load(missing_keys)`` once for the misses.

    ``load`` returns ``{course_key: value}``; a course it leaves out is neither cached nor returned.
    ``tokens`` are the courses' generations when the caller read them already.
    """
    return courses.cached(kind, course_keys, load, tokens=tokens)


def get_course_overviews(course_keys: Iterable) -> dict:
    """``{course_key: Course}`` for the courses that exist, modes prefetched, from the cache or two queries.

    A key in another letter case than the stored one names no course, on every database: the
    column compares case-insensitively on SQLite and MySQL, so the rows found are kept only
    when spelled as asked (keys compare exactly in Python).
    """
    course_keys = [as_course_key(key) for key in course_keys]
    return courses.cached(OVERVIEWS, course_keys, _load_overviews)


def shared_course_overviews(course_keys: Iterable, tokens: dict) -> dict:
    """:func:`get_course_overviews` under ``tokens`` (read before, see :func:`generations_and_shared`), memoized.

    The courses are kept in this process and handed to every request that asks under the same
    tokens: treat them (and their modes) as read-only.
    """
    return courses.cached(OVERVIEWS, [as_course_key(key) for key in course_keys], _load_overviews, tokens=tokens,
                          memo=overviews_memo)


OVERVIEWS = "overview_with_modes"


def _load_overviews(missing: list) -> dict:
    wanted = set(missing)
    found = Course.objects.filter(course_key__in=missing).prefetch_related("modes")
    return {course.course_key: course for course in found if course.course_key in wanted}


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
