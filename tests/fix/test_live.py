"""``fix --live``: the question's accounts are collected from moto's server (as ``explain
--live`` does) and the fix is planned and proven on that world; the organization's SCP that
blocks the vault deletion gets its exception, for the organization's administrators."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from tests.aws.server import MotoEndpoint
from tests.collect.organization import ROLE_PATH, Built, build_organization


@pytest.fixture
def org(aws: MotoEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Built:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return build_organization()


def test_fix_live_plans_on_the_collected_world(org: Built) -> None:
    role = f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin"
    args = ["fix", "--live", "--format", "json", "delete-vault", "--caller", role]
    result = CliRunner().invoke(main, [*args, "--vault", org.vault_arn])
    assert result.exit_code == 0, result.output
    fixed = json.loads(result.stdout)
    assert fixed["verdict"] == "denied"
    scp = [f for f in fixed["fixes"] if f["kind"] == "scp"]
    assert scp and scp[0]["audience"] == "organization" and scp[0]["edits_existing"]
    assert role in json.dumps(scp[0]["document"])
    assert "collected now" in result.stderr


def test_fix_live_refuses_a_world_too(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["fix", "--live", "--world", str(tmp_path), "--error", "AccessDenied"]
    )
    assert result.exit_code == 2 and "--live reads AWS" in result.output


def test_fix_live_given_after_the_operation(org: Built) -> None:
    role = f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin"
    args = ["fix", "delete-vault", "--caller", role, "--vault", org.vault_arn, "--live"]
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [f["kind"] for f in json.loads(result.stdout)["fixes"]] == ["scp"]
