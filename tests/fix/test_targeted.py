"""Fixes for named causes, each checked on its document, its JSON patch, its command and its
proof. Sources: the generators' AWS pages (each generator module cites its own)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonpatch
from click.testing import CliRunner

from backup_access.cli import main
from tests.test_scenarios import WORLDS

COPY = [
    "copy",
    "--caller",
    "arn:aws:iam::111111111111:role/BackupOperator",
    "--role",
    "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
    "--recovery-point",
    "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001",
    "--source-vault",
    "arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
]


def _fix(world: str, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        main, ["fix", "--world", str(WORLDS / world), "--format", "json", *args]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _vault(name: str) -> list[str]:
    return ["--destination-vault", f"arn:aws:backup:us-east-1:222222222222:backup-vault:{name}"]


def _only(fixed: dict[str, Any], generator: str) -> dict[str, Any]:
    found = [f for f in fixed["fixes"] if f["generator"] == generator]
    assert len(found) == 1, fixed["fixes"]
    return found[0]


def test_vault_without_policy_gets_the_source_account_by_default() -> None:
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html
    fixed = _fix("cross-account-copy", *COPY, *_vault("no-policy"))
    fix = _only(fixed, "FX-VAULT-POLICY")
    assert fix["previous"] is None
    assert fix["patch"] == [{"op": "add", "path": "", "value": fix["document"]}]
    [statement] = fix["document"]["Statement"]
    assert statement["Principal"] == {"AWS": "arn:aws:iam::111111111111:root"}
    assert statement["Action"] == "backup:CopyIntoBackupVault"
    assert statement["Resource"] == "arn:aws:backup:us-east-1:222222222222:backup-vault:no-policy"
    assert "put-backup-vault-access-policy --backup-vault-name no-policy" in fix["cli"][1]
    assert fix["verified"] is True
    assert fix["edits_existing"] is False
    assert "account 111111111111" in fix["newly_allows"][0]


def test_scope_ou_uses_the_full_org_path_with_forany_stringlike() -> None:
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
    fixed = _fix("cross-account-copy", "--scope", "ou", *COPY, *_vault("no-policy"))
    [statement] = _only(fixed, "FX-VAULT-POLICY")["document"]["Statement"]
    assert statement["Principal"] == "*"
    assert statement["Condition"] == {
        "ForAnyValue:StringLike": {
            "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-a1b2/ou-a1b2-11111111/*"]
        }
    }


def test_scope_org_uses_principal_org_id() -> None:
    fixed = _fix("cross-account-copy", "--scope", "org", *COPY, *_vault("no-policy"))
    [statement] = _only(fixed, "FX-VAULT-POLICY")["document"]["Statement"]
    assert statement["Condition"] == {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}


def test_existing_statements_are_kept_and_the_new_one_is_added_beside_them() -> None:
    fixed = _fix("cross-account-copy", *COPY, *_vault("wrong-org"))
    fix = _only(fixed, "FX-VAULT-POLICY")
    previous, document = fix["previous"]["Statement"], fix["document"]["Statement"]
    assert document[: len(previous)] == previous
    assert len(document) == len(previous) + 1
    assert jsonpatch.apply_patch(fix["previous"], fix["patch"]) == fix["document"]
    assert all(op["op"] == "add" for op in fix["patch"])


def test_blocking_deny_gets_a_narrow_exception_and_says_review() -> None:
    fixed = _fix("cross-account-copy", *COPY, *_vault("deny-copies"))
    fix = _only(fixed, "FX-DENY-EXCEPTION")
    assert fix["edits_existing"] is True
    assert "edits an existing statement: review" in fix["review"]
    before = {s.get("Sid"): s for s in fix["previous"]["Statement"]}
    after = {s.get("Sid"): s for s in fix["document"]["Statement"]}
    edited = after["DenyCopiesFromWorkloads"]
    assert edited["Condition"]["ArnNotEquals"] == {
        "aws:PrincipalArn": "arn:aws:iam::111111111111:role/service-role/BackupCopyRole"
    }
    original = before["DenyCopiesFromWorkloads"]
    assert {k: v for k, v in edited.items() if k != "Condition"} == {
        k: v for k, v in original.items() if k != "Condition"
    }
    for key, value in original.get("Condition", {}).items():
        assert edited["Condition"][key] == value  # the Deny's own conditions stay
    assert {k: v for k, v in before.items() if k != "DenyCopiesFromWorkloads"} == {
        k: v for k, v in after.items() if k != "DenyCopiesFromWorkloads"
    }


def test_text_output_shows_a_diff_the_command_and_the_proof() -> None:
    args = ["fix", "--world", str(WORLDS / "cross-account-copy"), *COPY, *_vault("no-policy")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (
        "+++ /accounts/222222222222/regions/us-east-1/backup/vaults/no-policy/access_policy"
        in result.output
    )
    assert '+      "Action": "backup:CopyIntoBackupVault",' in result.output
    assert "aws backup put-backup-vault-access-policy" in result.output
    assert "verified" in result.output


def test_write_and_patched_world(tmp_path: Path) -> None:
    out, patched = tmp_path / "docs", tmp_path / "world.json"
    fixed = _fix(
        "cross-account-copy",
        "--write",
        str(out),
        "--patched-world",
        str(patched),
        *COPY,
        *_vault("no-policy"),
    )
    fix = _only(fixed, "FX-VAULT-POLICY")
    written = json.loads((out / fix["file"]).read_text())
    assert written == fix["document"]
    assert f"file://{fix['file']}" in fix["cli"][1]
    world = json.loads(patched.read_text())
    vault = world["accounts"]["222222222222"]["regions"]["us-east-1"]["backup"]["vaults"]
    assert vault["no-policy"]["access_policy"] == fix["document"]


def test_json_follows_explains_schema_with_the_fix_fields() -> None:
    import jsonschema

    from backup_access.report.schema import load_schema

    fixed = _fix("cross-account-copy", *COPY, *_vault("deny-copies"))
    jsonschema.validate(fixed, load_schema("explain"))
    for fix in fixed["fixes"]:
        assert {
            "id",
            "generator",
            "target",
            "kind",
            "document",
            "patch",
            "cli",
            "verified",
            "newly_allows",
            "edits_existing",
        } <= set(fix)
    assert fixed["fix_plan"]["verdict_before"] == "denied"


def test_explain_keeps_fixes_empty_fix_fills_them() -> None:
    args = ["--world", str(WORLDS / "cross-account-copy"), "--format", "json"]
    args += [*COPY, *_vault("no-policy")]
    explained = json.loads(CliRunner().invoke(main, ["explain", *args]).stdout)
    assert explained["fixes"] == []
    fixed = json.loads(CliRunner().invoke(main, ["fix", *args]).stdout)
    assert fixed["fixes"]
    assert {k: v for k, v in explained.items() if k != "fixes"} == {
        k: v for k, v in fixed.items() if k not in ("fixes", "fix_plan")
    }


def test_text_diff_is_coloured_when_asked() -> None:
    args = ["fix", "--world", str(WORLDS / "cross-account-copy"), "--color", "always"]
    result = CliRunner().invoke(main, [*args, *COPY, *_vault("no-policy")], color=True)
    assert result.exit_code == 0, result.output
    assert "\x1b[32m+" in result.output  # added lines in green


def test_expect_applies_to_the_verdict_after_the_fixes() -> None:
    args = ["fix", "--world", str(WORLDS / "cross-account-copy"), "--format", "json"]
    met = CliRunner().invoke(main, [*args, "--expect", "allowed", *COPY, *_vault("by-org")])
    assert met.exit_code == 0, met.output
    missed = CliRunner().invoke(main, [*args, "--expect", "denied", *COPY, *_vault("no-policy")])
    assert missed.exit_code == 1
    assert "not met" in missed.stderr


def _record(message: str, principal: str, event: str = "CopyIntoBackupVault") -> dict[str, Any]:
    return {
        "eventTime": "2026-01-01T00:00:00Z",
        "eventSource": "backup.amazonaws.com",
        "eventName": event,
        "awsRegion": "us-east-1",
        "recipientAccountId": "222222222222",
        "errorCode": "AccessDenied",
        "errorMessage": message,
        "userIdentity": {"type": "AssumedRole", "arn": principal},
    }


def test_cloudtrail_records_are_fixed_one_on_top_of_the_other(tmp_path: Path) -> None:
    copy_role = "arn:aws:iam::111111111111:role/service-role/BackupCopyRole"
    narrow = "arn:aws:iam::111111111111:role/service-role/NarrowCopyRole"
    vault = "arn:aws:backup:us-east-1:222222222222:backup-vault:wrong-org"
    messages = [
        f"User: {copy_role} is not authorized to perform: backup:CopyIntoBackupVault on resource: "
        f"{vault} because no resource-based policy allows the backup:CopyIntoBackupVault action",
        f"User: {narrow} is not authorized to perform: backup:CopyIntoBackupVault on resource: "
        f"{vault} because no identity-based policy allows the backup:CopyIntoBackupVault action",
    ]
    trail = tmp_path / "trail.json"
    trail.write_text(
        json.dumps({"Records": [_record(messages[0], copy_role), _record(messages[1], narrow)]})
    )
    patched = tmp_path / "world.json"
    fixed = _fix("cross-account-copy", "--cloudtrail", str(trail), "--patched-world", str(patched))
    assert isinstance(fixed, list) and len(fixed) == 2
    assert [f["generator"] for f in fixed[0]["fixes"]] == ["FX-VAULT-POLICY"]
    assert [f["generator"] for f in fixed[1]["fixes"]] == ["FX-IDENTITY"]
    for message in messages:
        args = ["explain", "--world", str(patched), "--format", "json", "--error", message]
        # the patched world allows the request AWS denied: its check passes (the answer to
        # the message itself is "unknown", as for any denial the world allows)
        checks = json.loads(CliRunner().invoke(main, args).stdout)["checks"]
        assert [c["decision"] for c in checks] == ["allowed"]


def test_a_change_that_would_exceed_a_size_limit_says_which_and_how_to_split() -> None:
    from backup_access.diagnose import explain_operation
    from backup_access.fix import plan_fixes, world_from_json
    from backup_access.fix.limits import ROLE_INLINE, measure

    def filled(count: int) -> dict[str, Any]:
        statements = [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::b{i:04}/*"}
            for i in range(count)
        ]
        return {"Version": "2012-10-17", "Statement": statements}

    count = 1
    while measure([filled(count + 1)], ROLE_INLINE) < ROLE_INLINE.limit - 40:
        count += 1
    filler = filled(count)  # just under the limit: only the fix's statement crosses it
    world = {
        "accounts": {
            "111111111111": {
                "iam": {"roles": {"Operator": {"inline": {"Big": filler}}}},
                "regions": {"us-east-1": {"backup": {"vaults": {"v": {}}}}},
            }
        }
    }
    parameters = {
        "caller": "arn:aws:iam::111111111111:role/Operator",
        "vault": "arn:aws:backup:us-east-1:111111111111:backup-vault:v",
    }

    def diagnose(candidate: Any) -> Any:
        return explain_operation(candidate, "delete-vault", parameters)

    plan = plan_fixes(world, diagnose(world_from_json(world)), diagnose)
    [fix] = [f for f in plan.fixes if f.kind.value == "identity_policy"]
    assert fix.limit is not None and fix.limit.limit == 10_240
    assert "customer managed policy" in fix.limit.message
    assert "reference_iam-quotas" in fix.limit.source
