"""Worlds that scale: one ``explain`` on a 5,000-account, 100,000-role world directory.

    python benchmarks/world_scale.py [--accounts N] [--roles R] [--runs K]

Generates, in a temporary directory, a world directory as the collector writes it
(``organization.json``, one ``account-<id>.json`` per account, ``manifest.json``): N accounts
in 50 OUs, R roles each (with trust, inline and managed policies) and a vault with an access
policy and a customer managed key. The same generator makes a 3-account world. Then, each as
a fresh ``backup-access`` process (what a user runs), median of K runs:

- one ``explain create-vault`` on the large world and on the small one, and their ratio
  (goal: at most 3x; only the accounts the question touches are read, world/lazy.py);
- the peak resident memory of the large run (goal: under 250 MiB);
- ``backup-access --help`` start-up (goal: under 0.15 s), next to ``python -c pass``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

OUS = 50
REGION = "us-east-1"


def _account_id(index: int) -> str:
    return f"{100000000000 + index:012d}"


def _statement(effect: str, action: Any, resource: str = "*", **more: Any) -> dict[str, Any]:
    return {"Effect": effect, "Action": action, "Resource": resource, **more}


def _policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def _account(account: str, roles: int) -> dict[str, Any]:
    trust = _policy(
        {
            "Effect": "Allow",
            "Principal": {"Service": "backup.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    )
    key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
    key_policy = _policy(
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
            "Action": "kms:*",
            "Resource": "*",
        }
    )
    vault_policy = _policy(
        {
            "Effect": "Deny",
            "Principal": "*",
            "Action": "backup:DeleteRecoveryPoint",
            "Resource": "*",
        }
    )
    return {
        "accounts": {
            account: {
                "name": f"account {account}",
                "iam": {
                    "policies": {
                        "BackupVaults": _policy(
                            _statement("Allow", ["backup:*", "backup-storage:MountCapsule"]),
                            _statement("Allow", ["kms:CreateGrant", "kms:DescribeKey"]),
                        )
                    },
                    "roles": {
                        f"Role{index}": {
                            "trust": trust,
                            "policies": ["BackupVaults"]
                            if index % 2
                            else ["arn:aws:iam::aws:policy/AWSBackupFullAccess"],
                            "inline": {
                                "Extra": _policy(
                                    _statement("Allow", "kms:Decrypt"),
                                    _statement(
                                        "Deny",
                                        "backup:DeleteBackupVault",
                                        f"arn:aws:backup:{REGION}:{account}:backup-vault:keep-{index}",
                                    ),
                                )
                            },
                            "tags": {"team": f"t{index % 7}"},
                        }
                        for index in range(roles)
                    },
                },
                "regions": {
                    REGION: {
                        "backup": {
                            "vaults": {
                                "central": {
                                    "key": f"arn:aws:kms:{REGION}:{account}:key/{key_id}",
                                    "access_policy": vault_policy,
                                }
                            }
                        },
                        "kms": {
                            "keys": {
                                key_id: {
                                    "aliases": ["alias/backup"],
                                    "manager": "customer",
                                    "policy": key_policy,
                                }
                            }
                        },
                    }
                },
            }
        }
    }


def generate(directory: Path, accounts: int, roles: int) -> list[str]:
    """Write a collector-shaped world directory; return its account ids."""
    directory.mkdir(parents=True)
    ids = [_account_id(index) for index in range(accounts)]
    ous = [
        {
            "id": f"ou-ab12-{index:08d}",
            "name": f"Unit {index}",
            "policies": ["FullAWSAccess"],
            "accounts": ids[index::OUS],
        }
        for index in range(OUS)
    ]
    organization = {
        "organization": {
            "id": "o-a1b2c3d4e5",
            "management_account": "999999999999",
            "cross_account_backup": True,
            "policies": {
                "DenyLeavingRegion": {
                    "type": "scp",
                    "document": _policy(
                        _statement(
                            "Deny",
                            "*",
                            Condition={"StringNotEquals": {"aws:RequestedRegion": [REGION]}},
                        )
                    ),
                }
            },
            "root": {
                "id": "r-ab12",
                "policies": ["FullAWSAccess", "DenyLeavingRegion"],
                "ous": ous,
            },
            "account_policies": {account: ["FullAWSAccess"] for account in ids},
        }
    }
    (directory / "organization.json").write_text(json.dumps(organization))
    for account in ids:
        (directory / f"account-{account}.json").write_text(json.dumps(_account(account, roles)))
    manifest = {"collected_at": "2026-12-07T00:00:00Z", "unknown": {}}
    (directory / "manifest.json").write_text(json.dumps(manifest))
    return ids


def _timed(command: list[str], runs: int) -> float:
    """Median wall time of ``runs`` fresh processes (each must succeed)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)[:200]} failed:\n{done.stderr}")
    return statistics.median(times)


def _explain(world: Path, account: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "backup_access",
        "explain",
        "--world",
        str(world),
        "--format",
        "json",
        "create-vault",
        "--caller",
        f"arn:aws:iam::{account}:role/Role7",
        "--vault",
        f"arn:aws:backup:{REGION}:{account}:backup-vault:new-vault",
    ]


def _peak_mib() -> float:
    """Largest resident set of any finished child so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--roles", type=int, default=20, help="roles per account")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="world-scale-") as folder:
        root = Path(folder)
        started = time.perf_counter()
        large_ids = generate(root / "large", args.accounts, args.roles)
        generated = time.perf_counter() - started
        size = sum(p.stat().st_size for p in (root / "large").iterdir()) / 2**20
        small_ids = generate(root / "small", 3, args.roles)
        print(
            f"large world: {args.accounts:,} accounts, {args.accounts * args.roles:,} roles, "
            f"{size:,.0f} MiB on disk (generated in {generated:.1f} s)"
        )
        small = _timed(_explain(root / "small", small_ids[1]), args.runs)
        small_peak = _peak_mib()
        large = _timed(_explain(root / "large", large_ids[len(large_ids) // 2]), args.runs)
        large_peak = _peak_mib()
    baseline = _timed([sys.executable, "-c", "pass"], args.runs * 2)
    help_time = _timed([sys.executable, "-m", "backup_access", "--help"], args.runs * 2)
    print(f"explain, small world (3 accounts):  {small * 1000:7.0f} ms  peak {small_peak:5.0f} MiB")
    print(f"explain, large world:               {large * 1000:7.0f} ms  peak {large_peak:5.0f} MiB")
    print(f"ratio large / small:                {large / small:7.2f}x  (goal <= 3x)")
    print(f"backup-access --help:               {help_time * 1000:7.0f} ms  (goal < 150 ms)")
    print(f"python -c pass:                     {baseline * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
