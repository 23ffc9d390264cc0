"""How one LMS table maps into this app: the read, the target model, its natural key and the row rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .context import AdoptionContext
from .source import Query
from .values import Unmappable


class Ignored(ValueError):
    """A row this app deliberately does not store (a preference it does not own...); the message says why."""


def _nothing(rows, context):
    return {}


def _always(context):
    return None


@dataclass(frozen=True)
class Table:
    """One step of the adoption.

    ``prepare(rows, context)`` resolves what a whole batch refers to (users, courses) in a few
    queries; ``map_row(row, prepared, context)`` returns a ``writer.Mapped`` or raises
    ``Unmappable``/``Ignored``; ``skip(context)`` gives a reason to leave the table out, or ``None``.
    """

    query: Query
    model: type
    key_fields: tuple
    map_row: Callable
    prepare: Callable = _nothing
    keep_dates: tuple = ()
    touch: tuple = ()
    merge: Callable | None = None
    skip: Callable = _always

    @property
    def name(self) -> str:
        return self.query.table


def users_and_courses(user_column: str | None = "user_id", course_column: str | None = None) -> Callable:
    """A ``prepare`` resolving the batch's user ids and (when named) its course keys to rows of this app."""

    def prepare(rows: list[dict], context: AdoptionContext) -> dict:
        prepared = {}
        if user_column:
            prepared["users"] = context.users(row[user_column] for row in rows)
        if course_column:
            prepared["courses"] = context.courses(row[course_column] for row in rows)
        return prepared

    return prepare


__all__ = ["Ignored", "Table", "Unmappable", "users_and_courses"]
