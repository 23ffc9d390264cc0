"""Reading an LMS's tables with plain SQL through a database alias, in primary-key order.

The LMS's Django models are not installed here, so nothing goes through the ORM: each read is
one ``SELECT`` of named columns, paged by primary key (keyset pagination: ``pk > last`` with a
``LIMIT``), which costs the same on the last page as on the first and lets an interrupted run
go on from the last key it finished.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db import connections


@dataclass(frozen=True)
class Query:
    """What to read of one table: the columns (``alias.column`` with a join), the key, an optional join."""

    table: str
    columns: Sequence[str]
    key: str = "id"
    join: str = ""
    since_column: str = ""


class LmsSource:
    """The LMS database behind ``alias``: which tables it has, how many rows, and their pages."""

    def __init__(self, alias: str):
        self.alias = alias
        self.connection = connections[alias]
        self._tables: set[str] | None = None

    @property
    def label(self) -> str:
        """The alias and the database name: checkpoints of two LMS databases never mix."""
        return f"{self.alias}:{self.connection.settings_dict.get('NAME')}"[:255]

    def has_table(self, table: str) -> bool:
        if self._tables is None:
            with self.connection.cursor() as cursor:
                self._tables = set(self.connection.introspection.table_names(cursor))
        return table in self._tables

    def _quote(self, name: str) -> str:
        return ".".join(self.connection.ops.quote_name(part) for part in name.split("."))

    def _where(self, query: Query, after, since) -> tuple[str, list]:
        clauses, params = [], []
        if after is not None:
            clauses.append(f"{self._quote(query.key)} > %s")
            params.append(after)
        if since is not None and query.since_column:
            clauses.append(f"{self._quote(query.since_column)} >= %s")
            params.append(since)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def count(self, query: Query, *, after=None, since=None) -> int:
        where, params = self._where(query, after, since)
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {self._quote(query.table)} {query.join}{where}", params)
            return int(cursor.fetchone()[0])

    def batches(self, query: Query, *, after=None, since=None, size: int = 1000) -> Iterator[list[dict]]:
        """Pages of rows (dicts by column name, the key under ``"_key"``), in key order, after ``after``."""
        names = [column.rsplit(".", 1)[-1] for column in query.columns]
        select = ", ".join([self._quote(query.key), *(self._quote(column) for column in query.columns)])
        while True:
            where, params = self._where(query, after, since)
            sql = (f"SELECT {select} FROM {self._quote(query.table)} {query.join}{where} "
                   f"ORDER BY {self._quote(query.key)} LIMIT {int(size)}")
            with self.connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            if not rows:
                return
            yield [{"_key": row[0], **dict(zip(names, row[1:], strict=True))} for row in rows]
            if len(rows) < size:
                return
            after = rows[-1][0]

    def fetch(self, sql: str, params: Sequence) -> list[tuple]:
        """Rows of a small lookup query (the usernames of a batch's user ids)."""
        with self.connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return cursor.fetchall()

    def in_clause(self, values: Sequence) -> str:
        return ", ".join(["%s"] * len(values))
