"""Accounts that cannot be entered, against moto's server with sts:AssumeRole refused at
botocore's ``before-send`` event (moto does not enforce trust policies): the gap and the
reason name the member account, not the caller's; and when no account of the question can
be entered a world is still written, so that ``collect``, ``explain --live`` and
``fix --live`` answer ``unknown`` naming the account and the refused sts:AssumeRole instead
of failing on an empty directory."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from tests.aws.server import MotoEndpoint
from tests.collect.faults import Fault, inject, query_error
from tests.collect.organization import ROLE_PATH, Built, build_organization

REFUSAL = "User: arn:aws:iam::123456789012:user/whoami is not authorized to perform: sts:AssumeRole"


@pytest.fixture
def org(aws: MotoEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Built:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return build_organization()


def _refuse_assume_role(monkeypatch: pytest.MonkeyPatch, *more: Fault) -> Fault:
    refused = Fault("before-send.sts.AssumeRole", lambda: query_error(403, "AccessDenied", REFUSAL))
    inject(monkeypatch, refused, *more)
    return refused


def _run(*args: str) -> Any:
    result = CliRunner().invoke(main, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def test_the_reason_names_the_member_not_the_caller(
    org: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _refuse_assume_role(monkeypatch)
    out = tmp_path / "world"
    result = _run("collect", "--org", "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    for member in (org.prod, org.vault_account):
        [gap] = [g for g in manifest["gaps"] if g["unknown"] == member]
        assert gap["account"] == member and gap["action"] == "sts:AssumeRole"
        assert manifest["unknown"][member].startswith(f"account {member} could not be entered: ")
        assert org.management not in manifest["unknown"][member].split(":")[0]
    assert f"  {org.prod} account {org.prod}: sts:AssumeRole: AccessDenied" in result.stderr


def test_collect_writes_a_world_when_no_account_can_be_entered(
    org: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _refuse_assume_role(monkeypatch)
    out = tmp_path / "world"
    result = _run("collect", "--accounts", org.prod, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "no world files" not in result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["accounts"] == {org.prod: "not collected"}
    assert "sts:AssumeRole" in manifest["unknown"][org.prod]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".world.new-")]
    answer = _run(
        "explain", "--world", str(out), "delete-vault",
        "--caller", f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin",
        "--vault", org.vault_arn, "--format", "json",
    )  # fmt: skip
    assert answer.exit_code == 0, answer.output
    data = json.loads(answer.stdout)
    assert data["verdict"] == "unknown"
    missing = " ".join(data["missing"])
    assert f"account {org.prod} could not be entered" in missing
    assert "sts:AssumeRole" in missing and "AccessDenied" in missing


@pytest.mark.parametrize("command", ["explain", "fix"])
def test_live_answers_unknown_naming_the_refused_assume_role(
    org: Built, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    # Neither the organization nor any account of the question can be read.
    no_org = Fault(
        "before-send.organizations.DescribeOrganization",
        lambda: query_error(400, "AccessDeniedException", "not allowed"),
    )
    refused = _refuse_assume_role(monkeypatch, no_org)
    result = _run(
        command, "--live", "delete-vault",
        "--caller", f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin",
        "--vault", org.vault_arn, "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert refused.answered >= 1
    assert "no world files" not in result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"] == "unknown"
    missing = " ".join(data["missing"])
    assert f"account {org.prod} could not be entered" in missing
    assert "sts:AssumeRole" in missing
