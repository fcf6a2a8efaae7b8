"""``run_batch``: what ``simulate REQUEST_FILE`` evaluates; pausing the cyclic GC and freezing
what a batch leaves alive is the command line's decision (``cyclic_gc_paused``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
import yaml

from backup_access.errors import InputError
from backup_access.simulate.batch import cyclic_gc_paused, run_batch
from tests.simulate.test_request_file import SHARED_BATCH


def test_run_batch_gives_each_item_its_decision_in_file_order() -> None:
    evaluated, batch = run_batch(yaml.safe_load(SHARED_BATCH), source="batch.yaml")
    assert batch
    assert [item.name for item, _ in evaluated] == [
        "copy allowed",
        "same policies through the anchor",
        "an equal copy written out again",
    ]
    assert [d.value.value for _, d in evaluated] == ["allowed", "implicit_deny", "allowed"]
    assert gc.isenabled()


def test_the_collector_is_paused_inside_and_restored_after_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(InputError), cyclic_gc_paused():
        assert not gc.isenabled()
        run_batch([{"request": {"principal": "nobody"}}], source="bad.yaml")
    assert gc.isenabled()


def test_a_collector_disabled_by_the_caller_stays_disabled() -> None:
    gc.disable()
    try:
        with cyclic_gc_paused(freeze_survivors=True):
            run_batch(yaml.safe_load(SHARED_BATCH), source="batch.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_run_batch_is_pure_it_neither_pauses_nor_freezes(unfrozen: None) -> None:
    assert gc.isenabled()
    run_batch(yaml.safe_load(SHARED_BATCH), source="batch.yaml")
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """Start from an empty permanent generation and give frozen objects back after."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_what_a_batch_leaves_alive_is_frozen_so_the_collector_skips_it(unfrozen: None) -> None:
    """What the command line does (cli/simulate.py)."""
    with cyclic_gc_paused(freeze_survivors=True):
        evaluated, _ = run_batch(yaml.safe_load(SHARED_BATCH), source="batch.yaml")
    frozen = gc.get_freeze_count()
    assert frozen > 0
    scanned = {id(tracked) for tracked in gc.get_objects()}  # the collector's generations
    assert not any(id(decision) in scanned for _, decision in evaluated)
    # Frozen objects are still freed by reference counting: no cycle holds them.
    del evaluated
    assert gc.get_freeze_count() < frozen


def test_a_batch_that_fails_freezes_nothing(unfrozen: None) -> None:
    with pytest.raises(InputError), cyclic_gc_paused(freeze_survivors=True):
        run_batch([{"request": {"principal": "nobody"}}], source="bad.yaml")
    assert gc.get_freeze_count() == 0
