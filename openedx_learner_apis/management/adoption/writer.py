"""Upserting a batch of mapped rows: create the missing, update the different, leave the equal alone.

Rows are matched on their natural key (``user_id`` and ``course_key``...), never on the LMS's
ids, so a second run finds every row and changes nothing. Existing rows are read with one
query per batch and compared in Python (exact spelling, whatever the column's collation);
creations go in with one ``bulk_create`` and changes with one ``bulk_update``. Both run through
the models' querysets, so the course cache is invalidated as by any other write of courses
and modes (``applets/courses/cache.py``).

The dates the LMS kept (``created``, ``modified``...) are stored as they are: the ``auto_now``
flags of the named fields are lifted for the duration of the ``bulk_create``, which is why the
command runs alone in its process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import models
from opaque_keys.edx.django.models import CourseKeyField


@dataclass
class Mapped:
    """One LMS row as this app stores it: its natural key, its values, and values set on creation only."""

    key: tuple
    values: dict
    create_only: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Written:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@contextmanager
def dates_as_given(model, names: Iterable[str]):
    """Let ``bulk_create`` store the given values of ``auto_now``/``auto_now_add`` fields."""
    fields = [model._meta.get_field(name) for name in names]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields if isinstance(f, models.DateField)]
    try:
        for f, _, _ in saved:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _existing(model, key_fields: tuple, rows: list[Mapped]) -> dict:
    """``{key: instance}`` of the rows already stored, with one query narrowed on every key field."""
    lookup = {}
    for position, name in enumerate(key_fields):
        values = {row.key[position] for row in rows}
        if len(values) <= 1000 and None not in values:
            lookup[f"{name}__in"] = list(values)
    found = {}
    for instance in model._default_manager.filter(**lookup):
        found[tuple(_key_value(getattr(instance, name)) for name in key_fields)] = instance
    return found


def _key_value(value):
    # A blank course key column loads as None; the mapped rows say CourseKeyField.Empty ("").
    return "" if value is None or value is CourseKeyField.Empty else value


def upsert(model, key_fields: tuple, rows: list[Mapped], *, keep_dates: Iterable[str] = (),
           touch: Iterable[str] = (), merge: Callable | None = None, batch_size: int = 1000) -> Written:
    """Write ``rows`` (each key once) into ``model``; ``merge(existing, values)`` may drop values to keep."""
    if not rows:
        return Written()
    existing = _existing(model, key_fields, rows)
    to_create, to_update, changed_fields, unchanged = [], [], set(), 0
    for row in rows:
        key = tuple(_key_value(value) for value in row.key)
        instance = existing.get(key)
        if instance is None:
            to_create.append(model(**dict(zip(key_fields, row.key, strict=True)), **row.values, **row.create_only))
            continue
        values = merge(instance, row.values) if merge else row.values
        changes = [name for name, value in values.items() if getattr(instance, name) != value]
        if not changes:
            unchanged += 1
            continue
        for name in changes:
            setattr(instance, name, values[name])
        changed_fields.update(changes)
        to_update.append(instance)
    if to_create:
        with dates_as_given(model, keep_dates):
            model._default_manager.bulk_create(to_create, batch_size=batch_size)
    if to_update:
        touched = [name for name in touch if name not in changed_fields]
        if touched:
            now = model._meta.get_field(touched[0]).pre_save(to_update[0], add=False)
            for instance in to_update:
                for name in touched:
                    setattr(instance, name, now)
        model._default_manager.bulk_update(to_update, sorted(changed_fields | set(touched)), batch_size=batch_size)
    return Written(created=len(to_create), updated=len(to_update), unchanged=unchanged)
