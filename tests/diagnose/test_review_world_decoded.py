"""Review of issue 13, finding 4: a decoded authorization message with ``explicitDeny: true``
and a matched Deny statement is explained with explicit-deny wording, and the statement's
Sid reaches the text, the JSON ``parameters`` and the commands that find it.

The decoded message says whether an explicit deny decided the request
(https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html;
that page does not document ``matchedStatements`` itself, which is read when present). A Deny
at any one level of an organization's SCPs denies
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html),
and a vault access policy may deny backup:DeleteRecoveryPoint in its own account
(https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html).
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from backup_access.cli import main
from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import answer_offline
from backup_access.report.incident import offline_to_dict, render_offline

WORLD = Path(__file__).parents[2] / "examples" / "worlds" / "create-vault"


def decoded(action: str, resource: str, *, explicit: bool, sid: str | None) -> str:
    """``aws sts decode-authorization-message`` output, as the CLI prints it."""
    statements = (
        [
            {
                "statementId": sid,
                "effect": "DENY" if explicit else "ALLOW",
                "actions": {"items": [{"value": action}]},
                "resources": {"items": [{"value": "*"}]},
            }
        ]
        if sid
        else []
    )
    inner = {
        "allowed": False,
        "explicitDeny": explicit,
        "matchedStatements": {"items": statements},
        "context": {
            "principal": {"arn": "arn:aws:sts::111111111111:assumed-role/BackupOperator/s"},
            "action": action,
            "resource": resource,
        },
    }
    return json.dumps({"DecodedMessage": json.dumps(inner)}, indent=4)


RECOVERY_POINT = "arn:aws:backup:us-east-1:111111111111:recovery-point:abc"
DELETE = decoded(
    "backup:DeleteRecoveryPoint", RECOVERY_POINT, explicit=True, sid="DenyBackupDelete"
)


def test_every_cause_of_an_explicit_deny_says_explicitly_denies_and_names_the_sid() -> None:
    answer = answer_offline(parse_error_message(DELETE))
    assert answer.causes
    for cause in answer.causes[:3]:
        assert "explicitly denies" in cause.title, cause.title
        assert "does not allow" not in cause.title
        assert "DenyBackupDelete" in cause.title
    # a Deny in the vault's access policy denies in its own account too: listed
    layers = [c.layer for c in answer.causes]
    assert "resource" in layers and "scp" in layers
    assert "DenyBackupDelete" in answer.summary and "explicit deny" in answer.summary


def test_the_sid_is_in_json_parameters_and_the_commands_find_it() -> None:
    answer = answer_offline(parse_error_message(DELETE))
    data = offline_to_dict(answer)
    assert data["parameters"]["matched_statements"] == [
        "DenyBackupDelete (Deny backup:DeleteRecoveryPoint on *)"
    ]
    assert data["matched_statements"][0]["sid"] == "DenyBackupDelete"
    scp = next(c for c in answer.causes if c.layer == "scp")
    commands = [c.command for c in scp.confirm]
    assert any(c.startswith("aws organizations describe-policy") for c in commands)
    listing = next(c for c in scp.confirm if "list-policies-for-target" in c.command)
    assert "a Deny at any one level is enough" in listing.shows
    assert "every level must allow" not in listing.shows
    identity = next(c for c in answer.causes if c.layer == "identity")
    assert any("get-policy-version" in c.command for c in identity.confirm)
    assert any("Sid DenyBackupDelete" in c.shows for c in identity.confirm)


def test_the_echo_is_the_decoded_message_without_its_escaping() -> None:
    text = render_offline(answer_offline(parse_error_message(DELETE)))
    said = next(line for line in text.splitlines() if line.startswith("  AWS said: "))
    assert '\\"' not in said and "\\n" not in said
    assert '"statementId": "DenyBackupDelete"' in said


def test_an_implicit_decoded_message_keeps_missing_allow_wording() -> None:
    text = decoded("backup:DeleteRecoveryPoint", RECOVERY_POINT, explicit=False, sid=None)
    answer = answer_offline(parse_error_message(text))
    assert all("explicitly denies" not in c.title for c in answer.causes)
    assert "does not allow" in answer.causes[0].title


def test_with_a_world_the_decoded_deny_and_its_sid_come_first() -> None:
    # the world has no Deny for CreateBackupVault: the identity policies lack the Allow
    text = decoded(
        "backup:CreateBackupVault",
        "arn:aws:backup:us-east-1:111111111111:backup-vault:v1",
        explicit=True,
        sid="DenyVaultCreate",
    )
    result = CliRunner().invoke(
        main, ["explain", "--world", str(WORLD), "--format", "json", "--error", "-"], input=text
    )
    data = json.loads(result.stdout)
    first = data["checks"][0]
    assert first["id"] == "message.aws-reported" and first["decision"] == "explicit_deny"
    assert "DenyVaultCreate" in first["reason"] and "no such deny" in first["reason"]
    assert data["parameters"]["matched_statements"].startswith("DenyVaultCreate (Deny")
    runner = CliRunner()
    args = ["explain", "--world", str(WORLD), "--expect", "explicit_deny", "--error", "-"]
    assert runner.invoke(main, args, input=text).exit_code == 0
