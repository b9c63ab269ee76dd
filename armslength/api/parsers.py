"""JSON request bodies, bounded: size and nesting (issue 12, findings 9 and 10).

DRF reads the body from the stream, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE;
a 1,000,000-item list was accepted and deeply nested JSON crashed the parser
(a 500). Here a body over API_MAX_BODY_BYTES, or nested too deeply, is a 400
that says which limit it broke.
"""

from __future__ import annotations

import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

#: the largest JSON body the API reads (a record is a few kilobytes)
DEFAULT_MAX_BODY = 1_000_000


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = getattr(settings, "API_MAX_BODY_BYTES", DEFAULT_MAX_BODY)
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise ParseError(f"The request body is larger than the limit of {limit:,} bytes.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json.loads(raw.decode(encoding)) if raw else {}
        except RecursionError:
            raise ParseError("The JSON is nested too deeply.") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
