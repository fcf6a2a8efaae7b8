"""copy: same-account, cross-Region and cross-account checks on small fixture worlds."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from backup_access.diagnose import CheckDecision, Explanation, Verdict, explain_operation
from backup_access.world import World, load_world
from tests.diagnose.fixtures.worlds import (
    CENTRAL,
    COPY,
    ORG,
    PROD,
    RP,
    SOURCE_KEY,
    account,
    keys,
    vaults,
    world_with,
)


@pytest.fixture(scope="module")
def org() -> World:
    return load_world(ORG)


def check(explanation: Explanation, check_id: str) -> Any:
    return next(c for c in explanation.checks if c.id == check_id)


def denied_ids(explanation: Explanation) -> list[str]:
    return [c.id for c in explanation.checks if c.decision.denies]


def test_cross_account_copy_is_allowed_and_every_check_applies(org: World) -> None:
    result = explain_operation(org, "copy", COPY)
    assert result.verdict is Verdict.ALLOWED
    assert [s.id for s in result.skipped] == [
        "copy.destination-allowed-amis",  # an EBS snapshot: EC2 Allowed AMIs concerns AMIs only
        "copy.aws-managed-key-own-account",  # --key not given: the snapshot's recorded key
        "copy.role-describe-destination-key",  # cross-account: the destination SLR's side
        "copy.role-create-grant-destination-key",
        "copy.role-share-ec2-image",  # an EBS snapshot: only ec2:ModifySnapshotAttribute
        "copy.role-share-rds-snapshot",
        "copy.role-share-cluster-snapshot",
        "copy.source-lag-vault-shared",
        "copy.lag-sharee-copy",
        "copy.retention-within-destination-lock",  # no --retention-days
    ]
    assert len(result.checks) == 18
    slr = check(result, "copy.destination-slr-describe-source-key")
    assert slr.principal.endswith(
        f"{CENTRAL}:role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup"
    )
    assert slr.resource == SOURCE_KEY
    assert any("AWSServiceRoleForBackup is not in the world" in n for n in result.notes)


def test_wrong_org_id_in_destination_vault_policy_blocks_copy_into(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        statement = vaults(data, CENTRAL)["central"]["access_policy"]["Statement"][0]
        statement["Condition"]["StringEquals"]["aws:PrincipalOrgID"] = "o-other"

    result = explain_operation(world_with(tmp_path, patch), "copy", COPY)
    assert result.verdict is Verdict.DENIED
    assert denied_ids(result) == ["copy.copy-into-destination-vault"]
    copy_into = check(result, "copy.copy-into-destination-vault")
    assert copy_into.decision is CheckDecision.IMPLICIT_DENY
    assert copy_into.blocked_by == ("resource",)
    assert "AllowOrgCopy" in copy_into.reason and "o-a1b2c3d4e5" in copy_into.reason
    (quoted,) = copy_into.statements
    assert quoted.sid == "AllowOrgCopy" and quoted.layer == "resource"
    assert quoted.quoted["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-other"}}
    assert quoted.pointer.endswith("/vaults/central/access_policy/Statement/0")


def test_destination_vault_without_access_policy_denies(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        del vaults(data, CENTRAL)["central"]["access_policy"]

    result = explain_operation(world_with(tmp_path, patch), "copy", COPY)
    copy_into = check(result, "copy.copy-into-destination-vault")
    assert copy_into.blocked_by == ("resource",)
    assert "no resource-based policy" in copy_into.reason


def test_ou_path_statement_allows_copy(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        statement = vaults(data, CENTRAL)["central"]["access_policy"]["Statement"][0]
        statement["Condition"] = {
            "ForAnyValue:StringLike": {
                "aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-a1b2/ou-a1b2-11111111/*"
            }
        }

    result = explain_operation(world_with(tmp_path, patch), "copy", COPY)
    assert check(result, "copy.copy-into-destination-vault").decision is CheckDecision.ALLOWED


def test_cross_account_backup_disabled_is_a_setting(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        data["organization"]["cross_account_backup"] = False

    result = explain_operation(world_with(tmp_path, patch), "copy", COPY)
    gate = check(result, "copy.cross-account-backup-enabled")
    assert gate.decision is CheckDecision.DENIED
    assert gate.blocked_by == ("setting",)
    assert "isCrossAccountBackupEnabled" in gate.reason
    assert denied_ids(result) == ["copy.cross-account-backup-enabled"]


def test_unrecorded_cross_account_setting_makes_the_verdict_unknown(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        del data["organization"]["cross_account_backup"]

    result = explain_operation(world_with(tmp_path, patch), "copy", COPY)
    assert result.verdict is Verdict.UNKNOWN
    assert check(result, "copy.cross-account-backup-enabled").decision is CheckDecision.UNKNOWN
    assert any("describe-global-settings" in m for m in result.missing)


def test_destination_account_outside_the_organization(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        data["organization"]["root"]["ous"][1]["accounts"] = []

    result = explain_operation(world_with(tmp_path, patch), "copy", COPY)
    gate = check(result, "copy.same-organization")
    assert gate.decision is CheckDecision.DENIED
    assert CENTRAL in gate.reason


def test_default_vault_as_destination_is_refused(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        vaults(data, CENTRAL)["Default"] = copy.deepcopy(vaults(data, CENTRAL)["central"])

    params = {**COPY, "destination_vault": COPY["destination_vault"].replace("central", "Default")}
    result = explain_operation(world_with(tmp_path, patch), "copy", params)
    assert check(result, "copy.destination-vault-not-default").decision is CheckDecision.DENIED


def test_destination_vault_encrypted_with_aws_backup_is_refused_for_a_snapshot(
    tmp_path: Path,
) -> None:
    """A snapshot-backed type's copy cannot be encrypted with aws/backup; a fully managed
    type's may (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html#copy-encryption)."""

    def patch(data: dict[str, Any]) -> None:
        del vaults(data, CENTRAL)["central"]["key"]

    world = world_with(tmp_path, patch)
    result = explain_operation(world, "copy", COPY)
    gate = check(result, "copy.destination-key-for-type")
    assert gate.decision is CheckDecision.DENIED and "aws/backup" in gate.reason
    assert check(result, "copy.destination-vault-not-default").decision is CheckDecision.ALLOWED
    managed = explain_operation(world, "copy", {**COPY, "recovery_point": RP})
    assert "copy.destination-key-for-type" in {s.id for s in managed.skipped}


def test_aws_managed_source_key_is_refused_for_a_snapshot_only(tmp_path: Path) -> None:
    """AWS managed keys cannot be shared across accounts for types AWS Backup does not fully
    manage; a fully managed type's vault key may be AWS managed
    (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html#copy-encryption)."""

    def patch(data: dict[str, Any]) -> None:
        keys(data, PROD)["aaaa1111-0000-0000-0000-000000000001"]["manager"] = "aws"

    world = world_with(tmp_path, patch)
    result = explain_operation(world, "copy", COPY)
    assert check(result, "copy.source-key-customer-managed").decision is CheckDecision.DENIED
    managed = explain_operation(world, "copy", {**COPY, "recovery_point": RP})
    skipped = {s.id for s in managed.skipped}
    assert {
        "copy.source-key-customer-managed",
        "copy.destination-slr-describe-source-key",
    } <= skipped


def test_source_key_policy_without_the_destination_account(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        policy = keys(data, PROD)["aaaa1111-0000-0000-0000-000000000001"]["policy"]
        policy["Statement"] = policy["Statement"][:1]

    result = explain_operation(world_with(tmp_path, patch), "copy", COPY)
    assert set(denied_ids(result)) == {
        "copy.destination-slr-describe-source-key",
        "copy.destination-slr-create-grant-source-key",
        "copy.destination-slr-reencrypt-source-key",
    }
    describe = check(result, "copy.destination-slr-describe-source-key")
    assert describe.blocked_by == ("resource",)
    assert "key policy" in describe.reason


def test_copy_role_without_copy_into_in_its_own_policy(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        role = account(data, PROD)["iam"]["roles"]["BackupCopyRole"]
        role["policies"] = []
        role["inline"] = {
            "OnlyFrom": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "backup:CopyFromBackupVault", "Resource": "*"}
                ],
            }
        }

    result = explain_operation(world_with(tmp_path, patch), "copy", COPY)
    copy_into = check(result, "copy.copy-into-destination-vault")
    assert copy_into.decision is CheckDecision.IMPLICIT_DENY
    assert copy_into.blocked_by == ("identity",)


def test_pass_role_scoped_to_another_role(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        from tests.diagnose.fixtures.worlds import operator_policy

        operator_policy(data)[1]["Resource"] = f"arn:aws:iam::{PROD}:role/*AWSBackup*"

    result = explain_operation(world_with(tmp_path, patch), "copy", COPY)
    pass_role = check(result, "copy.pass-role")
    assert pass_role.blocked_by == ("identity",)
    assert "PassBackupRoles" in pass_role.reason and "Resource" in pass_role.reason


def test_copy_role_not_trusting_backup(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        trust = account(data, PROD)["iam"]["roles"]["BackupCopyRole"]["trust"]
        trust["Statement"][0]["Principal"] = {"Service": "ec2.amazonaws.com"}

    result = explain_operation(world_with(tmp_path, patch), "copy", COPY)
    trust = check(result, "copy.role-trust")
    assert trust.decision is CheckDecision.IMPLICIT_DENY
    assert trust.blocked_by == ("resource",)
    assert trust.principal == "backup.amazonaws.com"


def test_scp_denying_copies_outside_the_organization_paths(tmp_path: Path) -> None:
    def patch(data: dict[str, Any]) -> None:
        data["organization"]["policies"]["CopyOnlyToSecurity"] = {
            "type": "scp",
            "document": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "OnlyCentral",
                        "Effect": "Deny",
                        "Action": "backup:CopyFromBackupVault",
                        "Resource": "*",
                        "Condition": {
                            "ForAllValues:ArnNotLike": {
                                "backup:CopyTargets": "arn:aws:backup:*:444444444444:backup-vault:*"
                            }
                        },
                    }
                ],
            },
        }
        data["organization"]["root"]["ous"][0]["policies"].append("CopyOnlyToSecurity")

    result = explain_operation(world_with(tmp_path, patch), "copy", COPY)
    copy_from = check(result, "copy.copy-from-source-vault")
    assert copy_from.decision is CheckDecision.EXPLICIT_DENY
    assert copy_from.blocked_by == ("scp",)
    (quoted,) = copy_from.statements
    assert quoted.sid == "OnlyCentral" and quoted.level == "ou-a1b2-11111111"


def test_same_account_copy_skips_cross_account_checks(org: World) -> None:
    params = {**COPY, "destination_vault": COPY["source_vault"].replace("source", "source")}
    result = explain_operation(org, "copy", params)
    skipped = {s.id for s in result.skipped}
    assert {"copy.same-organization", "copy.destination-slr-describe-source-key"} <= skipped
    assert result.verdict is Verdict.ALLOWED


def test_cross_region_copy_to_a_vault_missing_from_the_world(org: World) -> None:
    params = {**COPY, "destination_vault": f"arn:aws:backup:eu-west-1:{PROD}:backup-vault:dr"}
    result = explain_operation(org, "copy", params)
    assert "copy.cross-account-backup-enabled" in {s.id for s in result.skipped}
    exists = check(result, "copy.destination-vault-exists")
    assert exists.decision is CheckDecision.DENIED
    assert result.verdict is Verdict.DENIED


def test_destination_in_an_account_the_world_lacks_is_unknown(org: World) -> None:
    params = {**COPY, "destination_vault": "arn:aws:backup:us-east-1:444444444444:backup-vault:x"}
    result = explain_operation(org, "copy", params)
    assert result.verdict in (Verdict.UNKNOWN, Verdict.DENIED)
    assert check(result, "copy.destination-vault-exists").decision is CheckDecision.UNKNOWN
    assert result.missing


def test_copy_from_a_shared_lag_vault_in_another_account(org: World) -> None:
    params = {
        **COPY,
        "source_vault": COPY["destination_vault"].replace("central", "airgap"),
        "destination_vault": COPY["source_vault"],
        "recovery_point": f"arn:aws:backup:us-east-1:{CENTRAL}:recovery-point:lag-1",
        "key": SOURCE_KEY,
    }
    result = explain_operation(org, "copy", params)
    shared = check(result, "copy.source-lag-vault-shared")
    assert shared.decision is CheckDecision.ALLOWED
