"""The collect command's command-line behaviour: boto3 stays out of start-up, the progress
bar shows on a terminal only, and usage errors."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.cli.collect import run_collect
from backup_access.collect.run import CollectOptions
from tests.aws.server import MotoEndpoint


def test_the_cli_starts_without_boto3() -> None:
    code = (
        "import sys, backup_access.cli; print(sorted(m for m in sys.modules"
        " if m.startswith(('boto3', 'botocore', 'backup_access.collect'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_only(
    aws: MotoEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    run_collect(CollectOptions(), tmp_path / "a")
    assert "collecting" in terminal.getvalue()
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    run_collect(CollectOptions(), tmp_path / "b")
    assert piped.getvalue() == ""


def test_regions_all_cannot_be_mixed(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["collect", "--regions", "all,us-east-1", "--out", str(tmp_path / "w")]
    )
    assert result.exit_code == 2
    assert "'all', not both" in result.output


def test_no_credentials_is_exit_4_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    result = CliRunner().invoke(main, ["collect", "--out", str(tmp_path / "w")])
    assert result.exit_code == 4
    assert "sts:GetCallerIdentity" in result.stderr
    assert "NoCredentialsError" in result.stderr
    assert not (tmp_path / "w").exists()
