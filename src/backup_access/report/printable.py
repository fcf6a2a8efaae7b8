"""Text from outside the tool made safe to print: the one escaping every report uses.

A policy, a world, a CloudTrail record or a pasted error message can hold characters that a
terminal acts on instead of showing (a NUL, an escape sequence that sets the window title or
clears the screen, a right-to-left override that reorders what follows) and lone UTF-16
surrogates (the JSON escape ``\\ud800`` alone), which are not Unicode text and which no UTF-8
stream can write. Each such character is printed as its Python escape (``\\x00``, ``\\x1b``,
``\\u202e``, ``\\ud800``), so the output shows what the input held. The escape is ASCII with
no control character in it: escaping escaped text changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Control (Cc), format (Cf: bidi controls, zero-width characters, the BOM) and surrogate (Cs)
# code points.
_UNSAFE = frozenset(("Cc", "Cf", "Cs"))

_SURROGATE = re.compile("[\ud800-\udfff]")


def _escaped(char: str) -> str:
    return char.encode("unicode_escape", "backslashreplace").decode("ascii")


def printable(text: str, *, keep: str = "") -> str:
    """``text`` with control, format and surrogate characters escaped (``\\x1b``, ``\\u202e``,
    ``\\ud800``), except those in ``keep`` (``"\\n"`` for a document whose lines are its
    structure), so echoing it cannot garble or spoof the terminal nor fail to encode."""
    # The common cases, at C speed: nothing to escape (a line of a report), or nothing but
    # the kept characters (a quoted JSON statement's line breaks).
    if text.isprintable() or (keep and text.translate(_dropped(keep)).isprintable()):
        return text
    return "".join(
        c if c.isprintable() or c in keep or unicodedata.category(c) not in _UNSAFE else _escaped(c)
        for c in text
    )


@cache
def _dropped(keep: str) -> dict[int, None]:
    return dict.fromkeys(map(ord, keep))


def json_surrogates_escaped(text: str) -> str:
    """JSON text with each lone surrogate written as its JSON escape (``\\ud800``): a raw
    surrogate can only stand inside a JSON string, so the text stays valid JSON and reads back
    as the same string, and it can be written as UTF-8."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
