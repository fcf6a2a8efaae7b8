"""Every memo table of the evaluation core, registered in one place.

Matching is cached by value (an action against a pattern list, an ARN against a resource
list, a principal against a Principal element, a condition against the values it reads),
so that policies parsed anew for each request still match nothing twice. The caches never
change an answer, only how fast it comes; ``clear_caches`` empties all of them, for a
long-running caller that wants its memory back or a test that wants a cold start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

# Entries each value-keyed cache keeps before it starts evicting.
MEMO_SIZE = 65536


class _Clearable(Protocol):
    def cache_clear(self) -> None: ...


C = TypeVar("C", bound=_Clearable)
_CLEARERS: list[Callable[[], None]] = []


def memo(cached: C) -> C:
    """Register an ``functools.lru_cache`` function with ``clear_caches``."""
    _CLEARERS.append(cached.cache_clear)
    return cached


def memo_table() -> dict[Any, Any]:
    """A plain dict used as a memo (when an ``lru_cache`` costs too much on a hot path),
    registered with ``clear_caches``; its owner bounds its size."""
    table: dict[Any, Any] = {}
    _CLEARERS.append(table.clear)
    return table


def clear_caches() -> None:
    """Empty every memo of the evaluation core."""
    for clear in _CLEARERS:
        clear()
