"""``Decision.to_dict`` renders straight from the raw trace (the fast path ``simulate
--format json`` takes): it must say exactly what the trace's own entries say."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from backup_access.engine import evaluate
from backup_access.engine.layers import LayerRecord
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


@settings(max_examples=200, deadline=None)
@given(st.lists(requests(), min_size=2, max_size=5), policy_sets())
def test_entries_kept_by_a_plan_fit_every_request_that_reuses_it(
    asked: list[dict[str, Any]], raw: dict[str, Any]
) -> None:
    """The plan keeps entries keyed by what they depend on (decision._result_key,
    trace.reason_request_value): later requests with the same action but other resources,
    principals or context render what a fresh parse renders."""
    shared = parse_policies(raw, "")  # pointers relative to the set, as a request file's
    for request in [{**r, "action": asked[0]["action"]} for r in asked]:
        parsed, _ = parse_request(request)
        kept = evaluate(parsed, shared, policies_pointer="/3/policies").to_dict()
        fresh = evaluate(parsed, parse_policies(raw, "")).to_dict()
        for entry in fresh["trace"]:
            if "pointer" in entry:
                entry["pointer"] = "/3/policies" + entry["pointer"]
        assert kept == fresh


def test_one_policy_attached_at_two_levels_keeps_each_levels_entries() -> None:
    """A world attaches one parsed policy (one set of statement objects) at several levels;
    kept entries must still name their own level."""
    from backup_access.engine.model import NamedPolicy, OrgLevel, PolicySet
    from backup_access.policy.parse import parse_policy

    deny = parse_policy(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Deny", "Action": "kms:*", "Resource": "*"},
                {"Effect": "Allow", "Action": "*", "Resource": "*"},
            ],
        }
    )
    levels = tuple(
        OrgLevel(level, (NamedPolicy("GuardRails", deny, f"/{level}"),))
        for level in ("r-ab12", "ou-ab12-11111111")
    )
    allow = parse_policies(
        {
            "identity": [
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
                }
            ]
        }
    )
    policies = PolicySet(identity=allow.identity, scp=levels)
    request, _ = parse_request(
        {
            "principal": "arn:aws:iam::111111111111:role/Ops",
            "action": "backup:StartBackupJob",
            "resource": "arn:aws:backup:us-east-1:111111111111:backup-vault:v",
        }
    )
    for _ in range(2):  # the second rendering reads what the first kept
        trace = evaluate(request, policies).to_dict()["trace"]
        scp = [e for e in trace if e["layer"] == "scp" and e["kind"] == "statement"]
        assert [(e["level"], e["statement"], e["outcome"]) for e in scp] == [
            ("r-ab12", 0, "not_matched"),
            ("r-ab12", 1, "matched"),
            ("ou-ab12-11111111", 0, "not_matched"),
            ("ou-ab12-11111111", 1, "matched"),
        ]


def test_kept_entries_name_each_requests_own_values() -> None:
    """A plan reused by requests from other principals, with other context values, must
    not hand one request's reason to the next: the Principal, NotPrincipal and Condition
    entries name each request's own values."""
    raw = {
        "identity": [
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "backup:*",
                        "Resource": "*",
                        "Condition": {"StringEquals": {"aws:PrincipalTag/team": "backup"}},
                    }
                ],
            }
        ],
        "resource": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": "arn:aws:iam::111111111111:role/Owner"},
                    "Action": "backup:*",
                    "Resource": "*",
                },
                {
                    "Effect": "Deny",
                    "NotPrincipal": {"AWS": "arn:aws:iam::111111111111:root"},
                    "Action": "backup:*",
                    "Resource": "*",
                },
            ],
        },
    }
    shared = parse_policies(raw)
    for caller, team in (("A", "ops"), ("B", "data"), ("C", "ops")):
        arn = f"arn:aws:iam::222222222222:user/{caller}"
        request, _ = parse_request(
            {
                "principal": arn,
                "action": "backup:StartCopyJob",
                "resource": "arn:aws:backup:us-east-1:111111111111:backup-vault:v",
                "context": {"aws:PrincipalTag/team": team},
            }
        )
        trace = evaluate(request, shared).to_dict()["trace"]
        reasons = [e["reason"] for e in trace if e["kind"] == "statement"]
        assert f"request has ['{team}']" in reasons[0], reasons
        assert reasons[1] == f"Principal does not name {arn}", reasons
        assert arn in reasons[2], reasons
        assert trace == evaluate(request, parse_policies(raw)).to_dict()["trace"]


@settings(max_examples=150, deadline=None)
@given(st.lists(requests(), min_size=2, max_size=5), policy_sets())
def test_a_batch_renders_its_shared_plans_from_the_memo_from_the_first_rendering(
    asked: list[dict[str, Any]], raw: dict[str, Any]
) -> None:
    """A batch evaluates every item before rendering any (simulate/batch.py): a plan that
    served several requests (plan.PlanUse) keeps its entries from its first rendering on,
    and every rendering still equals a fresh parse's."""
    shared = parse_policies(raw, "")
    parsed = [parse_request({**r, "action": asked[0]["action"]})[0] for r in asked]
    decisions = [evaluate(p, shared, policies_pointer="/0/policies") for p in parsed]
    for request, decision in zip(parsed, decisions, strict=True):
        fresh = evaluate(request, parse_policies(raw, "")).to_dict()
        for entry in fresh["trace"]:
            if "pointer" in entry:
                entry["pointer"] = "/0/policies" + entry["pointer"]
        assert decision.to_dict() == fresh


def test_a_plan_keeps_entries_only_once_it_serves_more_than_one_request() -> None:
    """Keeping entries costs more than rendering them once: a plan that served one request
    renders without keeping any; once a second request uses it, its next rendering keeps
    them (engine/plan.py ``PlanUse``, ``RenderMemo``)."""
    raw = {
        "identity": [
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "backup:*", "Resource": "*"},
                    {"Effect": "Deny", "Action": "kms:*", "Resource": "*"},
                ],
            }
        ]
    }
    policies = parse_policies(raw)
    request, _ = parse_request(
        {
            "principal": "arn:aws:iam::111111111111:role/Ops",
            "action": "backup:StartBackupJob",
            "resource": "arn:aws:backup:us-east-1:111111111111:backup-vault:v",
        }
    )
    first = evaluate(request, policies)
    identity = first.raw_trace[0]
    assert isinstance(identity, LayerRecord)
    memo = identity.plan.kept
    assert not memo.use.shared
    first.to_dict()
    assert memo.steps == []
    second = evaluate(request, policies)
    assert memo.use.shared
    assert second.to_dict() == first.to_dict()
    assert [len(group) for group in memo.steps] == [2]
    assert memo.steps[0][1].left_out is not None  # kms:* leaves the action out

    # As in a batch: both requests evaluated first, so the first rendering keeps them.
    batch = parse_policies(raw)
    decisions = [evaluate(request, batch) for _ in range(2)]
    identity = decisions[0].raw_trace[0]
    assert isinstance(identity, LayerRecord)
    assert decisions[0].to_dict() == first.to_dict()
    assert [len(group) for group in identity.plan.kept.steps] == [2]
