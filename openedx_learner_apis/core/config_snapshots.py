"""Snapshots of the small admin configuration tables that every mobile request reads.

Each table is read whole, turned into plain picklable data (tuples, booleans) and kept in
Django's cache, so that a request pays cache round trips instead of SQL queries. Snapshots use
the generation tokens of :mod:`.cache`: a token per snapshot, entries stored under a key that
includes it, the token replaced on a write at once and again when the transaction commits.
After a committed write no reader is served the old snapshot.

The applet that owns a table registers its snapshot (:func:`register_config_snapshot`) next to
the model. Every write through the ORM then invalidates it: saves and deletes (``post_save`` /
``post_delete``: the admin, ``Model.save()``, ``Model.delete()``, ``QuerySet.delete()``) and
the bulk writes of an :class:`AnnouncedWritesQuerySet` (``update()``, ``bulk_update()``,
``bulk_create()``). After raw SQL or a data migration on these tables, call
:func:`invalidate_config_snapshots`. A read made inside a writing transaction that then rolls
back may keep its copy until the next write or the timeout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

from .cache import GenerationCache

__all__ = [
    "AnnouncedWritesQuerySet", "invalidate_config_snapshots", "read_config_snapshot", "read_config_snapshots",
    "register_config_snapshot", "table_written",
]

# Sent with the model as sender once a bulk write Django sends no model signal for has written its rows.
table_written = Signal()


class AnnouncedWritesQuerySet(models.QuerySet):
    """A queryset whose bulk writes (``update()``, which ``bulk_update()`` runs, and ``bulk_create()``)
    send :data:`table_written`, so whole-table caches follow them. Raw SQL still sends nothing."""

    def update(self, **kwargs):
        count = super().update(**kwargs)
        table_written.send(sender=self.model)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        table_written.send(sender=self.model)
        return created


snapshot_cache = GenerationCache("openedx_learner_apis:config")


@dataclass(frozen=True)
class _Snapshot:
    model: type[models.Model]
    load: Callable[[], object]  # one query; returns immutable data, shared by every reader of the process


SNAPSHOTS: dict[str, _Snapshot] = {}

# The last value this process saw of each snapshot with its token: a repeat read then costs the
# token round trip only, not the entry's too. The token check keeps it exactly as fresh.
_seen: dict[str, tuple[str, object]] = {}


def _config_written(sender, **kwargs) -> None:
    """Any write through the ORM (the admin, saves, deletes, bulk writes) invalidates the snapshots of its table."""
    invalidate_config_snapshots([name for name, snapshot in SNAPSHOTS.items() if snapshot.model is sender])


def register_config_snapshot(name: str, model: type[models.Model], load: Callable[[], object]) -> str:
    """Keep ``load()`` (one query over ``model``'s table, returning immutable data) as the snapshot ``name``.

    Saves, deletes and announced bulk writes of ``model`` invalidate it. Returns ``name``.
    """
    SNAPSHOTS[name] = _Snapshot(model, load)
    label = model._meta.label_lower
    for signal, event in ((post_save, "saved"), (post_delete, "deleted"), (table_written, "bulk")):
        signal.connect(_config_written, sender=model, dispatch_uid=f"openedx_learner_apis.snapshot.{label}.{event}")
    return name


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
    snapshot_cache.invalidate(list(SNAPSHOTS) if names is None else names)
