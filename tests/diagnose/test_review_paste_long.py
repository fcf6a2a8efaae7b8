"""Review of issue 13, finding 1: a log paste keeps its error. The cap on long text keeps the
part around the last AWS message form (not the head), a log's other lines are left out (not
glued into "AWS said"), the echo is short, and every cut is said. Linear time is kept."""

from __future__ import annotations

from click.testing import CliRunner

from backup_access.cli import main
from backup_access.diagnose.families import MessageFamily
from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.unwrap import MAX_MESSAGE_CHARS
from tests.timing import BOUND, growth

IAM = (
    "User: arn:aws:iam::111111111111:user/bob is not authorized to perform: "
    "backup:ListBackupVaults because no identity-based policy allows the "
    "backup:ListBackupVaults action"
)


def _log(steps: int, *, error: str = IAM, after: int = 0) -> str:
    lines = [f"2026-12-07 10:00:{i % 60:02d} INFO step {i} done" for i in range(steps)]
    lines.append(f"2026-12-07 10:01:00 ERROR {error}")
    lines.extend(f"2026-12-07 10:01:{i:02d} INFO exiting {i}" for i in range(after))
    return "\n".join(lines) + "\n"


def test_a_small_log_echoes_only_the_error_line() -> None:
    parsed = parse_error_message(_log(20, after=1))
    assert parsed.family is MessageFamily.IAM_NOT_AUTHORIZED
    assert parsed.principal == "arn:aws:iam::111111111111:user/bob"
    assert parsed.text == IAM  # no "step 0 done … step 19 done" glued in front
    assert any("log" in note and "21 were left out" in note for note in parsed.notes)


def test_a_log_longer_than_the_cap_keeps_its_last_error() -> None:
    text = _log(800)
    assert len(text) > MAX_MESSAGE_CHARS
    parsed = parse_error_message(text)
    assert parsed.family is MessageFamily.IAM_NOT_AUTHORIZED
    assert parsed.action == "backup:ListBackupVaults"
    assert parsed.explicit is False and parsed.policy_type == "identity-based"
    assert parsed.text == IAM
    cut = next(note for note in parsed.notes if "longer than any AWS message" in note)
    assert f"{len(text):,} characters" in cut and "before" in cut


def test_an_unlined_paste_longer_than_the_cap_keeps_its_tail() -> None:
    text = "x" * 30_000 + (
        "An error occurred (AccessDeniedException) when calling the CreateBackupVault operation: "
    )
    parsed = parse_error_message(text)
    assert parsed.family is MessageFamily.EMPTY_ACCESS_DENIED
    assert parsed.operation == "CreateBackupVault"


def test_a_long_paste_with_no_error_form_keeps_head_and_tail_and_says_so() -> None:
    text = "aaaa " * 10_000 + IAM.replace("is not authorized", "was not allowed")
    parsed = parse_error_message(text)
    assert parsed.family is MessageFamily.UNRECOGNISED
    assert len(parsed.text) < 700 and "characters left out" in parsed.text
    assert parsed.text.endswith("backup:ListBackupVaults action")  # the tail was read
    assert any("first and last" in note for note in parsed.notes)


def test_the_cli_echo_of_a_long_log_is_the_error_only() -> None:
    result = CliRunner().invoke(main, ["explain", "--error", "-"], input=_log(3000, after=2))
    assert result.exit_code == 0, result.output
    said = next(line for line in result.stdout.splitlines() if "AWS said:" in line)
    assert said == f"  AWS said: {IAM}"
    assert "step 0 done" not in result.stdout
    assert "implicit deny" in result.stdout.splitlines()[0]
    assert "were left out" in result.stdout


def test_a_terraform_box_is_not_a_log() -> None:
    text = (
        "╷\n│ Error: creating Backup Vault (v): operation error Backup: CreateBackupVault, https "
        "response error StatusCode: 403, RequestID: r1, AccessDeniedException: \n│\n╵\n"
        "│ Error: creating Backup Plan (p): operation error Backup: CreateBackupPlan, https "
        "response error StatusCode: 400, RequestID: r2, InvalidParameterValueException: x\n"
    )
    parsed = parse_error_message(text)
    assert not any("log" in note for note in parsed.notes)


def test_choosing_the_error_line_of_a_log_is_linear() -> None:
    def make(size: int) -> str:
        line = "2026-12-07 10:00:00 INFO step done\n"
        return line * (size // len(line)) + f"ERROR {IAM}\n"

    assert growth(parse_error_message, make, 2_000) < BOUND


def test_finding_the_error_in_a_huge_paste_is_linear() -> None:
    def make(size: int) -> str:
        return "AccessDenie" * (size // 11) + IAM

    assert growth(parse_error_message, make, 40_000) < BOUND


def test_a_ci_log_keeps_the_whole_timestamped_terraform_box() -> None:
    # GitHub Actions stamps every line, the box lines too; Terraform goes on below its heading
    stamp = "2026-12-07T10:00:06.1234567Z "
    lines = [
        "##[group]Run terraform apply",
        "aws_backup_vault.v: Creating...",
        "╷",
        "│ Error: creating Backup Vault (v): AccessDeniedException: User: "
        "arn:aws:iam::111111111111:user/ci is not authorized",
        "│ to perform: backup:CreateBackupVault on resource: "
        "arn:aws:backup:us-east-1:111111111111:backup-vault:v because no identity-based policy "
        "allows the backup:CreateBackupVault action",
        "│ \tstatus code: 403, request id: r1",
        "│ ",
        "│   with aws_backup_vault.v,",
        "╵",
        "##[error]Process completed with exit code 1.",
    ]
    parsed = parse_error_message("\n".join(stamp + line for line in lines))
    assert parsed.action == "backup:CreateBackupVault"
    assert parsed.principal == "arn:aws:iam::111111111111:user/ci"
    assert parsed.evidence.tool_resource == "aws_backup_vault.v"
    assert parsed.evidence.request_id == "r1" and "terraform" in parsed.evidence.wrappers
    assert "│" not in parsed.text and "Process completed" not in parsed.text


def test_a_log_with_a_python_traceback_keeps_the_traceback_record() -> None:
    text = (
        "2026-12-07 10:00:00,123 INFO starting backup setup\n"
        "2026-12-07 10:00:01,456 ERROR Traceback (most recent call last):\n"
        '  File "/app/setup.py", line 12, in <module>\n'
        "botocore.exceptions.ClientError: An error occurred (AccessDeniedException) when "
        "calling the CreateBackupVault operation: User: "
        "arn:aws:sts::111111111111:assumed-role/Deploy/ci is not authorized to perform: "
        "backup-storage:MountCapsule because no identity-based policy allows the "
        "backup-storage:MountCapsule action\n"
        "2026-12-07 10:00:02,000 INFO exiting\n"
    )
    parsed = parse_error_message(text)
    assert parsed.operation == "CreateBackupVault"
    assert parsed.action == "backup-storage:MountCapsule"
    assert parsed.text.startswith("User: arn:aws:sts::111111111111:assumed-role/Deploy/ci")
