"""The body of account and preference updates: a JSON merge patch (RFC 7396)."""

from __future__ import annotations

from ..common.parsers import JSONParser


class MergePatchParser(JSONParser):
    """``application/merge-patch+json``: a JSON object whose ``null`` members delete what they name.

    It is the only parser of the update routes, so any other ``Content-Type`` (plain JSON
    included) is a ``415``, as on Open edX.
    """

    media_type = "application/merge-patch+json"
