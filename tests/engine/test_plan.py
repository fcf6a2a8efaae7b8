"""A policy set's plan per action (engine/plan.py) is reused, bounded, and changes no answer.

Evaluation rules themselves are pinned by the engine cases; these tests pin the caching:
a plan built for one request must give a later request exactly what a fresh parse gives.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from backup_access.engine import evaluate, make_request
from backup_access.engine.model import Layer, NamedPolicy, PolicySet
from backup_access.engine.plan import PLAN_LIMIT, plan_for
from backup_access.engine.trace import LayerTrace, Outcome, StatementTrace
from backup_access.policy.parse import parse_policy
from backup_access.simulate.request_file import parse_policies

ROLE = "arn:aws:iam::111111111111:role/Backup"
VAULT = "arn:aws:backup:us-east-1:111111111111:backup-vault:Main"

RAW: dict[str, Any] = {
    "identity": [
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Sid": "Copy", "Effect": "Allow", "Action": "backup:Copy*", "Resource": "*"},
                {"Sid": "Kms", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"},
                {
                    "Sid": "NoDelete",
                    "Effect": "Deny",
                    "NotAction": "backup:Copy*",
                    "Resource": VAULT,
                },
            ],
        }
    ],
    "scp": [
        {
            "level": "r-ab12",
            "policies": [{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}],
        },
        {"level": "111111111111", "policies": []},
    ],
    "rcp": [{"level": "r-ab12", "policies": []}],
}


def _request(action: str, resource: str = VAULT) -> Any:
    return make_request(ROLE, action, resource)


def _sids(plan_layer: Any) -> list[list[str | None]]:
    """Each group's candidate statements: its Denies, then its Allows."""
    return [
        [statement.sid for statement, _variables in (*denies, *allows)]
        for _level, _policies, denies, allows in plan_layer.groups
    ]


def test_a_plan_selects_the_statements_whose_action_elements_let_the_action_through() -> None:
    policies = parse_policies(RAW)
    assert _sids(plan_for(policies, "backup:CopyIntoBackupVault").identity) == [["Copy"]]
    assert _sids(plan_for(policies, "kms:Decrypt").identity) == [["NoDelete", "Kms"]]
    assert _sids(plan_for(policies, "backup:DeleteBackupVault").identity) == [["NoDelete"]]


def test_a_plan_keeps_each_org_level_as_a_group_that_must_allow() -> None:
    policies = parse_policies(RAW)
    scp = plan_for(policies, "backup:CopyIntoBackupVault").scp
    assert scp is not None
    assert [group.level for group in scp.groups] == ["r-ab12", "111111111111"]
    # The account level attaches no policy, so nothing there allows.
    decision = evaluate(_request("backup:CopyIntoBackupVault"), policies)
    assert "scp" in [layer.value for layer in decision.blocked_by]


def test_rcps_are_left_out_of_the_plan_of_an_action_they_cannot_restrict() -> None:
    """RCPs restrict only the services AWS lists (KMS but not AWS Backup), and never
    kms:RetireGrant (orgs_manage_policies_rcps.html)."""
    policies = parse_policies(RAW)
    decrypt = plan_for(policies, "kms:Decrypt")
    copy = plan_for(policies, "backup:CopyIntoBackupVault")
    retire = plan_for(policies, "kms:RetireGrant")
    assert decrypt.rcp is not None and decrypt.rcp_not_applicable is None
    assert copy.rcp is None and "backup" in (copy.rcp_not_applicable or "")
    assert retire.rcp is None and "kms:RetireGrant" in (retire.rcp_not_applicable or "")


def test_a_plan_is_built_once_per_action_and_reused() -> None:
    policies = parse_policies(RAW)
    first = plan_for(policies, "kms:Decrypt")
    evaluate(_request("kms:Decrypt"), policies)
    assert plan_for(policies, "kms:Decrypt") is first
    assert plan_for(policies, "backup:CopyIntoBackupVault") is not first


def test_the_plans_kept_per_policy_set_are_bounded() -> None:
    policies = parse_policies(RAW)
    for number in range(PLAN_LIMIT * 2 + 3):
        plan_for(policies, f"backup:Action{number}")
    assert 0 < len(policies.compiled) <= PLAN_LIMIT


def test_a_shared_policy_set_answers_exactly_as_a_fresh_parse_does() -> None:
    shared = parse_policies(RAW)
    actions = ["backup:CopyIntoBackupVault", "kms:Decrypt", "backup:DeleteBackupVault"]
    for _round in range(2):
        for action in actions:
            for resource in (VAULT, "arn:aws:kms:us-east-1:111111111111:key/k"):
                request = _request(action, resource)
                reused = evaluate(request, shared)
                fresh = evaluate(request, parse_policies(RAW))
                assert reused.to_dict() == fresh.to_dict()


def test_a_policy_widened_after_use_is_evaluated_with_its_new_statements() -> None:
    """world/resource.py adds a vault's RAM-share statements with dataclasses.replace: the
    copy must not inherit anything the engine worked out for the original."""
    access = parse_policy({"Statement": {"Effect": "Allow", "Action": "kms:*", "Resource": "*"}})
    added = parse_policy(
        {"Statement": {"Sid": "Added", "Effect": "Allow", "Action": "backup:*", "Resource": "*"}}
    )
    request = _request("backup:StartBackupJob")
    before = PolicySet(identity=(NamedPolicy("access", access),))
    assert evaluate(request, before).value.value == "implicit_deny"
    widened = replace(access, statements=access.statements + added.statements)
    after = PolicySet(identity=(NamedPolicy("access", widened),))
    assert evaluate(request, after).value.value == "allowed"


def test_a_policy_set_copied_with_other_policies_gets_its_own_plans() -> None:
    policies = parse_policies(RAW)
    request = _request("backup:CopyIntoBackupVault")
    assert evaluate(request, policies).value.value == "implicit_deny"
    unrestricted = replace(policies, scp=None, rcp=None)
    assert plan_for(unrestricted, request.action).scp is None
    assert evaluate(request, unrestricted).value.value == "allowed"


def test_a_group_lists_its_denies_before_its_allows() -> None:
    policies = parse_policies(RAW)
    _level, _policies, denies, allows = plan_for(policies, "kms:Decrypt").identity.groups[0]
    assert [statement.sid for statement, _variables in denies] == ["NoDelete"]
    assert [statement.sid for statement, _variables in allows] == ["Kms"]


def test_allows_left_unevaluated_by_a_matching_deny_are_explained_when_the_trace_is_read() -> None:
    """reference_policies_evaluation-logic_policy-eval-denyallow.html: a matching Deny
    decides the layer, so its Allows are not needed for the verdict; the trace must still
    say what each of them does."""
    policies = parse_policies(RAW)
    request = _request("kms:Decrypt")  # NoDelete (Deny, NotAction backup:Copy*) matches
    decision = evaluate(request, policies)
    assert decision.value.value == "explicit_deny"
    record = next(
        e
        for e in decision.raw_trace
        if not isinstance(e, LayerTrace) and e.plan.layer is Layer.IDENTITY
    )
    allow = policies.identity[0].policy.statements[1]
    assert id(allow) not in record.results  # not evaluated to decide
    explained = {e.sid: e for e in decision.trace if isinstance(e, StatementTrace)}
    assert explained["Kms"].outcome is Outcome.MATCHED
    assert explained["Kms"].reason == "Allow statement matches the request"
    assert (explained["Copy"].outcome, explained["Copy"].element) == (Outcome.NOT_MATCHED, "Action")
    assert explained["NoDelete"].outcome is Outcome.MATCHED


def test_the_layer_enum_owns_its_names_and_aws_wording() -> None:
    """One vocabulary for policy kinds: every layer has its names, and AWS's message
    wording maps back to the layer (troubleshoot_access-denied.html)."""
    for layer in Layer:
        assert layer.short_name and layer.long_name
        for words in layer.aws_words:
            assert Layer.from_aws_words(words.upper()) is layer
    assert Layer.from_aws_words("role trust") is Layer.RESOURCE
    assert Layer.from_aws_words("no such policy") is None
    assert Layer.SCP.long_name == "service control policy (SCP)"
