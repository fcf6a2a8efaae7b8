"""A reader that closes the pipe early (``backup-access lint --list-rules | head -1``) ends
any command quietly with 141 (128 + SIGPIPE, what a shell reports for tools stopped by it),
not 1, which means an unmet expectation or lint findings, and with no traceback.

The read end is closed before the command starts, so its first write fails however small
the output is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "--list-rules"],  # rich's console
        ["lint", "examples/lint"],  # findings: would be 1
        ["simulate", "examples/requests/pinned-access.yaml"],  # click.echo
        ["simulate", "--help"],
        ["--help"],
    ],
    ids=" ".join,
)
def test_a_closed_pipe_ends_the_command_quietly_with_141(args: list[str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "backup_access", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr


def test_an_open_pipe_keeps_the_commands_own_exit_code() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "backup_access", "lint", "examples/lint"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1 and done.stdout
