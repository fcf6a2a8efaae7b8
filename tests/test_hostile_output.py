"""Hostile text reaching the output (fuzz round s23, F1 and F5): a lone UTF-16 surrogate
(the JSON escape ``\\ud800`` alone, a byte Python decoded with ``surrogateescape``) never
ends a command with a traceback, and control characters (a NUL, a terminal escape that sets
the window title or clears the screen, a right-to-left override, a C1 control) from a
CloudTrail record, a pasted message, a request file, a policy or an argument are printed
escaped in text and Markdown (``\\x1b``, ``\\u202e``), while JSON keeps them as JSON escapes.

Each command is run through the real command line (click's runner, and a real process where
the streams matter).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from backup_access.cli import main

ROOT = Path(__file__).resolve().parents[1]
ORG = ROOT / "tests" / "diagnose" / "fixtures" / "org.yaml"
CLOUDTRAIL = ROOT / "tests" / "diagnose" / "fixtures" / "cloudtrail.json"
RESTORE = ROOT / "examples" / "worlds" / "restore-and-delete"
CREATE_VAULT = ROOT / "examples" / "worlds" / "create-vault"
COPY = ROOT / "examples" / "worlds" / "cross-account-copy"

# Every kind the fuzz round found printed raw: OSC (sets the terminal title), CSI (clears the
# screen), NUL, the right-to-left override and a C1 control (CSI in its 8-bit form).
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x00\u202e\x9b"
SHOWN = "\\x1b]0;pwned\\x07\\x1b[2J\\x00\\u202e\\x9b"
SURROGATE = "\ud800"

DENIED = (
    "User: arn:aws:iam::111111111111:role/{role} is not authorized to perform: "
    "backup:StartRestoreJob on resource: "
    "arn:aws:backup:us-east-1:111111111111:recovery-point:x because no identity-based "
    "policy allows the backup:StartRestoreJob action"
)
# The fuzz report's paste: a CloudTrail JSON fragment whose \ud800 the paste parser decodes.
FRAGMENT = (
    '{"errorMessage": "User: arn:aws:iam::111111111111:role/A\\ud800 is not authorized to '
    "perform: backup:DeleteBackupVault on resource: "
    'arn:aws:backup:us-east-1:111111111111:backup-vault:v", "eventName": "DeleteBackupVault"}'
)
FORMATS = ("text", "json", "markdown")
_OWN_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def run(*args: str, stdin: str | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: {result.exception!r}") from result.exception
    return result


def raw_controls(text: str) -> list[str]:
    """The control, format and surrogate characters of ``text`` that a terminal would get
    raw: a line break and the tool's own colour codes are not."""
    text = _OWN_COLOUR.sub("", text)
    return [c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Cs")]


def strings(data: Any) -> Iterator[str]:
    """Every string in a JSON document, keys and values."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from strings(item)


def record(**fields: str) -> dict[str, Any]:
    """Record 0 of the CloudTrail fixture (an SCP denying DeleteBackupVault), fields added."""
    first: dict[str, Any] = json.loads(CLOUDTRAIL.read_text())["Records"][0]
    first.update(fields)
    return first


def hostile_record() -> dict[str, Any]:
    event = record(
        eventName="DeleteBackupVault" + HOSTILE,
        eventTime=HOSTILE + "2026-11-20T08:14:03Z",
        awsRegion="us-east-1" + HOSTILE,
        requestID="req" + HOSTILE,
    )
    event["userIdentity"]["arn"] += HOSTILE
    return event


# --- F1: a lone surrogate ------------------------------------------------------------------


@pytest.mark.parametrize("output_format", FORMATS)
@pytest.mark.parametrize("world", [None, RESTORE], ids=["offline", "world"])
def test_a_pasted_fragment_with_a_lone_surrogate_is_echoed_escaped(
    output_format: str, world: Path | None
) -> None:
    where = ["--world", str(world)] if world else []
    result = run("explain", *where, "--error", "-", "--format", output_format, stdin=FRAGMENT)
    assert result.exit_code == 0, result.output
    if output_format == "json":
        data = json.loads(result.stdout)
        assert any("role/A" + SURROGATE in s for s in strings(data))  # kept, as JSON escapes
    else:
        assert "role/A\\ud800" in result.stdout.replace("\\\\", "\\")
        assert not raw_controls(result.stdout)


def _lookup_events(path: Path, event: dict[str, Any]) -> Path:
    """A ``lookup-events`` answer: each event is a JSON string in the file, decoded by the
    CloudTrail reader itself (so ``\\ud800`` in it is decoded there, not by the file loader)."""
    path.write_text(json.dumps({"Events": [{"CloudTrailEvent": json.dumps(event)}]}))
    return path


@pytest.mark.parametrize("output_format", FORMATS)
def test_a_cloudtrail_event_with_a_lone_surrogate_is_explained(
    tmp_path: Path, output_format: str
) -> None:
    event = record(eventName="DeleteBackupVault" + SURROGATE)
    event["userIdentity"]["arn"] += SURROGATE
    trail = _lookup_events(tmp_path / "events.json", event)
    result = run(
        "explain", "--world", str(ORG), "--cloudtrail", str(trail), "--format", output_format
    )
    assert result.exit_code == 0, result.output
    if output_format == "json":
        assert "DeleteBackupVault" + SURROGATE in strings(json.loads(result.stdout))
    else:
        assert "DeleteBackupVault\\ud800" in result.stdout.replace("\\\\", "\\")
        assert not raw_controls(result.stdout)


def test_an_argument_holding_an_undecodable_byte_is_refused_and_quoted_escaped() -> None:
    # Python decodes a byte that is not UTF-8 in argv as a lone surrogate (surrogateescape).
    # No ARN holds one, so --resource refuses it (a usage error); the refusal quotes the
    # argument escaped, never raw and never as a traceback.
    vault = "arn:aws:backup:us-east-1:222222222222:backup-vault:central\udcff"
    result = run(
        "simulate",
        "--world",
        str(COPY),
        "--principal",
        "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
        "--action",
        "backup:CopyIntoBackupVault",
        "--resource",
        vault,
    )
    assert result.exit_code == 2, result.output
    assert "central\\udcff" in result.output.replace("\\\\", "\\")
    assert "\udcff" not in result.output
    assert not raw_controls(result.output)


def test_a_real_process_writes_a_lone_surrogate_escaped_not_a_traceback() -> None:
    """Standard output of a real process encodes strictly: the byte 0xff in an argument
    comes back as ``\\udcff`` text, in the offline answer and in JSON (as its escape)."""
    role = os.fsencode("arn:aws:iam::111111111111:role/A") + b"\xff"
    message = DENIED.format(role="X").encode().replace(b"arn:aws:iam::111111111111:role/X", role)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for output_format in FORMATS:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "backup_access",
                "explain",
                "--error",
                message,
                "--format",
                output_format,
            ],
            cwd=ROOT,
            capture_output=True,
            env=env,
            check=False,
        )
        stderr = done.stderr.decode()
        assert done.returncode == 0, stderr
        assert "Traceback" not in stderr
        out = done.stdout.decode("utf-8")  # valid UTF-8: nothing raw
        assert "role/A\\udcff" in out.replace("\\\\", "\\")
        if output_format == "json":
            assert any("role/A\udcff" in s for s in strings(json.loads(out)))


# The fuzz report's files. Another change may refuse a lone surrogate in a JSON file as
# invalid input (exit 3 naming the file); until then the output escapes it. Either way,
# never a traceback.
SUR_REQUEST = (
    '{"request": {"principal": "arn:aws:iam::111111111111:role/R", "action": '
    '"backup:StartBackupJob", "resource": '
    '"arn:aws:backup:us-east-1:111111111111:backup-vault:\\ud800"}, "policies": {"identity": '
    '[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "backup:*", '
    '"Resource": "*"}]}]}}'
)
SUR_POLICY = (
    '{"Version":"2012-10-17","Statement":[{"Sid":"\\ud800","Effect":"Allow",'
    '"Action":"backup:*","Resource":"*"}]}'
)
SUR_TRAIL = (
    '{"Records":[{"eventSource":"backup.amazonaws.com","eventName":"\\ud800",'
    '"errorCode":"AccessDenied","errorMessage":"User: arn:aws:iam::111111111111:role/\\ud800 '
    'is not authorized to perform: backup:StartBackupJob",'
    '"userIdentity":{"arn":"arn:aws:iam::111111111111:role/\\ud800"}}]}'
)


def _escaped_or_refused(result: Result, path: Path, output_format: str = "text") -> None:
    if result.exit_code == 3:
        assert str(path) in result.stderr and "Traceback" not in result.output
        return
    assert result.exit_code in (0, 1), result.output
    if output_format == "json":
        assert any(SURROGATE in s for s in strings(json.loads(result.stdout)))
    else:
        assert "\\ud800" in result.stdout.replace("\\\\", "\\")
        assert not raw_controls(result.stdout)


@pytest.mark.parametrize("output_format", FORMATS)
def test_the_fuzz_request_file_with_a_lone_surrogate(tmp_path: Path, output_format: str) -> None:
    path = tmp_path / "sur.json"
    path.write_text(SUR_REQUEST)
    result = run("simulate", str(path), "--format", output_format)
    _escaped_or_refused(result, path, output_format)


@pytest.mark.parametrize("output_format", ["text", "json", "sarif"])
def test_the_fuzz_policy_with_a_lone_surrogate_sid(tmp_path: Path, output_format: str) -> None:
    path = tmp_path / "sur-lint.json"
    path.write_text(SUR_POLICY)
    result = run("lint", str(path), "--format", output_format)
    if output_format == "text":
        _escaped_or_refused(result, path)
    else:
        assert result.exit_code in (1, 3), result.output
        json.loads(result.stdout)


@pytest.mark.parametrize("output_format", FORMATS)
def test_the_fuzz_cloudtrail_file_with_a_lone_surrogate(tmp_path: Path, output_format: str) -> None:
    path = tmp_path / "sur-ct.json"
    path.write_text(SUR_TRAIL)
    result = run(
        "explain", "--world", str(COPY), "--cloudtrail", str(path), "--format", output_format
    )
    _escaped_or_refused(result, path, output_format)


# --- F5: control characters ---------------------------------------------------------------


@pytest.mark.parametrize("color", ["never", "always"])
@pytest.mark.parametrize("verbose", [[], ["-v"]], ids=["default", "verbose"])
def test_cloudtrail_fields_are_escaped_in_text(
    tmp_path: Path, color: str, verbose: list[str]
) -> None:
    trail = tmp_path / "ct-esc.json"
    trail.write_text(json.dumps({"Records": [hostile_record()]}))
    result = run(
        "explain", "--world", str(ORG), "--cloudtrail", str(trail), "--color", color, *verbose
    )
    assert result.exit_code == 0, result.output
    assert not raw_controls(result.stdout)
    first = _OWN_COLOUR.sub("", result.stdout.splitlines()[0])
    assert first.startswith(f"? UNKNOWN {SHOWN}2026-11-20T08:14:03Z DeleteBackupVault{SHOWN} ")
    if verbose:
        assert f"us-east-1{SHOWN}" in result.stdout and f"req{SHOWN}" in result.stdout


def test_cloudtrail_fields_are_escaped_in_markdown(tmp_path: Path) -> None:
    trail = tmp_path / "ct-esc.json"
    trail.write_text(json.dumps({"Records": [hostile_record()]}))
    result = run("explain", "--world", str(ORG), "--cloudtrail", str(trail), "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert not raw_controls(result.stdout)
    assert "pwned" in result.stdout


def test_cloudtrail_fields_stay_whole_in_json(tmp_path: Path) -> None:
    """JSON is for programs: the characters are JSON escapes, and read back unchanged."""
    trail = tmp_path / "ct-esc.json"
    trail.write_text(json.dumps({"Records": [hostile_record()]}))
    result = run("explain", "--world", str(ORG), "--cloudtrail", str(trail), "--format", "json")
    assert result.exit_code == 0, result.output
    # JSON escapes C0 controls (RFC 8259); C1 controls and format characters are valid raw
    assert not [c for c in result.stdout if c < " " and c != "\n"]
    found = set(strings(json.loads(result.stdout)))
    assert "us-east-1" + HOSTILE in found and "req" + HOSTILE in found


@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_a_principal_in_a_pasted_message_is_escaped_in_world_headings(output_format: str) -> None:
    role = "a\x1b]0;pwned\x07b"
    result = run(
        "explain",
        "--world",
        str(RESTORE),
        "--error",
        "-",
        "--format",
        output_format,
        stdin=DENIED.format(role=role),
    )
    assert result.exit_code == 0, result.output
    assert not raw_controls(result.stdout)
    assert "role/a\\x1b]0;pwned\\x07b" in result.stdout.replace("\\\\", "\\")


def test_the_offline_answer_escapes_every_line_not_only_the_quote() -> None:
    result = run("explain", "--error", "-", stdin=DENIED.format(role="a" + HOSTILE))
    assert result.exit_code == 0, result.output
    assert not raw_controls(result.stdout)
    request = next(line for line in result.stdout.splitlines() if line.startswith("Request:"))
    assert f"role/a{SHOWN}" in request


@pytest.mark.parametrize("output_format", ["text", "markdown"])
def test_a_request_file_is_escaped_in_simulate(tmp_path: Path, output_format: str) -> None:
    path = tmp_path / "request.json"
    statement = {"Sid": "S" + HOSTILE, "Effect": "Allow", "Action": "backup:*", "Resource": "*"}
    path.write_text(
        json.dumps(
            {
                "request": {
                    "principal": "arn:aws:iam::111111111111:role/R",
                    "action": "backup:StartBackupJob",
                    # The Sid carries the hostile text: a resource holding it is refused.
                    "resource": "arn:aws:backup:us-east-1:111111111111:backup-vault:v",
                },
                "policies": {"identity": [{"Version": "2012-10-17", "Statement": [statement]}]},
            }
        )
    )
    result = run("simulate", str(path), "--format", output_format, "-v", "--color", "always")
    assert result.exit_code == 0, result.output
    assert not raw_controls(result.stdout)
    assert "pwned" in result.stdout


def test_a_policy_is_escaped_in_lint_text(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    statement = {"Sid": HOSTILE, "Effect": "Allow", "Action": "backup:*", "Resource": "*"}
    path.write_text(json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    result = run("lint", str(path))
    assert result.exit_code == 1, result.output  # the Sid breaks the rules
    assert not raw_controls(result.stdout)
    assert "pwned" in result.stdout


def test_an_argument_refused_by_fix_is_quoted_escaped() -> None:
    # No ARN holds a control character or a lone surrogate, so --vault refuses the
    # argument (a usage error, before any plan); the refusal quotes it escaped.
    vault = "arn:aws:backup:us-east-1:111111111111:backup-vault:v" + HOSTILE + SURROGATE
    result = run(
        "fix",
        "--world",
        str(CREATE_VAULT),
        "create-vault",
        "--caller",
        "arn:aws:iam::111111111111:role/BackupOperator",
        "--vault",
        vault,
        "--key",
        "arn:aws:kms:us-east-1:111111111111:alias/vault-key",
    )
    assert result.exit_code == 2, result.output
    assert not raw_controls(result.output)
    assert "\\ud800" in result.output.replace("\\\\", "\\")
    assert "pwned" in result.output


def test_an_input_error_quoting_the_input_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps({"request": {"k" + HOSTILE: 1}}))
    result = run("simulate", str(path))
    assert result.exit_code == 3
    assert not raw_controls(result.stderr)
    assert f"k{SHOWN}" in result.stderr


def test_a_usage_error_quoting_the_argument_is_escaped() -> None:
    result = run(
        "simulate",
        "--world",
        str(COPY),
        "--principal",
        "arn:aws:iam::111111111111:role/X",
        "--action",
        "backup:Cop" + HOSTILE + "y",
        "--resource",
        "*",
    )
    assert result.exit_code == 2
    assert not raw_controls(result.stderr)
    assert f"'backup:Cop{SHOWN}y'" in result.stderr


def test_an_unmet_expectation_names_the_record_escaped(tmp_path: Path) -> None:
    trail = tmp_path / "ct-esc.json"
    trail.write_text(json.dumps({"Records": [hostile_record()]}))
    result = run(
        "explain", "--world", str(ORG), "--cloudtrail", str(trail), "--expect", "allowed", "-q"
    )
    assert result.exit_code == 1, result.output
    assert "expectations not met" in result.stderr
    assert not raw_controls(result.stderr) and not raw_controls(result.stdout)
    assert f"DeleteBackupVault{SHOWN}" in result.stderr
