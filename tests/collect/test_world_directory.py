"""The world directory as the loader and ``explain`` read it: the manifest's ``unknown`` map
becomes the world's, the manifest and saved CloudTrail events are not world files, a broken
manifest is invalid input naming it, and saved events feed ``explain --cloudtrail``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.collect.run import Collected
from backup_access.collect.writer import write_world
from backup_access.errors import InputError
from backup_access.world import load_world, resolve

ACCOUNT = "111111111111"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/Operator"
VAULT = f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:central"
ALLOW_BACKUP = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "backup:*", "Resource": "*"}],
}


def collected(**changes: Any) -> Collected:
    account = {
        "iam": {"roles": {"Operator": {"trust": None, "inline": {"All": ALLOW_BACKUP}}}},
        "regions": {"us-east-1": {"backup": {"vaults": {"central": {}}}}},
    }
    values: dict[str, Any] = {
        "organization": None,
        "accounts": {ACCOUNT: account},
        "aws_policies": {},
        "cloudtrail": {},
        "manifest": {"format": 1, "collected_by": ROLE, "gaps": [], "unknown": {}},
    }
    values.update(changes)
    return Collected(**values)


def test_the_unknown_map_makes_a_decision_incomplete(tmp_path: Path) -> None:
    out = tmp_path / "world"
    reason = (
        "access policy of vault central: backup:GetBackupVaultAccessPolicy failed (AccessDenied)"
    )
    write_world(out, collected(manifest={"format": 1, "unknown": {VAULT: reason}}))
    world = load_world(out)
    assert world.unknown == {VAULT: reason}
    resolution = resolve(world, ROLE, "backup:DeleteBackupVault", VAULT)
    assert resolution.missing == (f"{VAULT} could not be read by the collector: {reason}",)
    other = resolve(world, ROLE, "backup:ListBackupVaults", "*")
    assert other.missing == ()  # a question that does not touch the vault is unaffected


def test_without_unknown_parts_nothing_is_missing(tmp_path: Path) -> None:
    out = tmp_path / "world"
    write_world(out, collected())
    world = load_world(out)
    assert world.unknown == {}
    assert resolve(world, ROLE, "backup:DeleteBackupVault", VAULT).missing == ()


def test_a_broken_manifest_is_invalid_input_naming_it(tmp_path: Path) -> None:
    out = tmp_path / "world"
    write_world(out, collected())
    (out / "manifest.json").write_text(json.dumps({"unknown": {"x": 3}}))
    with pytest.raises(InputError) as caught:
        load_world(out)
    assert "manifest.json" in str(caught.value)
    assert "/unknown/x" in str(caught.value)


def test_saved_cloudtrail_events_feed_explain_cloudtrail(tmp_path: Path) -> None:
    record = {
        "eventVersion": "1.08",
        "eventSource": "backup.amazonaws.com",
        "eventName": "DeleteBackupVault",
        "awsRegion": "us-east-1",
        "recipientAccountId": ACCOUNT,
        "errorCode": "AccessDenied",
        "errorMessage": (
            f"User: arn:aws:sts::{ACCOUNT}:assumed-role/Operator/jo is not authorized to "
            f"perform: backup:DeleteBackupVault on resource: {VAULT}"
        ),
        "userIdentity": {
            "type": "AssumedRole",
            "arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/Operator/jo",
            "accountId": ACCOUNT,
            "sessionContext": {"sessionIssuer": {"type": "Role", "arn": ROLE}},
        },
        "requestParameters": {"backupVaultName": "central"},
    }
    event = {
        "EventId": "1",
        "EventName": "DeleteBackupVault",
        "CloudTrailEvent": json.dumps(record),
    }
    name = f"access-denied-{ACCOUNT}-us-east-1.json"
    out = tmp_path / "world"
    write_world(out, collected(cloudtrail={name: [event]}))
    events_file = out / "cloudtrail" / name
    assert json.loads(events_file.read_text()) == {"Events": [event]}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["cloudtrail_files"] == [f"cloudtrail/{name}"]
    result = CliRunner().invoke(
        main,
        ["explain", "--world", str(out), "--cloudtrail", str(events_file), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    [answer] = json.loads(result.stdout)
    [check] = answer["checks"]
    assert (check["principal"], check["action"], check["resource"]) == (
        f"arn:aws:sts::{ACCOUNT}:assumed-role/Operator/jo",
        "backup:DeleteBackupVault",
        VAULT,
    )
    # The collected world allows what the event says was denied; explain evaluates it there.
    assert check["decision"] == "allowed"


def test_a_world_that_would_not_load_replaces_nothing(tmp_path: Path) -> None:
    out = tmp_path / "world"
    write_world(out, collected())
    before = (out / f"account-{ACCOUNT}.json").read_text()
    broken = collected(accounts={ACCOUNT: {"iam": {"roles": {"Operator": {"colour": "red"}}}}})
    with pytest.raises(InputError):
        write_world(out, broken)
    assert (out / f"account-{ACCOUNT}.json").read_text() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["world"]
