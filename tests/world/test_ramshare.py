"""A logically air-gapped vault shared through AWS RAM: the share is the resource-side allow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from backup_access.engine import DecisionValue, Layer, evaluate
from backup_access.world import load_world, resolve
from backup_access.world.ramshare import SHARED_ACTIONS

LAG_WORLD = Path(__file__).parents[2] / "examples" / "worlds" / "lag-vault" / "world.yaml"
OWNER, RECIPIENT = "222222222222", "111111111111"
CALLER = f"arn:aws:iam::{RECIPIENT}:role/RestoreOperator"
VAULT = f"arn:aws:backup:us-east-1:{OWNER}:backup-vault:airgap"
POINT = f"arn:aws:backup:us-east-1:{OWNER}:recovery-point:3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f"


def _world(tmp_path: Path, shared_with: list[str], access_policy: Any = None) -> Any:
    data = yaml.safe_load(LAG_WORLD.read_text())
    vaults = data["accounts"][OWNER]["regions"]["us-east-1"]["backup"]["vaults"]
    vault = vaults["airgap"]
    vault["shared_with"] = shared_with
    vaults["central"]["shared_with"] = list(shared_with)  # a standard vault: RAM shares none
    if access_policy is not None:
        vault["access_policy"] = access_policy
    path = tmp_path / "world.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_world(path)


def _restore(world: Any, action: str = "backup:StartRestoreJob") -> Any:
    resolution = resolve(
        world, CALLER, action, POINT, resource_account=OWNER, recovery_point_vault=VAULT
    )
    return resolution, evaluate(resolution.request, resolution.policies)


@pytest.mark.parametrize(
    "entry",
    [
        RECIPIENT,
        "o-f6a7b8c9d0",
        "arn:aws:organizations::999999999999:organization/o-f6a7b8c9d0",
        "arn:aws:organizations::999999999999:ou/o-f6a7b8c9d0/ou-f6a7-11111111",
        "ou-f6a7-11111111",
    ],
)
def test_a_share_with_the_account_its_organization_or_ou_allows_restore(
    tmp_path: Path, entry: str
) -> None:
    resolution, decision = _restore(_world(tmp_path, [entry]))
    assert decision.value is DecisionValue.ALLOWED, decision.blocked_by
    assert resolution.policies.resource is not None
    assert resolution.policies.resource.name == "AWS RAM share of vault airgap"
    assert any("shared through AWS RAM" in note for note in resolution.notes)
    statement = resolution.policies.resource.policy.statements[0]
    assert statement.pointer.endswith("/vaults/airgap/shared_with")
    assert set(statement.actions or ()) == set(SHARED_ACTIONS)


def test_a_share_with_someone_else_or_an_action_it_does_not_share_is_not_an_allow(
    tmp_path: Path,
) -> None:
    _, decision = _restore(_world(tmp_path, ["333333333333", "ou-f6a7-22222222"]))
    assert decision.value is DecisionValue.IMPLICIT_DENY
    assert decision.blocked_by == (Layer.RESOURCE,)
    resolution, decision = _restore(_world(tmp_path, [RECIPIENT]), "backup:DeleteRecoveryPoint")
    assert decision.value is DecisionValue.IMPLICIT_DENY
    assert not any("shared through AWS RAM" in note for note in resolution.notes)


def test_the_share_adds_to_the_vaults_access_policy_whose_deny_still_wins(tmp_path: Path) -> None:
    deny = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "NoRestoreOutsideOwner",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "backup:StartRestoreJob",
                "Resource": "*",
                "Condition": {"StringNotEquals": {"aws:PrincipalAccount": OWNER}},
            }
        ],
    }
    resolution, decision = _restore(_world(tmp_path, [RECIPIENT], deny))
    policy = resolution.policies.resource
    assert policy is not None and policy.name == "vault airgap access policy and AWS RAM share"
    assert [s.sid for s in policy.policy.statements] == [
        "NoRestoreOutsideOwner",
        "RamShareWithAccounts",
    ]
    assert [s.index for s in policy.policy.statements] == [0, 1]
    assert decision.value is DecisionValue.EXPLICIT_DENY


def test_unknown_entries_are_noted_and_a_standard_vault_is_never_shared(tmp_path: Path) -> None:
    resolution, decision = _restore(_world(tmp_path, ["not-an-account"]))
    assert decision.value is DecisionValue.IMPLICIT_DENY
    assert any("'not-an-account' names no account" in note for note in resolution.notes)
    central = f"arn:aws:backup:us-east-1:{OWNER}:backup-vault:central"
    resolution = resolve(
        _world(tmp_path, [RECIPIENT]), CALLER, "backup:DescribeBackupVault", central
    )
    assert resolution.policies.resource is None
