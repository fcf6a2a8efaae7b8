"""Unread SCPs and RCPs only restrict: a denial made on what is known stands, an allow stands
only where they cannot apply; other missing data may grant and leaves a denial unknown
(review finding M1, s23; rules in diagnose/gaps.py).

- SCPs never grant and do not affect service-linked roles or the management account:
  https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
- RCPs never grant, with their own exemptions:
  https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
- an explicit deny wins whatever else applies:
  https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backup_access.diagnose import CheckDecision, Explanation, Verdict, explain_operation
from backup_access.diagnose.gaps import weigh_missing
from backup_access.diagnose.judgement import Judgement
from backup_access.diagnose.reasons import explain_decision
from backup_access.engine import evaluate
from backup_access.world import World, resolve
from tests.diagnose.fixtures.worlds import (
    COPY,
    COPY_ROLE,
    MGMT,
    OPERATOR,
    PROD,
    RP,
    SNAPSHOT,
    SOURCE_VAULT,
    collected_with,
    keys,
    operator_policy,
    world_with,
)

WHY = "account 222222222222 is in organization o-a1b2c3d4e5, whose SCPs and RCPs were not collected"
ORG_GAP = f"the organization's policies could not be read by the collector: {WHY}"
DELETE = {"caller": OPERATOR, "recovery_point": SNAPSHOT, "vault": SOURCE_VAULT}


def check(explanation: Explanation, check_id: str) -> Any:
    return next(c for c in explanation.checks if c.id == check_id)


def no_organization(data: dict[str, Any]) -> None:
    del data["organization"]


def unread_org(tmp_path: Path, *patches: Any, unknown: dict[str, str] | None = None) -> World:
    """The fixture as a member account collects it: the organization unread."""
    return collected_with(
        tmp_path, {"organization": WHY, **(unknown or {})}, *patches, no_organization
    )


def test_a_denial_by_the_identity_policy_stands(tmp_path: Path) -> None:
    # the operator has no ec2:DeleteSnapshot: no SCP can add it
    result = explain_operation(unread_org(tmp_path), "delete-recovery-point", DELETE)
    snapshot = check(result, "delete-recovery-point.delete-snapshot")
    assert snapshot.decision is CheckDecision.IMPLICIT_DENY
    assert snapshot.blocked_by == ("identity",)
    assert "SCPs and RCPs never grant" in snapshot.reason
    assert snapshot.missing == (ORG_GAP,)  # still said: what the world lacks
    assert result.verdict is Verdict.DENIED


def test_an_explicit_deny_stands(tmp_path: Path) -> None:
    def deny(data: dict[str, Any]) -> None:
        operator_policy(data).append(
            {"Effect": "Deny", "Action": "backup:DeleteRecoveryPoint", "Resource": "*"}
        )

    result = explain_operation(unread_org(tmp_path, deny), "delete-recovery-point", DELETE)
    delete = check(result, "delete-recovery-point.delete-recovery-point")
    assert delete.decision is CheckDecision.EXPLICIT_DENY


def test_an_allow_the_unread_scps_may_refuse_is_unknown(tmp_path: Path) -> None:
    result = explain_operation(unread_org(tmp_path), "copy", COPY)
    start = check(result, "copy.start-copy-job")
    assert start.decision is CheckDecision.UNKNOWN
    assert start.missing == (ORG_GAP,)
    assert "with what is known, allowed" in start.reason
    assert "the unread SCPs apply to this request" in start.reason


def test_the_service_linked_role_does_not_depend_on_unread_guardrails(tmp_path: Path) -> None:
    """The destination's AWSServiceRoleForBackup: SCPs and RCPs do not affect it."""
    result = explain_operation(unread_org(tmp_path), "copy", COPY)
    describe = check(result, "copy.destination-slr-describe-source-key")
    assert describe.decision is CheckDecision.ALLOWED
    assert "SCPs do not affect service-linked roles" in describe.reason


def test_the_service_linked_role_refused_by_the_key_policy_is_denied(tmp_path: Path) -> None:
    def central_not_in_key_policy(data: dict[str, Any]) -> None:
        policy = keys(data, PROD)["aaaa1111-0000-0000-0000-000000000001"]["policy"]
        policy["Statement"] = policy["Statement"][:1]

    result = explain_operation(unread_org(tmp_path, central_not_in_key_policy), "copy", COPY)
    reencrypt = check(result, "copy.destination-slr-reencrypt-source-key")
    assert reencrypt.decision is CheckDecision.IMPLICIT_DENY
    assert reencrypt.blocked_by == ("resource",)
    assert result.verdict is Verdict.DENIED


def test_a_decision_turning_on_the_unread_organization_id_is_unknown(tmp_path: Path) -> None:
    """The central vault allows copies from aws:PrincipalOrgID o-a1b2c3d4e5 (statement
    AllowOrgCopy): AWS sets the key from the organization the collector could not read, so
    its absence from the request is no reason to deny."""
    result = explain_operation(unread_org(tmp_path), "copy", COPY)
    into = check(result, "copy.copy-into-destination-vault")
    assert into.decision is CheckDecision.UNKNOWN
    assert "statement AllowOrgCopy turns on aws:PrincipalOrgID" in into.reason


def test_a_denial_an_unread_resource_policy_may_lift_is_unknown(tmp_path: Path) -> None:
    """Same account: an allow in the vault access policy alone would let the caller in
    (reference_policies_evaluation-logic.html), so an unread vault keeps the denial open."""

    def no_backup_actions(data: dict[str, Any]) -> None:
        operator_policy(data)[0]["Action"] = ["backup:ListBackupVaults"]

    why = "access policy of vault source: AccessDenied"
    world = unread_org(tmp_path, no_backup_actions, unknown={SOURCE_VAULT: why})
    params = {"caller": OPERATOR, "role": COPY_ROLE, "recovery_point": RP, "vault": SOURCE_VAULT}
    start = check(explain_operation(world, "restore", params), "restore.start-restore-job")
    assert start.decision is CheckDecision.UNKNOWN
    assert start.missing == (f"{SOURCE_VAULT} could not be read by the collector: {why}", ORG_GAP)


def test_a_denial_an_unread_identity_may_lift_is_unknown(tmp_path: Path) -> None:
    world = unread_org(tmp_path, unknown={PROD: "IAM of account 222222222222: AccessDenied"})
    result = explain_operation(world, "delete-recovery-point", DELETE)
    assert check(result, "delete-recovery-point.delete-snapshot").decision is CheckDecision.UNKNOWN


def weigh(world: World, principal: str) -> Judgement:
    resolution = resolve(world, principal, "backup:ListBackupVaults", "*")
    decision = evaluate(resolution.request, resolution.policies)
    reason, _statements = explain_decision(decision, resolution.policies)
    judged = Judgement(CheckDecision(decision.value.value), reason, resolution.missing)
    return weigh_missing(resolution, decision, judged)


def test_the_management_account_does_not_depend_on_unread_scps(tmp_path: Path) -> None:
    """A collected organization without the accounts' SCP attachments: the management
    account's principals are exempt from SCPs, a member's are not."""

    def forget(data: dict[str, Any]) -> None:
        del data["organization"]["account_policies"][MGMT]
        del data["organization"]["account_policies"][PROD]

    world = collected_with(tmp_path, {}, forget)
    management = weigh(world, f"arn:aws:iam::{MGMT}:root")
    assert management.value is CheckDecision.ALLOWED
    assert "SCPs do not affect the management account" in management.reason
    assert management.missing == (
        f"the SCPs attached to account {MGMT} (not in the collected world)",
    )
    assert weigh(world, f"arn:aws:iam::{PROD}:root").value is CheckDecision.UNKNOWN


def _deny_outside_the_organization(data: dict[str, Any]) -> None:
    """The most common data-perimeter statement: deny whoever is not in the organization."""
    operator_policy(data).append(
        {
            "Sid": "DenyOutsideOrg",
            "Effect": "Deny",
            "Action": "backup:DeleteRecoveryPoint",
            "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
        }
    )


def test_an_explicit_deny_on_the_unread_organization_id_is_unknown(tmp_path: Path) -> None:
    # Read, the organization puts the operator in o-a1b2c3d4e5: the Deny does not apply.
    read = explain_operation(
        world_with(tmp_path, _deny_outside_the_organization),
        "delete-recovery-point",
        DELETE,
    )
    assert check(read, "delete-recovery-point.delete-recovery-point").decision is (
        CheckDecision.ALLOWED
    )
    # Unread, aws:PrincipalOrgID is absent, which is not a fact: the Deny's match is unknown
    # (review s23 H2: it was a confident explicit deny blaming DenyOutsideOrg).
    unread = explain_operation(
        unread_org(tmp_path, _deny_outside_the_organization), "delete-recovery-point", DELETE
    )
    delete = check(unread, "delete-recovery-point.delete-recovery-point")
    assert delete.decision is CheckDecision.UNKNOWN
    assert "statement DenyOutsideOrg turns on aws:PrincipalOrgID" in delete.reason
