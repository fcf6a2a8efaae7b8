"""Kind detection that says when it guesses, and AWS managed policies (issue 17).

Kinds: an RCP must name "Principal": "*" and only Deny
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html);
SCPs share the identity grammar, so those guesses are noted in the findings.
AWS managed policies cannot be edited
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies),
so resource-scoping findings on them are at most info.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from backup_access.errors import InputError
from backup_access.lint import PolicyKind, Severity, lint_text
from backup_access.lint.kinds import detect_kind


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


RCP_PERIMETER = _policy(
    {
        "Effect": "Deny",
        "Principal": "*",
        "Action": ["kms:*", "sts:AssumeRole"],
        "Resource": "*",
        "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-k3x9p2m7qa"}},
    }
)
SCP_GUARD = _policy(
    {
        "Effect": "Deny",
        "Action": "backup:PutBackupVaultAccessPolicy",
        "Resource": "*",
        "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/BackupAdmin"}},
    }
)
VAULT_GUARD = _policy(
    {"Effect": "Deny", "Principal": "*", "Action": "backup:DeleteRecoveryPoint", "Resource": "*"}
)


@pytest.mark.parametrize(
    ("document", "kind", "guessed"),
    [
        (RCP_PERIMETER, PolicyKind.RCP, True),
        (SCP_GUARD, PolicyKind.SCP, True),
        (VAULT_GUARD, PolicyKind.RESOURCE, False),  # backup is not an RCP service
        (
            _policy({"Effect": "Deny", "Action": "backup:StartRestoreJob", "Resource": "*"}),
            PolicyKind.IDENTITY,
            True,  # only Denies: may be an SCP, said so
        ),
        (
            _policy({"Effect": "Allow", "Action": "backup:List*", "Resource": "*"}),
            PolicyKind.IDENTITY,
            False,
        ),
        (
            _policy(
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "backup.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ),
            PolicyKind.TRUST,
            False,
        ),
    ],
    ids=["rcp", "scp", "vault", "deny-only identity", "identity", "trust"],
)
def test_detect_kind(document: dict[str, Any], kind: PolicyKind, guessed: bool) -> None:
    guess = detect_kind(document)
    assert guess.kind is kind
    assert bool(guess.note) is guessed


SCP_WITH_SOURCE_ACCOUNT = _policy(
    SCP_GUARD["Statement"][0],
    {
        "Effect": "Deny",
        "Action": "backup:StartCopyJob",
        "Resource": "*",
        "Condition": {"StringNotEquals": {"aws:SourceAccount": "246813579024"}},
    },
)


def test_findings_that_depend_on_a_guessed_kind_say_which_kind_was_assumed() -> None:
    findings = lint_text(json.dumps(SCP_WITH_SOURCE_ACCOUNT), file="p.json")
    (finding,) = [f for f in findings if f.rule == "BA016"]  # depends on the kind
    assert finding.kind == "scp"
    assert "kind assumed: read as a service control policy" in finding.message
    assert finding.kind_note.startswith("read as a service control policy")
    others = [f for f in findings if f.rule != "BA016"]
    assert not any(f.kind_note for f in others if f.rule in ("BA015", "BA020"))


def test_a_given_kind_is_never_called_assumed() -> None:
    findings = lint_text(json.dumps(SCP_WITH_SOURCE_ACCOUNT), file="p.json", kind=PolicyKind.SCP)
    assert [f.rule for f in findings] == ["BA016"]
    assert not findings[0].kind_note and "kind assumed" not in findings[0].message


def _shipped(name: str) -> dict[str, Any]:
    folder = resources.files("backup_access").joinpath("data/managed_policies")
    record: dict[str, Any] = json.loads(folder.joinpath(f"{name}.json").read_text())
    return record


def test_identical_copy_of_an_aws_managed_policy_is_capped_at_info() -> None:
    record = _shipped("AWSBackupServiceRolePolicyForBackup")
    findings = [
        f for f in lint_text(json.dumps(record["document"]), file="p.json") if f.rule == "BA014"
    ]
    assert findings, "the shipped policy scopes actions to resources they never act on"
    assert {f.severity for f in findings} == {Severity.INFO}
    assert all(record["arn"] in f.message and "cannot be edited" in f.message for f in findings)


def test_the_same_document_edited_is_a_customer_policy_again() -> None:
    record = _shipped("AWSBackupServiceRolePolicyForBackup")
    edited = record["document"] | {
        "Statement": [
            *record["document"]["Statement"],
            {"Effect": "Deny", "Action": "backup:DeleteBackupVault", "Resource": "*"},
        ]
    }
    findings = [f for f in lint_text(json.dumps(edited), file="p.json") if f.rule == "BA014"]
    assert findings and {f.severity for f in findings} == {Severity.WARNING}


def test_a_record_with_an_aws_managed_arn_is_capped_even_when_not_shipped() -> None:
    record = {
        "arn": "arn:aws:iam::aws:policy/SomeFutureBackupPolicy",
        "document": _policy(
            {
                "Effect": "Allow",
                "Action": "backup-storage:MountCapsule",
                "Resource": "arn:aws:backup:*:*:backup-vault:*",
            },
            {"Effect": "Allow", "Action": "retiredservice:DoThing", "Resource": "*"},
        ),
    }
    findings = lint_text(json.dumps(record), file="p.json")
    by_rule = {f.rule: f for f in findings}
    assert by_rule["BA014"].severity is Severity.INFO
    assert by_rule["BA014"].pointer.startswith("/Statement/0")
    assert by_rule["BA010"].severity is Severity.INFO  # a name AWS wrote: our data is older


def test_unknown_service_in_a_customer_policy_stays_an_error() -> None:
    document = _policy({"Effect": "Allow", "Action": "retiredservice:DoThing", "Resource": "*"})
    (finding,) = [f for f in lint_text(json.dumps(document), file="p.json") if f.rule == "BA010"]
    assert finding.severity is Severity.ERROR


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            '{"Statement": [{"Effect": "Allow", "Action": "backup:List*", "Resource": "*", '
            '"Condition": {"NumericLessThan": {"aws:MultiFactorAuthAge": ' + "1" * 5000 + "}}}]}",
            "big.json",
        ),
        (
            "Statement:\n- Effect: Allow\n  Action: backup:List*\n  Resource: '*'\n"
            "  Condition: {NumericLessThan: {aws:MultiFactorAuthAge: " + "1" * 5000 + "}}\n",
            "big.yaml",
        ),
    ],
    ids=["json", "yaml"],
)
def test_integer_over_4300_digits_is_a_located_input_error(text: str, name: str) -> None:
    """Issue 11: lint reads JSON through documents.py and guards YAML scalars itself."""
    with pytest.raises(InputError, match=r"5,000 digits at line \d+, column \d+") as caught:
        lint_text(text, file=name)
    assert caught.value.file == name
