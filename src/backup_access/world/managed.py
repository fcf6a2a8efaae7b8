"""AWS managed policies shipped as package data (``backup_access/data/managed_policies``).

Each file holds AWS's document unchanged plus where and when it was read; refresh them with
``scripts/refresh_managed_policies.py``. Documents are parsed on first use and cached.
The organization-level defaults ``FullAWSAccess`` (SCP) and ``RCPFullAWSAccess`` (RCP),
which AWS attaches to every root, OU and account, are kept here too
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html,
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from backup_access.policy.layer import Layer
from backup_access.policy.model import Policy
from backup_access.policy.parse import parse_policy
from backup_access.world.model import Location, ManagedPolicy

AWS_POLICY_PREFIX = "arn:aws:iam::aws:policy/"
_PACKAGE_DIR = "data/managed_policies"

FULL_AWS_ACCESS = "FullAWSAccess"
RCP_FULL_AWS_ACCESS = "RCPFullAWSAccess"
_ORG_DEFAULTS: dict[str, tuple[Layer, dict[str, object]]] = {
    FULL_AWS_ACCESS: (
        Layer.SCP,
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
        },
    ),
    RCP_FULL_AWS_ACCESS: (
        Layer.RCP,
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}],
        },
    ),
}


def is_aws_managed_arn(text: str) -> bool:
    return text.startswith(AWS_POLICY_PREFIX)


@cache
def _index() -> dict[str, str]:
    """Shipped policy name → file name."""
    folder = resources.files("backup_access").joinpath(_PACKAGE_DIR)
    return {
        entry.name.removesuffix(".json"): entry.name
        for entry in folder.iterdir()
        if entry.name.endswith(".json")
    }


def shipped_policy_names() -> tuple[str, ...]:
    return tuple(sorted(_index()))


@cache
def shipped_policy(name: str) -> ManagedPolicy | None:
    """The shipped AWS managed policy called ``name`` (no path), or None."""
    file = _index().get(name)
    if file is None:
        return None
    text = resources.files("backup_access").joinpath(f"{_PACKAGE_DIR}/{file}").read_text()
    record = json.loads(text)
    source = f"backup_access/{_PACKAGE_DIR}/{file}"
    return ManagedPolicy(
        name=str(record["name"]),
        arn=str(record["arn"]),
        document=parse_policy(record["document"], pointer="/document"),
        location=Location(source, "/document"),
    )


def shipped_policy_by_arn(arn: str) -> ManagedPolicy | None:
    """The shipped policy with exactly this ARN (its path must match too)."""
    if not is_aws_managed_arn(arn):
        return None
    found = shipped_policy(arn.rsplit("/", 1)[-1])
    return found if found is not None and found.arn == arn else None


def org_default_policy(name: str) -> tuple[Layer, Policy] | None:
    """AWS's own FullAWSAccess / RCPFullAWSAccess, usable without defining them."""
    entry = _ORG_DEFAULTS.get(name)
    if entry is None:
        return None
    return entry[0], _parsed_default(name)


@cache
def _parsed_default(name: str) -> Policy:
    return parse_policy(_ORG_DEFAULTS[name][1], pointer="")
