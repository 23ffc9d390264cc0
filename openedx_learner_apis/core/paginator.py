"""A Django paginator that reads a page of a queryset and its total in one query.

Knows no model and no HTTP: the REST layer's pagination classes use it for whatever
queryset an applet returns.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, QuerySet, Window

TOTAL = "olapi_page_total"
# Past this, the page is certainly past the end; databases refuse offsets beyond 64 bits.
MAX_OFFSET = 2**31


class OneQueryPaginator(Paginator):
    """Reads a page of a queryset with its total (``COUNT(*) OVER ()``): one query where Django runs two.

    Django's way (a ``COUNT`` first) serves lists, databases without window functions,
    querysets whose rows a window would miscount (``DISTINCT``, ``GROUP BY``, unions, slices),
    and pages past the end, which need the total to be told apart from an empty list.
    Any other sequence may read its page and total together too: it has a method
    ``page_with_total(bottom, top)`` returning the rows ``[bottom:top]`` and the total
    (``None`` when it does not know it).
    """

    def _one_query(self) -> bool:
        queryset = self.object_list
        if "count" in self.__dict__ or self.orphans or not isinstance(queryset, QuerySet):
            return False
        query = queryset.query
        plain = not (query.distinct or query.combinator or query.group_by is not None or query.is_sliced)
        return plain and connections[queryset.db].features.supports_over_clause

    def _page_with_total(self, bottom: int, top: int) -> tuple[list, int | None] | None:
        """The rows ``[bottom:top]`` and the total, read together; ``None`` when they cannot be."""
        reader = getattr(self.object_list, "page_with_total", None)
        if reader is not None and "count" not in self.__dict__ and not self.orphans:
            return reader(bottom, top)
        if not self._one_query():
            return None
        rows = list(self.object_list.annotate(**{TOTAL: Window(Count("pk"))})[bottom:top])
        return rows, (getattr(rows[0], TOTAL) if rows else None)

    def page(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError(number)
            number = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # Django's error for a page that is not a number
        bottom = (number - 1) * self.per_page
        read = None if number < 1 or bottom > MAX_OFFSET else self._page_with_total(bottom, bottom + self.per_page)
        if read is None:
            return super().page(number)
        rows, total = read
        if total is not None:
            self.count = total  # the cached property, set from the same read
        if not rows:
            return super().page(number)
        return self._get_page(rows, number, self)
