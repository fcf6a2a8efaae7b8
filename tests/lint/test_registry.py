"""The rule registry: ids unique and well formed, every rule documented and cited."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from backup_access.lint import RULES
from backup_access.lint import rules as rules_package
from backup_access.lint.markdown import generated_part, render_markdown
from backup_access.lint.registry import DuplicateRuleError, discover


def test_rule_ids_are_unique_and_stable_shaped() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"BA\d{3}", rule_id) for rule_id in ids)


def test_every_rule_is_explained_and_cites_an_aws_page() -> None:
    for rule in RULES:
        assert rule.title and len(rule.explanation) > 40, rule.id
        assert rule.source.startswith("https://docs.aws.amazon.com/"), rule.id
        assert len(rule.example) > 10 and len(rule.fix) > 20, f"{rule.id}: --explain page"


def test_docs_lint_md_is_up_to_date() -> None:
    docs = Path(__file__).parents[2] / "docs" / "lint.md"
    assert generated_part(docs.read_text(encoding="utf-8")).strip() == render_markdown().strip(), (
        "regenerate: python -m backup_access.lint.markdown docs/lint.md"
    )


def test_readme_lists_every_rule() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert "docs/lint.md" in readme
    assert f"{len(RULES)} rules with stable ids" in readme, "README's rule count is stale"


def _write_rule_package(root: Path, name: str, modules: dict[str, str]) -> None:
    package = root / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    for module, rule_id in modules.items():
        (package / f"{module}.py").write_text(
            "from backup_access.lint.model import Severity\n"
            "from backup_access.lint.rule import Rule\n"
            f"RULE = Rule(id={rule_id!r}, severity=Severity.INFO, title='t', explanation='e',\n"
            "            source='https://docs.aws.amazon.com/', check=lambda view: ())\n"
        )


def test_rules_are_found_by_walking_the_package(tmp_path: Path, monkeypatch: Any) -> None:
    _write_rule_package(tmp_path, "found_rules", {"one": "BA901", "two": "BA900"})
    (tmp_path / "found_rules" / "helper.py").write_text("VALUE = 1\n")  # no RULE: skipped
    monkeypatch.syspath_prepend(str(tmp_path))
    assert [rule.id for rule in discover("found_rules")] == ["BA900", "BA901"]


def test_a_duplicate_rule_id_fails_at_import(tmp_path: Path, monkeypatch: Any) -> None:
    _write_rule_package(tmp_path, "twin_rules", {"first": "BA900", "second": "BA900"})
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(DuplicateRuleError, match="BA900"):
        discover("twin_rules")


def test_every_rule_module_declares_a_rule() -> None:
    """A module in rules/ without RULE would be a helper: helpers live outside the package."""
    folder = Path(rules_package.__file__).parent
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__"}
    assert len(modules) == len(RULES)
