"""The one runner for the data-driven engine cases in ``tests/engine_cases/**.yaml``.

Each case is a Contract 1 request plus the decision, the blocking layers and (optionally)
trace entries it must produce; see ``engine_cases/README.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from backup_access.engine import evaluate
from backup_access.errors import InputError
from backup_access.simulate.request_file import parse_policies, parse_request

CASES = Path(__file__).parent.parent / "engine_cases"
_CASE_KEYS = {"name", "doc", "request", "policies", "expect"}


def _load() -> list[Any]:
    params = []
    for path in sorted(CASES.rglob("*.yaml")):
        cases = yaml.safe_load(path.read_text()) or []
        for index, case in enumerate(cases):
            label = f"{path.relative_to(CASES)}::{case.get('name', index)}"
            params.append(pytest.param(case, id=label))
    return params


def is_subset(expected: Any, actual: Any) -> bool:
    """``expected`` matches ``actual`` when every key it gives has the same value there."""
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and is_subset(value, actual[key]) for key, value in expected.items()
        )
    return bool(expected == actual)


@pytest.mark.parametrize("case", _load())
def test_case(case: dict[str, Any]) -> None:
    assert set(case) <= _CASE_KEYS, f"unknown case keys {set(case) - _CASE_KEYS}"
    assert str(case.get("doc", "")).startswith("https://"), "every case cites the AWS page"
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(InputError) as raised:
            request, management = parse_request(case["request"])
            parse_policies(case.get("policies"), management=management)
        wanted = expect["error"]
        if "pointer" in wanted:
            assert raised.value.pointer == wanted["pointer"], raised.value.message
        if "message" in wanted:
            assert wanted["message"].lower() in raised.value.message.lower()
        return

    request, management = parse_request(case["request"])
    policies = parse_policies(case.get("policies"), management=management)
    decision = evaluate(request, policies).to_dict()
    summary = [
        f"{e['layer']}:{e.get('level', '')}:{e.get('policy', '')}#{e.get('statement', '')} "
        f"{e['outcome']} {e['reason']}"
        for e in decision["trace"]
    ]
    assert decision["decision"] == expect["decision"], summary
    assert sorted(decision["blocked_by"]) == sorted(expect.get("blocked_by", [])), summary
    for wanted in expect.get("trace", []):
        assert any(is_subset(wanted, entry) for entry in decision["trace"]), (wanted, summary)
