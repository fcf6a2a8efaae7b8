"""Contract 2's ``accounts`` section → ``Account`` objects (IAM, vaults, KMS keys).

ARNs are built the way AWS builds them: role ``arn:aws:iam::ACCOUNT:role{path}NAME``,
vault ``arn:aws:backup:REGION:ACCOUNT:backup-vault:NAME``, key
``arn:aws:kms:REGION:ACCOUNT:key/ID`` (reference-arns.html). References between objects
(policy names, groups, boundaries) are checked later, on the merged world.
"""

from __future__ import annotations

import re
from typing import Any

from backup_access.errors import RequestError
from backup_access.fields import (
    at,
    check_keys,
    listed,
    mapping,
    optional_text,
    policy,
    tags,
    text,
    text_list,
)
from backup_access.grant_input import parse_grant
from backup_access.policy.layer import Layer
from backup_access.policy.model import Policy
from backup_access.world.backup_parts import (
    parse_allowed_images,
    parse_buckets,
    parse_flags,
    parse_lock,
    parse_points,
)
from backup_access.world.model import (
    Account,
    Group,
    Key,
    KeyManager,
    Location,
    ManagedPolicy,
    Region,
    Role,
    User,
    Vault,
    VaultType,
)

_ACCOUNT_KEYS = frozenset({"name", "iam", "regions", "s3"})
_IAM_KEYS = frozenset({"policies", "roles", "users", "groups"})
_ROLE_KEYS = frozenset({"path", "trust", "policies", "inline", "boundary", "tags"})
_USER_KEYS = frozenset({"path", "groups", "policies", "inline", "boundary", "tags"})
_GROUP_KEYS = frozenset({"path", "policies", "inline"})
_REGION_KEYS = frozenset({"backup", "kms", "ec2"})
_VAULT_KEYS = frozenset(
    {"key", "access_policy", "type", "shared_with", "recovery_points", "tags", "lock"}
)
_KEY_KEYS = frozenset({"aliases", "manager", "policy", "grants", "tags"})
_REGION_NAME = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


def _path(raw: object, pointer: str) -> str:
    value = "/" if raw is None else text(raw, pointer, "path")
    if not (value.startswith("/") and value.endswith("/")):
        raise RequestError(
            f"an IAM path starts and ends with '/', found '{value}'", pointer=pointer
        )
    return value


def _inline(raw: object, pointer: str) -> dict[str, Policy]:
    return {
        name: policy(document, at(pointer, name), Layer.IDENTITY)
        for name, document in mapping(raw, pointer, "inline").items()
    }


def _role(name: str, raw: object, pointer: str, account: str, source: str) -> Role:
    data = mapping(raw, pointer, "a role")
    check_keys(data, _ROLE_KEYS, pointer)
    path = _path(data.get("path"), at(pointer, "path"))
    return Role(
        name=name,
        arn=f"arn:aws:iam::{account}:role{path}{name}",
        path=path,
        trust=None
        if data.get("trust") is None
        else policy(data["trust"], at(pointer, "trust"), Layer.RESOURCE),
        policies=text_list(data.get("policies"), at(pointer, "policies"), "policies"),
        inline=_inline(data.get("inline"), at(pointer, "inline")),
        boundary=optional_text(data.get("boundary"), at(pointer, "boundary"), "boundary"),
        tags=tags(data.get("tags"), at(pointer, "tags")),
        location=Location(source, pointer),
    )


def _user(name: str, raw: object, pointer: str, account: str, source: str) -> User:
    data = mapping(raw, pointer, "a user")
    check_keys(data, _USER_KEYS, pointer)
    path = _path(data.get("path"), at(pointer, "path"))
    return User(
        name=name,
        arn=f"arn:aws:iam::{account}:user{path}{name}",
        path=path,
        groups=text_list(data.get("groups"), at(pointer, "groups"), "groups"),
        policies=text_list(data.get("policies"), at(pointer, "policies"), "policies"),
        inline=_inline(data.get("inline"), at(pointer, "inline")),
        boundary=optional_text(data.get("boundary"), at(pointer, "boundary"), "boundary"),
        tags=tags(data.get("tags"), at(pointer, "tags")),
        location=Location(source, pointer),
    )


def _group(name: str, raw: object, pointer: str, account: str, source: str) -> Group:
    data = mapping(raw, pointer, "a group")
    check_keys(data, _GROUP_KEYS, pointer)
    path = _path(data.get("path"), at(pointer, "path"))
    return Group(
        name=name,
        arn=f"arn:aws:iam::{account}:group{path}{name}",
        policies=text_list(data.get("policies"), at(pointer, "policies"), "policies"),
        inline=_inline(data.get("inline"), at(pointer, "inline")),
        location=Location(source, pointer),
    )


def _key(key_id: str, raw: object, pointer: str, account: str, region: str, source: str) -> Key:
    data = mapping(raw, pointer, "a KMS key")
    check_keys(data, _KEY_KEYS, pointer)
    aliases = text_list(data.get("aliases"), at(pointer, "aliases"), "aliases")
    for index, alias in enumerate(aliases):
        if not alias.startswith("alias/"):
            raise RequestError(
                f"an alias is written 'alias/NAME', found '{alias}'",
                pointer=at(at(pointer, "aliases"), index),
            )
    manager = data.get("manager", "customer")
    if manager not in ("customer", "aws"):
        raise RequestError("'manager' must be customer or aws", pointer=at(pointer, "manager"))
    grants = listed(data, "grants", pointer, "a list")
    return Key(
        key_id=key_id,
        arn=f"arn:aws:kms:{region}:{account}:key/{key_id}",
        account=account,
        region=region,
        aliases=aliases,
        manager=KeyManager(manager),
        policy=None
        if data.get("policy") is None
        else policy(data["policy"], at(pointer, "policy"), Layer.RESOURCE),
        grants=tuple(parse_grant(g, i, at(at(pointer, "grants"), i)) for i, g in enumerate(grants)),
        location=Location(source, pointer),
        tags=tags(data.get("tags"), at(pointer, "tags")),
    )


def _vault(name: str, raw: object, pointer: str, account: str, region: str, source: str) -> Vault:
    data = mapping(raw, pointer, "a vault")
    check_keys(data, _VAULT_KEYS, pointer)
    kind = data.get("type", "standard")
    if kind not in ("standard", "logically_air_gapped"):
        raise RequestError(
            "'type' must be standard or logically_air_gapped", pointer=at(pointer, "type")
        )
    access = data.get("access_policy")
    refs, points = parse_points(data.get("recovery_points"), at(pointer, "recovery_points"))
    return Vault(
        name=name,
        arn=f"arn:aws:backup:{region}:{account}:backup-vault:{name}",
        account=account,
        region=region,
        key=optional_text(data.get("key"), at(pointer, "key"), "key"),
        access_policy=None
        if access is None
        else policy(access, at(pointer, "access_policy"), Layer.RESOURCE),
        type=VaultType(kind),
        shared_with=text_list(data.get("shared_with"), at(pointer, "shared_with"), "shared_with"),
        location=Location(source, pointer),
        recovery_points=refs,
        tags=tags(data.get("tags"), at(pointer, "tags")),
        points=points,
        lock=parse_lock(data.get("lock"), at(pointer, "lock")),
    )


def _region(name: str, raw: object, pointer: str, account: str, source: str) -> Region:
    if not _REGION_NAME.match(name):
        raise RequestError(f"'{name}' is not a Region name such as us-east-1", pointer=pointer)
    data = mapping(raw, pointer, "a Region")
    check_keys(data, _REGION_KEYS, pointer)
    backup_at, kms_at = at(pointer, "backup"), at(pointer, "kms")
    backup = mapping(data.get("backup"), backup_at, "backup")
    check_keys(backup, frozenset({"vaults", "opt_in", "full_management"}), backup_at)
    kms = mapping(data.get("kms"), kms_at, "kms")
    check_keys(kms, frozenset({"keys"}), kms_at)
    ec2_at = at(pointer, "ec2")
    ec2 = mapping(data.get("ec2"), ec2_at, "ec2")
    check_keys(ec2, frozenset({"allowed_images"}), ec2_at)
    vaults_at, keys_at = at(backup_at, "vaults"), at(kms_at, "keys")
    return Region(
        name=name,
        vaults={
            vault: _vault(vault, item, at(vaults_at, vault), account, name, source)
            for vault, item in mapping(backup.get("vaults"), vaults_at, "vaults").items()
        },
        keys={
            key: _key(key, item, at(keys_at, key), account, name, source)
            for key, item in mapping(kms.get("keys"), keys_at, "keys").items()
        },
        opt_in=parse_flags(backup.get("opt_in"), at(backup_at, "opt_in"), "opt_in"),
        full_management=parse_flags(
            backup.get("full_management"), at(backup_at, "full_management"), "full_management"
        ),
        allowed_images=parse_allowed_images(
            ec2.get("allowed_images"), at(ec2_at, "allowed_images")
        ),
    )


def _named(
    raw: object, pointer: str, what: str, build: Any, account: str, source: str
) -> dict[str, Any]:
    return {
        name: build(name, item, at(pointer, name), account, source)
        for name, item in mapping(raw, pointer, what).items()
    }


def parse_account(account: str, raw: object, pointer: str, source: str) -> Account:
    data = mapping(raw, pointer, "an account")
    check_keys(data, _ACCOUNT_KEYS, pointer)
    iam_at = at(pointer, "iam")
    iam = mapping(data.get("iam"), iam_at, "iam")
    check_keys(iam, _IAM_KEYS, iam_at)
    policies_at = at(iam_at, "policies")
    managed = {
        name: ManagedPolicy(
            name,
            f"arn:aws:iam::{account}:policy/{name}",
            policy(document, at(policies_at, name), Layer.IDENTITY),
            Location(source, at(policies_at, name)),
        )
        for name, document in mapping(iam.get("policies"), policies_at, "policies").items()
    }
    regions_at = at(pointer, "regions")
    return Account(
        id=account,
        name=optional_text(data.get("name"), at(pointer, "name"), "name"),
        managed_policies=managed,
        roles=_named(iam.get("roles"), at(iam_at, "roles"), "roles", _role, account, source),
        users=_named(iam.get("users"), at(iam_at, "users"), "users", _user, account, source),
        groups=_named(iam.get("groups"), at(iam_at, "groups"), "groups", _group, account, source),
        regions=_named(data.get("regions"), regions_at, "regions", _region, account, source),
        location=Location(source, pointer),
        buckets=parse_buckets(mapping(data.get("s3"), at(pointer, "s3"), "s3"), at(pointer, "s3")),
    )
