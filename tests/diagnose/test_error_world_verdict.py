"""`explain --world W --error …`: the answer about a denial AWS reported is never "allowed".

A new user's trial found `✔ ALLOWED error message — all 1 checks pass` as the first line (and
`--expect allowed` met) for a message reporting a denial the world allows, and
`? UNKNOWN error message — all 0 checks pass` for a masked CreateBackupVault message whose
vault is necessarily in the caller's account.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from backup_access.catalogue import CheckKind
from backup_access.cli import main
from backup_access.diagnose.model import CheckDecision, CheckResult, Explanation, Verdict
from backup_access.report.words import headline

ROOT = Path(__file__).resolve().parents[2]
CREATE_VAULT = ROOT / "examples" / "worlds" / "create-vault"
RESTORE = ROOT / "examples" / "worlds" / "restore-and-delete"
VAULT = "arn:aws:backup:us-east-1:111111111111:backup-vault:new-vault"
SCP_DENY = (  # the create-vault world has no SCP that denies VaultAdmin this
    "User: arn:aws:sts::111111111111:assumed-role/VaultAdmin/jo is not authorized to perform: "
    f"backup:CreateBackupVault on resource: {VAULT} with an explicit deny in a service control "
    "policy"
)
RESTORE_DENY = (  # restore-and-delete lets BackupOperator restore
    "User: arn:aws:sts::111111111111:assumed-role/BackupOperator/heidi is not authorized to "
    "perform: backup:StartRestoreJob"
)
MASKED_CREATE = (
    "User: arn:aws:sts::XXXXXXXXXXXX:assumed-role/BackupOperator/jo is not authorized to "
    "perform: backup:CreateBackupVault on resource: arn:aws:backup:us-east-1:XXXXXXXXXXXX:"
    "backup-vault:new-vault because no identity-based policy allows the "
    "backup:CreateBackupVault action"
)


def explain(world: Path, *args: str) -> Any:
    return CliRunner().invoke(main, ["explain", "--world", str(world), *args])


def test_a_denial_the_world_allows_is_unknown_with_the_disagreement_first() -> None:
    result = explain(CREATE_VAULT, "--error", SCP_DENY)
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith(
        "? UNKNOWN error message — AWS denied this but the world allows it: the message "
        "reports an explicit deny in a service control policy"
    )
    assert "ALLOWED" not in first and "checks pass" not in result.stdout


def test_quiet_and_expect_allowed_do_not_take_a_denial_for_allowed() -> None:
    # RESTORE_DENY names no recovery point: the world cannot say it allows the one AWS denied,
    # so its answer says the resource is missing (tests/diagnose/test_unnamed_resource.py).
    for world, message, why in (
        (CREATE_VAULT, SCP_DENY, "AWS denied this but the world"),
        (RESTORE, RESTORE_DENY, "cannot tell whether"),
    ):
        quiet = explain(world, "--error", message, "--expect", "allowed", "-q")
        assert quiet.exit_code == 1, quiet.output  # --expect allowed is not met
        assert quiet.stdout.startswith(f"? UNKNOWN error message — {why}")
        assert explain(world, "--error", message, "--expect", "denied").exit_code == 1


def test_json_verdict_is_unknown_and_the_check_still_says_what_the_world_allows() -> None:
    data = json.loads(explain(CREATE_VAULT, "--error", SCP_DENY, "--format", "json").stdout)
    assert data["verdict"] == "unknown"
    assert [c["decision"] for c in data["checks"]] == ["allowed"]
    assert data["disagreements"][0].startswith("AWS denied this but the world allows it: ")


def test_a_masked_create_vault_message_is_evaluated_in_the_callers_account() -> None:
    result = explain(CREATE_VAULT, "--error", MASKED_CREATE, "--format", "json")
    data = json.loads(result.stdout)
    assert data["verdict"] == "denied"  # as for the same message unmasked
    (check,) = data["checks"]
    assert check["resource"] == VAULT
    assert check["blocked_by"] == ["identity"]
    assert any(
        "resource's masked account 'XXXXXXXXXXXX' was taken as 111111111111, the caller's "
        "account" in note
        for note in data["notes"]
    )
    unmasked = MASKED_CREATE.replace("XXXXXXXXXXXX", "111111111111")
    same = json.loads(explain(CREATE_VAULT, "--error", unmasked, "--format", "json").stdout)
    assert same["verdict"] == "denied" and same["checks"][0]["reason"] == check["reason"]


def test_a_masked_resource_of_another_action_stays_masked() -> None:
    """Only a creating action puts its resource in the caller's account."""
    message = MASKED_CREATE.replace("CreateBackupVault", "DeleteBackupVault")
    data = json.loads(explain(CREATE_VAULT, "--error", message, "--format", "json").stdout)
    assert not any("the caller's account" in note for note in data["notes"])


def test_nothing_evaluated_is_unknown_and_says_why_not_all_0_checks_pass() -> None:
    unresolvable = MASKED_CREATE.replace("BackupOperator", "NotInTheWorld")
    result = explain(CREATE_VAULT, "--error", unresolvable)
    first = result.stdout.splitlines()[0]
    assert first == (
        "? UNKNOWN error message — nothing was evaluated: the principal account and resource "
        "account of the message are masked and the world cannot tell which account it is"
    )
    assert "checks pass" not in result.stdout


def test_one_passing_check_reads_in_the_singular() -> None:
    check = CheckResult("x.y", CheckKind.PERMISSION, "T", "https://a", CheckDecision.ALLOWED, "")
    one = Explanation("copy", Verdict.ALLOWED, (check,))
    assert headline(one).endswith("— the 1 check passes")
    two = Explanation("copy", Verdict.ALLOWED, (check, check))
    assert headline(two).endswith("— all 2 checks pass")
