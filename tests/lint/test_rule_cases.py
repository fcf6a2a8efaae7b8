"""Every lint rule's good and bad fixtures, read from ``cases/*.yaml`` by this one runner.

A case: ``name``, ``rule`` (the rule under test), optional ``kind`` and ``file`` (the file
name, whose extension picks JSON or YAML), ``text`` (the file), and ``expect``: the findings
of that rule, each ``{pointer, line, column}`` (``line``/``column`` optional), in order.
A good fixture has ``expect: []``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from backup_access.lint import RULES_BY_ID, PolicyKind, lint_text

CASES = Path(__file__).parent / "cases"


def _load() -> list[Any]:
    params = []
    for file in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(file.read_text(encoding="utf-8")):
            params.append(pytest.param(case, id=f"{file.stem}:{case['name']}"))
    return params


@pytest.mark.parametrize("case", _load())
def test_rule_case(case: dict[str, Any]) -> None:
    assert case["rule"] in RULES_BY_ID, f"unknown rule {case['rule']}"
    kind = PolicyKind(case["kind"]) if case.get("kind") else None
    findings = lint_text(case["text"], file=case.get("file", "policy.json"), kind=kind)
    found = [f for f in findings if f.rule == case["rule"]]
    expected = case["expect"]
    assert [f.pointer for f in found] == [e["pointer"] for e in expected], [
        (f.pointer, f.message) for f in found
    ]
    for finding, expectation in zip(found, expected, strict=True):
        if "line" in expectation:
            assert (finding.line, finding.column) == (expectation["line"], expectation["column"])
        if "message" in expectation:
            assert expectation["message"] in finding.message


def test_every_rule_is_tested_against_a_cited_aws_page() -> None:
    """Each rule has a case whose ``doc:`` is the AWS page (or AWS knowledge-center
    article) the case follows, as its metadata cites one."""
    cited = {
        case["rule"]
        for case in (p.values[0] for p in _load())
        if str(case.get("doc", "")).startswith(
            ("https://docs.aws.amazon.com/", "https://repost.aws/")
        )
    }
    assert set(RULES_BY_ID) - cited == set(), "rules without a case citing an AWS page"


def test_every_rule_has_a_bad_and_a_good_case() -> None:
    cases = [p.values[0] for p in _load()]
    bad = {case["rule"] for case in cases if case["expect"]}
    good = {case["rule"] for case in cases if not case["expect"]}
    assert set(RULES_BY_ID) - bad == set(), "rules without a bad fixture"
    assert set(RULES_BY_ID) - good == set(), "rules without a good fixture"
