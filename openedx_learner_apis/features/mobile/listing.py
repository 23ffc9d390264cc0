"""The listed enrollments in SQL: every filter of the mobile selection as one condition, and the reads over it.

Rule: the selection's filters (docs/mobile.rst, "course_enrollments") make one SQL condition
over the learner's enrollments joined to their courses, so that a page with its total, a
count, and the v4 primary's candidates are each one statement whatever the number of
enrollments, and rows come newest first (``created``, then ``id``).

Why by hand (``core.plain_sql``): these reads run on every mobile listing, and the ORM spent
about 2.5 ms of CPU building, compiling and converting them, ten times what they cost the
database. Each condition is written as the ORM writes its lookup, with the backend's own
operators, casts, collations and value preparation, so the rows are the ORM's on every
database:

* ``org``: the ``iexact`` lookup (``UPPER`` on PostgreSQL, ``LIKE`` elsewhere, the value
  escaped as the backend escapes it); an ``org`` holding a NUL matches nothing, unread.
* site orgs and role course keys: byte for byte (``core.keys.exact_sql``); role orgs as
  ``IN`` compares them (the column's collation).
* ``status``: a certificate of the course spelled exactly, then dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from functools import lru_cache
from typing import NamedTuple

from django.db import connections, router

from ...applets.certificates.models import Certificate
from ...applets.courses.models import Course
from ...applets.enrollments.models import Enrollment
from ...core.keys import exact_sql
from ...core.plain_sql import db_value, field_converters, quoted_columns, run

__all__ = ["Candidate", "EnrollmentStatuses", "ListedEnrollments", "ListingFilters"]

ENROLLMENT_FIELDS = tuple(Enrollment._meta.concrete_fields)
ATTNAMES = tuple(field.attname for field in ENROLLMENT_FIELDS)
SELECTED_FIELDS = (*ENROLLMENT_FIELDS, Course._meta.get_field("course_key"))


class EnrollmentStatuses(Enum):
    """The v4 ``status`` filter values."""

    ALL = "all"
    COMPLETED = "completed"
    EXPIRED = "expired"
    IN_PROGRESS = "in_progress"

    @classmethod
    def values(cls) -> list[str]:
        return [member.value for member in cls]


@dataclass(frozen=True)
class ListingFilters:
    """What the listing keeps of a learner's active enrollments.

    ``mobile`` is ``None`` when every course counts as mobile-available, else the course keys
    and orgs (strings) whose unflagged courses a role reveals.
    """

    user_id: int
    site_orgs: tuple = ()
    org: str | None = None
    status: EnrollmentStatuses | None = None
    now: datetime | None = None
    mobile: tuple[tuple, tuple] | None = None

    @property
    def empty(self) -> bool:
        """Whether no row can match, unread: no org holds a NUL (and PostgreSQL refuses to compare one)."""
        return bool(self.org) and "\x00" in self.org


def _marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def _prep(model, name: str, value, connection):
    return db_value(model._meta.get_field(name), value, connection)


def _status_condition(filters: ListingFilters, connection, alias: str, c: dict, course_alias: str) -> tuple:
    """The v4 ``status`` filter: a certificate of any status means completed; otherwise dates decide."""
    status = filters.status
    if status in (None, EnrollmentStatuses.ALL):
        return [], []
    quote = connection.ops.quote_name
    x = quoted_columns(Certificate, alias, f"{course_alias}x")
    # A certificate counts for the course spelled exactly as its key, as on PostgreSQL.
    certified = (f"EXISTS (SELECT 1 FROM {quote(Certificate._meta.db_table)} {quote(f'{course_alias}x')} "
                 f"WHERE {exact_sql(x['course_key'], connection)} = {c['course_key']} AND {x['user_id']} = %s)")
    if status is EnrollmentStatuses.COMPLETED:
        return [certified], [filters.user_id]
    now = _prep(Course, "end", filters.now, connection)
    if status is EnrollmentStatuses.EXPIRED:
        return [f"NOT {certified}", f"{c['end']} < %s"], [filters.user_id, now]
    return ([f"NOT {certified}", f"({c['start']} IS NULL OR {c['start']} <= %s)",
             f"({c['end']} IS NULL OR {c['end']} >= %s)"], [filters.user_id, now, now])


def _condition(filters: ListingFilters, alias: str, e_alias: str, c_alias: str) -> tuple[str, list]:
    """``(sql, params)`` of the filters over the tables aliased ``e_alias`` (enrollments) and ``c_alias`` (courses)."""
    connection = connections[alias]
    e, c = quoted_columns(Enrollment, alias, e_alias), quoted_columns(Course, alias, c_alias)
    sql = [f"{e['user_id']} = %s", f"{e['is_active']} = %s"]
    params = [filters.user_id, _prep(Enrollment, "is_active", True, connection)]
    if filters.site_orgs:
        sql.append(f"{exact_sql(c['org'], connection)} IN ({_marks(filters.site_orgs)})")
        params += filters.site_orgs
    if filters.org:
        column = connection.ops.lookup_cast("iexact", "CharField") % c["org"]
        sql.append(f"{column} {connection.operators['iexact'] % '%s'}")
        params.append(connection.ops.prep_for_iexact_query(filters.org))
    status_sql, status_params = _status_condition(filters, connection, alias, c, c_alias)
    sql += status_sql
    params += status_params
    if filters.mobile is not None:
        courses, orgs = filters.mobile
        options = [f"{c['mobile_available']} = %s"]
        params.append(_prep(Course, "mobile_available", True, connection))
        if courses:
            options.append(f"{exact_sql(c['course_key'], connection)} IN ({_marks(courses)})")
            params += [_prep(Course, "course_key", key, connection) for key in courses]
        if orgs:
            options.append(f"{c['org']} IN ({_marks(orgs)})")
            params += orgs
        sql.append(f"({' OR '.join(options)})")
    return " AND ".join(sql), params


@lru_cache(maxsize=16)
def _from(alias: str, e_alias: str, c_alias: str) -> tuple[str, str]:
    """``(FROM ... JOIN ..., ORDER BY ...)`` of the enrollments aliased ``e_alias`` with their courses."""
    quote = connections[alias].ops.quote_name
    e, c = quoted_columns(Enrollment, alias, e_alias), quoted_columns(Course, alias, c_alias)
    tables = (f"FROM {quote(Enrollment._meta.db_table)} {quote(e_alias)} INNER JOIN "
              f"{quote(Course._meta.db_table)} {quote(c_alias)} ON {e['course_id']} = {c['id']}")
    return tables, f"ORDER BY {e['created']} DESC, {e['id']} DESC"


@lru_cache(maxsize=16)
def _select_list(alias: str) -> str:
    e, c = quoted_columns(Enrollment, alias, "e"), quoted_columns(Course, alias, "c")
    return ", ".join([*(e[field.attname] for field in ENROLLMENT_FIELDS), c["course_key"]])


def _columns(alias: str) -> tuple[str, list]:
    """``(select list, converters)`` of an enrollment row (aliased ``e``) and its course key (``c``)."""
    return _select_list(alias), field_converters(SELECTED_FIELDS, connections[alias])


class Candidate(NamedTuple):
    """A listed enrollment's ``id``, ``created`` and course key, and its row: an :class:`Enrollment` when chosen."""

    id: int
    created: datetime
    listed_course_key: object
    row: tuple
    alias: str

    def enrollment(self) -> Enrollment:
        return _enrollments([self.row], self.alias)[0]


def _candidates(rows, alias: str) -> list[Candidate]:
    created, key = ATTNAMES.index("created"), len(ATTNAMES)
    return [Candidate(row[0], row[created], row[key], row, alias) for row in rows]


def _enrollments(rows, alias: str) -> list:
    """Enrollments as the ORM builds them, each with its course's ``listed_course_key``."""
    count = len(ATTNAMES)
    enrollments = []
    for row in rows:
        enrollment = Enrollment.from_db(alias, ATTNAMES, row[:count])
        enrollment.listed_course_key = row[count]
        enrollments.append(enrollment)
    return enrollments


class ListedEnrollments:
    """The enrollments ``filters`` keep, newest first, less ``excluded_id``: a sequence read in slices.

    Iterating reads every row once (kept, as a queryset keeps them); a slice is a ``LIMIT``
    query, ``count()`` a ``COUNT``, and :meth:`page_with_total` a page with the total in one
    statement (``core.paginator``). Rows are :class:`Enrollment` instances with
    ``listed_course_key``; their ``course`` is loaded by the selection.
    """

    ordered = True

    def __init__(self, filters: ListingFilters, excluded_id: int | None = None):
        self.filters = filters
        self.excluded_id = excluded_id
        self.alias = router.db_for_read(Enrollment)
        self._all: list | None = None

    def excluding(self, enrollment_id: int) -> ListedEnrollments:
        return ListedEnrollments(self.filters, enrollment_id)

    def _where(self, e_alias: str = "e", c_alias: str = "c") -> tuple[str, list]:
        sql, params = _condition(self.filters, self.alias, e_alias, c_alias)
        if self.excluded_id is not None:
            sql += f" AND {quoted_columns(Enrollment, self.alias, e_alias)['id']} <> %s"
            params.append(self.excluded_id)
        return sql, params

    def _page_sql(self, low: int, high: int | None, *, total: bool = False, head: str = "") -> tuple[str, list]:
        names, _ = _columns(self.alias)
        tables, order = _from(self.alias, "e", "c")
        where, params = self._where()
        limit = connections[self.alias].ops.limit_offset_sql(low, high)
        window = ", COUNT(*) OVER ()" if total else ""
        return f"SELECT {head}{names}{window} {tables} WHERE {where} {order} {limit}", params

    def _candidates_sql(self, course_keys, *, head: str = "", tail: str = "") -> tuple[str, list]:
        names, _ = _columns(self.alias)
        tables, _ = _from(self.alias, "e", "c")
        inner_tables, inner_order = _from(self.alias, "e2", "c2")
        where, params = self._where()
        inner_where, inner_params = self._where("e2", "c2")
        e, c = quoted_columns(Enrollment, self.alias, "e"), quoted_columns(Course, self.alias, "c")
        limit = connections[self.alias].ops.limit_offset_sql(0, 1)
        wanted = (f"{e['id']} = (SELECT {quoted_columns(Enrollment, self.alias, 'e2')['id']} {inner_tables} "
                  f"WHERE {inner_where} {inner_order} {limit})")
        params += inner_params
        if course_keys:
            connection = connections[self.alias]
            wanted += f" OR {c['course_key']} IN ({_marks(course_keys)})"
            params += [_prep(Course, "course_key", key, connection) for key in course_keys]
        return f"SELECT {head}{names}{tail} {tables} WHERE {where} AND ({wanted})", params

    def rows(self, low: int = 0, high: int | None = None) -> list:
        """The rows ``[low:high]`` (``high=None``: to the end)."""
        if self.filters.empty or (high is not None and high <= low):
            return []
        sql, params = self._page_sql(low, high)
        return _enrollments(run(self.alias, sql, params, _columns(self.alias)[1]), self.alias)

    def page_with_total(self, bottom: int, top: int) -> tuple[list, int | None]:
        """``(rows [bottom:top], total)`` in one statement where the database has window functions.

        The total is ``None`` when the page is empty (no row carries it).
        """
        if self.filters.empty:
            return [], 0
        if not connections[self.alias].features.supports_over_clause:
            return self.rows(bottom, top), self.count()
        sql, params = self._page_sql(bottom, top, total=True)
        rows = run(self.alias, sql, params, [*_columns(self.alias)[1], []])
        return _enrollments(rows, self.alias), (rows[0][-1] if rows else None)

    def count(self) -> int:
        if self._all is not None:
            return len(self._all)
        if self.filters.empty:
            return 0
        tables, _ = _from(self.alias, "e", "c")
        where, params = self._where()
        return run(self.alias, f"SELECT COUNT(*) {tables} WHERE {where}", params, [[]])[0][0]

    def candidates(self, course_keys) -> list[Candidate]:
        """The newest listed enrollment and the listed enrollments in ``course_keys``, in one statement (any order)."""
        if self.filters.empty:
            return []
        sql, params = self._candidates_sql(course_keys)
        return _candidates(run(self.alias, sql, params, _columns(self.alias)[1]), self.alias)

    def page_with_candidates(self, bottom: int, top: int, course_keys) -> tuple[list, int | None, list[Candidate]]:
        """``page_with_total(bottom, top)`` and ``candidates(course_keys)`` in one statement (``UNION ALL``)."""
        connection = connections[self.alias]
        if self.filters.empty or not connection.features.supports_over_clause:
            return *self.page_with_total(bottom, top), self.candidates(course_keys)
        page, params = self._page_sql(bottom, top, total=True, head="0, ")
        candidates, candidate_params = self._candidates_sql(course_keys, head="1, ", tail=", NULL")
        # The page orders and limits: a parenthesized part, or a derived table where SQLite wants one.
        page = (f"({page})" if connection.features.supports_slicing_ordering_in_compound
                else f"SELECT * FROM ({page}) {connection.ops.quote_name('page')}")
        rows = run(self.alias, f"{page} UNION ALL {candidates}", params + candidate_params,
                   [[], *_columns(self.alias)[1], []])
        page_rows = [row[1:] for row in rows if row[0] == 0]
        found = _candidates([row[1:] for row in rows if row[0] == 1], self.alias)
        return _enrollments(page_rows, self.alias), (page_rows[0][-1] if page_rows else None), found

    def __iter__(self):
        if self._all is None:
            self._all = self.rows()
        return iter(self._all)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if self._all is not None:
            return self._all[index]
        if isinstance(index, slice):
            if index.step not in (None, 1) or (index.start or 0) < 0 or (index.stop or 0) < 0:
                return list(self)[index]
            return self.rows(index.start or 0, index.stop)
        if index < 0:
            return list(self)[index]
        found = self.rows(index, index + 1)
        if not found:
            raise IndexError(index)
        return found[0]
