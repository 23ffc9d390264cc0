"""Plain SQL for one learner's rows in a list of courses: ``WHERE user = %s AND course_key IN (...)``.

Rule: a hot read of a learner's rows for the courses a response shows (a page's certificates,
the completions of the courses whose progress it shows) is read with :func:`rows_for_keys`:
the statement of a :class:`.plain_sql.Select` whose last ``where`` field is compared with a list
instead of one value, in one query whatever the number of keys (as the ORM's ``__in``). Why:
the ORM spent several times the database's time building and converting such a query (about
0.5 ms of CPU each on the mobile ``course_enrollments``). The statement, the parameters and
the converters are :mod:`.plain_sql`'s, so the rows and their values are the ORM's on every
database, and each key compares as the column compares, as ``IN`` does there.

Rows come in no particular order; callers sort them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connections, router

from .plain_sql import Select, _column_converters, _compiled, _convert, _params

__all__ = ["rows_for_keys"]

EQUALS = " = %s"


def rows_for_keys(select: Select, values: tuple, keys: Iterable) -> list[tuple]:
    """The rows of ``select`` whose ``where`` fields equal ``values`` and whose last one is any of ``keys``.

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
    sql = f"{sql.removesuffix(EQUALS)} IN ({', '.join(['%s'] * len(keys))})"
    params = _params(where[:-1], values, connection) + _params(where[-1:] * len(keys), tuple(keys), connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _convert(rows, _column_converters(select, fields, connection), connection)
