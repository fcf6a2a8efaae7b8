"""``fix --apply`` re-explains on the live account, end to end against moto's server: after
applying, the question's accounts are collected again (the collector of ``explain --live``,
cache bypassed) and the same diagnosis is re-run on that world. When the accounts cannot be
read the applied change stays and the output says the verdict after it is not known."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.report.schema import load_schema
from tests.aws.server import MotoEndpoint
from tests.collect.faults import Fault, inject, query_error
from tests.fix.test_apply import ACCOUNT, REGION, TRUST_ME, _client

OPERATOR = f"arn:aws:iam::{ACCOUNT}:role/Operator"
# Allows something else only: creating a vault is denied by the identity policy alone.
READ_ONLY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Read", "Effect": "Allow", "Action": "backup:ListBackupVaults", "Resource": "*"}
    ],
}


@pytest.fixture
def operator(aws: MotoEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The Operator role live in moto and as a world file; returns the world file."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    iam = _client("iam")
    iam.create_role(RoleName="Operator", AssumeRolePolicyDocument=json.dumps(TRUST_ME))
    iam.put_role_policy(RoleName="Operator", PolicyName="Own", PolicyDocument=json.dumps(READ_ONLY))
    world = {
        "accounts": {
            ACCOUNT: {
                "iam": {"roles": {"Operator": {"trust": TRUST_ME, "inline": {"Own": READ_ONLY}}}}
            }
        }
    }
    path = tmp_path / "world.json"
    path.write_text(json.dumps(world))
    return path


def _create_vault(tmp_path: Path, *where: str) -> list[str]:
    return [
        "fix",
        *where,
        "create-vault",
        "--caller",
        OPERATOR,
        "--vault",
        f"arn:aws:backup:{REGION}:{ACCOUNT}:backup-vault:new",
        "--apply",
        "--yes",
        "--backup-dir",
        str(tmp_path / "backups"),
    ]


def _fix_inline() -> Any:
    return _client("iam").get_role_policy(RoleName="Operator", PolicyName="BackupAccessFix")


def test_identity_fix_applied_then_re_explained_allowed(operator: Path, tmp_path: Path) -> None:
    # --live: planned on the collected (and cached) world, where the operation is denied; the
    # re-explanation must collect again, or it would still say denied.
    result = CliRunner().invoke(main, [*_create_vault(tmp_path, "--live"), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["verdict"] == "denied"
    assert [f["kind"] for f in out["fixes"]] == ["identity_policy"]
    after = out["after_apply"]
    assert [a["id"] for a in after["applied"]] == [out["fixes"][0]["id"]]
    assert after["applied"][0]["reread_matches"] is True and after["refused"] is None
    assert _fix_inline()["PolicyDocument"] == out["fixes"][0]["document"]
    again = after["reexplained"]
    assert again["collected"] is True and again["error"] is None
    assert again["verdict"] == "allowed" and again["still_failing"] == []
    world = Path(again["world"])
    assert json.loads((world / "manifest.json").read_text())["accounts"]  # written by collect
    assert "re-explained on the live account: allowed" in result.stderr  # JSON owns stdout
    # the extra field keeps the output valid against explain's schema
    import jsonschema

    jsonschema.validate(out, load_schema("explain"))


def test_text_output_says_the_live_verdict(operator: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, _create_vault(tmp_path, "--world", str(operator)))
    assert result.exit_code == 0, result.output
    assert "verified: allowed after the change" in result.stdout  # the patched copy
    assert result.stdout.rstrip().endswith("re-explained on the live account: allowed")
    assert "applied, re-read: matches" in result.stderr


def test_collection_impossible_is_said_and_the_change_kept(
    operator: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The collector's clients (not --apply's) are refused sts:GetCallerIdentity: the accounts
    # cannot be read after applying.
    refused = Fault(
        "before-send.sts.GetCallerIdentity",
        lambda: query_error(403, "AccessDenied", "not allowed to read"),
    )
    inject(monkeypatch, refused)
    args = [*_create_vault(tmp_path, "--world", str(operator)), "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    after = out["after_apply"]
    assert len(after["applied"]) == 1 and after["applied"][0]["reread_matches"] is True
    again = after["reexplained"]
    assert again["collected"] is False and again["verdict"] is None and again["world"] is None
    assert "sts:GetCallerIdentity" in again["error"] and "AccessDenied" in again["error"]
    assert refused.answered >= 1
    assert "not re-explained: the accounts could not be read after applying" in result.stderr
    assert "the changes stay applied" in result.stderr
    # nothing rolled back
    assert _fix_inline()["PolicyDocument"] == out["fixes"][0]["document"]


def test_nothing_applied_nothing_re_explained(
    operator: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("backup_access.cli.fix.stdin_is_terminal", lambda: True)
    args = _create_vault(tmp_path, "--world", str(operator))
    args.remove("--yes")
    result = CliRunner().invoke(main, [*args, "--format", "json"], input="n\n")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["after_apply"] == {
        "applied": [],
        "refused": None,
        "failed": [],
        "not_attempted": [],
        "reexplained": None,
    }
    assert "--- /dev/null (new)" in result.stderr  # the diff was shown before asking
    assert "re-explained" not in result.output
    names = _client("iam").list_role_policies(RoleName="Operator")["PolicyNames"]
    assert names == ["Own"]


def test_unknown_checks_are_not_called_failing() -> None:
    # After applying from a member account the organization's SCPs are unknown: a check that
    # passes on what is known is "not known", not "still failing".
    from types import SimpleNamespace

    from backup_access.cli.fix_reexplain import Reexplained
    from backup_access.diagnose.model import CheckDecision

    checks = [
        SimpleNamespace(id="copy.role-trust", decision=CheckDecision.UNKNOWN),
        SimpleNamespace(id="copy.pass-role", decision=CheckDecision.ALLOWED),
    ]
    explanation = SimpleNamespace(verdict=SimpleNamespace(value="unknown"), checks=checks)
    headline = Reexplained(Path("/w"), explanation).headline  # type: ignore[arg-type]
    assert "still failing" not in headline
    assert headline.startswith(
        "re-explained on the live account: unknown; not known (the world lacks what decides "
        "them): copy.role-trust (explain --world /w gives the reasons)"
    )
    checks.append(SimpleNamespace(id="copy.kms", decision=CheckDecision.IMPLICIT_DENY))
    headline = Reexplained(Path("/w"), explanation).headline  # type: ignore[arg-type]
    assert "still failing: copy.kms (implicit_deny); not known" in headline
