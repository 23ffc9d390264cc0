"""Pagination with the Open edX envelope.

``count, next, previous, num_pages, current_page, start, results``; ``page_size``
is clamped to ``max_page_size`` rather than rejected.
"""

from __future__ import annotations

from edx_rest_framework_extensions.paginators import DefaultPagination as _EdxDefaultPagination


class DefaultPagination(_EdxDefaultPagination):
    """Page size 10, at most 100, unless a subclass says otherwise."""

    page_size = 10
    max_page_size = 100

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
