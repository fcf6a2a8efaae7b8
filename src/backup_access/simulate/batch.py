"""Evaluate every item of a request file: what ``simulate REQUEST_FILE`` runs.

A batch builds many long-lived objects (parsed policies, traces) and no reference cycles,
so reference counting frees all of its garbage. CPython's cyclic collector would still
rescan the growing heap again and again while the batch runs (about 40% of the time of a
10,000-item batch whose items each carry their own policies, benchmarks/engine.py cold),
and once more, over everything the batch made, at its first collection after it (another
30%). So the collector is paused while a batch runs, and what the batch leaves alive is
moved to the collector's permanent generation (``gc.freeze``) before it resumes: those
objects are still freed by reference counting when the caller drops them, but no longer
rescanned. The price, for a long-running caller: garbage cycles that already existed when
the batch ended are frozen with it and never collected (``gc.unfreeze`` gives them back).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from backup_access.engine import Decision, evaluate
from backup_access.simulate.request_file import SimulationItem, parse_request_file


@contextmanager
def cyclic_gc_paused(*, freeze_survivors: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector (if it runs) for the duration of the block;
    with ``freeze_survivors``, a block that completes moves every object then tracked to
    the permanent generation, so that the collector does not rescan them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze_survivors and was_enabled:
            gc.freeze()
    finally:
        if was_enabled:
            gc.enable()


def run_batch(
    document: object, *, source: str
) -> tuple[list[tuple[SimulationItem, Decision]], bool]:
    """Each item with its decision, in file order, and whether the file held a list."""
    with cyclic_gc_paused(freeze_survivors=True):
        items, batch = parse_request_file(document, source=source)
        return [(item, evaluate(item.request, item.policies)) for item in items], batch
