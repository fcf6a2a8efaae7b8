#!/usr/bin/env python3
"""Refresh the AWS managed policies shipped in src/backup_access/data/managed_policies/.

Each policy is written as one JSON file holding AWS's document unchanged plus a small
metadata record (ARN, default version, AWS's update date, where it was read, when).

Sources:
  --source aws   (default) IAM ``GetPolicy`` + ``GetPolicyVersion`` with boto3, read-only,
                 using whatever credentials boto3 finds (profile, environment, SSO). Nothing
                 about the credentials is printed.
  --source moto  the copy bundled with the installed ``moto`` package
                 (``moto/iam/aws_managed_policies.py``, which moto generates from the same
                 IAM calls); works offline.

Usage:  python scripts/refresh_managed_policies.py [--source aws|moto] [NAME ...]
With no NAME, refreshes every policy already shipped.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

DATA = (
    Path(__file__).resolve().parent.parent / "src" / "backup_access" / "data" / "managed_policies"
)
DEFAULT_NAMES = (
    "AWSBackupFullAccess",
    "AWSBackupOperatorAccess",
    "AWSBackupServiceRolePolicyForBackup",
    "AWSBackupServiceRolePolicyForRestores",
    "AWSBackupServiceLinkedRolePolicyForBackup",
    "AWSBackupServiceRolePolicyForS3Backup",
    "AWSBackupServiceRolePolicyForS3Restore",
    "AdministratorAccess",
    "PowerUserAccess",
    "ReadOnlyAccess",
)


def _record(
    name: str, path: str, version: str, updated: str, document: Any, source: str
) -> dict[str, Any]:
    return {
        "name": name,
        "arn": f"arn:aws:iam::aws:policy{path}{name}",
        "version_id": version,
        "update_date": updated,
        "source": source,
        "retrieved": datetime.date.today().isoformat(),
        "document": document,
    }


def from_aws(names: list[str]) -> list[dict[str, Any]]:
    import boto3  # only this script talks to AWS

    iam = boto3.client("iam")
    paginator = iam.get_paginator("list_policies")
    arns: dict[str, str] = {}
    for page in paginator.paginate(Scope="AWS"):
        for policy in page["Policies"]:
            arns[policy["PolicyName"]] = policy["Arn"]
    records = []
    for name in names:
        if name not in arns:
            print(f"{name}: no such AWS managed policy", file=sys.stderr)
            continue
        policy = iam.get_policy(PolicyArn=arns[name])["Policy"]
        version = iam.get_policy_version(
            PolicyArn=arns[name], VersionId=policy["DefaultVersionId"]
        )["PolicyVersion"]
        document = version["Document"]
        if isinstance(document, str):  # some SDKs return it URL-encoded
            document = json.loads(unquote(document))
        records.append(
            _record(
                name,
                policy["Path"],
                policy["DefaultVersionId"],
                str(policy["UpdateDate"].isoformat()),
                document,
                "AWS IAM GetPolicy + GetPolicyVersion (scripts/refresh_managed_policies.py)",
            )
        )
    return records


def from_moto(names: list[str]) -> list[dict[str, Any]]:
    import moto
    from moto.iam.aws_managed_policies import aws_managed_policies_data

    data = json.loads(aws_managed_policies_data)
    records = []
    for name in names:
        if name not in data:
            print(f"{name}: not in moto {moto.__version__}'s copy", file=sys.stderr)
            continue
        entry = data[name]
        records.append(
            _record(
                name,
                entry["Path"],
                entry["DefaultVersionId"],
                entry["UpdateDate"],
                entry["Document"],
                f"moto {moto.__version__} (PyPI), moto/iam/aws_managed_policies.py: "
                "AWS's IAM GetPolicyVersion output as bundled by moto",
            )
        )
    return records


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", choices=("aws", "moto"), default="aws")
    parser.add_argument("names", nargs="*")
    args = parser.parse_args()
    names = args.names or sorted({p.stem for p in DATA.glob("*.json")} | set(DEFAULT_NAMES))
    records = from_aws(names) if args.source == "aws" else from_moto(names)
    DATA.mkdir(parents=True, exist_ok=True)
    for record in records:
        target = DATA / f"{record['name']}.json"
        target.write_text(json.dumps(record, indent=1, sort_keys=False) + "\n")
        print(f"wrote {target.relative_to(DATA.parent.parent.parent.parent)}")
    return 0 if len(records) == len(names) else 1


if __name__ == "__main__":
    sys.exit(main())
