"""``run_batch``: what ``simulate REQUEST_FILE`` evaluates, with the cyclic GC paused."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
import yaml

from backup_access.errors import InputError
from backup_access.simulate.batch import cyclic_gc_paused, run_batch
from tests.test_request import SHARED_BATCH


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
        run_batch(yaml.safe_load(SHARED_BATCH), source="batch.yaml")
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """Start from an empty permanent generation and give frozen objects back after."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_what_a_batch_leaves_alive_is_frozen_so_the_collector_skips_it(unfrozen: None) -> None:
    evaluated, _ = run_batch(yaml.safe_load(SHARED_BATCH), source="batch.yaml")
    frozen = gc.get_freeze_count()
    assert frozen > 0
    scanned = {id(tracked) for tracked in gc.get_objects()}  # the collector's generations
    assert not any(id(decision) in scanned for _, decision in evaluated)
    # Frozen objects are still freed by reference counting: no cycle holds them.
    del evaluated
    assert gc.get_freeze_count() < frozen


def test_a_batch_that_fails_freezes_nothing(unfrozen: None) -> None:
    with pytest.raises(InputError):
        run_batch([{"request": {"principal": "nobody"}}], source="bad.yaml")
    assert gc.get_freeze_count() == 0
