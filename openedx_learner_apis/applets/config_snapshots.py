"""Snapshots of the small admin configuration tables that every mobile request reads.

Each table is read whole, turned into plain picklable data (tuples, booleans) and kept in
Django's cache, so that a request pays cache round trips instead of SQL queries. Snapshots use
the generation tokens of :mod:`.courses.cache`: a token per snapshot, entries stored under a key
that includes it, the token replaced on a write at once and again when the transaction commits.
After a committed write no reader is served the old snapshot.

Every write through the ORM invalidates: saves and deletes (``post_save``/``post_delete``, as
with Open edX's ``ConfigurationModel``: the admin, ``Model.save()``, ``Model.delete()``,
``QuerySet.delete()``) and the bulk writes these tables' querysets announce (``update()``,
``bulk_update()``, ``bulk_create()``, see :mod:`.table_writes`). After raw SQL or a data
migration on these tables, call :func:`invalidate_config_snapshots`. A read made inside a
writing transaction that then rolls back may keep its copy until the next write or the timeout.

The cache must be shared by every process (Redis, memcached): a local-memory cache would leave
other processes with their own tokens, which a write in one process never replaces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .courses.cache import GenerationCache
from .enrollments.models import CourseDurationLimitConfig
from .mobile.models import IgnoreMobileAvailableFlagConfig, MobileConfig
from .table_writes import table_written

__all__ = [
    "DURATION_LIMITS", "IGNORE_MOBILE_AVAILABLE_FLAG", "MOBILE_CONFIGS", "invalidate_config_snapshots",
    "read_config_snapshot", "read_config_snapshots",
]

MOBILE_CONFIGS = "mobile_configs"
IGNORE_MOBILE_AVAILABLE_FLAG = "ignore_mobile_available_flag"
DURATION_LIMITS = "course_duration_limits"

snapshot_cache = GenerationCache("openedx_learner_apis:config")


@dataclass(frozen=True)
class _Snapshot:
    model: type[models.Model]
    load: Callable[[], object]  # one query; returns immutable data, shared by every reader of the process


def _mobile_configs() -> tuple:
    return tuple(MobileConfig.objects.order_by("id").values_list("name", "value"))


def _duration_limits() -> tuple:
    """``(enabled, enabled_as_of, org, course_key)`` rows, oldest first; ``org`` and ``course_key`` may be ``""``."""
    rows = CourseDurationLimitConfig.objects.order_by("change_date", "id").values_list(
        "enabled", "enabled_as_of", "org", "course_key")
    return tuple((enabled, as_of, org or "", str(key) if key else "") for enabled, as_of, org, key in rows)


SNAPSHOTS: dict[str, _Snapshot] = {
    MOBILE_CONFIGS: _Snapshot(MobileConfig, _mobile_configs),
    IGNORE_MOBILE_AVAILABLE_FLAG: _Snapshot(IgnoreMobileAvailableFlagConfig,
                                            IgnoreMobileAvailableFlagConfig.is_enabled),
    DURATION_LIMITS: _Snapshot(CourseDurationLimitConfig, _duration_limits),
}

# The last value this process saw of each snapshot with its token: a repeat read then costs the
# token round trip only, not the entry's too. The token check keeps it exactly as fresh.
_seen: dict[str, tuple[str, object]] = {}


def _load(names: list[str]) -> dict[str, object]:
    return {name: SNAPSHOTS[name].load() for name in names}


def read_config_snapshots(names: Iterable[str]) -> dict[str, object]:
    """``{name: snapshot}``: one cache round trip when warm, two when this process has not seen the tokens.

    A request that needs several snapshots should ask for them in one call. The values are
    shared: treat them as read-only.
    """
    names = list(dict.fromkeys(names))
    # Tokens first: rows read after this point are at least as new as the token they are kept under.
    tokens = snapshot_cache.generations(names)
    result, missing = {}, []
    for name in names:
        seen = _seen.get(name)
        if seen is not None and seen[0] == tokens[name]:
            result[name] = seen[1]
        else:
            missing.append(name)
    if missing:
        loaded = snapshot_cache.cached("snapshot", missing, _load, tokens=tokens)
        for name in missing:
            _seen[name] = (tokens[name], loaded[name])
        result.update(loaded)
    return result


def read_config_snapshot(name: str) -> object:
    """One snapshot (see :func:`read_config_snapshots`)."""
    return read_config_snapshots([name])[name]


def invalidate_config_snapshots(names: Iterable[str] | None = None) -> None:
    """Forget the cached snapshots (all by default), now and again when the current transaction commits.

    Call it after writes the ORM does not see (raw SQL, a data migration).
    """
    snapshot_cache.invalidate(SNAPSHOTS if names is None else names)


@receiver(post_save, sender=MobileConfig, dispatch_uid="openedx_learner_apis.mobile_config_saved")
@receiver(post_delete, sender=MobileConfig, dispatch_uid="openedx_learner_apis.mobile_config_deleted")
@receiver(post_save, sender=IgnoreMobileAvailableFlagConfig, dispatch_uid="openedx_learner_apis.ignore_flag_saved")
@receiver(post_delete, sender=IgnoreMobileAvailableFlagConfig, dispatch_uid="openedx_learner_apis.ignore_flag_deleted")
@receiver(post_save, sender=CourseDurationLimitConfig, dispatch_uid="openedx_learner_apis.duration_limit_saved")
@receiver(post_delete, sender=CourseDurationLimitConfig, dispatch_uid="openedx_learner_apis.duration_limit_deleted")
@receiver(table_written, sender=MobileConfig, dispatch_uid="openedx_learner_apis.mobile_config_bulk")
@receiver(table_written, sender=IgnoreMobileAvailableFlagConfig, dispatch_uid="openedx_learner_apis.ignore_flag_bulk")
@receiver(table_written, sender=CourseDurationLimitConfig, dispatch_uid="openedx_learner_apis.duration_limit_bulk")
def _config_written(sender, **kwargs) -> None:
    """Any write through the ORM (the admin, saves, deletes, bulk writes) invalidates the snapshots of its table."""
    invalidate_config_snapshots([name for name, snapshot in SNAPSHOTS.items() if snapshot.model is sender])
