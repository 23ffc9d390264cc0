"""Generation tokens of the data a response reads: one per learner, one per course's population, one shared.

A response version (:mod:`openedx_learner_apis.rest_api.common.conditional`) is built from
these tokens, so it changes whenever the data changes. They follow the rule of
:mod:`.cache`: a write replaces the token at once and again once its transaction commits, so a
reader that read the token before loading rows never files them under a token that is still
asked for after the commit.

* **learner** (a user id): every row that belongs to one learner (enrollments, progress,
  certificates, grades, celebrations, preferences, profile, badges, roles) and the user row.
* **population** (a course key): the course's enrollments of every learner (who is enrolled,
  how many); only what counts enrollments reads it.
* **shared**: every row that belongs to no learner (courses, modes, blocks, prerequisites,
  info pages, badge classes, configuration tables). Writes there are rare (the admin, an
  import), so one token for all of them keeps a version to a few keys.

Model saves and deletes reach the tokens through signal receivers (connected by
:mod:`openedx_learner_apis.features.response_versions.writes`); bulk writes through
:class:`LearnerRowsQuerySet` and the querysets that send ``table_written``. After raw SQL,
call :func:`invalidate_learners` or :func:`invalidate_shared_data`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import models

from .cache import GenerationCache

__all__ = [
    "EnrollmentRowsQuerySet", "LearnerRowsQuerySet", "SHARED", "SharedRowsQuerySet", "default_cache_is_shared",
    "invalidate_learners",
    "invalidate_populations", "invalidate_shared_data", "learner_tokens", "population_tokens", "read_tokens",
    "read_tokens_with", "shared_tokens", "TokenRead",
]

# Caches that each process keeps for itself: a token replaced in one is not seen by the others.
PROCESS_LOCAL_CACHES = ("django.core.cache.backends.locmem.LocMemCache",
                        "django.core.cache.backends.dummy.DummyCache")


def default_cache_backend() -> str:
    return getattr(settings, "CACHES", {}).get("default", {}).get("BACKEND", "")


def default_cache_is_shared() -> bool:
    """Whether ``CACHES["default"]`` is shared by every process (Redis, memcached), so tokens can be trusted."""
    return default_cache_backend() not in PROCESS_LOCAL_CACHES


learner_tokens = GenerationCache("openedx_learner_apis:learner")
population_tokens = GenerationCache("openedx_learner_apis:population")
shared_tokens = GenerationCache("openedx_learner_apis:shared")
SHARED = "all"


def invalidate_learners(user_ids: Iterable) -> None:
    """Forget every version that read these learners' rows (now, and again on commit)."""
    user_ids = sorted({user_id for user_id in user_ids if user_id is not None})
    if user_ids:
        learner_tokens.invalidate(user_ids)


def invalidate_populations(course_keys: Iterable) -> None:
    """Forget every version that counted the enrollments of these courses."""
    course_keys = sorted({str(key) for key in course_keys if key is not None})
    if course_keys:
        population_tokens.invalidate(course_keys)


def invalidate_shared_data() -> None:
    """Forget every version that read rows belonging to no learner (courses, configuration...)."""
    shared_tokens.invalidate([SHARED])


def read_tokens(wanted: Iterable[tuple[GenerationCache, object]]) -> list[str]:
    """The tokens of ``(generation_cache, scope)`` pairs, in order, in one cache round trip when all exist.

    A missing token is created as :meth:`GenerationCache.generations` does (``add``, never ``set``).
    """
    return read_tokens_with(wanted, [])[0]


class TokenRead(NamedTuple):
    """What :func:`read_tokens_with` read: ``tokens`` in order, ``found`` the other keys' values,
    ``complete`` whether every token was already there (none had to be created)."""

    tokens: list
    found: dict
    complete: bool


def read_tokens_with(wanted: Iterable[tuple[GenerationCache, object]], keys: list[str]) -> TokenRead:
    """:func:`read_tokens`, plus the cache's values of ``keys`` fetched in the same round trip.

    ``found`` is ``{key: value}``, a key absent when the cache has no value for it.
    """
    wanted = list(wanted)
    token_keys = [generations.generation_key(scope) for generations, scope in wanted]
    found = cache.get_many([*token_keys, *keys])
    tokens, complete = [], True
    for (generations, scope), key in zip(wanted, token_keys):
        token = found.get(key)
        if token is None:
            complete = False
            token = generations.generations([scope])[scope]
        tokens.append(token)
    return TokenRead(tokens, {key: found[key] for key in keys if key in found}, complete)


class LearnerRowsQuerySet(models.QuerySet):
    """Rows owned by a learner: bulk writes (``update()``, which ``bulk_update()`` runs, and
    ``bulk_create()``) replace the learners' tokens, as saves and deletes do through signals.

    ``user_lookup`` names the owner's id from a row; ``user_fields`` the fields that move a row
    to another learner (then both the old and the new owners are invalidated). Raw SQL is not seen.
    """

    user_lookup = "user_id"
    user_fields = frozenset({"user", "user_id"})

    def _owners(self, pks=None) -> set:
        rows = self if pks is None else self.model._base_manager.using(self.db).filter(pk__in=pks)
        return set(rows.order_by().values_list(self.user_lookup, flat=True).distinct())

    def update(self, **kwargs):
        moves = bool(self.user_fields & set(kwargs))
        pks = list(self.values_list("pk", flat=True)) if moves else None
        owners = self._owners(pks)
        count = super().update(**kwargs)
        if moves:
            owners |= self._owners(pks)
        invalidate_learners(owners)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if self.user_lookup == "user_id":
            owners = {obj.user_id for obj in created}
        else:
            owners = self._owners([obj.pk for obj in created if obj.pk is not None])
        invalidate_learners(owners)
        return created


class EnrollmentRowsQuerySet(LearnerRowsQuerySet):
    """Enrollments: bulk writes also replace the population token of every course they touch."""

    def _course_keys(self, rows) -> set:
        return set(rows.order_by().values_list("course__course_key", flat=True).distinct())

    def update(self, **kwargs):
        moves = bool({"course", "course_id"} & set(kwargs))
        pks = list(self.values_list("pk", flat=True)) if moves else None
        rows = self if pks is None else self.model._base_manager.using(self.db).filter(pk__in=pks)
        courses = self._course_keys(rows)
        count = super().update(**kwargs)
        if moves:
            courses |= self._course_keys(rows)
        invalidate_populations(courses)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        pks = [obj.pk for obj in created if obj.pk is not None]
        invalidate_populations(self._course_keys(self.model._base_manager.using(self.db).filter(pk__in=pks)))
        return created


class SharedRowsQuerySet(models.QuerySet):
    """Rows that belong to no learner: bulk writes replace the shared token, as saves and deletes do."""

    def update(self, **kwargs):
        count = super().update(**kwargs)
        invalidate_shared_data()
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        invalidate_shared_data()
        return created
