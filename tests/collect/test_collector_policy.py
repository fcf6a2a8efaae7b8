"""The shipped least-privilege policy allows every call the collector makes (recorded from a
real run against moto's server, evaluated by backup-access's engine), and nothing it never
makes; the stubbed readers check their own calls the same way (test_collect_stubbed.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.collect.policy import collector_policy
from tests.aws.server import MotoEndpoint
from tests.collect.organization import build_organization
from tests.collect.policy_check import not_allowed


def _policy_actions() -> set[str]:
    actions: set[str] = set()
    for statement in collector_policy()["Statement"]:
        listed = statement["Action"]
        actions.update([listed] if isinstance(listed, str) else listed)
    return actions


def test_every_call_of_a_real_run_is_allowed(aws: MotoEndpoint, tmp_path: Path) -> None:
    build_organization()
    out = tmp_path / "world"
    result = CliRunner().invoke(main, ["collect", "--org", "--out", str(out)])
    assert result.exit_code == 0, result.output
    calls = json.loads((out / "manifest.json").read_text())["calls"]
    assert {
        "sts:AssumeRole",
        "iam:GetAccountAuthorizationDetails",
        "kms:GetKeyPolicy",
        "backup:ListBackupVaults",
        "organizations:ListTargetsForPolicy",
    } <= set(calls)
    assert not_allowed(calls) == {}


def test_the_check_fails_for_a_call_the_policy_lacks() -> None:
    assert not_allowed(["backup:DeleteBackupVault", "kms:Decrypt"]) == {
        "backup:DeleteBackupVault": "implicit_deny",
        "kms:Decrypt": "implicit_deny",
    }


def test_the_policy_is_read_only_and_names_each_action() -> None:
    actions = _policy_actions()
    assert all("*" not in action for action in actions)
    verbs = ("Describe", "Get", "List", "Lookup", "AssumeRole")
    assert all(action.split(":", 1)[1].startswith(verbs) for action in actions)


@pytest.mark.parametrize(
    ("document", "after"),
    [
        ("docs/collect.md", "## The collector's permissions"),
        ("README.md", "## `backup-access collect`"),
    ],
)
def test_the_documented_policy_is_the_shipped_one(document: str, after: str) -> None:
    text = (Path(__file__).resolve().parents[2] / document).read_text()
    section = text.split(after, 1)[1]
    block = section.split("```json", 1)[1].split("```", 1)[0]
    assert json.loads(block) == collector_policy()
