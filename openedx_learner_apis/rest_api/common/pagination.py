"""Pagination with the Open edX envelope.

``count, next, previous, num_pages, current_page, start, results``; ``page_size``
is clamped to ``max_page_size`` rather than rejected. A page of a queryset and its total
are read in one query (``core.paginator``: the query is a data-access matter, kept out of the
HTTP layer).

Both query parameters take any value, and the schema says so (strings without a pattern):
``page`` is a number from 1, ``last``, or empty for the first page, any other value a 404;
``page_size`` is a number, capped at the maximum, and any value that is not a positive
number means the default size. When repeated, the last value counts.
"""

from __future__ import annotations

from edx_rest_framework_extensions.paginators import DefaultPagination as _EdxDefaultPagination

from ...core.paginator import OneQueryPaginator

# Query parameter schemas: any string is accepted (see above), so none is declared invalid.
PAGE_SCHEMA = {"type": "string", "example": "1"}
PAGE_SIZE_SCHEMA = {"type": "string", "example": "10"}


def page_description(*, applies: str = "") -> str:
    return (f"{applies}The page number, from 1, or `last`; empty means the first page. Any other value, "
            "or a page past the end, is a 404.")


def page_size_description(*, page_size: int, max_page_size: int, applies: str = "") -> str:
    return (f"{applies}Results per page, at most {max_page_size}; a larger number means {max_page_size}, "
            f"and a value that is not a positive number means {page_size}.")


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
