"""The resolver tells missing SCPs and RCPs (guardrails, which only restrict) apart from
missing data that may also grant (review finding M1, s23).

SCPs never grant (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html);
nor do RCPs (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backup_access.engine import Layer
from backup_access.world import resolve
from tests.diagnose.fixtures.worlds import (
    CENTRAL_VAULT,
    COPY_ROLE,
    MGMT,
    OPERATOR,
    PROD,
    SOURCE_KEY,
    collected_with,
)

WHY = "account 222222222222 is in organization o-a1b2c3d4e5, whose SCPs and RCPs were not collected"
ORG_GAP = f"the organization's policies could not be read by the collector: {WHY}"


def no_organization(data: dict[str, Any]) -> None:
    del data["organization"]


def test_unread_organization_is_a_guardrail_gap_hiding_the_org_keys(tmp_path: Path) -> None:
    world = collected_with(tmp_path, {"organization": WHY}, no_organization)
    resolution = resolve(world, COPY_ROLE, "backup:CopyIntoBackupVault", CENTRAL_VAULT)
    assert resolution.missing == (ORG_GAP,)
    (gap,) = resolution.guardrail_gaps
    assert gap.missing == ORG_GAP
    assert gap.layers == (Layer.SCP, Layer.RCP)
    # AWS would set them from the organization; the world cannot (world/context.py)
    assert gap.hidden_keys == (
        "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths",
        "aws:ResourceOrgID",
        "aws:ResourceOrgPaths",
        "backup:CopyTargetOrgPaths",
    )


def test_a_key_given_in_the_request_is_not_hidden(tmp_path: Path) -> None:
    world = collected_with(tmp_path, {"organization": WHY}, no_organization)
    resolution = resolve(
        world,
        COPY_ROLE,
        "backup:CopyIntoBackupVault",
        CENTRAL_VAULT,
        context={"aws:PrincipalOrgID": "o-a1b2c3d4e5"},
    )
    assert "aws:PrincipalOrgID" not in resolution.guardrail_gaps[0].hidden_keys


def test_rcps_do_not_apply_to_an_aws_managed_key(tmp_path: Path) -> None:
    """https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html"""
    world = collected_with(tmp_path, {"organization": WHY}, no_organization)
    managed = f"arn:aws:kms:us-east-1:{PROD}:alias/aws/backup"
    resolution = resolve(world, COPY_ROLE, "kms:DescribeKey", managed)
    assert resolution.guardrail_gaps[0].layers == (Layer.SCP,)


def test_an_unrecorded_attachment_list_is_a_guardrail_gap_of_its_layer(tmp_path: Path) -> None:
    def forget(data: dict[str, Any]) -> None:
        del data["organization"]["account_policies"][PROD]

    world = collected_with(tmp_path, {}, forget)
    resolution = resolve(world, OPERATOR, "backup:ListBackupVaults", "*")
    gap = f"the SCPs attached to account {PROD} (not in the collected world)"
    assert resolution.missing == (gap,)
    assert [(g.missing, g.layers) for g in resolution.guardrail_gaps] == [(gap, (Layer.SCP,))]


def test_data_that_may_grant_is_not_a_guardrail_gap(tmp_path: Path) -> None:
    world = collected_with(tmp_path, {PROD: "IAM could not be read", SOURCE_KEY: "denied"})
    resolution = resolve(world, OPERATOR, "kms:DescribeKey", SOURCE_KEY)
    assert len(resolution.missing) == 2
    assert resolution.guardrail_gaps == ()


def test_a_management_account_principal_still_records_the_gap(tmp_path: Path) -> None:
    """The resolver records it; whether it matters is the engine's exemption (diagnose)."""

    def forget(data: dict[str, Any]) -> None:
        del data["organization"]["account_policies"][MGMT]

    world = collected_with(tmp_path, {}, forget)
    resolution = resolve(world, f"arn:aws:iam::{MGMT}:root", "backup:ListBackupVaults", "*")
    assert [g.layers for g in resolution.guardrail_gaps] == [(Layer.SCP,)]
