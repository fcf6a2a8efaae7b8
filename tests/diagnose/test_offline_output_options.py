"""The offline answer (``explain --error`` without a world) follows the output options every
other answer follows: ``-q`` prints the verdict line alone, the other checks of the operation
take one line each unless ``-v``, and the JSON carries ``schema_version`` (docs/output.md)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from backup_access.cli import main

# iam:PassRole denied on StartCopyJob: the copy operation has two dozen other checks.
PASS_ROLE = (
    "An error occurred (AccessDeniedException) when calling the StartCopyJob operation: User: "
    "arn:aws:sts::111111111111:assumed-role/BackupOperator/jane is not authorized to perform: "
    "iam:PassRole on resource: arn:aws:iam::111111111111:role/service-role/NarrowCopyRole "
    "because no identity-based policy allows the iam:PassRole action"
)


def _explain(*options: str) -> str:
    result = CliRunner().invoke(main, ["explain", *options, "--error", PASS_ROLE])
    assert result.exit_code == 0, result.output
    return result.stdout


def _other_checks(text: str) -> str:
    return text.split("Other checks of StartCopyJob", 1)[1]


def test_quiet_prints_the_verdict_line_alone() -> None:
    lines = _explain("-q").splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("? UNKNOWN (no world given) (StartCopyJob)")


def test_other_checks_take_one_line_each_without_verbose() -> None:
    others = _other_checks(_explain())
    assert "$ aws" not in others and "why:" not in others
    assert "  - [identity] The copy role may share the AMI" in others
    assert "(copy.role-share-ec2-image)" in others
    assert "(-v: why each is listed, and the commands that confirm it)" in others


def test_verbose_shows_why_and_the_commands_of_every_other_check() -> None:
    short, full = _explain(), _explain("-v")
    assert "$ aws" in _other_checks(full) and "why: cannot produce this message" in full
    assert len(full.splitlines()) > 2 * len(short.splitlines())


def test_the_json_answer_carries_schema_version() -> None:
    data = json.loads(_explain("--format", "json"))
    assert data["schema_version"] == "1"
    assert data["schema"] == "backup-access/offline-answer/1"
