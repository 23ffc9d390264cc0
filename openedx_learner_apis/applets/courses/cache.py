"""Cache entries (course outlines and overviews, configuration snapshots) that a committed write never leaves stale.

Every scope (a course, a configuration table) has a generation token in Django's cache, and
each entry about the scope is stored under a key that includes the token. A write replaces
the token at once and again after its transaction commits. A reader reads the token before it
reads the database, so a reader that loaded rows from before the commit can only store them
under a token that no one asks for any more; deleting keys instead would let such a reader put
old rows back.

Readers do two cache round trips for any number of scopes (tokens, then entries) and one
database load for all the misses. This holds with the ``READ COMMITTED`` isolation that
Django uses on PostgreSQL and MySQL/MariaDB.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from ..validation import as_course_key
from .models import Block, Course, CourseMode

CACHE_TIMEOUT = 60 * 60
PREFIX = "openedx_learner_apis:course"


def _new_generation() -> str:
    return uuid.uuid4().hex


class GenerationCache:
    """Entries under per-scope generation tokens, in one key namespace (``prefix``).

    A scope is anything whose ``str()`` is stable and unique within the namespace: a course
    key, a table name.
    """

    def __init__(self, prefix: str, *, timeout: int = CACHE_TIMEOUT):
        self.prefix = prefix
        self.timeout = timeout

    def generation_key(self, scope: Hashable) -> str:
        return f"{self.prefix}:generation:{scope}"

    def entry_key(self, kind: str, scope: Hashable, generation: str) -> str:
        return f"{self.prefix}:{kind}:v1:{scope}:{generation}"

    def generations(self, scopes: Iterable[Hashable]) -> dict:
        """The current generation token of each scope, creating the missing ones."""
        wanted = {scope: self.generation_key(scope) for scope in scopes}
        found = cache.get_many(list(wanted.values()))
        tokens = {}
        for scope, cache_key in wanted.items():
            token = found.get(cache_key)
            if token is None:
                token = _new_generation()
                # ``add`` never replaces a token a writer set meanwhile (``set`` could bring back stale entries).
                if not cache.add(cache_key, token, None):
                    token = cache.get(cache_key) or token
            tokens[scope] = token
        return tokens

    def _bump(self, scopes: list) -> None:
        cache.set_many({self.generation_key(scope): _new_generation() for scope in scopes}, None)

    def invalidate(self, scopes: Iterable[Hashable]) -> None:
        """Forget every cached entry of ``scopes``, now and again once the current transaction commits."""
        scopes = list(scopes)
        self._bump(scopes)
        transaction.on_commit(lambda: self._bump(scopes))

    def cached(self, kind: str, scopes: Iterable[Hashable], load: Callable[[list], dict], *,
               tokens: dict | None = None) -> dict:
        """``{scope: value}`` from the cache, calling ``load(missing_scopes)`` once for the misses.

        ``load`` returns ``{scope: value}``; a scope it leaves out is neither cached nor returned.
        ``tokens`` are the scopes' generations when the caller already read them (before any
        database read of its own).
        """
        scopes = list(dict.fromkeys(scopes))
        if not scopes:
            return {}
        if tokens is None:
            tokens = self.generations(scopes)
        entry_keys = {scope: self.entry_key(kind, scope, tokens[scope]) for scope in scopes}
        cached = cache.get_many(list(entry_keys.values()))
        result, missing = {}, []
        for scope in scopes:
            if entry_keys[scope] in cached:
                result[scope] = cached[entry_keys[scope]]
            else:
                missing.append(scope)
        if missing:
            loaded = load(missing)
            # Only what was asked for: a scope ``load`` adds (say, a key spelled otherwise) has no entry here.
            loaded = {scope: loaded[scope] for scope in missing if scope in loaded}
            cache.set_many({entry_keys[scope]: value for scope, value in loaded.items()}, self.timeout)
            result.update(loaded)
        return {scope: result[scope] for scope in scopes if scope in result}


courses = GenerationCache(PREFIX)


def generation_cache_key(course_key) -> str:
    return courses.generation_key(course_key)


def entry_cache_key(kind: str, course_key, generation: str) -> str:
    return courses.entry_key(kind, course_key, generation)


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
