"""Match text against an AWS name template (``arn:${Partition}:backup:${Region}:…``,
``aws:PrincipalTag/${TagKey}``) in linear time.

Each ``${…}`` matches any run of characters. A regular expression built from the template
(``.*`` for every hole) backtracks: a 13 KB resource took over a minute. Here the literal
parts are found left to right with ``str.find``: with only "any text" holes between fixed
parts, the leftmost occurrence of each part is always the right choice, so one pass decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HOLE = re.compile(r"\$\{[^{}]*\}")  # [^{}]: an unclosed "${${…" stays linear

MAX_MATCHED_TEXT = 20_480
"""Longer text is not judged: no policy AWS accepts is that long (S3 bucket policies, the
largest, are limited to 20 KB), so nothing is lost and no rule can be slowed down by it."""


@dataclass(frozen=True, slots=True)
class Template:
    """Fixed parts (lower-cased) with a hole between each pair; holes match at least
    ``hole_min`` characters."""

    parts: tuple[str, ...]
    hole_min: int = 0

    def matches(self, text: str) -> bool:
        """Whether the whole of ``text`` fits the template (case-insensitive)."""
        if len(text) > MAX_MATCHED_TEXT:
            return False
        text = text.lower()
        first, last = self.parts[0], self.parts[-1]
        if len(self.parts) == 1:
            return text == first
        if not text.startswith(first):
            return False
        position = len(first)
        for part in self.parts[1:-1]:
            found = text.find(part, position + self.hole_min)
            if found < 0:
                return False
            position = found + len(part)
        return text.endswith(last) and len(text) - len(last) >= position + self.hole_min


def compile_template(template: str, *, hole_min: int = 0) -> Template:
    """``arn:${Partition}:backup:…`` → a ``Template``; ``*`` in the template is a hole too."""
    parts = _HOLE.split(template.replace("*", "${Any}"))
    return Template(tuple(part.lower() for part in parts), hole_min)
