"""Pagination with the Open edX envelope.

``count, next, previous, num_pages, current_page, start, results``; ``page_size``
is clamped to ``max_page_size`` rather than rejected. A page of a queryset and its total
are read in one query.

Both query parameters take any value, and the schema says so (strings without a pattern):
``page`` is a number from 1, ``last``, or empty for the first page, any other value a 404;
``page_size`` is a number, capped at the maximum, and any value that is not a positive
number means the default size. When repeated, the last value counts.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, QuerySet, Window
from edx_rest_framework_extensions.paginators import DefaultPagination as _EdxDefaultPagination

TOTAL = "olapi_page_total"
# Query parameter schemas: any string is accepted (see above), so none is declared invalid.
PAGE_SCHEMA = {"type": "string", "example": "1"}
PAGE_SIZE_SCHEMA = {"type": "string", "example": "10"}


def page_description(*, applies: str = "") -> str:
    return (f"{applies}The page number, from 1, or `last`; empty means the first page. Any other value, "
            "or a page past the end, is a 404.")


def page_size_description(*, page_size: int, max_page_size: int, applies: str = "") -> str:
    return (f"{applies}Results per page, at most {max_page_size}; a larger number means {max_page_size}, "
            f"and a value that is not a positive number means {page_size}.")
# Past this, the page is certainly past the end; databases refuse offsets beyond 64 bits.
MAX_OFFSET = 2**31


class OneQueryPaginator(Paginator):
    """Reads a page of a queryset with its total (``COUNT(*) OVER ()``): one query where Django runs two.

    Django's way (a ``COUNT`` first) serves lists, databases without window functions,
    querysets whose rows a window would miscount (``DISTINCT``, ``GROUP BY``, unions, slices),
    and pages past the end, which need the total to be told apart from an empty list.
    """

    def _one_query(self) -> bool:
        queryset = self.object_list
        if "count" in self.__dict__ or self.orphans or not isinstance(queryset, QuerySet):
            return False
        query = queryset.query
        plain = not (query.distinct or query.combinator or query.group_by is not None or query.is_sliced)
        return plain and connections[queryset.db].features.supports_over_clause

    def page(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError(number)
            number = int(number)
        except (TypeError, ValueError):
            return super().page(number)  # Django's error for a page that is not a number
        bottom = (number - 1) * self.per_page
        if number < 1 or bottom > MAX_OFFSET or not self._one_query():
            return super().page(number)
        rows = list(self.object_list.annotate(**{TOTAL: Window(Count("pk"))})[bottom:bottom + self.per_page])
        if not rows:
            return super().page(number)
        self.count = getattr(rows[0], TOTAL)  # the cached property, set from the same query
        return self._get_page(rows, number, self)


class DefaultPagination(_EdxDefaultPagination):
    """Page size 10, at most 100, unless a subclass says otherwise."""

    page_size = 10
    max_page_size = 100
    django_paginator_class = OneQueryPaginator

    def get_schema_operation_parameters(self, view):
        """``page`` and ``page_size`` as what they accept: any value (see the module docstring)."""
        return [
            {"name": self.page_query_param, "required": False, "in": "query",
             "description": page_description(), "schema": dict(PAGE_SCHEMA)},
            {"name": self.page_size_query_param, "required": False, "in": "query",
             "description": page_size_description(page_size=self.page_size, max_page_size=self.max_page_size),
             "schema": dict(PAGE_SIZE_SCHEMA)},
        ]

    def get_paginated_response_schema(self, schema):
        """The OpenAPI shape of the envelope, so generated docs list every key clients read."""
        envelope = super().get_paginated_response_schema(schema)
        envelope["properties"].update({
            "num_pages": {"type": "integer", "example": 1},
            "current_page": {"type": "integer", "example": 1},
            "start": {"type": "integer", "example": 0, "description": "0-based index of the first result."},
        })
        envelope["required"] = ["count", "next", "previous", "num_pages", "current_page", "start", "results"]
        return envelope


def pagination_class_with(*, page_size: int, max_page_size: int):
    """A subclass of the configured pagination class with other page sizes (e.g. mobile v4: 5 and 50)."""
    from ...conf import learner_apis_settings

    base = learner_apis_settings.PAGINATION_CLASS
    return type(f"{base.__name__}{page_size}x{max_page_size}", (base,),
                {"page_size": page_size, "max_page_size": max_page_size})
