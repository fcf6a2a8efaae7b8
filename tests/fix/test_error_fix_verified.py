"""``fix --error``: after its change the patched world allows the request the message says AWS
denied. The message tells of the world before the change, so the answer on the patched world
is "AWS denied this but the world allows it" (unknown), and that is the fix working: the plan
is verified. It was reported "still unknown", so a fix for a pasted error never verified
(review finding F10)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from backup_access.cli import main
from tests.test_scenarios import ROOT

WORLD = str(ROOT / "examples" / "worlds" / "cross-account-copy")


def _pass_role(role: str) -> str:
    return (
        "User: arn:aws:sts::111111111111:assumed-role/BackupOperator/jane is not authorized to "
        f"perform: iam:PassRole on resource: arn:aws:iam::111111111111:role/{role} because no "
        "identity-based policy allows the iam:PassRole action"
    )


def _fix(message: str, *extra: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        main, ["fix", "--world", WORLD, "--format", "json", *extra, "--error", message]
    )
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def test_a_fix_for_a_denied_message_is_verified_when_the_patched_world_allows_it(
    tmp_path: Path,
) -> None:
    patched = tmp_path / "world.json"
    fixed = _fix(_pass_role("OtherRole"), "--patched-world", str(patched))
    plan = fixed["fix_plan"]
    assert fixed["verdict"] == "denied"
    assert plan["verified"] is True and plan["verdict_after"] == "unknown"
    assert plan["summary"].startswith("verified: allowed after the change")
    [change] = fixed["fixes"]
    assert change["verified"] and change["verification"].startswith("verified: allowed")
    again = CliRunner().invoke(
        main, ["explain", "--world", str(patched), "--error", _pass_role("OtherRole")]
    )
    assert "AWS denied this but the world allows it" in again.stdout


def test_nothing_is_verified_when_the_world_allowed_it_before() -> None:
    """NarrowCopyRole: the world allows the PassRole already; no change, nothing verified."""
    fixed = _fix(_pass_role("service-role/NarrowCopyRole"))
    assert fixed["verdict"] == "unknown"
    assert fixed["fix_plan"]["verified"] is False


def test_a_plan_that_cannot_allow_says_still_denied_and_why() -> None:
    """The headline's other form: a Vault Lock no policy change lifts (only an alternative is
    offered), so the operation is still denied, with the setting that blocks it."""
    result = CliRunner().invoke(
        main,
        [
            "fix",
            "--world",
            str(ROOT / "examples" / "worlds" / "vault-lock"),
            "delete-recovery-point",
            "--caller",
            "arn:aws:iam::111111111111:role/VaultAdmin",
            "--vault",
            "arn:aws:backup:us-east-1:111111111111:backup-vault:governed",
            "--recovery-point",
            "arn:aws:backup:us-east-1:111111111111:recovery-point:gov-0001",
        ],
    )
    first = result.stdout.splitlines()[0]
    assert first.startswith(
        "✘ DENIED delete-recovery-point (DeleteRecoveryPoint) — 1 alternative, still denied: "
    )
    assert "Vault Lock in governance mode" in first
