"""The public surface of the catalogue and diagnose packages."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize("module", ["backup_access.catalogue", "backup_access.diagnose"])
def test_all_is_sorted_and_every_name_exists(module: str) -> None:
    package = importlib.import_module(module)
    names = package.__all__
    assert names == sorted(names)
    for name in names:
        assert hasattr(package, name), name
