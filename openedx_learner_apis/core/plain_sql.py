"""Plain SQL for the few reads on the hot path of every request, converted exactly as the ORM converts them.

Rule: a read that runs on every request of a busy endpoint and is a single-table
``SELECT`` of a few columns by equality (a learner's time zone sources, their newest
progress rows, their completions in a course) may be read with :func:`select_rows`
instead of a queryset. Why: the ORM spends about 0.5 to 1.5 ms of CPU building,
compiling and converting each such query, several times what the database spends on it;
profiles of the mobile ``course_enrollments`` put a third of its CPU there. The SQL of
each shape is built once per process (table and column names quoted by the backend, the
values always parameters), and each value goes through the same converters the ORM
applies (the backend's, then the field's ``from_db_value``), so the rows are the ORM's,
on every database. Opaque key columns are parsed through a per-field memo: keys are
immutable, and the same few course keys come back on every request.

Several such reads of one request may share a round trip (:func:`union_all_rows` for rows of
one shape, :func:`select_many` for any selects). A feature whose filters are all SQL may also
write its statement by hand from these pieces (:func:`quoted_columns`, :func:`run`), as the
mobile enrollment listing does (``features/mobile/listing.py``); anything else stays ORM.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from django.db import connections, router
from opaque_keys.edx.django.models import OpaqueKeyField

__all__ = [
    "Select", "db_value", "field_converters", "quoted_columns", "rows_for_keys", "run", "select_many", "select_rows",
    "union_all_rows",
]

KEY_MEMO_SIZE = 4096
# Databases whose UNION types each arm's NULL columns on its own (PostgreSQL makes them text, which
# then clashes with a timestamp); MariaDB refuses a typed one beside a column of another collation.
TYPED_NULLS = frozenset({"postgresql"})


@dataclass(frozen=True)
class Select:
    """One ``SELECT columns FROM model's table WHERE a = %s AND ... [ORDER BY ...] [LIMIT n]``.

    ``where`` and ``order_by`` name model fields (``user`` and ``user_id`` both name the
    foreign key's column; ``-`` orders descending); ``tag``, when given, is an integer literal
    prepended to every row, which tells the parts of :func:`union_all_rows` apart.
    """

    model: type
    columns: tuple[str, ...]
    where: tuple[str, ...]
    order_by: tuple[str, ...] = ()
    limit: int | None = None
    tag: int | None = None


def _field(model, name: str):
    meta = model._meta
    try:
        return meta.get_field(name)
    except Exception:
        return next(field for field in meta.concrete_fields if field.attname == name)


@cache
def _key_parser(field):
    """``field.to_python`` memoized by string: opaque keys are immutable, so one parsed object serves all."""
    return lru_cache(maxsize=KEY_MEMO_SIZE)(field.to_python)


@cache
def _key_serializer(field):
    """``field.get_prep_value`` memoized by key: the same key always serializes to the same string."""
    return lru_cache(maxsize=KEY_MEMO_SIZE)(field.get_prep_value)


def db_value(field, value, connection):
    """``value`` as the ORM sends it to ``connection`` for a lookup on ``field`` (a model instance: its pk)."""
    if hasattr(value, "pk") and field.is_relation:
        value = value.pk
    if isinstance(field, OpaqueKeyField) and value is not None:
        return _key_serializer(field)(value)
    return field.get_db_prep_value(value, connection, prepared=False)


def _converters(field, connection) -> list:
    """What the ORM calls on a value of ``field`` read from ``connection``, in its order."""
    column = field.get_col(field.model._meta.db_table)
    backend = [(converter, column) for converter in connection.ops.get_db_converters(column)]
    if isinstance(field, OpaqueKeyField):
        parse = _key_parser(field)
        return [*backend, (lambda value, expression, connection: parse(value), column)]
    return [*backend, *[(converter, column) for converter in column.get_db_converters(connection)]]


@lru_cache(maxsize=256)
def _compiled(select: Select, alias: str, pad: tuple[tuple, tuple] = ((), ())) -> tuple[str, tuple, tuple]:
    """``(sql, where fields, selected fields)`` of ``select`` on the database ``alias``.

    ``pad`` holds the expressions of the columns before and after the selected ones (:func:`select_many`).
    """
    connection = connections[alias]
    quote = connection.ops.quote_name
    model = select.model
    fields = [_field(model, name) for name in select.columns]
    where = tuple(_field(model, name) for name in select.where)
    parts = [*pad[0], *(f"{quote(field.column)}" for field in fields), *pad[1]]
    if select.tag is not None:
        parts.insert(0, str(int(select.tag)))
    sql = f"SELECT {', '.join(parts)} FROM {quote(model._meta.db_table)}"
    if where:
        sql += " WHERE " + " AND ".join(f"{quote(field.column)} = %s" for field in where)
    if select.order_by:
        order = []
        for name in select.order_by:
            descending = name.startswith("-")
            order.append(f"{quote(_field(model, name.lstrip('-')).column)} {'DESC' if descending else 'ASC'}")
        sql += " ORDER BY " + ", ".join(order)
    if select.limit is not None:
        sql += f" LIMIT {int(select.limit)}"
    return sql, where, tuple(fields)


def _column_converters(select: Select, fields: tuple, connection) -> list:
    """The converters of each selected column, kept on the connection (each thread has its own)."""
    memo = connection.__dict__.setdefault("_olapi_plain_sql_converters", {})
    if select not in memo:
        converters = [_converters(field, connection) for field in fields]
        memo[select] = [[], *converters] if select.tag is not None else converters
    return memo[select]


def _params(where: tuple, values: tuple, connection) -> list:
    return [db_value(field, value, connection) for field, value in zip(where, values, strict=True)]


def _convert(rows, converters: list, connection) -> list[tuple]:
    result = []
    for row in rows:
        values = list(row)
        for index, chain in enumerate(converters):
            for converter, expression in chain:
                values[index] = converter(values[index], expression, connection)
        result.append(tuple(values))
    return result


def field_converters(fields: tuple, connection) -> list:
    """For each of ``fields``, the converters the ORM applies to a value read from its column on ``connection``.

    The chains to give :func:`run` for a hand-written statement selecting these columns; kept
    on the connection, as a backend's converters belong to it (each thread has its own).
    """
    memo = connection.__dict__.setdefault("_olapi_plain_sql_field_converters", {})
    if fields not in memo:
        memo[fields] = [_converters(field, connection) for field in fields]
    return memo[fields]


@lru_cache(maxsize=64)
def quoted_columns(model, alias: str, table_alias: str) -> dict[str, str]:
    """``{field name and attname: 'table_alias.column'}`` of ``model``'s concrete fields, quoted for ``alias``."""
    quote = connections[alias].ops.quote_name
    columns = {}
    for field in model._meta.concrete_fields:
        columns[field.name] = columns[field.attname] = f"{quote(table_alias)}.{quote(field.column)}"
    return columns


def run(alias: str, sql: str, params: list, converters: list) -> list[tuple]:
    """The rows of a hand-written ``sql`` on the database ``alias``, each column through its converter chain.

    ``converters`` has one chain per selected column (``[]`` for none): :func:`field_converters`.
    """
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _convert(rows, converters, connection)


def select_rows(select: Select, *values) -> list[tuple]:
    """The rows of ``select`` with its ``where`` fields equal to ``values`` (in order), converted as the ORM does."""
    alias = router.db_for_read(select.model)
    connection = connections[alias]
    sql, where, fields = _compiled(select, alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(where, values, connection))
        rows = cursor.fetchall()
    return _convert(rows, _column_converters(select, fields, connection), connection)


def union_all_rows(*parts: tuple[Select, tuple]) -> list[tuple]:
    """One round trip for several selects of the same row shape: ``(Select, values)`` pairs, ``UNION ALL``.

    Parts may not order or limit (SQLite refuses either inside a compound select); give each a
    ``tag`` to tell its rows apart. Rows are converted with the first part's converters per
    column (the tag column aside), so the parts' columns must be of the same kinds.
    """
    alias = router.db_for_read(parts[0][0].model)
    connection = connections[alias]
    statements, params, converters = [], [], None
    for select, values in parts:
        if select.order_by or select.limit is not None:
            raise ValueError("A part of UNION ALL may not order or limit its rows.")
        sql, where, fields = _compiled(select, alias)
        statements.append(sql)
        params += _params(where, values, connection)
        converters = converters or _column_converters(select, fields, connection)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(statements), params)
        rows = cursor.fetchall()
    return _convert(rows, converters, connection)


def _in_order(rows: list[tuple], select: Select) -> list[tuple]:
    """``rows`` sorted by ``select.order_by`` in Python: a compound statement keeps no part's order."""
    for name in reversed(select.order_by):
        index = select.columns.index(name.lstrip("-"))
        rows.sort(key=lambda row: row[index], reverse=name.startswith("-"))
    return rows


@lru_cache(maxsize=64)
def _many(selects: tuple[Select, ...], alias: str) -> tuple[str, list, list, list]:
    """``(sql, where fields per part, selected fields per part, column slice per part)`` of :func:`select_many`."""
    connection = connections[alias]
    widths = [len(select.columns) for select in selects]
    typed = connection.vendor in TYPED_NULLS
    nulls = [f"CAST(NULL AS {_field(select.model, name).cast_db_type(connection)})" if typed else "NULL"
             for select in selects for name in select.columns]
    statements, wheres, selected, slices = [], [], [], []
    for index, select in enumerate(selects):
        if not {name.lstrip("-") for name in select.order_by} <= set(select.columns):
            raise ValueError("A part of select_many must select the columns it orders by.")
        before, after = sum(widths[:index]), sum(widths[:index + 1])
        sql, where, fields = _compiled(replace(select, tag=index), alias, (tuple(nulls[:before]), tuple(nulls[after:])))
        if select.order_by or select.limit is not None:
            wrapped = connection.features.supports_slicing_ordering_in_compound
            sql = f"({sql})" if wrapped else f"SELECT * FROM ({sql}) {connection.ops.quote_name(f'part{index}')}"
        statements.append(sql)
        wheres.append(where)
        selected.append(tuple(fields))
        slices.append(slice(1 + before, 1 + after))
    return " UNION ALL ".join(statements), wheres, selected, slices


def select_many(*parts: tuple[Select, tuple]) -> list[list[tuple]]:
    """One round trip for any selects: ``(Select, values)`` pairs; each part's rows, as :func:`select_rows` reads them.

    Each part keeps its own ``ORDER BY`` and ``LIMIT`` (a parenthesized part of the compound
    statement, or a derived table on SQLite): a limited part reads only its first rows, through
    the index that orders them. Each part's columns get positions of their own in the
    statement (``NULL`` in the other parts, of the column's type where the database needs it), so no
    database has to find one type for columns of different kinds; a leading number tells the
    parts apart. A part that orders must select the (non-null) columns it orders by: its rows
    are put back in that order here.
    """
    alias = router.db_for_read(parts[0][0].model)
    connection = connections[alias]
    sql, wheres, selected, slices = _many(tuple(select for select, _ in parts), alias)
    params = []
    for where, (_, values) in zip(wheres, parts):
        params += _params(where, values, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found: list[list] = [[] for _ in parts]
    for row in rows:
        found[row[0]].append(row[slices[row[0]]])
    return [_in_order(_convert(part_rows, field_converters(selected[index], connection), connection), parts[index][0])
            for index, part_rows in enumerate(found)]

_EQUALS = " = %s"


def rows_for_keys(select: Select, values: tuple, keys: Iterable) -> list[tuple]:
    """The rows of ``select`` whose ``where`` fields equal ``values`` and whose last one is any of ``keys``.

    One query whatever the number of keys, as the ORM's ``__in`` (a page's certificates, the
    completions of the courses it shows): each key compares as the column compares, and the
    rows and values are the ORM's. Rows come in no particular order; callers sort them.

    ``select.where`` names the fixed fields first and the keys' field last; it may not order or
    limit. Repeated keys are read once; no keys, no query.
    """
    if select.order_by or select.limit is not None or not select.where:
        raise ValueError("A keyed read names its keys' field last in where, and may not order or limit its rows.")
    keys = list(dict.fromkeys(keys))
    if not keys:
        return []
    alias = router.db_for_read(select.model)
    connection = connections[alias]
    sql, where, fields = _compiled(select, alias)
    # The compiled statement ends with the last field's equality: it becomes the list's membership.
    sql = f"{sql.removesuffix(_EQUALS)} IN ({', '.join(['%s'] * len(keys))})"
    params = _params(where[:-1], values, connection) + _params(where[-1:] * len(keys), tuple(keys), connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _convert(rows, _column_converters(select, fields, connection), connection)
