"""Evaluate every item of a request file: what ``simulate REQUEST_FILE`` runs.

``run_batch`` is a pure library function. Pausing CPython's cyclic garbage collector is
left to the caller, with ``cyclic_gc_paused``: a batch builds many long-lived objects
(parsed policies, traces) and no reference cycles, so reference counting frees all of its
garbage, yet the collector would rescan the growing heap again and again while the batch
runs (about 40% of the time of a 10,000-item batch whose items each carry their own
policies, benchmarks/engine.py cold), and once more, over everything the batch made, at
its first collection after it (another 30%). The command line pauses it and freezes what
the batch leaves alive (``gc.freeze``): those objects are still freed by reference
counting, but no longer rescanned. A long-running caller should think twice before
freezing: garbage cycles that already existed when the batch ended would be frozen with
it and never collected (``gc.unfreeze`` gives them back).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from backup_access.engine import Decision, evaluate
from backup_access.simulate.request_file import ActionCheck, SimulationItem, parse_request_file


class Evaluated(NamedTuple):
    """One item of a request file and its decision."""

    item: SimulationItem
    decision: Decision


class BatchResult(NamedTuple):
    """Every item with its decision, in file order, and whether the file held a list."""

    evaluated: list[Evaluated]
    batch: bool


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
    document: object, *, source: str, check_action: ActionCheck | None = None
) -> BatchResult:
    """Parse a decoded request file and decide each of its items; ``check_action`` vets
    each action first (the command line passes ``cli.usage.action_mistake``)."""
    items, batch = parse_request_file(document, source=source, check_action=check_action)
    return BatchResult(
        [
            Evaluated(
                item,
                evaluate(item.request, item.policies, policies_pointer=item.policies_pointer),
            )
            for item in items
        ],
        batch,
    )
