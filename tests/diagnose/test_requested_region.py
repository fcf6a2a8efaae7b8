"""aws:RequestedRegion: AWS always sets it, so every check of an operation carries a Region.

A request on a regional resource (vault, recovery point, KMS key) is made in the resource's
Region; one on ``*`` (backup-storage:MountCapsule) or on an IAM role is part of the
operation's call and carries the operation's Region (the catalogue's ``region``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backup_access.catalogue import load_catalogue
from backup_access.diagnose import CheckDecision, Verdict, explain_operation
from backup_access.diagnose.binding import bind
from backup_access.diagnose.incident import Incident, explain_incident
from backup_access.diagnose.messages import MessageKind, ParsedMessage
from backup_access.diagnose.permission import requested_region
from backup_access.world import World, load_world
from tests.diagnose.fixtures.worlds import (
    COPY,
    OPERATOR,
    ORG,
    PROD,
    SOURCE_KEY,
    operator_policy,
    world_with,
)

NEW_VAULT = f"arn:aws:backup:us-east-1:{PROD}:backup-vault:new"
FENCE = {
    "Sid": "RegionFence",
    "Effect": "Deny",
    "NotAction": ["iam:*", "sts:*"],
    "Resource": "*",
    "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1"]}},
}


def _fenced(data: dict[str, Any]) -> None:
    operator_policy(data).append(FENCE)


@pytest.fixture(scope="module")
def org() -> World:
    return load_world(ORG)


def test_mount_capsule_on_star_carries_the_vault_region(tmp_path: Path) -> None:
    world = world_with(tmp_path, _fenced)
    inside = explain_operation(
        world, "create-vault", {"caller": OPERATOR, "vault": NEW_VAULT, "key": SOURCE_KEY}
    )
    assert inside.verdict is Verdict.ALLOWED, [(c.id, c.reason) for c in inside.checks]
    mount = next(c for c in inside.checks if c.id == "create-vault.mount-capsule")
    assert mount.resource == "*"
    assert not any("RequestedRegion" in note for note in mount.notes)

    outside = explain_operation(
        world,
        "create-vault",
        {"caller": OPERATOR, "vault": NEW_VAULT.replace("us-east-1", "eu-west-1")},
    )
    denied = {c.id: c for c in outside.checks if c.decision.denies}
    assert set(denied) == {"create-vault.create-backup-vault", "create-vault.mount-capsule"}
    assert denied["create-vault.mount-capsule"].decision is CheckDecision.EXPLICIT_DENY
    assert [s.sid for s in denied["create-vault.mount-capsule"].statements] == ["RegionFence"]


def test_regional_resources_keep_their_own_region_and_others_take_the_operations(
    org: World,
) -> None:
    destination = COPY["destination_vault"].replace("us-east-1", "eu-west-1")
    spec = load_catalogue().operation("copy")
    binding = bind(org, spec, {**COPY, "destination_vault": destination})
    assert binding.operation_region() == "us-east-1"  # StartCopyJob: the source Region
    assert requested_region(binding, COPY["role"]) == "us-east-1"
    assert requested_region(binding, "*") == "us-east-1"
    assert requested_region(binding, destination) == "eu-west-1"
    key = SOURCE_KEY.replace("us-east-1", "ap-south-1")
    assert requested_region(binding, key) == "ap-south-1"  # KMS: the key's Region


def test_every_operation_names_the_region_its_call_is_sent_to() -> None:
    for operation in load_catalogue().operations.values():
        assert operation.region, f"{operation.name} names no Region"
        assert operation.region.endswith(".region}"), operation.region


def test_a_cloudtrail_records_region_is_the_requested_region(tmp_path: Path) -> None:
    world = world_with(tmp_path, _fenced)
    principal = f"arn:aws:sts::{PROD}:assumed-role/BackupOperator/s"
    action = "backup-storage:MountCapsule"
    message = ParsedMessage(MessageKind.ACCESS_DENIED, "", principal=principal, action=action)
    sent = explain_incident(world, Incident(message, principal, action, None, region="us-east-1"))
    assert sent.checks[0].decision is CheckDecision.ALLOWED
    assert sent.verdict is Verdict.UNKNOWN  # allowed in the world, though AWS denied it
    unknown = explain_incident(world, Incident(message, principal, action, None, region=None))
    assert unknown.verdict is Verdict.DENIED
    assert any("aws:RequestedRegion not set" in note for note in unknown.notes)
