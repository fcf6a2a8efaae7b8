"""An organization guardrail (or any blocking Deny) is passed by its own exception path before
a principal is exempted from it wholesale.

A Deny applies only when all its conditions hold
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html):
a negated condition on ``aws:ResourceTag/…`` is the guardrail's own exception, which a tag on
the one resource satisfies with no policy change
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html,
https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html); a copy
guardrail on ``backup:CopyTargetOrgPaths`` is passed by naming the one destination vault in
``backup:CopyTargets`` (https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html).
Exempting the principal (``ArnNotEquals aws:PrincipalArn``) is the last resort and says so.
Each proposal is verified on the patched world (``explain`` on ``--patched-world``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from backup_access.catalogue import CheckKind
from backup_access.cli import main
from backup_access.diagnose.model import CheckDecision, CheckResult
from backup_access.fix.exception_paths import exception_paths
from backup_access.fix.merge import merge
from backup_access.world import load_world
from tests.test_scenarios import ROOT

WORLDS = ROOT / "examples" / "worlds"
KMS = str(WORLDS / "kms-perimeter")
COPY_WORLD = str(WORLDS / "copy-by-resource-type")
PARTNER_VAULT = [
    "create-vault",
    "--caller",
    "arn:aws:iam::333333333333:role/PartnerBackupAdmin",
    "--vault",
    "arn:aws:backup:us-east-1:333333333333:backup-vault:partner",
    "--key",
    "arn:aws:kms:us-east-1:555555555555:alias/shared-backup",
]
SANDBOX = "arn:aws:backup:us-east-1:333333333333:backup-vault:sandbox"
COPY = [
    "copy",
    "--caller",
    "arn:aws:iam::111111111111:role/BackupOperator",
    "--role",
    "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
    "--recovery-point",
    "arn:aws:ec2:us-east-1::snapshot/snap-0c0000000000000c1",
    "--source-vault",
    "arn:aws:backup:us-east-1:111111111111:backup-vault:workloads",
    "--destination-vault",
    SANDBOX,
]
KEY = "5555aaaa-0000-4000-8000-000000000051"


def _run(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed


def _explain_patched(patched: Path, operation: list[str]) -> str:
    return str(_run("explain", "--world", str(patched), "--format", "json", *operation)["verdict"])


def test_kms_perimeter_tags_the_one_key_and_leaves_the_rcp_alone(tmp_path: Path) -> None:
    patched = tmp_path / "world.json"
    fixed = _run(
        "fix", "--world", KMS, "--format", "json", "--patched-world", str(patched), *PARTNER_VAULT
    )
    assert fixed["fix_plan"]["verdict_after"] == "allowed"
    [fix] = fixed["fixes"]
    assert fix["kind"] == "setting" and fix["audience"] == "account"
    assert fix["account"] == "555555555555" and fix["verified"]
    assert fix["target"] == f"arn:aws:kms:us-east-1:555555555555:key/{KEY}"
    assert any(
        "aws kms tag-resource" in c
        and f"--key-id {KEY}" in c
        and "TagKey=data-perimeter-exception,TagValue=partner-backup" in c
        for c in fix["cli"]
    )
    assert any("guardrail's own exception" in r for r in fix["review"])
    # the ranked options name the wholesale exemption last, as the last resort
    [ranked] = [n for n in fix["notes"] if n.startswith("ways past")]
    assert ranked.index("(1) tag") < ranked.index("(2) exempt") and "last resort" in ranked
    world = json.loads(patched.read_text())
    rcp = world["organization"]["policies"]["KmsIdentityPerimeter"]["document"]
    assert "ArnNotEquals" not in json.dumps(rcp)  # no org policy change
    key = world["accounts"]["555555555555"]["regions"]["us-east-1"]["kms"]["keys"][KEY]
    assert key["tags"] == {"data-perimeter-exception": "partner-backup"}
    assert _explain_patched(patched, PARTNER_VAULT) == "allowed"  # verified by the engine


def test_copy_guardrail_names_the_one_destination_vault_and_is_flagged(tmp_path: Path) -> None:
    patched = tmp_path / "world.json"
    fixed = _run(
        "fix", "--world", COPY_WORLD, "--format", "json", "--patched-world", str(patched), *COPY
    )
    assert fixed["fix_plan"]["verdict_after"] == "allowed"
    [scp] = [f for f in fixed["fixes"] if f["kind"] == "scp"]
    assert scp["verified"] and scp["audience"] == "organization" and scp["edits_existing"]
    [statement] = scp["document"]["Statement"]
    block = statement["Condition"]["ForAllValues:StringNotLike"]
    assert block["backup:CopyTargets"] == SANDBOX
    assert (
        block["backup:CopyTargetOrgPaths"]
        == scp["previous"]["Statement"][0]["Condition"]["ForAllValues:StringNotLike"][
            "backup:CopyTargetOrgPaths"
        ]
    )  # the OU allow-list itself is not widened
    assert "ArnNotEquals" not in json.dumps(statement)  # the copy role is not exempted
    assert any(r.startswith("widens SCP CopyOnlyIntoBackupOU") for r in scp["review"])
    [ranked] = [n for n in scp["notes"] if n.startswith("ways past")]
    assert "(1) add " + SANDBOX in ranked and "(3) exempt" in ranked
    # ranked against the alternative that needs no change: a vault the guardrail allows
    [alternative] = [f for f in fixed["fixes"] if f["kind"] == "alternative"]
    assert "222222222222:backup-vault:central" in alternative["notes"][0]
    assert _explain_patched(patched, COPY) == "allowed"
    other = [*COPY[:-1], "arn:aws:backup:us-east-1:333333333333:backup-vault:other"]
    assert _explain_patched(patched, other) != "allowed"  # still guarded for other vaults


def _check(**context: tuple[str, ...]) -> CheckResult:
    return CheckResult(
        id="copy.copy-from-source-vault",
        kind=CheckKind.PERMISSION,
        title="",
        source="",
        decision=CheckDecision.EXPLICIT_DENY,
        reason="",
        principal="arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
        action="backup:CopyFromBackupVault",
        resource="arn:aws:ec2:us-east-1::snapshot/snap-1",
        context=tuple(context.items()),
    )


GUARDRAIL = {
    "Sid": "DenyCopiesOutsideBackupOU",
    "Effect": "Deny",
    "Action": "backup:CopyFromBackupVault",
    "Resource": "*",
    "Condition": {"ForAllValues:StringNotLike": {"backup:CopyTargetOrgPaths": ["o-a/r-b/ou-1/*"]}},
}


def test_without_the_vault_key_the_request_ou_path_joins_the_allow_list() -> None:
    world = load_world(Path(COPY_WORLD))
    check = _check(**{"backup:CopyTargetOrgPaths": ("o-a/r-b/ou-3/",)})
    paths = exception_paths(world, check, GUARDRAIL, 0, "SCP X statement S")
    [join] = paths.joins
    assert (join.key, join.values) == ("backup:CopyTargetOrgPaths", ("o-a/r-b/ou-3/",))
    merged = merge({"Version": "2012-10-17", "Statement": [GUARDRAIL]}, (), (), (join,))
    listed = merged.document["Statement"][0]["Condition"]["ForAllValues:StringNotLike"]
    assert listed["backup:CopyTargetOrgPaths"] == ["o-a/r-b/ou-1/*", "o-a/r-b/ou-3/"]
    assert merged.joined == (join,) and GUARDRAIL["Condition"]["ForAllValues:StringNotLike"][
        "backup:CopyTargetOrgPaths"
    ] == ["o-a/r-b/ou-1/*"]  # the input is not modified


def test_keys_naming_the_principal_are_never_joined() -> None:
    # joining a value to aws:PrincipalArn / aws:PrincipalAccount is an exemption in disguise
    world = load_world(Path(COPY_WORLD))
    statement = {
        "Effect": "Deny",
        "Action": "backup:*",
        "Resource": "*",
        "Condition": {
            "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Admin"},
            "StringNotEquals": {"aws:PrincipalAccount": "999999999999"},
        },
    }
    check = _check(
        **{
            "aws:PrincipalArn": ("arn:aws:iam::111111111111:role/service-role/BackupCopyRole",),
            "aws:PrincipalAccount": ("111111111111",),
        }
    )
    paths = exception_paths(world, check, statement, 0, "SCP X statement 0")
    assert paths.joins == () and paths.tags == () and paths.options == ()


def test_the_exemption_is_the_last_resort_and_says_so(tmp_path: Path) -> None:
    # The create-vault world's SCP has no exception path the request could take (its only
    # condition names the principal): the exemption is proposed, flagged as wholesale.
    scenario = [
        "create-vault",
        "--caller",
        "arn:aws:iam::777777777777:role/PlatformAdmin",
        "--vault",
        "arn:aws:backup:us-east-1:777777777777:backup-vault:platform-vault",
    ]
    fixed = _run("fix", "--world", str(WORLDS / "create-vault"), "--format", "json", *scenario)
    [scp] = [f for f in fixed["fixes"] if f["kind"] == "scp"]
    assert any("wholesale" in r and "last resort" in r for r in scp["review"]), scp["review"]
