"""Every catalogue operation other than copy, on the fixture world and one-change variants."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backup_access.diagnose import CheckDecision, Explanation, Verdict, explain_operation
from backup_access.errors import RequestError
from backup_access.world import World, load_world
from tests.diagnose.fixtures.worlds import (
    AIRGAP_VAULT,
    CENTRAL,
    CENTRAL_VAULT,
    COPY_ROLE,
    OPERATOR,
    ORG,
    PROD,
    RP,
    SNAPSHOT,
    SOURCE_KEY,
    SOURCE_VAULT,
    account,
    keys,
    operator_policy,
    vaults,
    world_with,
)

NEW_VAULT = f"arn:aws:backup:us-east-1:{PROD}:backup-vault:new"
PLAN = f"arn:aws:backup:us-east-1:{PROD}:backup-plan:*"


@pytest.fixture(scope="module")
def org() -> World:
    return load_world(ORG)


def check(explanation: Explanation, check_id: str) -> Any:
    return next(c for c in explanation.checks if c.id == check_id)


def denied(explanation: Explanation) -> list[str]:
    return [c.id for c in explanation.checks if c.decision.denies]


# create-vault ---------------------------------------------------------------------------


def test_create_vault_with_a_customer_key_is_allowed(org: World) -> None:
    result = explain_operation(
        org, "create-vault", {"caller": OPERATOR, "vault": NEW_VAULT, "key": SOURCE_KEY}
    )
    assert result.verdict is Verdict.ALLOWED
    assert len(result.checks) == 7
    grant = check(result, "create-vault.kms-create-grant")
    assert grant.resource == SOURCE_KEY


def test_create_vault_with_aws_backup_key_skips_kms_checks(org: World) -> None:
    result = explain_operation(org, "create-vault", {"caller": OPERATOR, "vault": NEW_VAULT})
    assert result.verdict is Verdict.ALLOWED
    assert [c.id for c in result.checks] == [
        "create-vault.create-backup-vault",
        "create-vault.mount-capsule",
        "create-vault.aws-managed-key-own-account",
    ]
    own = check(result, "create-vault.aws-managed-key-own-account")
    assert own.decision is CheckDecision.ALLOWED
    assert f"is in account {PROD}, the caller's account" in own.reason
    assert all("AWS managed key" in s.why for s in result.skipped)


def test_create_vault_with_another_accounts_aws_managed_key_is_denied(org: World) -> None:
    # AWS managed keys serve only principals of their own account; no policy can change that.
    key = f"arn:aws:kms:us-east-1:{CENTRAL}:alias/aws/backup"
    result = explain_operation(
        org, "create-vault", {"caller": OPERATOR, "vault": NEW_VAULT, "key": key}
    )
    assert result.verdict is Verdict.DENIED
    assert denied(result) == ["create-vault.aws-managed-key-own-account"]
    own = check(result, "create-vault.aws-managed-key-own-account")
    assert own.blocked_by == ("setting",)
    assert f"AWS managed key of account {CENTRAL}" in own.reason
    assert f"caller is in account {PROD}" in own.reason


def test_create_vault_without_mount_capsule(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        operator_policy(data)[0]["Action"] = ["backup:*", "ram:CreateResourceShare"]

    result = explain_operation(
        world_with(tmp_path, patch), "create-vault", {"caller": OPERATOR, "vault": NEW_VAULT}
    )
    assert denied(result) == ["create-vault.mount-capsule"]
    mount = check(result, "create-vault.mount-capsule")
    assert mount.blocked_by == ("identity",) and mount.resource == "*"


def test_create_vault_mount_capsule_scoped_to_the_vault_is_not_enough(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        operator_policy(data)[0]["Action"] = ["backup:*"]
        operator_policy(data).append(
            {
                "Sid": "Scoped",
                "Effect": "Allow",
                "Action": "backup-storage:MountCapsule",
                "Resource": NEW_VAULT,
            }
        )

    result = explain_operation(
        world_with(tmp_path, patch), "create-vault", {"caller": OPERATOR, "vault": NEW_VAULT}
    )
    mount = check(result, "create-vault.mount-capsule")
    assert mount.decision is CheckDecision.IMPLICIT_DENY
    assert [s.sid for s in mount.statements] == ["Scoped"]


def test_create_vault_key_policy_without_root_delegation(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        policy = keys(data, PROD)["aaaa1111-0000-0000-0000-000000000001"]["policy"]
        policy["Statement"] = policy["Statement"][1:]

    result = explain_operation(
        world_with(tmp_path, patch),
        "create-vault",
        {"caller": OPERATOR, "vault": NEW_VAULT, "key": SOURCE_KEY},
    )
    assert len(denied(result)) == 5
    assert all(c.blocked_by == ("resource",) for c in result.checks if c.decision.denies)


def test_create_vault_blocked_by_a_boundary(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        iam = account(data, PROD)["iam"]
        iam["policies"]["Boundary"] = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "backup:*", "Resource": "*"}],
        }
        iam["roles"]["BackupOperator"]["boundary"] = "Boundary"

    result = explain_operation(
        world_with(tmp_path, patch), "create-vault", {"caller": OPERATOR, "vault": NEW_VAULT}
    )
    assert check(result, "create-vault.mount-capsule").blocked_by == ("boundary",)


def test_create_vault_blocked_by_an_scp_deny(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        data["organization"]["policies"]["NoVaults"] = {
            "type": "scp",
            "document": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "NoNewVaults",
                        "Effect": "Deny",
                        "Action": "backup:CreateBackupVault",
                        "Resource": "*",
                    }
                ],
            },
        }
        data["organization"]["root"]["policies"].append("NoVaults")

    result = explain_operation(
        world_with(tmp_path, patch), "create-vault", {"caller": OPERATOR, "vault": NEW_VAULT}
    )
    create = check(result, "create-vault.create-backup-vault")
    assert create.decision is CheckDecision.EXPLICIT_DENY
    assert create.blocked_by == ("scp",)
    assert create.statements[0].level == "r-a1b2" and "NoNewVaults" in create.reason


def test_create_vault_with_a_key_missing_from_the_world_is_unknown(org: World) -> None:
    key = f"arn:aws:kms:us-east-1:{PROD}:key/unknown"
    result = explain_operation(
        org, "create-vault", {"caller": OPERATOR, "vault": NEW_VAULT, "key": key}
    )
    assert result.verdict is Verdict.UNKNOWN
    assert any(key in m for m in result.missing)


def test_create_lag_vault(org: World) -> None:
    result = explain_operation(org, "create-lag-vault", {"caller": OPERATOR, "vault": NEW_VAULT})
    assert result.verdict is Verdict.ALLOWED
    assert [c.id for c in result.checks] == [
        "create-lag-vault.create-vault",
        "create-lag-vault.mount-capsule",
    ]


# delete-vault, put-vault-policy ---------------------------------------------------------


def test_delete_vault_denied_by_an_scp_and_not_empty(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        data["organization"]["root"]["ous"][0]["policies"].append("DenyVaultDelete")

    result = explain_operation(
        world_with(tmp_path, patch), "delete-vault", {"caller": OPERATOR, "vault": SOURCE_VAULT}
    )
    assert denied(result) == ["delete-vault.delete-backup-vault", "delete-vault.vault-empty"]
    delete = check(result, "delete-vault.delete-backup-vault")
    assert delete.decision is CheckDecision.EXPLICIT_DENY
    assert delete.statements[0].sid == "NoVaultDelete"
    assert "rp-1" in check(result, "delete-vault.vault-empty").reason


def test_delete_vault_denied_by_its_own_access_policy(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        vaults(data, PROD)["source"]["access_policy"] = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "Protect",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "backup:DeleteBackupVault",
                    "Resource": "*",
                }
            ],
        }

    result = explain_operation(
        world_with(tmp_path, patch), "delete-vault", {"caller": OPERATOR, "vault": SOURCE_VAULT}
    )
    assert check(result, "delete-vault.delete-backup-vault").blocked_by == ("resource",)


def test_put_vault_policy_on_a_missing_vault(org: World) -> None:
    result = explain_operation(org, "put-vault-policy", {"caller": OPERATOR, "vault": NEW_VAULT})
    assert denied(result) == ["put-vault-policy.vault-exists"]
    allowed = explain_operation(
        org, "put-vault-policy", {"caller": OPERATOR, "vault": SOURCE_VAULT}
    )
    assert allowed.verdict is Verdict.ALLOWED


# backup, restore --------------------------------------------------------------------------


def test_backup_is_allowed(org: World) -> None:
    params = {"caller": OPERATOR, "role": COPY_ROLE, "vault": SOURCE_VAULT}
    assert explain_operation(org, "backup", params).verdict is Verdict.ALLOWED


def test_backup_role_trust_missing_from_the_world_is_unknown(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        del account(data, PROD)["iam"]["roles"]["BackupCopyRole"]["trust"]

    params = {"caller": OPERATOR, "role": COPY_ROLE, "vault": SOURCE_VAULT}
    result = explain_operation(world_with(tmp_path, patch), "backup", params)
    assert check(result, "backup.role-trust").decision is CheckDecision.UNKNOWN
    assert result.verdict is Verdict.UNKNOWN


def test_restore_in_the_same_account(org: World) -> None:
    params = {"caller": OPERATOR, "role": COPY_ROLE, "recovery_point": RP, "vault": SOURCE_VAULT}
    result = explain_operation(org, "restore", params)
    assert result.verdict is Verdict.ALLOWED
    assert [s.id for s in result.skipped] == [
        "restore.lag-vault-shared",
        "restore.aws-managed-key-own-account",  # no --key given
        "restore.pass-instance-role",  # no --instance-role
        "restore.s3-get-bucket-versioning",  # no --target (an S3 restore's bucket)
        "restore.s3-put-bucket-versioning",
        "restore.s3-list-bucket-versions",
        "restore.s3-put-object",
    ]
    # a fully managed recovery point is encrypted with its vault's key: the restore role
    # must use it (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html)
    describe = check(result, "restore.role-describe-key")
    assert describe.decision is CheckDecision.ALLOWED
    assert describe.resource == SOURCE_KEY


def test_restore_across_accounts_from_a_standard_vault_is_refused(org: World) -> None:
    point = f"arn:aws:backup:us-east-1:{CENTRAL}:recovery-point:x"
    params = {
        "caller": OPERATOR,
        "role": COPY_ROLE,
        "recovery_point": point,
        "vault": CENTRAL_VAULT,
    }
    result = explain_operation(org, "restore", params)
    assert check(result, "restore.same-account").decision is CheckDecision.DENIED


def test_restore_from_a_shared_lag_vault(tmp_path: Path, org: World) -> None:
    point = f"arn:aws:backup:us-east-1:{CENTRAL}:recovery-point:lag-1"
    params = {"caller": OPERATOR, "role": COPY_ROLE, "recovery_point": point, "vault": AIRGAP_VAULT}
    result = explain_operation(org, "restore", params)
    assert check(result, "restore.lag-vault-shared").decision is CheckDecision.ALLOWED
    # across accounts the RAM share is the resource-side allow (no vault access policy)
    start = check(result, "restore.start-restore-job")
    assert start.decision is CheckDecision.ALLOWED, start.reason
    assert "AWS RAM share of vault airgap" in start.reason
    assert [s.sid for s in start.statements if s.layer == "resource"] == ["RamShareWithAccounts"]
    assert result.verdict is Verdict.ALLOWED

    def unshare(data: dict[str, Any]) -> None:
        vaults(data, CENTRAL)["airgap"]["shared_with"] = []

    result = explain_operation(world_with(tmp_path, unshare), "restore", params)
    gate = check(result, "restore.lag-vault-shared")
    assert gate.decision is CheckDecision.DENIED and gate.blocked_by == ("setting",)


# plans, selections, recovery points, sharing --------------------------------------------


def test_create_plan_and_selection(org: World) -> None:
    plan = explain_operation(org, "create-plan", {"caller": OPERATOR, "plan": PLAN})
    assert plan.verdict is Verdict.ALLOWED
    assert [s.id for s in plan.skipped] == [
        "create-plan.pass-role",  # the plan names no role
        "create-plan.target-vault-exists",
    ]
    named = explain_operation(
        org, "create-plan", {"caller": OPERATOR, "plan": PLAN, "role": COPY_ROLE}
    )
    assert check(named, "create-plan.pass-role").action == "iam:PassRole"
    selection = explain_operation(
        org, "create-selection", {"caller": OPERATOR, "plan": PLAN, "role": COPY_ROLE}
    )
    assert selection.verdict is Verdict.ALLOWED


def test_create_selection_passing_an_unlisted_role(org: World) -> None:
    role = f"arn:aws:iam::{PROD}:role/Other"
    result = explain_operation(
        org, "create-selection", {"caller": OPERATOR, "plan": PLAN, "role": role}
    )
    assert check(result, "create-selection.pass-role").decision is CheckDecision.IMPLICIT_DENY
    assert check(result, "create-selection.role-trust").decision is CheckDecision.UNKNOWN
    assert result.verdict is Verdict.DENIED


def test_delete_recovery_point_denied_by_the_vault_policy(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        vaults(data, PROD)["source"]["access_policy"] = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "KeepRecoveryPoints",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "backup:DeleteRecoveryPoint",
                    "Resource": "*",
                }
            ],
        }

    params = {"caller": OPERATOR, "recovery_point": SNAPSHOT, "vault": SOURCE_VAULT}
    result = explain_operation(world_with(tmp_path, patch), "delete-recovery-point", params)
    delete = check(result, "delete-recovery-point.delete-recovery-point")
    assert delete.decision is CheckDecision.EXPLICIT_DENY
    assert delete.statements[0].sid == "KeepRecoveryPoints"
    snapshot = check(result, "delete-recovery-point.delete-snapshot")
    assert snapshot.decision is CheckDecision.IMPLICIT_DENY


def test_share_a_standard_vault_is_refused(org: World) -> None:
    result = explain_operation(org, "share-vault", {"caller": OPERATOR, "vault": SOURCE_VAULT})
    assert denied(result) == ["share-vault.vault-is-lag"]


# bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "params", "message"),
    [
        ("nope", {}, "unknown operation"),
        ("create-vault", {"caller": OPERATOR}, "needs --vault"),
        ("create-vault", {"caller": OPERATOR, "vault": "central"}, "not an ARN"),
        ("create-vault", {"caller": OPERATOR, "vault": COPY_ROLE}, "not a vault ARN"),
        ("create-vault", {"caller": OPERATOR, "vault": NEW_VAULT, "role": COPY_ROLE}, "no role"),
    ],
)
def test_bad_parameters_are_input_errors(
    org: World, operation: str, params: dict[str, str], message: str
) -> None:
    with pytest.raises(RequestError, match=message):
        explain_operation(org, operation, params)
