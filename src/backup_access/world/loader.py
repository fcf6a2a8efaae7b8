"""Load a world (Contract 2) from one YAML/JSON file or a directory of them, merged.

A directory's files (``*.yaml``, ``*.yml``, ``*.json``, searched recursively, in name order)
each hold any part of the world: the organization in one file, accounts spread over others.
Something defined twice must be defined identically; otherwise the error names both files.
Every problem is an ``InputError`` naming the file and the JSON pointer.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from backup_access.documents import load_document
from backup_access.errors import InputError, RequestError
from backup_access.fields import account_id, at, check_keys, mapping, policy
from backup_access.policy.layer import Layer
from backup_access.world.account import parse_account
from backup_access.world.lazy import LazyAccounts, account_file_id
from backup_access.world.managed import is_aws_managed_arn
from backup_access.world.manifest import MANIFEST_NAME, is_collector_file, read_unknown
from backup_access.world.model import Account, Location, ManagedPolicy, Organization, World
from backup_access.world.organization import parse_organization
from backup_access.world.references import check_account, check_references

_TOP_KEYS = frozenset({"organization", "accounts", "aws_managed_policies"})
_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass(slots=True)
class _Part:
    """What one file defines, with the raw text of each part to compare duplicates."""

    source: str
    organization: tuple[Organization, Any] | None = None
    accounts: dict[str, tuple[Account, Any]] = field(default_factory=dict)
    aws_policies: dict[str, tuple[ManagedPolicy, Any]] = field(default_factory=dict)


def _aws_policies(raw: object, source: str) -> dict[str, tuple[ManagedPolicy, Any]]:
    pointer = "/aws_managed_policies"
    out: dict[str, tuple[ManagedPolicy, Any]] = {}
    for arn, item in mapping(raw, pointer, "aws_managed_policies").items():
        here = at(pointer, arn)
        if not is_aws_managed_arn(arn):
            raise RequestError(
                f"keys here are AWS managed policy ARNs (arn:aws:iam::aws:policy/…), found '{arn}'",
                pointer=here,
            )
        data = mapping(item, here, "an AWS managed policy")
        check_keys(data, frozenset({"document"}), here)
        document = policy(data.get("document"), at(here, "document"), Layer.IDENTITY)
        name = arn.rsplit("/", 1)[-1]
        out[arn] = (
            ManagedPolicy(name, arn, document, Location(source, at(here, "document"))),
            item,
        )
    return out


def parse_world_part(document: object, *, source: str) -> _Part:
    """One world file's content, validated but not yet cross-referenced."""
    try:
        if document is None:
            raise RequestError("the world file is empty", pointer="/")
        data = mapping(document, "", "a world file")
        check_keys(data, _TOP_KEYS, "")
        part = _Part(source)
        if data.get("organization") is not None:
            raw = data["organization"]
            part.organization = (parse_organization(raw, "/organization", source), raw)
        for key, raw in mapping(
            data.get("accounts"), "/accounts", "accounts", account_keys=True
        ).items():
            here = at("/accounts", key)
            account = account_id(key, here)
            part.accounts[account] = (parse_account(account, raw, here, source), raw)
        part.aws_policies = _aws_policies(data.get("aws_managed_policies"), source)
        return part
    except InputError as error:
        raise error.located(file=error.file or source) from None


def _conflict(what: str, first: Location, second: Location) -> RequestError:
    return RequestError(
        f"{what} is defined differently in {first} and here",
        pointer=second.pointer,
        file=second.source,
    )


def merge_parts(parts: list[_Part]) -> World:
    """Merge file parts into one world and check its references."""
    organization: tuple[Organization, Any] | None = None
    accounts: dict[str, tuple[Account, Any]] = {}
    aws: dict[str, tuple[ManagedPolicy, Any]] = {}
    for part in parts:
        if part.organization is not None:
            if organization is not None and organization[1] != part.organization[1]:
                raise _conflict(
                    "the organization", organization[0].location, part.organization[0].location
                )
            organization = organization or part.organization
        for key, entry in part.accounts.items():
            if key in accounts and accounts[key][1] != entry[1]:
                raise _conflict(f"account {key}", accounts[key][0].location, entry[0].location)
            accounts.setdefault(key, entry)
        for arn, policy_entry in part.aws_policies.items():
            if arn in aws and aws[arn][1] != policy_entry[1]:
                raise _conflict(arn, aws[arn][0].location, policy_entry[0].location)
            aws.setdefault(arn, policy_entry)
    world = World(
        organization=None if organization is None else organization[0],
        accounts={key: accounts[key][0] for key in sorted(accounts)},
        sources=tuple(part.source for part in parts),
        aws_managed_policies={arn: aws[arn][0] for arn in sorted(aws)},
    )
    return replace(world, warnings=check_references(world))


def _with_deferred(world: World, files: dict[str, Path]) -> World:
    """``world`` whose accounts also include ``files``, each read on first lookup."""
    final: list[World] = []

    def read(key: str, file: Path) -> Account:
        part = parse_world_part(load_document(file), source=str(file))
        if part.organization is not None or part.aws_policies or set(part.accounts) != {key}:
            raise InputError(
                f"an account-{key}.json file holds account {key} and nothing else "
                f"({{'accounts': {{'{key}': …}}}})",
                file=str(file),
            )
        return part.accounts[key][0]

    def check(account: Account) -> None:
        check_account(final[0], account)

    lazy = LazyAccounts(world.accounts, files, read, check)
    final.append(replace(world, accounts=lazy))
    return final[0]


# Directories that are never parts of a world: tools' and packages' own files (a virtual
# environment's site-packages holds YAML of every kind). Hidden directories are skipped too.
_NOT_WORLD_DIRECTORIES = frozenset({"node_modules", "site-packages", "__pycache__"})


def is_world_directory(directory: Path) -> bool:
    """Whether a subdirectory of a world directory may hold world files: not hidden (``.git``,
    ``.venv``), not a virtual environment (``pyvenv.cfg``) nor a package directory."""
    name = directory.name
    return not (
        name.startswith(".")
        or name in _NOT_WORLD_DIRECTORIES
        or (directory / "pyvenv.cfg").exists()
    )


def _walk(root: Path) -> Iterator[Path]:
    """Every entry under ``root``, not descending into what ``is_world_directory`` refuses
    (nor, like ``Path.rglob``, into symbolic links to directories)."""
    for folder, directories, names in os.walk(root):
        here = Path(folder)
        directories[:] = sorted(d for d in directories if is_world_directory(here / d))
        for name in (*names, *directories):
            yield here / name


def world_files(path: Path) -> list[Path]:
    """The files a world path stands for: itself, or a directory's world files in order."""
    if not path.is_dir():
        return [path]
    # Not only regular files: a FIFO or device named like a world file is refused by name
    # when it is read, rather than silently skipped.
    files = sorted(
        p
        for p in _walk(path)
        if p.suffix.lower() in _SUFFIXES and not p.is_dir() and not is_collector_file(path, p)
    )
    if not files:
        raise InputError("no world files (*.yaml, *.yml, *.json) in this directory", file=str(path))
    return files


def load_world(path: str | Path, *, lazy: bool = True) -> World:
    """Load and validate a world file or a directory of world files.

    In a directory, ``account-<id>.json`` files (what the collector writes, one account
    each) are only indexed here and read when a question touches their account
    (world/lazy.py); every other file is read now. ``lazy=False`` reads and checks every
    file now (the collector, before it replaces a world).
    """
    root = Path(path)
    files = world_files(root)
    deferred: dict[str, Path] = {}
    eager: list[Path] = []
    for file in files:
        account = account_file_id(file) if root.is_dir() else None
        if account is None or account in deferred:
            eager.append(file)
        else:
            deferred[account] = file
    parts = [parse_world_part(load_document(file), source=str(file)) for file in eager]
    defined_twice = {key for part in parts for key in part.accounts} & set(deferred)
    for key in sorted(defined_twice):  # compared with the other definition, as any file is
        file = deferred.pop(key)
        parts.append(parse_world_part(load_document(file), source=str(file)))
    world = merge_parts(parts)
    if deferred:
        world = _with_deferred(world, deferred)
        if not lazy:
            for key in world.accounts:
                world.accounts[key]
    directory = Path(path) if Path(path).is_dir() else None
    if directory is None or not (directory / MANIFEST_NAME).is_file():
        return world
    return replace(world, unknown=read_unknown(directory), collected=True)
