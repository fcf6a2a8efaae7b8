"""A trust statement the fix adds for AWS Backup, and the role-trust check, with
``aws:SourceAccount``.

AWS recommends ``aws:SourceAccount`` / ``aws:SourceArn`` in service roles' trust policies
against the confused deputy (https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html,
https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-service-confused-deputy-prevention.html),
but AWS Backup's pages do not say it sends ``aws:SourceAccount`` when it assumes a service
role. So a trust check that turns on the key is unknown unless both answers agree, and the
fix proposes the statement it can verify (without the key) with a note on adding it.
``AWSBackupConfusedDeputyRole`` of examples/worlds/backup-passrole trusts AWS Backup only for
another account's jobs: denied whether or not the key is sent.
"""

from __future__ import annotations

import json
import shutil
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


def test_trust_fix_verifies_without_source_account_and_says_how_to_add_it(
    tmp_path: Path,
) -> None:
    patched = tmp_path / "world.json"
    fixed = _run(
        "fix", "--world", WORLD, "--format", "json", "--patched-world", str(patched), *BACKUP
    )
    [fix] = [f for f in fixed["fixes"] if f["generator"] == "FX-TRUST"]
    assert fix["verified"]
    added = fix["document"]["Statement"][len(fix["previous"]["Statement"]) :]
    [statement] = added
    assert statement["Principal"] == {"Service": "backup.amazonaws.com"}
    assert "Condition" not in statement  # a condition on aws:SourceAccount cannot be verified
    assert any("consider adding StringEquals aws:SourceAccount" in n for n in fix["notes"])
    verdict = _run("explain", "--world", str(patched), "--format", "json", *BACKUP)["verdict"]
    assert verdict == "allowed"


def test_a_trust_naming_another_source_account_is_denied_either_way() -> None:
    explained = _run("explain", "--world", WORLD, "--format", "json", *BACKUP)
    [trust] = [c for c in explained["checks"] if c["id"] == "backup.role-trust"]
    assert trust["decision"] == "implicit_deny"
    assert "210987654321" in trust["reason"]


def test_a_trust_naming_the_own_account_is_unknown_with_both_answers(tmp_path: Path) -> None:
    """With the key sent (the role's account), allowed; without it, denied: unknown."""
    world = tmp_path / "world"
    shutil.copytree(WORLD, world)
    account = world / "account-111111111111.yaml"
    text = account.read_text()
    assert "210987654321" in text
    account.write_text(text.replace("210987654321", "111111111111"))
    explained = _run("explain", "--world", str(world), "--format", "json", *BACKUP)
    [trust] = [c for c in explained["checks"] if c["id"] == "backup.role-trust"]
    assert trust["decision"] == "unknown"
    reason = trust["reason"]
    assert "do not say whether AWS Backup sends it" in reason
    assert "With aws:SourceAccount sent as the catalogue assumes" in reason
    assert "without it" in reason and "absent" in reason
