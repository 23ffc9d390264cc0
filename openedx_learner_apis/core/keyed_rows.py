"""Plain SQL for one learner's rows in a list of courses: ``WHERE user = %s AND key IN (...)`` as ``UNION ALL``.

Rule: a hot read of a learner's rows for the few courses a response shows (a page's
certificates, the completions of the courses whose progress it shows) is read with
:func:`rows_for_each_key`, one ``SELECT`` per key joined by ``UNION ALL``, through
:mod:`.plain_sql`. Why: the ORM's ``__in`` query spent several times the database's time
building and converting itself (about 0.5 ms of CPU each on the mobile ``course_enrollments``);
an equality per key reuses plain_sql's compiled statement and converters, so the rows and
their values are the ORM's on every database (each key compares as the column compares, as
``IN`` would).

At most ``CHUNK`` keys go in one statement (SQLite allows 500 parts in a compound select):
the lists of a page (at most 51 courses) are one query, longer lists one per ``CHUNK``.
Rows come in no particular order; callers sort them.
"""

from __future__ import annotations

from collections.abc import Iterable

from .plain_sql import Select, union_all_rows

__all__ = ["CHUNK", "rows_for_each_key"]

CHUNK = 100


def rows_for_each_key(select: Select, values: tuple, keys: Iterable) -> list[tuple]:
    """The rows of ``select`` whose ``where`` fields equal ``(*values, key)``, for every key of ``keys``.

    ``select.where`` names the fixed fields first and the key's field last; repeated keys are
    read once.
    """
    keys = list(dict.fromkeys(keys))
    rows: list[tuple] = []
    for start in range(0, len(keys), CHUNK):
        rows += union_all_rows(*[(select, (*values, key)) for key in keys[start:start + CHUNK]])
    return rows
