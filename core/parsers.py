"""The API's JSON parser: DRF's, with the body size and nesting depth bounded before json.loads sees it."""
from __future__ import annotations

import io
import re
from itertools import accumulate

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No payload of this API nests deeper than a handful of levels (a valuation quote is the deepest, at 4);
# 32 leaves room for growth while refusing bodies built to exhaust the parser's recursion (a RecursionError, a 500).
MAX_JSON_DEPTH = 32

# Possessive, so that an unterminated string cannot make the scan backtrack.
JSON_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
JSON_BRACKET = re.compile(rb"[\[\]{}]")
DEPTH_CHANGE = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def json_depth(raw: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest; brackets inside strings do not count."""
    brackets = JSON_BRACKET.findall(JSON_STRING.sub(b"", raw))
    return max(accumulate(DEPTH_CHANGE[bracket[0]] for bracket in brackets), default=0)


class BoundedJSONParser(parsers.JSONParser):
    max_depth = MAX_JSON_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        # DRF reads the body itself, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE check; hold it to the same limit.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
        # Fewer openings than the limit cannot nest past it: most bodies skip the scan.
        if raw.count(b"[") + raw.count(b"{") > self.max_depth and json_depth(raw) > self.max_depth:
            raise ParseError(f"JSON nests deeper than {self.max_depth} levels.")
        try:
            return super().parse(io.BytesIO(raw), media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON nests deeper than {self.max_depth} levels.") from None
