"""Checks on a recovery point whose vault access policy the collector could not read are
unknown, naming the vault; what a known Deny decides stands (review finding H1, s23).

The vault access policy governs the recovery points in the vault
(https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html),
so a Deny there may refuse StartRestoreJob, CopyFromBackupVault or DeleteRecoveryPoint.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backup_access.diagnose import CheckDecision, Explanation, Verdict, explain_operation
from tests.diagnose.fixtures.worlds import (
    COPY,
    COPY_ROLE,
    OPERATOR,
    PROD,
    RP,
    SNAPSHOT,
    SOURCE_VAULT,
    collected_with,
)

WHY = "access policy of vault source: backup:GetBackupVaultAccessPolicy failed (AccessDenied)"
UNREAD = f"{SOURCE_VAULT} could not be read by the collector: {WHY}"


def check(explanation: Explanation, check_id: str) -> Any:
    return next(c for c in explanation.checks if c.id == check_id)


def test_restore_from_an_unread_vault_is_unknown(tmp_path: Path) -> None:
    world = collected_with(tmp_path, {SOURCE_VAULT: WHY})
    params = {"caller": OPERATOR, "role": COPY_ROLE, "recovery_point": RP, "vault": SOURCE_VAULT}
    result = explain_operation(world, "restore", params)
    start = check(result, "restore.start-restore-job")
    assert start.decision is CheckDecision.UNKNOWN
    assert start.missing == (UNREAD,)
    assert "with what is known, allowed" in start.reason
    assert result.verdict is Verdict.UNKNOWN


def test_copy_out_of_an_unread_vault_is_unknown(tmp_path: Path) -> None:
    result = explain_operation(collected_with(tmp_path, {SOURCE_VAULT: WHY}), "copy", COPY)
    for check_id in ("copy.start-copy-job", "copy.copy-from-source-vault"):
        assert check(result, check_id).decision is CheckDecision.UNKNOWN, check_id
        assert check(result, check_id).missing == (UNREAD,)
    # the destination vault was read: its check is decided
    assert check(result, "copy.copy-into-destination-vault").decision is CheckDecision.ALLOWED
    assert result.verdict is Verdict.UNKNOWN


def test_delete_from_an_unread_vault_is_unknown(tmp_path: Path) -> None:
    world = collected_with(tmp_path, {SOURCE_VAULT: WHY})
    params = {"caller": OPERATOR, "recovery_point": SNAPSHOT, "vault": SOURCE_VAULT}
    result = explain_operation(world, "delete-recovery-point", params)
    delete = check(result, "delete-recovery-point.delete-recovery-point")
    assert delete.decision is CheckDecision.UNKNOWN
    assert delete.missing == (UNREAD,)


def test_a_known_deny_elsewhere_still_stands(tmp_path: Path) -> None:
    """An explicit deny in a policy the world holds decides whatever the unread vault says:
    explicit deny wins (reference_policies_evaluation-logic.html)."""

    def deny(data: dict[str, Any]) -> None:
        statements = data["accounts"][PROD]["iam"]["policies"]["Operator"]["Statement"]
        statements.append({"Effect": "Deny", "Action": "backup:StartRestoreJob", "Resource": "*"})

    world = collected_with(tmp_path, {SOURCE_VAULT: WHY}, deny)
    params = {"caller": OPERATOR, "role": COPY_ROLE, "recovery_point": RP, "vault": SOURCE_VAULT}
    start = check(explain_operation(world, "restore", params), "restore.start-restore-job")
    assert start.decision is CheckDecision.EXPLICIT_DENY
