"""Per-course cache entries (outlines, overviews) that a committed write never leaves stale.

Every course has a generation token in Django's cache, and each entry about the course is
stored under a key that includes the token. A write replaces the token at once and again
after its transaction commits. A reader reads the token before it reads the database, so a
reader that loaded rows from before the commit can only store them under a token that no
one asks for any more; deleting keys instead would let such a reader put old rows back.

Readers do two cache round trips for any number of courses (tokens, then entries) and one
database query for all the misses. This holds with the ``READ COMMITTED`` isolation that
Django uses on PostgreSQL and MySQL/MariaDB.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ..validation import as_course_key
from .models import Course

CACHE_TIMEOUT = 60 * 60
PREFIX = "openedx_learner_apis:course"


def generation_cache_key(course_key) -> str:
    return f"{PREFIX}:generation:{course_key}"


def entry_cache_key(kind: str, course_key, generation: str) -> str:
    return f"{PREFIX}:{kind}:v1:{course_key}:{generation}"


def _new_generation() -> str:
    return uuid.uuid4().hex


def generations(course_keys: Iterable) -> dict:
    """The current generation token of each course, creating the missing ones."""
    wanted = {key: generation_cache_key(key) for key in course_keys}
    found = cache.get_many(list(wanted.values()))
    tokens = {}
    for course_key, cache_key in wanted.items():
        token = found.get(cache_key)
        if token is None:
            token = _new_generation()
            # ``add`` never replaces a token a writer set meanwhile (``set`` could bring back stale entries).
            if not cache.add(cache_key, token, None):
                token = cache.get(cache_key) or token
        tokens[course_key] = token
    return tokens


def _bump(course_key) -> None:
    cache.set(generation_cache_key(course_key), _new_generation(), None)


def invalidate_course_cache(course_key) -> None:
    """Forget every cached entry of a course, now and again once the current transaction commits."""
    _bump(course_key)
    transaction.on_commit(lambda: _bump(course_key))


def cached_per_course(kind: str, course_keys: Iterable, load: Callable[[list], dict]) -> dict:
    """``{course_key: value}`` from the cache, calling ``load(missing_keys)`` once for the misses.

    ``load`` returns ``{course_key: value}``; a course it leaves out is neither cached nor returned.
    """
    course_keys = list(dict.fromkeys(course_keys))
    if not course_keys:
        return {}
    tokens = generations(course_keys)
    entry_keys = {key: entry_cache_key(kind, key, tokens[key]) for key in course_keys}
    cached = cache.get_many(list(entry_keys.values()))
    result, missing = {}, []
    for key in course_keys:
        if entry_keys[key] in cached:
            result[key] = cached[entry_keys[key]]
        else:
            missing.append(key)
    if missing:
        loaded = load(missing)
        cache.set_many({entry_keys[key]: value for key, value in loaded.items()}, CACHE_TIMEOUT)
        result.update(loaded)
    return {key: result[key] for key in course_keys if key in result}


def get_course_overviews(course_keys: Iterable) -> dict:
    """``{course_key: Course}`` for the courses that exist, from the cache or one query."""
    course_keys = [as_course_key(key) for key in course_keys]

    def load(missing: list) -> dict:
        return {course.course_key: course for course in Course.objects.filter(course_key__in=missing)}

    return cached_per_course("overview", course_keys, load)


@receiver(post_save, sender=Course, dispatch_uid="openedx_learner_apis.course_saved")
@receiver(post_delete, sender=Course, dispatch_uid="openedx_learner_apis.course_deleted")
def _course_written(sender, instance: Course, **kwargs) -> None:
    """Any save of an overview (the admin, a host's own code) invalidates what is cached about the course."""
    invalidate_course_cache(instance.course_key)
