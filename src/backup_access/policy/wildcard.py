"""IAM ``*`` / ``?`` wildcard matching in linear-ish time, safe on hostile patterns.

A pattern is split at ``*`` into fixed-length segments (``?`` = any one character). The first
segment is anchored at the start, the last at the end, and each middle one is found at its
leftmost position after the previous: for glob patterns that greedy choice is always
correct, so matching never backtracks (O(len(text) * len(pattern)) at worst, done in C by
``re``). A regex translation (``.*``) would backtrack exponentially on patterns such as
``*a*a*a*a*b``.

Literal characters that come from policy-variable values must not act as wildcards, so a
pattern can be built from pieces (see ``Glob.from_pieces``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Final

from backup_access.memo import memo

ANY_CHARS: Final = object()  # the ``*`` piece
ANY_CHAR: Final = object()  # the ``?`` piece

Piece = str | object


def _segment_regex(segment: Sequence[Piece], flags: int) -> re.Pattern[str]:
    text = "".join("." if piece is ANY_CHAR else re.escape(str(piece)) for piece in segment)
    return re.compile(text, flags | re.DOTALL)


class Glob:
    """A compiled wildcard pattern; ``matches(text)`` is the only operation."""

    __slots__ = ("_exact", "_head", "_head_len", "_middles", "_min_len", "_tail", "_tail_len")

    def __init__(self, pieces: Sequence[Piece], *, ignore_case: bool) -> None:
        flags = re.IGNORECASE if ignore_case else 0
        segments: list[list[Piece]] = [[]]
        for piece in pieces:
            if piece is ANY_CHARS:
                segments.append([])
            elif piece is ANY_CHAR:
                segments[-1].append(ANY_CHAR)
            else:
                segments[-1].extend(str(piece))
        self._exact: re.Pattern[str] | None = None
        self._head: re.Pattern[str] | None = None
        self._tail: re.Pattern[str] | None = None
        self._middles: tuple[re.Pattern[str], ...] = ()
        self._head_len = len(segments[0])
        self._tail_len = len(segments[-1])
        self._min_len = sum(len(s) for s in segments)
        if len(segments) == 1:
            self._exact = _segment_regex(segments[0], flags)
            return
        if segments[0]:
            self._head = _segment_regex(segments[0], flags)
        if segments[-1]:
            self._tail = _segment_regex(segments[-1], flags)
        self._middles = tuple(_segment_regex(s, flags) for s in segments[1:-1] if s)

    @classmethod
    def from_pieces(cls, pieces: Iterable[Piece], *, ignore_case: bool) -> Glob:
        return cls(tuple(pieces), ignore_case=ignore_case)

    def matches(self, text: str) -> bool:
        if len(text) < self._min_len:
            return False
        if self._exact is not None:
            return self._exact.fullmatch(text) is not None
        if self._head is not None and self._head.match(text) is None:
            return False
        end = len(text) - self._tail_len
        if self._tail is not None and self._tail.fullmatch(text, end) is None:
            return False
        position = self._head_len
        for middle in self._middles:
            found = middle.search(text, position, end)
            if found is None:
                return False
            position = found.end()
        return True


def parse_pieces(pattern: str) -> list[Piece]:
    """Split a pattern string into literal text and wildcard pieces."""
    pieces: list[Piece] = []
    literal: list[str] = []
    for char in pattern:
        if char in "*?":
            if literal:
                pieces.append("".join(literal))
                literal = []
            pieces.append(ANY_CHARS if char == "*" else ANY_CHAR)
        else:
            literal.append(char)
    if literal:
        pieces.append("".join(literal))
    return pieces


@memo
@lru_cache(maxsize=65536)
def compile_glob(pattern: str, *, ignore_case: bool = False) -> Glob:
    """Compile (and cache) a wildcard pattern string."""
    return Glob(parse_pieces(pattern), ignore_case=ignore_case)


def glob_matches(pattern: str, text: str, *, ignore_case: bool = False) -> bool:
    """True when ``text`` matches the IAM wildcard ``pattern`` as a whole."""
    if pattern == "*":
        return True
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() == text.lower() if ignore_case else pattern == text
    return compile_glob(pattern, ignore_case=ignore_case).matches(text)
