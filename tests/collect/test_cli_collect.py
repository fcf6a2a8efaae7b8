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


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--regions", "us-east1", "--regions: 'us-east1' is not an AWS Region"),
        ("--regions", "us-east-1,eu-west-9x", "--regions: 'eu-west-9x' is not an AWS Region"),
        ("--accounts", "123", "--accounts: '123' is not a 12-digit account id"),
        ("--accounts", "111111111111,22222222222a", "'22222222222a' is not a 12-digit"),
    ],
)
def test_a_region_or_account_typo_is_a_usage_error_before_any_aws_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str, value: str, said: str
) -> None:
    def no_aws(*_: object, **__: object) -> None:
        raise AssertionError("AWS was called")

    monkeypatch.setattr("backup_access.collect.run.collect", no_aws)
    result = CliRunner().invoke(main, ["collect", option, value, "--out", str(tmp_path / "w")])
    assert result.exit_code == 2, result.output
    assert said in result.output
    assert not (tmp_path / "w").exists()
    if value == "us-east1":
        assert "did you mean `us-east-1`?" in result.output
