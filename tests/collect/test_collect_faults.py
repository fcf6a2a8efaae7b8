"""Faults during a collection: throttling is retried, a denied call leaves a recorded gap and
keeps the rest, an account that cannot be entered is unknown (and ``explain`` says which
account and permission), and an interrupted run leaves the previous world untouched."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.collect import writer
from backup_access.world import load_world, resolve
from tests.aws.server import MotoEndpoint
from tests.collect.faults import Fault, body_text, inject, json_error, query_error
from tests.collect.organization import ROLE_PATH, Built, build_organization


@pytest.fixture
def org(aws: MotoEndpoint) -> Built:
    return build_organization()


def collect(out: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["collect", "--org", "--out", str(out), *extra])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def manifest(out: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads((out / "manifest.json").read_text())
    return data


def test_throttling_is_retried_and_nothing_is_lost(
    org: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    throttle = Fault(
        "before-send.backup.ListBackupVaults",
        lambda: json_error(400, "ThrottlingException", "Rate exceeded"),
        times=2,
    )
    inject(monkeypatch, throttle)
    out = tmp_path / "world"
    assert collect(out)[0] == 0
    assert throttle.answered == 2
    assert len(throttle.attempts) > throttle.answered  # retried after the throttling answers
    gaps = manifest(out)["gaps"]
    assert isinstance(gaps, list)
    assert not [g for g in gaps if g["action"] == "backup:ListBackupVaults"]
    assert "central" in load_world(out).accounts[org.prod].regions["us-east-1"].vaults


def test_a_denied_call_is_a_gap_and_the_rest_is_kept(
    org: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    denied = Fault(
        "before-send.kms.GetKeyPolicy",
        lambda: json_error(400, "AccessDeniedException", "not authorized to kms:GetKeyPolicy"),
    )
    inject(monkeypatch, denied)
    out = tmp_path / "world"
    code, _, stderr = collect(out)
    assert code == 0
    assert "kms:GetKeyPolicy" in stderr
    data = manifest(out)
    gaps = data["gaps"]
    assert isinstance(gaps, list)
    gap = next(g for g in gaps if g["action"] == "kms:GetKeyPolicy")
    assert gap["account"] == org.prod
    assert gap["error"].startswith("AccessDeniedException")
    world = load_world(out)
    region = world.accounts[org.prod].regions["us-east-1"]
    key = region.keys[org.key_id]
    assert key.policy is None  # not recorded, which the world reads as unknown
    assert key.aliases == ("alias/backup",) and len(key.grants) == 1  # the rest was kept
    assert "BackupAdmin" in world.accounts[org.prod].roles
    assert region.vaults["central"].key == key.arn
    resolution = resolve(
        world,
        f"arn:aws:iam::{org.prod}:role{ROLE_PATH}BackupAdmin",
        "kms:Decrypt",
        key.arn,
    )
    assert any("kms:GetKeyPolicy" in line for line in resolution.missing)


def test_an_account_that_cannot_be_entered_is_unknown(
    org: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = Fault(
        "before-send.sts.AssumeRole",
        lambda: query_error(403, "AccessDenied", "not authorized to perform: sts:AssumeRole"),
        when=lambda request: org.vault_account in body_text(request),
    )
    inject(monkeypatch, refused)
    out = tmp_path / "world"
    assert collect(out)[0] == 0
    data = manifest(out)
    assert data["accounts"] == {
        org.management: "collected",
        org.prod: "collected",
        org.vault_account: "not collected",
    }
    unknown = data["unknown"]
    assert isinstance(unknown, dict)
    assert "sts:AssumeRole" in unknown[org.vault_account]
    assert "OrganizationAccountAccessRole" in unknown[org.vault_account]
    assert not (out / f"account-{org.vault_account}.json").exists()
    # The same name as prod's vault: a near match elsewhere must not hide the unknown account.
    vault = f"arn:aws:backup:us-east-1:{org.vault_account}:backup-vault:central"
    caller = f"arn:aws:iam::{org.vault_account}:role/Operator"
    result = CliRunner().invoke(
        main,
        [
            "explain",
            "--world",
            str(out),
            "delete-vault",
            "--caller",
            caller,
            "--vault",
            vault,
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["verdict"] == "unknown"
    reasons = " ".join(c["reason"] for c in answer["checks"])
    assert org.vault_account in reasons
    assert "sts:AssumeRole" in reasons


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_an_interrupted_write_leaves_the_old_world(
    org: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "world"
    assert collect(out)[0] == 0
    before = _digest(out)
    real_dump = writer._dump
    written: list[Path] = []

    def dump_then_stop(path: Path, data: object) -> None:
        if len(written) == 2:
            raise KeyboardInterrupt  # Ctrl-C halfway through writing the new world
        written.append(path)
        real_dump(path, data)

    monkeypatch.setattr(writer, "_dump", dump_then_stop)
    result = CliRunner().invoke(main, ["collect", "--org", "--out", str(out)])
    assert result.exit_code == 1 and "Aborted" in result.output  # click's answer to Ctrl-C
    assert len(written) == 2
    assert _digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["world"]  # no staging left behind
    load_world(out)


def test_a_crash_while_reading_leaves_the_old_world(
    org: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "world"
    assert collect(out)[0] == 0
    before = _digest(out)

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the collector crashed")

    monkeypatch.setattr("backup_access.collect.run.read_backup", broken)
    result = CliRunner().invoke(main, ["collect", "--org", "--out", str(out)])
    assert isinstance(result.exception, RuntimeError)
    assert _digest(out) == before


def test_a_second_run_replaces_the_world(org: Built, tmp_path: Path) -> None:
    out = tmp_path / "world"
    assert collect(out)[0] == 0
    (out / f"account-{org.prod}.json").unlink()
    assert collect(out, "--accounts", org.vault_account)[0] == 0
    assert sorted(p.name for p in out.glob("account-*.json")) == [
        f"account-{org.vault_account}.json"
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["world"]


def test_out_that_is_not_a_world_directory_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "home"
    out.mkdir()
    (out / "notes.txt").write_text("precious")
    result = CliRunner().invoke(main, ["collect", "--out", str(out)])
    assert result.exit_code == 3
    assert "not a world directory" in result.stderr
    assert (out / "notes.txt").read_text() == "precious"
