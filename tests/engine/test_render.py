"""``Decision.to_dict`` renders straight from the raw trace (the fast path ``simulate
--format json`` takes): it must say exactly what the trace's own entries say."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings

from backup_access.engine import evaluate
from backup_access.simulate.request_file import parse_policies, parse_request
from tests.strategies import policy_sets, requests


def _both(request: dict[str, Any], raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    parsed, management = parse_request(request)
    policies = parse_policies(raw, management=management)
    fast = evaluate(parsed, policies).to_dict()
    decision = evaluate(parsed, policies)
    from_objects = [entry.to_dict() for entry in decision.trace]  # builds the trace first
    slow = decision.to_dict()
    assert slow["trace"] == from_objects
    assert slow["unsupported"] == list(decision.unsupported)
    # Rendered again from the same plan, the entries it kept come out the same, as copies.
    again = evaluate(parsed, policies).to_dict()
    assert again == fast
    for entry in again["trace"]:
        entry["reason"] = "changed by the caller"
    assert evaluate(parsed, policies).to_dict() == fast
    return fast, slow


@settings(max_examples=300, deadline=None)
@given(requests(), policy_sets())
def test_the_fast_rendering_equals_the_trace_objects(
    request: dict[str, Any], raw: dict[str, Any]
) -> None:
    fast, slow = _both(request, raw)
    assert fast == slow


def test_chain_levels_without_policies_keep_their_summary_in_place() -> None:
    request = {
        "principal": "arn:aws:iam::111111111111:role/Ops",
        "action": "backup:StartBackupJob",
        "resource": "arn:aws:backup:us-east-1:111111111111:backup-vault:v",
    }
    allow = {
        "Version": "2012-10-17",
        "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"},
    }
    raw = {
        "identity": [allow],
        "scp": [
            {"level": "r-ab12", "policies": [allow]},
            {"level": "ou-ab12-11111111", "policies": []},
            {"level": "111111111111", "policies": [allow, allow]},
        ],
        "endpoint": [allow, allow],
    }
    fast, slow = _both(request, raw)
    assert fast == slow
    kinds = [(e["kind"], e["layer"], e.get("level")) for e in fast["trace"]]
    assert kinds[:5] == [
        ("statement", "scp", "r-ab12"),
        ("layer", "scp", "r-ab12"),
        ("layer", "scp", "ou-ab12-11111111"),
        ("statement", "scp", "111111111111"),
        ("statement", "scp", "111111111111"),
    ]
