"""Request body parsers shared by the families.

Every body a parser cannot take is a 400 in the family's error shape, never a 500.
"""

from __future__ import annotations

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, where JSON nested deeper than the decoder can follow is malformed JSON too.

    Python's decoder recurses once per array or object level and gives up with a
    ``RecursionError`` near a thousand levels: a 10 KB body of ``[[[[...`` is enough. Such a
    body is not something any client of these APIs sends, so it is refused like any other
    JSON that does not parse.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - the body is nested too deeply.") from None


#: What a view that reads JSON, or a form, accepts (DRF's defaults, with the JSON parser above).
JSON_OR_FORM_PARSERS = [JSONParser, parsers.FormParser, parsers.MultiPartParser]
