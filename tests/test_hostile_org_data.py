"""Missing organization data: one rule at every level (world/orgchain.py).

A hand-written world that gives no attachment list for the root, an OU or an account is taken
to have only AWS's default FullAWSAccess there, the same at each level, and says so in
``assumptions`` (JSON) and right under the verdict (text). An empty list is data: nothing
attached, SCPs deny. A collected world (manifest.json) never assumes: the decision is unknown.
Before, a missing account list meant FullAWSAccess but a missing root or OU list denied.
SCP evaluation: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.engine import DecisionValue, evaluate
from backup_access.world import load_world, resolve
from backup_access.world.findings import is_assumption

ACCOUNT = "111111111111"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/Admin"
VAULT = f"arn:aws:backup:us-east-1:{ACCOUNT}:backup-vault:v"
ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
LEVELS = ("root", "ou", "account")


def _world(missing: tuple[str, ...], *, empty: str | None = None) -> dict[str, Any]:
    """Root → one OU → the account; the levels in ``missing`` have no attachment list, the
    ``empty`` one an empty list, the others FullAWSAccess."""

    def attached(level: str) -> dict[str, Any]:
        if level in missing:
            return {}
        return {"policies": [] if level == empty else ["FullAWSAccess"]}

    account_policies = {} if "account" in missing else {ACCOUNT: attached("account")["policies"]}
    ou = {"id": "ou-a1b2-11111111", "name": "Workloads", "accounts": [ACCOUNT], **attached("ou")}
    return {
        "organization": {
            "id": "o-a1b2c3d4e5",
            "management_account": "999999999999",
            "root": {"id": "r-a1b2", "ous": [ou], **attached("root")},
            "account_policies": account_policies,
        },
        "accounts": {
            ACCOUNT: {
                "iam": {
                    "roles": {
                        "Admin": {
                            "trust": {
                                "Version": "2012-10-17",
                                "Statement": [
                                    {
                                        "Effect": "Allow",
                                        "Principal": {"Service": "ec2.amazonaws.com"},
                                        "Action": "sts:AssumeRole",
                                    }
                                ],
                            },
                            "inline": {"All": ALLOW_ALL},
                        }
                    }
                },
                "regions": {"us-east-1": {"backup": {"vaults": {"v": {}}}}},
            }
        },
    }


def _write(tmp_path: Path, world: dict[str, Any], *, manifest: bool = False) -> Path:
    directory = tmp_path / "world"
    directory.mkdir()
    (directory / "world.yaml").write_text(yaml.safe_dump(world))
    if manifest:
        (directory / "manifest.json").write_text(json.dumps({"unknown": {}}))
    return directory


def _assumed_levels(notes: tuple[str, ...]) -> set[str]:
    names = {
        "root": "the root r-a1b2",
        "ou": "OU ou-a1b2-11111111",
        "account": f"account {ACCOUNT}",
    }
    return {level for level, name in names.items() for n in notes if is_assumption(n) and name in n}


@pytest.mark.parametrize("missing", [(level,) for level in LEVELS] + [LEVELS])
def test_a_missing_list_is_the_same_assumption_at_every_level(
    tmp_path: Path, missing: tuple[str, ...]
) -> None:
    world = load_world(_write(tmp_path, _world(missing)))
    resolution = resolve(world, ROLE, "backup:DeleteBackupVault", VAULT)
    decision = evaluate(resolution.request, resolution.policies)
    assert decision.value is DecisionValue.ALLOWED
    assert _assumed_levels(resolution.assumptions) == set(missing)
    assert not resolution.missing


@pytest.mark.parametrize("level", LEVELS)
def test_an_empty_list_attaches_nothing_and_denies(tmp_path: Path, level: str) -> None:
    world = load_world(_write(tmp_path, _world((), empty=level)))
    resolution = resolve(world, ROLE, "backup:DeleteBackupVault", VAULT)
    decision = evaluate(resolution.request, resolution.policies)
    assert decision.value is DecisionValue.IMPLICIT_DENY
    assert [layer.value for layer in decision.blocked_by] == ["scp"]
    assert resolution.assumptions == ()


@pytest.mark.parametrize("level", LEVELS)
def test_a_collected_world_never_assumes(tmp_path: Path, level: str) -> None:
    world = load_world(_write(tmp_path, _world((level,)), manifest=True))
    assert world.collected
    resolution = resolve(world, ROLE, "backup:DeleteBackupVault", VAULT)
    assert resolution.assumptions == ()
    assert any("SCPs attached to" in m for m in resolution.missing)


def _explain(directory: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        [
            "explain",
            "--world",
            str(directory),
            *extra,
            "create-vault",
            "--caller",
            ROLE,
            "--vault",
            VAULT,
        ],
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout


def test_explain_json_lists_assumptions_and_text_shows_them_under_the_verdict(
    tmp_path: Path,
) -> None:
    directory = _write(tmp_path, _world(("ou",)))
    code, out = _explain(directory, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["verdict"] == "allowed"
    assert len(data["assumptions"]) == 1 and "OU ou-a1b2-11111111" in data["assumptions"][0]
    code, out = _explain(directory, "--format", "text")
    lines = out.splitlines()
    assert "ALLOWED" in lines[0]
    assert lines[1].strip().startswith("assuming ") and "ou-a1b2-11111111" in lines[1]


def test_explain_on_a_collected_world_without_a_list_is_unknown(tmp_path: Path) -> None:
    directory = _write(tmp_path, _world(("root",)), manifest=True)
    _, out = _explain(directory, "--format", "json")
    data = json.loads(out)
    assert data["verdict"] == "unknown" and data["assumptions"] == []
    assert any("the root r-a1b2" in m for m in data["missing"])


def test_simulate_world_json_and_text_carry_the_assumption(tmp_path: Path) -> None:
    directory = _write(tmp_path, _world(("account",)))
    args = ["simulate", "--world", str(directory), "--principal", ROLE]
    args += ["--action", "backup:DeleteBackupVault", "--resource", VAULT]
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    data = json.loads(result.stdout)
    item = data[0] if isinstance(data, list) else data
    assert item["decision"] == "allowed"
    assert [a for a in item["assumptions"] if f"account {ACCOUNT}" in a]
    text = CliRunner().invoke(main, [*args, "--format", "text"]).stdout.splitlines()
    assert "ALLOWED" in text[0] and text[1].strip().startswith("assuming ")


# --- an account of the world in no OU (fuzz s23 F4) -------------------------------------------


def _outside_tree(world: dict[str, Any]) -> dict[str, Any]:
    """The account left out of every OU's list (a typo, an emptied list)."""
    world["organization"]["root"]["ous"][0]["accounts"] = ["111111111112"]
    world["organization"]["account_policies"] = {}
    return world


def test_an_account_in_no_ou_is_an_assumption_beside_the_verdict(tmp_path: Path) -> None:
    world = load_world(_write(tmp_path, _outside_tree(_world(()))))
    resolution = resolve(world, ROLE, "backup:DeleteBackupVault", VAULT)
    assert resolution.policies.scp is None
    assert [a for a in resolution.assumptions if "outside the organization" in a]
    directory = tmp_path / "world"
    code, out = _explain(directory, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["verdict"] == "allowed"
    assert any(f"account {ACCOUNT} is in no 'accounts' list" in a for a in data["assumptions"])
    _, out = _explain(directory, "--format", "text")
    lines = out.splitlines()
    assert "ALLOWED" in lines[0] and "outside the organization" in lines[1]


def test_an_account_in_no_ou_of_a_collected_world_is_outside_without_assuming(
    tmp_path: Path,
) -> None:
    world = load_world(_write(tmp_path, _outside_tree(_world(())), manifest=True))
    resolution = resolve(world, ROLE, "backup:DeleteBackupVault", VAULT)
    assert resolution.assumptions == ()
    assert any("is not in organization" in note for note in resolution.notes)


def test_the_rcps_of_a_resource_account_in_no_ou_are_an_assumption_too(tmp_path: Path) -> None:
    data = _outside_tree(_world(()))
    data["organization"]["policies"] = {
        "DenyKms": {
            "type": "rcp",
            "document": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}
                ],
            },
        }
    }
    world = load_world(_write(tmp_path, data))
    key = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    resolution = resolve(world, ROLE, "kms:Decrypt", key)
    assert resolution.policies.rcp is None
    assert [a for a in resolution.assumptions if "no SCPs or RCPs apply" in a]


def test_the_management_account_in_no_ou_is_not_an_assumption(tmp_path: Path) -> None:
    data = _outside_tree(_world(()))
    data["organization"]["management_account"] = ACCOUNT
    resolution = resolve(load_world(_write(tmp_path, data)), ROLE, "backup:ListBackupVaults", "*")
    assert resolution.assumptions == ()
    assert any("is the management account" in note for note in resolution.notes)


def test_attached_policies_for_an_account_in_no_ou_are_refused(tmp_path: Path) -> None:
    data = _outside_tree(_world(()))
    data["organization"]["account_policies"] = {ACCOUNT: ["FullAWSAccess"]}
    directory = _write(tmp_path, data)
    args = ["explain", "--world", str(directory), "create-vault", "--caller", ROLE]
    result = CliRunner().invoke(main, [*args, "--vault", VAULT])
    assert result.exit_code == 3
    assert "Traceback" not in result.output and result.stdout == ""
    assert f"at /organization/account_policies/{ACCOUNT}: account {ACCOUNT}" in result.stderr
