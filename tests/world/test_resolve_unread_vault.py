"""A recovery point is governed by its vault's access policy: when the collector could not
read that vault (manifest.json ``unknown``), a request on the recovery point is incomplete,
as one on the vault itself is (review finding H1, s23).

AWS Backup applies the vault access policy to the recovery points in the vault
(https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html).
"""

from __future__ import annotations

from pathlib import Path

from backup_access.world import resolve
from tests.diagnose.fixtures.worlds import (
    CENTRAL,
    CENTRAL_VAULT,
    OPERATOR,
    PROD,
    RP,
    SNAPSHOT,
    SOURCE_KEY,
    SOURCE_VAULT,
    collected_with,
)

WHY = "access policy of vault source: backup:GetBackupVaultAccessPolicy failed (AccessDenied)"
UNREAD = f"{SOURCE_VAULT} could not be read by the collector: {WHY}"


def test_a_recovery_point_in_an_unread_vault_is_missing_its_vault(tmp_path: Path) -> None:
    world = collected_with(tmp_path, {SOURCE_VAULT: WHY})
    listed = resolve(world, OPERATOR, "backup:StartRestoreJob", RP)
    assert listed.missing == (UNREAD,)  # the vault listing rp-1 under recovery_points
    named = resolve(
        world, OPERATOR, "backup:StartRestoreJob", SNAPSHOT, recovery_point_vault=SOURCE_VAULT
    )
    assert named.missing == (UNREAD,)  # a snapshot-backed point, its vault named


def test_a_point_in_another_vault_is_not_affected(tmp_path: Path) -> None:
    world = collected_with(tmp_path, {CENTRAL_VAULT: WHY})
    assert resolve(world, OPERATOR, "backup:StartRestoreJob", RP).missing == ()


def test_a_vault_in_an_unread_account_leaves_the_point_unknown(tmp_path: Path) -> None:
    """A snapshot ARN names no account: the vault's ARN does, and that account was unread
    (the caller is from another account, so only the vault brings it in)."""
    why = "account could not be entered"
    world = collected_with(tmp_path, {PROD: why})
    caller = f"arn:aws:iam::{CENTRAL}:role/Restorer"
    named = resolve(
        world, caller, "backup:DeleteRecoveryPoint", SNAPSHOT, recovery_point_vault=SOURCE_VAULT
    )
    assert f"{PROD} could not be read by the collector: {why}" in named.missing


def test_an_alias_of_an_unread_key_is_missing_the_key(tmp_path: Path) -> None:
    """KMS authorizes a request on an alias against the key's policy
    (https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html): an
    unread key leaves the request on its alias unknown too."""
    why = "key policy: kms:GetKeyPolicy failed (AccessDenied)"
    world = collected_with(tmp_path, {SOURCE_KEY: why})
    alias = f"arn:aws:kms:us-east-1:{PROD}:alias/source"
    resolution = resolve(world, OPERATOR, "kms:Decrypt", alias)
    assert resolution.missing == (f"{SOURCE_KEY} could not be read by the collector: {why}",)
