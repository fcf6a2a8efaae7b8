"""World directories read an account's file only when a question touches the account
(world/lazy.py), so a 5,000-account organization answers one question quickly; a broken
file still fails, located, as soon as it is touched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backup_access.errors import InputError
from backup_access.world import load_world, resolve
from backup_access.world.lazy import LazyAccounts

IDS = ["111111111111", "222222222222", "333333333333"]
ALLOW_ALL = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def _account(account: str) -> dict[str, Any]:
    return {
        "accounts": {
            account: {
                "iam": {"roles": {"Ops": {"trust": TRUST, "inline": {"All": ALLOW_ALL}}}},
                "regions": {"us-east-1": {"backup": {"vaults": {"v": {}}}}},
            }
        }
    }


def _directory(tmp_path: Path) -> Path:
    directory = tmp_path / "world"
    directory.mkdir()
    organization = {
        "organization": {
            "id": "o-a1b2c3d4e5",
            "management_account": "999999999999",
            "root": {"id": "r-a1b2", "policies": ["FullAWSAccess"], "accounts": IDS},
            "account_policies": {account: ["FullAWSAccess"] for account in IDS},
        }
    }
    (directory / "organization.json").write_text(json.dumps(organization))
    for account in IDS:
        (directory / f"account-{account}.json").write_text(json.dumps(_account(account)))
    return directory


def _lazy(accounts: object) -> LazyAccounts:
    assert isinstance(accounts, LazyAccounts)
    return accounts


def test_loading_reads_no_account_file_and_a_question_reads_only_its_own(tmp_path: Path) -> None:
    world = load_world(_directory(tmp_path))
    accounts = _lazy(world.accounts)
    assert accounts.parsed == 0
    assert list(accounts) == IDS and len(accounts) == 3 and IDS[1] in accounts
    assert accounts.parsed == 0  # listing and membership read nothing
    role = f"arn:aws:iam::{IDS[0]}:role/Ops"
    resolution = resolve(world, role, "backup:DeleteBackupVault", "*", resource_account=IDS[0])
    assert resolution.policies.identity  # the role's inline policy was found
    assert accounts.parsed == 1


def test_an_untouched_broken_file_does_not_fail_but_a_touched_one_does(tmp_path: Path) -> None:
    directory = _directory(tmp_path)
    broken = directory / f"account-{IDS[2]}.json"
    broken.write_text('{"accounts": {"' + IDS[2] + '": {"iam": {"roles": {"Ops": {"x": 1}}}}}}')
    world = load_world(directory)
    assert world.accounts[IDS[0]].id == IDS[0]
    for _ in range(2):  # a failed read is not remembered as a success
        with pytest.raises(InputError) as caught:
            world.accounts[IDS[2]]
        assert caught.value.file == str(broken) and "/roles/Ops/x" in str(caught.value)
    with pytest.raises(InputError):
        load_world(directory, lazy=False)


def test_a_file_must_hold_the_account_it_is_named_for(tmp_path: Path) -> None:
    directory = _directory(tmp_path)
    (directory / f"account-{IDS[1]}.json").write_text(json.dumps(_account(IDS[0])))
    world = load_world(directory)
    with pytest.raises(InputError, match=f"holds account {IDS[1]} and nothing else"):
        world.accounts[IDS[1]]


def test_broken_references_are_found_when_the_account_is_read(tmp_path: Path) -> None:
    directory = _directory(tmp_path)
    data = _account(IDS[1])
    data["accounts"][IDS[1]]["iam"]["roles"]["Ops"]["policies"] = ["NoSuchPolicy"]
    (directory / f"account-{IDS[1]}.json").write_text(json.dumps(data))
    world = load_world(directory)
    with pytest.raises(InputError, match="NoSuchPolicy"):
        world.accounts[IDS[1]]


def test_an_account_also_defined_in_another_file_is_compared(tmp_path: Path) -> None:
    directory = _directory(tmp_path)
    other = _account(IDS[0])
    other["accounts"][IDS[0]]["name"] = "different"
    (directory / "extra.json").write_text(json.dumps(other))
    with pytest.raises(InputError, match="defined differently"):
        load_world(directory)


def test_a_single_file_world_is_read_at_once(tmp_path: Path) -> None:
    path = tmp_path / f"account-{IDS[0]}.json"
    path.write_text(json.dumps(_account(IDS[0])))
    world = load_world(path)
    assert not isinstance(world.accounts, LazyAccounts)
    assert world.accounts[IDS[0]].id == IDS[0]
