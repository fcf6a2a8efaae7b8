"""Review of issue 13, finding 3: when the world denies a pasted request in another layer, or
with another kind of deny, than AWS's message names, AWS's report comes first — in the
first line, under ``-q`` and for ``--expect``.

AWS's message forms ("with an explicit deny in a TYPE policy", "because no TYPE policy
allows"): https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from backup_access.cli import main

WORLD = Path(__file__).parents[2] / "examples" / "worlds" / "create-vault"
REQUEST = (
    "User: arn:aws:sts::111111111111:assumed-role/BackupOperator/s is not authorized to "
    "perform: backup:CreateBackupVault on resource: "
    "arn:aws:backup:us-east-1:111111111111:backup-vault:v1"
)
SCP_DENY = f"{REQUEST} with an explicit deny in a service control policy"
IDENTITY_NO_ALLOW = (
    f"{REQUEST} because no identity-based policy allows the backup:CreateBackupVault action"
)
BOUNDARY_NO_ALLOW = (
    f"{REQUEST} because no permissions boundary allows the backup:CreateBackupVault action"
)


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["explain", "--world", str(WORLD), *args])


def test_the_first_line_leads_with_the_scp_deny_aws_reported() -> None:
    # the world has no such SCP; it finds the identity policies do not allow the call
    result = run("-q", "--error", SCP_DENY)
    assert result.exit_code == 0, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith("✘ DENIED error message — AWS reported: an explicit deny in a service")
    assert "the world finds no such deny" in line
    assert "identity" in line and "out of date" in line


def test_expect_follows_the_kind_of_deny_aws_reported() -> None:
    assert run("--expect", "explicit_deny", "--error", SCP_DENY).exit_code == 0
    assert run("--expect", "denied", "--error", SCP_DENY).exit_code == 0
    assert run("--expect", "implicit_deny", "--error", SCP_DENY).exit_code == 1
    # AWS: no boundary allows it; the world: the boundary allows, identity does not
    assert run("--expect", "implicit_deny", "--error", BOUNDARY_NO_ALLOW).exit_code == 0
    assert run("--expect", "explicit_deny", "--error", BOUNDARY_NO_ALLOW).exit_code == 1


def test_json_puts_aws_report_first_and_keeps_the_worlds_evaluation() -> None:
    result = run("--format", "json", "--error", BOUNDARY_NO_ALLOW)
    data = json.loads(result.stdout)
    reported, evaluated = data["checks"]
    assert reported["id"] == "message.aws-reported"
    assert reported["decision"] == "implicit_deny"
    assert reported["reason"].startswith("no permissions boundary allows it; the world finds it")
    assert reported["source"].endswith("troubleshoot_access-denied.html")
    assert evaluated["id"] == "message.request" and evaluated["blocked_by"] == ["identity"]
    assert data["disagreements"][0].startswith("the message blames a permissions boundary")


def test_no_reported_check_when_the_world_agrees_with_aws() -> None:
    data = json.loads(run("--format", "json", "--error", IDENTITY_NO_ALLOW).stdout)
    assert [c["id"] for c in data["checks"]] == ["message.request"]
    assert data["disagreements"] == []
