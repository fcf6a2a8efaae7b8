"""Which causes the offline answer ranks, and the commands it gives for them (a new user's
trial: PassRole and role trust ranked as causes of an SCP's explicit deny on StartCopyJob;
`--action-names ACTION` where the cause names kms:Decrypt)."""

from __future__ import annotations

import json
import re
from typing import Any

from click.testing import CliRunner

from backup_access.catalogue import load_catalogue
from backup_access.cli import main
from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import OfflineAnswer, answer_offline
from tests.diagnose.test_message_corpus import BY_ID, CORPUS

SCP_COPY = (
    "User: arn:aws:sts::111111111111:assumed-role/BackupOperator/jo is not authorized to "
    "perform: backup:StartCopyJob on resource: arn:aws:backup:us-east-1:111111111111:"
    "backup-vault:prod with an explicit deny in a service control policy"
)


def answer(text: str) -> OfflineAnswer:
    return answer_offline(parse_error_message(text))


def offline(*args: str) -> Any:
    return CliRunner().invoke(main, ["explain", *args])


def test_an_scp_deny_on_start_copy_job_ranks_only_causes_of_that_action() -> None:
    result = answer(SCP_COPY)
    (cause,) = result.causes  # the SCP, the layer AWS named; nothing else can produce it
    assert cause.layer == "scp" and "explicitly denies backup:StartCopyJob" in cause.title
    others = {c.check for c in result.other_checks}
    assert {"copy.pass-role", "copy.role-trust"} <= others, others
    for other in result.other_checks:
        assert other.why.startswith("cannot produce this message (")
    assert [c.rank for c in result.other_checks] == list(range(1, len(result.other_checks) + 1))


def test_the_text_lists_the_other_checks_apart_and_json_carries_them() -> None:
    text = offline("--error", SCP_COPY).stdout
    causes, others = text.split("Other checks of StartCopyJob (they cannot produce this message")
    assert "pass the copy role" not in causes and "trust policy" not in causes
    assert "The caller may pass the copy role to AWS Backup" in others

    data = json.loads(offline("--error", SCP_COPY, "--format", "json").stdout)
    assert [c["layer"] for c in data["causes"]] == ["scp"]
    assert "copy.pass-role" in {c["check"] for c in data["other_checks"]}


def test_a_message_naming_its_action_ranks_only_checks_of_that_action() -> None:
    """Checks of the operation for the same action could have produced the message; checks
    of another action or settings cannot, and are listed apart."""
    catalogue = load_catalogue()
    seen = 0
    for entry in CORPUS:
        result = answer(entry["text"])
        action = (result.message.action or "").lower()
        if not action or result.operation is None:
            continue
        checks = {c.id: c for c in catalogue.operation(result.operation).checks}
        for cause in result.causes:
            if cause.check in checks:
                assert (checks[cause.check].action or "").lower() == action, cause.check
        for other in result.other_checks:
            seen += 1
            assert (checks[str(other.check)].action or "").lower() != action, other.check
    assert seen, "the corpus has messages naming an action of a catalogue operation"


def test_an_unspecific_denial_keeps_every_check_of_its_operation_as_a_cause() -> None:
    """An empty 403 names no action: any check of CreateBackupVault may be behind it."""
    result = answer(BY_ID["empty-403-cli"]["text"])
    assert result.other_checks == ()
    assert {"create-vault.mount-capsule"} <= {c.check for c in result.causes}


def test_a_gate_message_lists_its_operations_other_checks_apart() -> None:
    result = answer(BY_ID["cross-account-disabled"]["text"])
    assert result.causes and result.causes[0].layer == "setting"
    assert result.other_checks, "StartCopyJob's other checks are listed, not ranked"
    assert all(c.why.startswith("cannot produce this message") for c in result.other_checks)


def _actions(commands: list[str]) -> list[str]:
    return [m for cmd in commands for m in re.findall(r"--action-names (\S+)", cmd)]


def test_a_causes_command_names_its_own_action() -> None:
    kms = answer(BY_ID["kms-ciphertext-boto"]["text"])
    decrypt = next(c for c in kms.causes if "kms:Decrypt" in c.title)
    assert _actions([c.command for c in decrypt.confirm]) == ["kms:Decrypt"]

    # "Insufficient privileges" from the AWS CLI names its call: that call's action
    describe = answer(BY_ID["insufficient-privileges-cli-describe"]["text"])
    lacks = next(c for c in describe.causes if "lacks the backup: permission" in c.title)
    assert _actions([c.command for c in lacks.confirm]) == ["backup:DescribeBackupVault"]

    # the same message from the JS SDK names no call: the placeholder stays
    js = answer(BY_ID["insufficient-privileges-js"]["text"])
    lacks = next(c for c in js.causes if "lacks the backup: permission" in c.title)
    assert _actions([c.command for c in lacks.confirm]) == ["ACTION"]


def test_no_cause_naming_an_action_in_its_title_confirms_a_placeholder() -> None:
    for entry in CORPUS:
        result = answer(entry["text"])
        for cause in (*result.causes, *result.other_checks):
            named = re.findall(r"\b[a-z0-9-]+:[A-Z][A-Za-z]+\b", cause.title)
            if named:
                assert "ACTION" not in _actions([c.command for c in cause.confirm]), (
                    entry["id"],
                    cause.title,
                )


def test_the_commands_are_filled_from_the_job_around_a_job_message() -> None:
    # A describe-copy-job paste names the copy role and the destination vault: the confirming
    # commands use them instead of ROLE_ARN / DESTINATION_VAULT_ARN placeholders
    # (https://repost.aws/knowledge-center/backup-resolve-access-denied-error).
    role = "arn:aws:iam::222222222222:role/BackupCopyRole"
    vault = "arn:aws:backup:us-east-1:333333333333:backup-vault:central"
    paste = (
        f'{{"CopyJob": {{"DestinationBackupVaultArn": "{vault}", "IamRoleArn": "{role}", '
        '"State": "FAILED", "StatusMessage": "Access Denied trying to call AWS Backup service"}}'
    )
    parsed = parse_error_message(paste)
    assert parsed.text == "Access Denied trying to call AWS Backup service"
    assert parsed.evidence.wrappers == ("backup-job",)
    first = answer_offline(parsed).causes[0]
    commands = [c.command for c in first.confirm]
    assert any(
        f"--policy-source-arn {role}" in c and f"--resource-arns {vault}" in c for c in commands
    )
    assert any("get-backup-vault-access-policy --backup-vault-name central" in c for c in commands)
    assert not any("ROLE_ARN" in c or "DESTINATION_VAULT_ARN" in c for c in commands)


def test_rcps_are_ranked_only_for_services_they_restrict() -> None:
    """RCPs restrict only the services AWS lists, among them KMS and not IAM
    (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html):
    a denied iam:PassRole that names no layer is not blamed on an RCP; kms:Decrypt may be."""
    base = "User: arn:aws:iam::246813579024:user/alice is not authorized to perform: "
    iam = answer_offline(
        parse_error_message(base + "iam:PassRole on resource: arn:aws:iam::246813579024:role/R")
    )
    kms = answer_offline(
        parse_error_message(
            base + "kms:Decrypt on resource: arn:aws:kms:us-east-1:135792468024:key/"
            "1234abcd-12ab-34cd-56ef-1234567890ab"
        )
    )
    assert "rcp" not in [c.layer for c in iam.causes]
    assert "identity" in [c.layer for c in iam.causes]
    assert "rcp" in [c.layer for c in kms.causes]
