"""Regressions for issue 11: every input in ``tests/hostile`` (see its ``cases.yaml``) and
the large ones generated here. Each must end with its exit code and a message naming the
file and where in it; none may raise a traceback or block."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from backup_access.cli import main

HOSTILE = Path(__file__).resolve().parent / "hostile"
CASES: list[dict[str, Any]] = yaml.safe_load((HOSTILE / "cases.yaml").read_text("utf-8"))
CONTRACT = {0, 1, 2, 3}
WORLD = HOSTILE / "world-missing-ou-list"
ROLE = "arn:aws:iam::111111111111:role/Ops"
VAULT = "arn:aws:backup:us-east-1:111111111111:backup-vault:prod"


def invoke(*args: str, seconds: float = 60.0) -> Result:
    """Run the CLI in-process; fail (rather than hang the suite) if it does not return."""
    results: list[Result] = []
    thread = threading.Thread(
        target=lambda: results.append(CliRunner().invoke(main, list(args))), daemon=True
    )
    thread.start()
    thread.join(seconds)
    assert results, f"backup-access {' '.join(args)[:200]} did not finish in {seconds} s"
    result = results[0]
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"traceback: {result.exception!r}"
    )
    assert result.exit_code in CONTRACT
    return result


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}:{c['args'][0]}" for c in CASES])
def test_corpus(case: dict[str, Any]) -> None:
    file = str(HOSTILE / case["file"])

    def filled(text: str) -> str:
        return text.replace("{file}", file).replace("{dir}", str(HOSTILE))

    result = invoke(*[filled(str(arg)) for arg in case["args"]])
    expected = case["exit"] if isinstance(case["exit"], list) else [case["exit"]]
    assert result.exit_code in expected, result.output
    for needle in case.get("stderr", []):
        assert filled(needle) in result.stderr
    for needle in case.get("stdout", []):
        assert filled(needle) in result.stdout
    if result.exit_code == 3:
        assert file in result.stderr or "--" in result.stderr  # a file or an option named


# --- generated inputs: one builder per kind of input file, and the command that reads it --


def _request(body: str) -> str:
    return (
        "request:\n  principal: arn:aws:iam::111111111111:role/Ops\n"
        f"  action: backup:ListBackupVaults\n  resource: '*'\n  context: {{n: {body}}}\n"
    )


def _commands(path: Path) -> dict[str, list[str]]:
    """Every command that reads an input file, reading ``path`` as that input."""
    p = str(path)
    operation = ["create-vault", "--caller", ROLE, "--vault", VAULT]
    return {
        "request file": ["simulate", p],
        "world": [
            "simulate",
            "--world",
            p,
            "--principal",
            ROLE,
            *("--action", "backup:DeleteBackupVault"),
            *("--resource", VAULT),
        ],
        "world for explain": ["explain", "--world", p, *operation],
        "session policy": ["explain", "--world", str(WORLD), "--session-policy", p, *operation],
        "CloudTrail file": ["explain", "--world", str(WORLD), "--cloudtrail", p],
        "lint input": ["lint", p],
    }


KINDS = list(_commands(Path("x")))


@pytest.mark.parametrize("kind", KINDS)
def test_integer_longer_than_python_converts(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "input.json"
    path.write_text('{"Version": "2012-10-17", "n": ' + "9" * 5000 + "}")
    result = invoke(*_commands(path)[kind])
    assert result.exit_code == 3
    assert f"{path}: an integer of 5,000 digits at line 1, column 32" in result.stderr


@pytest.mark.parametrize("kind", ["request file", "world", "session policy"])
def test_long_yaml_integer(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "input.yaml"
    path.write_text(_request("9" * 5000))
    result = invoke(*_commands(path)[kind])
    assert result.exit_code == 3
    assert f"{path}: invalid YAML at line 5, column 16: an integer of 5,000" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", KINDS)
def test_fifo_is_refused_without_blocking(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "input.json"
    os.mkfifo(path)
    result = invoke(*_commands(path)[kind], seconds=20)
    assert result.exit_code == 3
    assert f"{path}: is a FIFO (named pipe), expected a regular file" in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("kind", KINDS)
def test_endless_device_is_refused(kind: str) -> None:
    result = invoke(*_commands(Path("/dev/zero"))[kind], seconds=20)
    assert result.exit_code == 3
    assert "/dev/zero: is a device, expected a regular file" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_inside_a_world_directory_is_named(tmp_path: Path) -> None:
    directory = tmp_path / "world"
    directory.mkdir()
    (directory / "a.yaml").write_text((WORLD / "world.yaml").read_text())
    os.mkfifo(directory / "b.json")
    result = invoke(*_commands(directory)["world"], seconds=20)
    assert result.exit_code == 3 and "b.json: is a FIFO" in result.stderr


@pytest.mark.parametrize("kind", ["request file", "world", "session policy", "lint input"])
def test_nesting_too_deep_is_located(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "input.json"
    path.write_text('{"a":\n' + "[" * 3000 + "]" * 3000 + "}")
    result = invoke(*_commands(path)[kind])
    assert result.exit_code == 3
    assert f"{path}: nested deeper than 100 levels at line 2, column 100" in result.stderr


@pytest.mark.parametrize("kind", ["request file", "world", "session policy", "lint input"])
def test_bad_utf8_is_located(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "input.yaml"
    path.write_bytes(b"a: 1\nb: '\xc3\x28'\n")
    result = invoke(*_commands(path)[kind])
    assert result.exit_code == 3
    assert f"{path}: not UTF-8 text: byte 0xc3 at line 2, column 5" in result.stderr


def test_long_punctuation_error_text_finishes() -> None:
    text = "".join(c * 20_000 for c in ".:/-'\"()")
    result = invoke("explain", "--world", str(WORLD), "--error", text, seconds=60)
    assert result.exit_code in (0, 3)


def test_standard_input_request(tmp_path: Path) -> None:
    text = (HOSTILE / "request-wildcard-action.yaml").read_text()
    result = CliRunner().invoke(main, ["simulate", "-"], input=text)
    assert result.exit_code == 3
    assert "error: - at /request/action: the action 'backup:Delete*' is a pattern" in result.stderr
