"""Timing helpers for the linear-time guards: ratios measured in one run, never absolute times.

A guard times one call on an input of size n and of size 8n: linear work takes about 8 times
longer, quadratic work 64 times, so ``BOUND`` (8 x 4 = 32) leaves room for noise on a shared
machine without letting a quadratic case through.
"""

from __future__ import annotations

import time
from collections.abc import Callable

FACTOR = 8
BOUND = FACTOR * 4


def seconds_per_call(function: Callable[[], object], *, minimum: float = 0.02) -> float:
    """Best of three timings, each repeating the call until it has run for ``minimum`` s."""
    best = float("inf")
    for _ in range(3):
        calls, start = 0, time.perf_counter()
        while True:
            function()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed > minimum:
                break
        best = min(best, elapsed / calls)
    return best


def growth(run: Callable[[str], object], make: Callable[[int], str], size: int) -> float:
    """How much longer ``run`` takes on ``make(size * FACTOR)`` than on ``make(size)``."""
    small, large = make(size), make(size * FACTOR)
    seconds_per_call(lambda: run(small))  # warm caches (data files, compiled patterns)
    return seconds_per_call(lambda: run(large)) / seconds_per_call(lambda: run(small))
