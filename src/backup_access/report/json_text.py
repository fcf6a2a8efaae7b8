"""The text of every JSON output: indented by two spaces, keys in their order, UTF-8.
Control characters are JSON escapes (``\\u001b``); a lone surrogate is written ``\\ud800``.

orjson writes it. The standard library's ``json.dumps`` falls back to its pure-Python
encoder whenever ``indent`` is given, which took 2.7 s of a 10,000-request
``simulate --format json`` (orjson: 0.15 s for the same text; benchmarks/engine.py
``--render``).
"""

from __future__ import annotations

import json

import orjson

from backup_access.report.printable import json_surrogates_escaped


def json_text(document: object) -> str:
    """``document`` as indented JSON text, as ``json.dumps(indent=2, ensure_ascii=False)``
    writes it."""
    try:
        return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()
    except orjson.JSONEncodeError:
        # What orjson refuses (an integer beyond 64 bits, a key that is not a string, a lone
        # surrogate), the standard library still writes; a lone surrogate (a JSON input's
        # "\ud800", text from AWS, an argument) as its JSON escape, the only way to write it.
        return json_surrogates_escaped(json.dumps(document, indent=2, ensure_ascii=False))
