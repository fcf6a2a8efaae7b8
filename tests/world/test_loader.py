"""World files (Contract 2): loading, merging a directory, and located errors."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from backup_access.errors import InputError, PolicyError
from backup_access.world import KeyManager, VaultType, load_world

FIXTURES = Path(__file__).parent / "fixtures"
WORLD = FIXTURES / "world.yaml"
PROD = "222222222222"
BACKUP = "333333333333"


def base() -> dict[str, Any]:
    data = yaml.safe_load(WORLD.read_text())
    assert isinstance(data, dict)
    return data


def write(tmp_path: Path, data: object, name: str = "world.yaml") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data))
    return path


def fails(tmp_path: Path, data: object) -> InputError:
    path = write(tmp_path, data)
    with pytest.raises(InputError) as caught:
        load_world(path)
    assert caught.value.file == str(path)
    return caught.value


def test_fixture_world_loads_with_aws_arns() -> None:
    world = load_world(WORLD)
    assert world.organization is not None
    assert world.organization.management_account == "111111111111"
    assert world.organization.cross_account_backup is True
    prod = world.accounts[PROD]
    assert prod.roles["BackupAdmin"].arn == f"arn:aws:iam::{PROD}:role/BackupAdmin"
    assert prod.roles["Mystery"].arn == f"arn:aws:iam::{PROD}:role/ops/Mystery"
    assert prod.users["alice"].arn == f"arn:aws:iam::{PROD}:user/alice"
    assert prod.groups["admins"].arn == f"arn:aws:iam::{PROD}:group/admins"
    assert (
        prod.managed_policies["BackupOperator"].arn == f"arn:aws:iam::{PROD}:policy/BackupOperator"
    )
    region = prod.regions["us-east-1"]
    vault = region.vaults["source"]
    assert vault.arn == f"arn:aws:backup:us-east-1:{PROD}:backup-vault:source"
    assert vault.type is VaultType.STANDARD
    assert vault.recovery_points == ("rp-1",)
    key = region.keys["1234abcd-12ab-34cd-56ef-1234567890ab"]
    assert key.arn == f"arn:aws:kms:us-east-1:{PROD}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert key.manager is KeyManager.CUSTOMER
    assert key.grants[0].operations == ("Decrypt", "GenerateDataKey")
    assert world.sources == (str(WORLD),)


def test_unresolvable_vault_key_alias_is_a_warning_with_location() -> None:
    (warning,) = load_world(WORLD).warnings
    assert warning.startswith(
        f"{WORLD}#/accounts/{BACKUP}/regions/us-east-1/backup/vaults/central/key:"
    )
    assert "alias/central" in warning


def test_yaml_integer_account_ids_are_accepted(tmp_path: Path) -> None:
    world = load_world(write(tmp_path, {"accounts": {222222222222: {"name": "prod"}}}))
    assert list(world.accounts) == [PROD]


def test_short_integer_account_id_asks_for_quotes(tmp_path: Path) -> None:
    error = fails(tmp_path, {"accounts": {12345: {"name": "x"}}})
    assert error.pointer == "/accounts/12345"
    assert "quote" in error.message


def edit(path: str, value: object) -> Callable[[dict[str, Any]], None]:
    """Set the value at a /-separated path (created as needed)."""

    def apply(data: dict[str, Any]) -> None:
        *parents, last = path.strip("/").split("/")
        node: Any = data
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node.setdefault(token, {})
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value

    return apply


ROLE = f"/accounts/{PROD}/iam/roles/BackupAdmin"
IMAGES = f"/accounts/{PROD}/regions/us-east-1/ec2/allowed_images"
KEY = "1234abcd-12ab-34cd-56ef-1234567890ab"
ROOT = "/organization/root"
CASES = [
    ("unknown top key", edit("/acounts", {}), "/acounts", "unknown key"),
    ("unknown role key", edit(f"{ROLE}/polices", []), f"{ROLE}/polices", "unknown key"),
    (
        "unknown vault key",
        edit(f"/accounts/{PROD}/regions/us-east-1/backup/vaults/source/kms_key", "x"),
        f"/accounts/{PROD}/regions/us-east-1/backup/vaults/source/kms_key",
        "unknown key",
    ),
    (
        "unknown grant key",
        edit(
            f"/accounts/{PROD}/regions/us-east-1/kms/keys/1234abcd-12ab-34cd-56ef-1234567890ab"
            "/grants/0/grantees",
            [],
        ),
        f"/accounts/{PROD}/regions/us-east-1/kms/keys/1234abcd-12ab-34cd-56ef-1234567890ab"
        "/grants/0/grantees",
        "unknown key",
    ),
    ("tags not object", edit(f"{ROLE}/tags", ["a"]), f"{ROLE}/tags", "must be an object"),
    ("policies not list", edit(f"{ROLE}/policies", "X"), f"{ROLE}/policies", "list"),
    ("bad path", edit(f"{ROLE}/path", "ops"), f"{ROLE}/path", "starts and ends"),
    (
        "missing role policy",
        edit(f"{ROLE}/policies/0", "NoSuchPolicy"),
        f"{ROLE}/policies/0",
        "'NoSuchPolicy' is not a policy of account 222222222222",
    ),
    (
        "missing boundary",
        edit(f"{ROLE}/boundary", "NoSuchBoundary"),
        f"{ROLE}/boundary",
        "permissions boundary 'NoSuchBoundary'",
    ),
    (
        "customer policy ARN of the account that it lacks",
        edit(f"{ROLE}/policies/0", f"arn:aws:iam::{PROD}:policy/Nope"),
        f"{ROLE}/policies/0",
        "is not a policy",
    ),
    (
        "undefined group",
        edit(f"/accounts/{PROD}/iam/users/alice/groups", ["admins", "ghosts"]),
        f"/accounts/{PROD}/iam/users/alice/groups/1",
        "group 'ghosts'",
    ),
    (
        "undefined org policy",
        edit(f"{ROOT}/ous/0/policies", ["FullAWSAccess", "Nope"]),
        f"{ROOT}/ous/0/policies/1",
        "'Nope' is not defined",
    ),
    (
        "undefined account-level org policy",
        edit("/organization/account_policies/333333333333", ["Nope"]),
        "/organization/account_policies/333333333333/0",
        "'Nope' is not defined",
    ),
    (
        "account in two OUs",
        edit(f"{ROOT}/ous/1/accounts", [BACKUP, PROD]),
        f"{ROOT}/ous/1/accounts/1",
        "account 222222222222 is in two places",
    ),
    (
        "OU inside itself",
        edit(f"{ROOT}/ous/0/ous/0/ous", [{"id": "ou-a1b2-11111111"}]),
        f"{ROOT}/ous/0/ous/0/ous/0",
        "OU cycle",
    ),
    (
        "OU twice",
        edit(f"{ROOT}/ous/1/id", "ou-a1b2-11111111"),
        f"{ROOT}/ous/1",
        "already defined at /organization/root/ous/0",
    ),
    ("root id", edit(f"{ROOT}/id", "ou-xx"), f"{ROOT}/id", "starts with 'r-'"),
    ("org policy type", edit("/organization/policies/DenyVaultDelete/type", "tag"), None, "scp"),
    (
        "vault type",
        edit(f"/accounts/{PROD}/regions/us-east-1/backup/vaults/source/type", "cold"),
        f"/accounts/{PROD}/regions/us-east-1/backup/vaults/source/type",
        "logically_air_gapped",
    ),
    ("region name", edit(f"/accounts/{PROD}/regions/useast", {}), None, "not a Region"),
    (
        "alias form",
        edit(
            f"/accounts/{PROD}/regions/us-east-1/kms/keys/k/aliases",
            ["backup"],
        ),
        f"/accounts/{PROD}/regions/us-east-1/kms/keys/k/aliases/0",
        "alias/NAME",
    ),
    (
        "management account",
        edit("/organization/management_account", "1111"),
        "/organization/management_account",
        "12-digit",
    ),
    (  # fuzz s23 F4: read as outside the organization, its attached SCPs silently dropped
        "account with attached policies in no OU",
        edit("/organization/account_policies/444444444444", ["FullAWSAccess"]),
        "/organization/account_policies/444444444444",
        "account 444444444444 has policies attached but is in no 'accounts' list",
    ),
    (
        "delegated administrator in no OU",
        edit("/organization/delegated_administrators", {"backup.amazonaws.com": [PROD, "4" * 12]}),
        "/organization/delegated_administrators/backup.amazonaws.com/1",
        "is a delegated administrator for backup.amazonaws.com but is in no 'accounts' list",
    ),
    *(  # fuzz s23 F7: a falsy non-list (a half-edited file) read as an empty list
        (f"{where} {value!r}", edit(f"{path}/{key}", value), f"{path}/{key}", message)
        for where, path, key in [
            ("root accounts", ROOT, "accounts"),
            ("root ous", ROOT, "ous"),
            ("OU accounts", f"{ROOT}/ous/1", "accounts"),
            ("OU ous", f"{ROOT}/ous/1", "ous"),
            ("key grants", f"/accounts/{PROD}/regions/us-east-1/kms/keys/{KEY}", "grants"),
        ]
        for value, message in [
            ("", "must be a list"),
            ({}, "must be a list"),
            (None, "(write [] for none)"),
            (PROD, "must be a list"),
        ]
    ),
    *(
        (
            f"Allowed AMI providers {value!r}",
            edit(IMAGES, {"state": "enabled", "providers": value}),
            f"{IMAGES}/providers",
            "must be a list",
        )
        for value in ("", {}, None)
    ),
    (
        "Allowed AMIs managed by someone the API page does not list",
        edit(f"{IMAGES}/managed_by", "organization"),
        f"{IMAGES}/managed_by",
        "'managed_by' must be one of account, declarative-policy",
    ),
]


@pytest.mark.parametrize(
    ("change", "pointer", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_world_is_located(
    tmp_path: Path,
    change: Callable[[dict[str, Any]], None],
    pointer: str | None,
    message: str,
) -> None:
    data = base()
    change(data)
    error = fails(tmp_path, data)
    if pointer is not None:
        assert error.pointer == pointer
    assert message in error.message


@pytest.mark.parametrize("managed_by", ["account", "declarative-policy", None])
def test_allowed_images_keep_who_manages_them(tmp_path: Path, managed_by: str | None) -> None:
    # GetAllowedImagesSettings' ManagedBy (API_GetAllowedImagesSettings.html): account, or
    # declarative-policy when the account cannot change the setting; absent: not recorded.
    data = base()
    images: dict[str, Any] = {"state": "enabled", "providers": ["amazon"]}
    if managed_by is not None:
        images["managed_by"] = managed_by
    edit(IMAGES, images)(data)
    loaded = load_world(write(tmp_path, data)).accounts[PROD].regions["us-east-1"]
    assert loaded.allowed_images is not None
    assert loaded.allowed_images.managed_by == managed_by


def test_invalid_policy_is_located_inside_the_world(tmp_path: Path) -> None:
    data = base()
    data["accounts"][PROD]["iam"]["roles"]["BackupAdmin"]["inline"]["ExtraKms"]["Statement"][0][
        "Effect"
    ] = "allow"
    error = fails(tmp_path, data)
    assert isinstance(error, PolicyError)
    assert error.pointer == f"{ROLE}/inline/ExtraKms/Statement/0/Effect"


def test_fixture_bad_role_policy_names_file_and_pointer() -> None:
    with pytest.raises(InputError) as caught:
        load_world(FIXTURES / "bad-role-policy.yaml")
    assert str(caught.value).startswith(
        f"{FIXTURES / 'bad-role-policy.yaml'} at {ROLE}/policies/1:"
    )


def test_fixture_account_in_two_ous() -> None:
    with pytest.raises(InputError) as caught:
        load_world(FIXTURES / "bad-ou-twice.yaml")
    assert caught.value.pointer == f"{ROOT}/ous/1/accounts/0"
    assert "/organization/root/ous/0/accounts/0" in caught.value.message


def test_aws_managed_policies_by_name_and_unknown_arn_load(tmp_path: Path) -> None:
    data = base()
    role = data["accounts"][PROD]["iam"]["roles"]["BackupAdmin"]
    role["policies"] = ["AWSBackupFullAccess", "arn:aws:iam::aws:policy/NotShipped"]
    load_world(write(tmp_path, data))


def test_world_carries_aws_managed_policies(tmp_path: Path) -> None:
    data = base()
    arn = "arn:aws:iam::aws:policy/Custom"
    data["aws_managed_policies"] = {
        arn: {"document": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}}
    }
    data["accounts"][PROD]["iam"]["roles"]["BackupAdmin"]["policies"] = ["Custom"]
    world = load_world(write(tmp_path, data))
    assert world.aws_managed_policies[arn].name == "Custom"


def test_directory_merges_files_in_any_format() -> None:
    merged = load_world(FIXTURES / "split")
    single = load_world(WORLD)
    assert sorted(merged.accounts) == sorted(single.accounts)
    assert merged.organization is not None and single.organization is not None
    assert merged.organization.root.ous[0].id == single.organization.root.ous[0].id
    assert len(merged.sources) == 3
    assert merged.accounts[PROD].location.source.endswith("prod.yaml")
    assert merged.accounts[BACKUP].location.source.endswith("backup.json")


def test_conflicting_account_names_both_files() -> None:
    with pytest.raises(InputError) as caught:
        load_world(FIXTURES / "conflict")
    error = caught.value
    assert error.file is not None and error.file.endswith("b.yaml")
    assert error.pointer == f"/accounts/{PROD}"
    assert "a.yaml" in error.message


def test_identical_duplicates_merge(tmp_path: Path) -> None:
    data = {"accounts": {PROD: {"name": "prod"}}}
    write(tmp_path, data, "a.yaml")
    write(tmp_path, copy.deepcopy(data), "b.json")
    assert list(load_world(tmp_path).accounts) == [PROD]


def test_two_different_organizations_conflict(tmp_path: Path) -> None:
    org = base()["organization"]
    write(tmp_path, {"organization": org}, "a.yaml")
    other = copy.deepcopy(org)
    other["cross_account_backup"] = False
    write(tmp_path, {"organization": other}, "b.yaml")
    with pytest.raises(InputError, match="organization is defined differently"):
        load_world(tmp_path)


def test_empty_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no world files"):
        load_world(tmp_path)
    with pytest.raises(InputError, match="file not found"):
        load_world(tmp_path / "nope.yaml")


def test_empty_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("")
    with pytest.raises(InputError, match="empty"):
        load_world(path)


def test_the_management_account_may_have_policies_attached_outside_the_tree(
    tmp_path: Path,
) -> None:
    """SCPs and RCPs never apply to the management account, so leaving it out of the tree
    drops nothing (review s23 M1: such a world was refused as a contradiction)."""
    data = base()
    data["organization"]["root"]["accounts"] = []
    data["organization"]["account_policies"]["111111111111"] = ["FullAWSAccess"]
    world = load_world(write(tmp_path, data))
    assert world.organization is not None
    assert world.organization.management_account == "111111111111"
