"""Evaluate every item of a request file: what ``simulate REQUEST_FILE`` runs.

A batch builds many long-lived objects (parsed policies, the engine's memo tables, traces)
and no reference cycles, so reference counting frees all of its garbage. CPython's cyclic
collector would still rescan the growing heap again and again: about 40% of the time of a
10,000-item batch whose items each carry their own policies (benchmarks/engine.py, cold).
The collector is therefore paused while a batch runs and restored after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from backup_access.engine import Decision, evaluate
from backup_access.simulate.request_file import SimulationItem, parse_request_file


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (if it runs) for the duration of the block."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_batch(
    document: object, *, source: str
) -> tuple[list[tuple[SimulationItem, Decision]], bool]:
    """Each item with its decision, in file order, and whether the file held a list."""
    with cyclic_gc_paused():
        items, batch = parse_request_file(document, source=source)
        return [(item, evaluate(item.request, item.policies)) for item in items], batch
