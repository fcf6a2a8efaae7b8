"""Findings of the new-user trial on ``fix`` (docs/fix.md "Output"): ``-q`` prints only the
headline, the headline says what the plan achieves, the apply commands never point at a file
that does not exist, and the changes stay minimal (one statement per principal, the existing
allow-list SCP extended, the user's evident scope followed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from backup_access.cli import main
from tests.fix.test_targeted import COPY
from tests.test_scenarios import WORLDS

WRONG_ORG = [
    *COPY,
    "--destination-vault",
    "arn:aws:backup:us-east-1:222222222222:backup-vault:wrong-org",
]
BY_OU = [*COPY, "--destination-vault", "arn:aws:backup:us-east-1:222222222222:backup-vault:by-ou"]


def _run(world: str, *args: str) -> str:
    result = CliRunner().invoke(main, ["fix", "--world", str(WORLDS / world), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_quiet_prints_only_the_headline() -> None:
    quiet = _run("cross-account-copy", "-q", *WRONG_ORG)
    full = _run("cross-account-copy", *WRONG_ORG)
    assert quiet.splitlines() == [full.splitlines()[0]]
    assert len(full.splitlines()) > 10


def test_headline_says_how_many_changes_and_the_verdict_after_them() -> None:
    first = _run("cross-account-copy", *WRONG_ORG).splitlines()[0]
    assert first == ("✘ DENIED copy (StartCopyJob) — 1 change proposed, verified: allowed after it")
    allowed = _run("cross-account-copy", "-q", *BY_OU).splitlines()
    assert allowed == ["✔ ALLOWED copy (StartCopyJob) — allowed already: nothing to fix"]


def test_headline_of_a_pasted_error_fixed_says_verified() -> None:
    """The SCP fix makes the patched world allow what the message says AWS denied: verified
    (it read "still unknown after it" before, review finding F10)."""
    first = _run(
        "create-vault",
        "--error",
        "User: arn:aws:sts::666666666666:assumed-role/SandboxAdmin/bob is not authorized to "
        "perform: backup-storage:MountCapsule because no service control policy allows the "
        "backup-storage:MountCapsule action",
    ).splitlines()[0]
    assert first == "✘ DENIED error message — 1 change proposed, verified: allowed after it"


def test_apply_command_file_exists_only_with_write(tmp_path: Path) -> None:
    name = "222222222222-vault-wrong-org-access-policy.json"
    without = _run("cross-account-copy", *WRONG_ORG)
    assert f"file://{name} does not exist yet: write it with --write DIR" in without
    written = _run("cross-account-copy", "--write", str(tmp_path), *WRONG_ORG)
    assert f"--policy file://{tmp_path}/{name} " in written
    assert "does not exist yet" not in written
    assert json.loads((tmp_path / name).read_text())["Statement"]


def test_markdown_apply_commands_say_the_same(tmp_path: Path) -> None:
    without = _run("cross-account-copy", "--format", "markdown", *WRONG_ORG)
    assert "does not exist yet: write it with `--write DIR`" in without
    written = _run(
        "cross-account-copy", "--format", "markdown", "--write", str(tmp_path), *WRONG_ORG
    )
    assert f"file://{tmp_path}/222222222222-vault-wrong-org-access-policy.json" in written


def _json(world: str, *args: str) -> dict[str, Any]:
    return json.loads(_run(world, "--format", "json", *args))


def test_key_policy_statements_for_one_principal_are_combined() -> None:
    # Finding 10a. A key policy statement may list several actions for one principal
    # (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html);
    # CreateGrant keeps its own statement because its condition differs
    # (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource).
    fixed = _json(
        "create-vault",
        "create-vault",
        "--caller",
        "arn:aws:iam::111111111111:role/VaultAdmin",
        "--vault",
        "arn:aws:backup:us-east-1:111111111111:backup-vault:prod-vault",
        "--key",
        "arn:aws:kms:us-east-1:111111111111:alias/vault-key-no-root",
    )
    [fix] = [f for f in fixed["fixes"] if f["generator"] == "FX-KEY-POLICY"]
    before = fix["previous"]["Statement"]
    after = fix["document"]["Statement"]
    assert after[: len(before)] == before  # existing statements kept as they were
    added = after[len(before) :]
    assert len(added) == 2
    grant, rest = added
    assert grant["Action"] == "kms:CreateGrant" and "Condition" in grant
    assert rest["Sid"] == "AllowKmsForVaultAdmin" and "Condition" not in rest
    assert sorted(rest["Action"]) == [
        "kms:Decrypt",
        "kms:DescribeKey",
        "kms:GenerateDataKey",
        "kms:RetireGrant",
    ]
    assert {s["Principal"]["AWS"] for s in added} == {"arn:aws:iam::111111111111:role/VaultAdmin"}
    assert len({s["Sid"] for s in after if "Sid" in s}) == len([s for s in after if "Sid" in s])
    assert fix["verified"] is True and fixed["fix_plan"]["verdict_after"] == "allowed"


def test_combining_keeps_existing_statements_and_never_duplicates() -> None:
    from backup_access.fix.merge import combine_added

    existing = {"Sid": "Old", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:role/R"}}
    old = {**existing, "Action": ["kms:Decrypt", "kms:Encrypt"], "Resource": "*"}
    previous = {"Version": "2012-10-17", "Statement": [old]}
    added = [
        {**existing, "Sid": "A", "Action": "kms:Decrypt", "Resource": "*"},
        {**existing, "Sid": "B", "Action": "kms:Encrypt", "Resource": "*"},
    ]
    document = {"Version": "2012-10-17", "Statement": [old, *added]}
    combined = combine_added(previous, document)
    assert combined is not None
    assert combined["Statement"] == [old]  # the union equals the old statement: not repeated
    one = {"Version": "2012-10-17", "Statement": [old, added[0]]}
    assert combine_added(previous, one) is None  # nothing to combine


def _sandbox_world(tmp_path: Path, padding: int) -> Path:
    """create-vault's world, the SandboxAllowList SCP padded to ``padding`` characters."""
    import shutil

    import yaml

    world = tmp_path / "world"
    shutil.copytree(WORLDS / "create-vault", world)
    org = yaml.safe_load((world / "org.yaml").read_text())
    statements = org["organization"]["policies"]["SandboxAllowList"]["document"]["Statement"]
    if padding:
        pad: dict[str, Any] = {"Sid": "Padding", "Effect": "Allow", "Action": [], "Resource": "*"}
        statements.append(pad)
        document = org["organization"]["policies"]["SandboxAllowList"]["document"]
        while len(json.dumps(document, separators=(",", ":"))) < padding:
            pad["Action"].append(f"ec2:Describe{len(pad['Action'])}")
    (world / "org.yaml").write_text(yaml.safe_dump(org))
    return world


SANDBOX = [
    "create-vault",
    "--caller",
    "arn:aws:iam::666666666666:role/SandboxAdmin",
    "--vault",
    "arn:aws:backup:us-east-1:666666666666:backup-vault:v",
]


def test_scp_fix_extends_the_attached_allow_list(tmp_path: Path) -> None:
    # Finding 10b: one statement more in SandboxAllowList (attached at the OU and at the
    # account, both lacking the action), not a new SCP attached at two targets.
    world = _sandbox_world(tmp_path, 0)
    result = CliRunner().invoke(main, ["fix", "--world", str(world), "--format", "json", *SANDBOX])
    fixed = json.loads(result.stdout)
    [fix] = [f for f in fixed["fixes"] if f["generator"] == "FX-ORG-POLICY"]
    assert fix["target"] == "SandboxAllowList" and fix["previous"] is not None
    assert fixed["fix_plan"]["verified"] is True


def test_scp_fix_falls_back_to_a_new_policy_past_the_size_quota(tmp_path: Path) -> None:
    # An SCP holds at most 5,120 characters
    # (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html):
    # when the allow-list cannot take the statement, a new SCP is attached where it lacks.
    world = _sandbox_world(tmp_path, 5_080)  # under the quota, but not with one more statement
    result = CliRunner().invoke(main, ["fix", "--world", str(world), "--format", "json", *SANDBOX])
    fixed = json.loads(result.stdout)
    [fix] = [f for f in fixed["fixes"] if f["generator"] == "FX-ORG-POLICY"]
    assert fix["previous"] is None and fix["target"].startswith("BackupAccessFix")
    attach = [c for c in fix["cli"] if "attach-policy" in c]
    assert len(attach) == 2 and "ou-d4e5-66666666" in attach[0] and "666666666666" in attach[1]
    assert fixed["fix_plan"]["verified"] is True


OU_PATH_STRINGEQUALS = [
    *COPY,
    "--destination-vault",
    "arn:aws:backup:us-east-1:222222222222:backup-vault:ou-path-stringequals",
    "--key",
    "arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000001",
]


def test_vault_fix_follows_the_scope_the_broken_statement_meant() -> None:
    # Finding 10c. aws:PrincipalOrgPaths is multivalued and needs a set operator, with
    # StringLike for wildcards
    # (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html):
    # the statement meant the OU, so the default fix uses the OU path it names.
    fixed = _json("cross-account-copy", *OU_PATH_STRINGEQUALS)
    [fix] = [f for f in fixed["fixes"] if f["generator"] == "FX-VAULT-POLICY"]
    before, after = fix["previous"]["Statement"], fix["document"]["Statement"]
    assert after[: len(before)] == before  # the broken Allow is neither edited nor removed
    [added] = after[len(before) :]
    assert added["Principal"] == "*"
    assert added["Condition"] == {
        "ForAnyValue:StringLike": {
            "aws:PrincipalOrgPaths": ["o-a1b2c3d4e5/r-a1b2/ou-a1b2-11111111/*"]
        }
    }
    assert fix["notes"] == [
        "statement AllowCopyFromWorkloadsOU looks meant to allow this but its condition cannot "
        "match (StringEquals on the multivalued key aws:PrincipalOrgPaths, where "
        "ForAnyValue:StringLike is meant): consider replacing it with the new statement (the "
        "fix adds a statement and leaves the existing one as it is)"
    ]
    assert fix["verified"] is True
    text = _run("cross-account-copy", *OU_PATH_STRINGEQUALS)
    assert "statement AllowCopyFromWorkloadsOU looks meant to allow this" in text


def test_an_explicit_scope_still_wins_over_the_evident_intent() -> None:
    fixed = _json("cross-account-copy", "--scope", "account", *OU_PATH_STRINGEQUALS)
    [fix] = [f for f in fixed["fixes"] if f["generator"] == "FX-VAULT-POLICY"]
    added = fix["document"]["Statement"][len(fix["previous"]["Statement"]) :]
    assert [s["Principal"] for s in added] == [{"AWS": "arn:aws:iam::111111111111:root"}]
    assert "looks meant to allow this" in fix["notes"][0]


def test_no_intent_is_claimed_for_a_vault_without_a_near_statement() -> None:
    fixed = _json("cross-account-copy", *WRONG_ORG)
    [fix] = [f for f in fixed["fixes"] if f["generator"] == "FX-VAULT-POLICY"]
    assert not any("looks meant" in n for n in fix["notes"])
