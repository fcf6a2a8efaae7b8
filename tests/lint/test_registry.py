"""The rule registry: ids unique and well formed, every rule documented and cited."""

from __future__ import annotations

import re
from pathlib import Path

from backup_access.lint import RULES
from backup_access.lint.markdown import render_markdown


def test_rule_ids_are_unique_and_stable_shaped() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"BA\d{3}", rule_id) for rule_id in ids)


def test_every_rule_is_explained_and_cites_an_aws_page() -> None:
    for rule in RULES:
        assert rule.title and len(rule.explanation) > 40, rule.id
        assert rule.source.startswith("https://docs.aws.amazon.com/"), rule.id


def test_docs_lint_md_is_up_to_date() -> None:
    docs = Path(__file__).parents[2] / "docs" / "lint.md"
    assert docs.read_text(encoding="utf-8") == render_markdown(), (
        "regenerate docs/lint.md (see backup_access/lint/markdown.py)"
    )


def test_readme_lists_every_rule() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert "docs/lint.md" in readme
