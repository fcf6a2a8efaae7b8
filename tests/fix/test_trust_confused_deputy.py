"""A trust statement the fix adds for AWS Backup keeps the role's confused-deputy protection.

Trusting ``backup.amazonaws.com`` with no condition lets the service assume the role for any
account's job; AWS recommends ``aws:SourceAccount`` / ``aws:SourceArn`` in service roles' trust
policies (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html,
https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-service-confused-deputy-prevention.html).
``AWSBackupConfusedDeputyRole`` of examples/worlds/backup-passrole trusts AWS Backup only for
another account's jobs: the fix trusts it for the role's own account, not for everyone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from backup_access.cli import main
from tests.test_scenarios import ROOT

WORLD = str(ROOT / "examples" / "worlds" / "backup-passrole")
BACKUP = [
    "backup",
    "--caller",
    "arn:aws:iam::111111111111:role/BackupAdmin",
    "--role",
    "arn:aws:iam::111111111111:role/AWSBackupConfusedDeputyRole",
    "--vault",
    "arn:aws:backup:us-east-1:111111111111:backup-vault:workloads",
    "--resource",
    "arn:aws:ec2:us-east-1:111111111111:volume/vol-0123456789abcdef0",
]


def _run(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def test_trust_fix_keeps_source_account_and_verifies(tmp_path: Path) -> None:
    patched = tmp_path / "world.json"
    fixed = _run(
        "fix", "--world", WORLD, "--format", "json", "--patched-world", str(patched), *BACKUP
    )
    [fix] = [f for f in fixed["fixes"] if f["generator"] == "FX-TRUST"]
    assert fix["verified"]
    added = fix["document"]["Statement"][len(fix["previous"]["Statement"]) :]
    [statement] = added
    assert statement["Principal"] == {"Service": "backup.amazonaws.com"}
    assert statement["Condition"] == {"StringEquals": {"aws:SourceAccount": "111111111111"}}
    assert not any("no aws:SourceAccount condition" in n for n in fix["notes"])
    verdict = _run("explain", "--world", str(patched), "--format", "json", *BACKUP)["verdict"]
    assert verdict == "allowed"


def test_the_role_trust_request_carries_the_role_account_as_source_account() -> None:
    explained = _run("explain", "--world", WORLD, "--format", "json", *BACKUP)
    [trust] = [c for c in explained["checks"] if c["id"] == "backup.role-trust"]
    # the existing statement names another account: denied on the value, not an absent key
    assert trust["decision"] == "implicit_deny"
    assert "210987654321" in trust["reason"] and "111111111111" in trust["reason"]
