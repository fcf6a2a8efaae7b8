"""Write a collection as a world directory, replacing the previous one all at once.

Everything is written into a temporary directory beside the target, checked by loading it
with the world loader, and only then put in place: on Linux the two directories are swapped
in one step (renameat2 RENAME_EXCHANGE), elsewhere the old one is renamed aside first and
removed after. Ctrl-C or a crash before that leaves the old world as it was.
A target that exists but was not written by ``collect`` (no ``manifest.json``) is refused,
so that a mistyped ``--out`` never replaces someone's files.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from backup_access.collect.run import Collected
from backup_access.errors import InputError
from backup_access.world.loader import load_world
from backup_access.world.manifest import CLOUDTRAIL_FOLDER, MANIFEST_NAME

ORGANIZATION_FILE = "organization.json"
AWS_POLICIES_FILE = "aws-managed-policies.json"
#: Written only when nothing else is (no account could be entered, no organization read): an
#: empty world, so that the directory still loads and questions read the manifest's
#: ``unknown`` (each account not entered, and why) instead of failing on an empty directory.
EMPTY_WORLD_FILE = "world.json"


def account_file(account: str) -> str:
    return f"account-{account}.json"


def _dump(path: Path, data: Any) -> None:
    with path.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True, default=str)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())


def fill(directory: Path, collected: Collected) -> None:
    """Write the world files, the CloudTrail events and the manifest into ``directory``."""
    if collected.organization is not None:
        _dump(directory / ORGANIZATION_FILE, {"organization": collected.organization})
    for account, section in collected.accounts.items():
        _dump(directory / account_file(account), {"accounts": {account: section}})
    if collected.aws_policies:
        policies = {arn: {"document": doc} for arn, doc in collected.aws_policies.items()}
        _dump(directory / AWS_POLICIES_FILE, {"aws_managed_policies": policies})
    if collected.organization is None and not collected.accounts:
        _dump(directory / EMPTY_WORLD_FILE, {"accounts": {}})
    if collected.cloudtrail:
        folder = directory / CLOUDTRAIL_FOLDER
        folder.mkdir()
        for name, events in collected.cloudtrail.items():
            _dump(folder / name, {"Events": events})
    manifest = dict(collected.manifest)
    manifest["cloudtrail_files"] = [f"{CLOUDTRAIL_FOLDER}/{name}" for name in collected.cloudtrail]
    _dump(directory / MANIFEST_NAME, manifest)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False if unavailable."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return bool(result == 0)


def check_target(out: Path) -> None:
    """Refuse a target that exists and is not a world directory written by ``collect``."""
    if not out.exists():
        return
    if not out.is_dir():
        raise InputError("--out must be a directory; this is a file", file=str(out))
    if any(out.iterdir()) and not (out / MANIFEST_NAME).is_file():
        raise InputError(
            f"--out exists and has no {MANIFEST_NAME}: it is not a world directory written by "
            "collect, and will not be replaced",
            file=str(out),
        )


def write_world(out: Path, collected: Collected) -> None:
    """Write ``collected`` to ``out`` atomically; on any error the old ``out`` is untouched."""
    check_target(out)
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        fill(staging, collected)
        load_world(staging, lazy=False)  # the world must load before it replaces anything
        if not out.exists():
            staging.rename(out)
            return
        if _exchange(staging, out):
            shutil.rmtree(staging)  # now holds the old world
            return
        aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        aside.rmdir()
        out.rename(aside)
        staging.rename(out)
        shutil.rmtree(aside, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
