"""The catalogue reads an operation's file when the operation is first asked for (start-up
of one ``explain``), and reads every file, checking them all, when validated at once."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from backup_access.catalogue import CatalogueError, load_catalogue, operation_names
from backup_access.catalogue.loader import YAML_LOADER, LazyOperations, parse_catalogue

DATA = resources.files("backup_access.catalogue").joinpath("data")


def _sources() -> dict[str, str]:
    return dict(load_catalogue().sources)


def _folder(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_names_and_membership_read_no_file(tmp_path: Path) -> None:
    copy = DATA.joinpath("operations/copy.yaml").read_text(encoding="utf-8")
    folder = _folder(tmp_path, {"copy.yaml": copy, "broken.yaml": "name: [unclosed", "x.md": ""})
    operations = LazyOperations(folder, _sources(), YAML_LOADER)
    assert list(operations) == ["broken", "copy"]
    assert len(operations) == 2
    assert "broken" in operations
    assert "x" not in operations
    assert operations["copy"].api == "StartCopyJob"  # the broken file was never parsed
    with pytest.raises(yaml.YAMLError):  # ... until asked for
        operations["broken"]
    with pytest.raises(KeyError):
        operations["nothing"]


def test_a_file_must_be_named_for_its_operation(tmp_path: Path) -> None:
    copy = DATA.joinpath("operations/copy.yaml").read_text(encoding="utf-8")
    operations = LazyOperations(_folder(tmp_path, {"other.yaml": copy}), _sources(), YAML_LOADER)
    with pytest.raises(CatalogueError, match=r"other.yaml: operation copy must be in copy.yaml"):
        operations["other"]


def test_the_lazy_catalogue_equals_the_validated_one() -> None:
    """parse_catalogue reads every file and checks ids unique across operations; what the
    lazy catalogue gives operation by operation is the same."""
    validated = parse_catalogue(YAML_LOADER)
    lazy = load_catalogue()
    assert tuple(validated.operations) == operation_names()
    assert {name: lazy.operations[name] for name in lazy.operations} == dict(validated.operations)
    assert validated == lazy
