"""copy.destination-allowed-amis: the destination account's EC2 Allowed AMIs against the AMI an
EC2 recovery point is, in `explain copy`, `explain --error` and the offline answer alike.

Sources: only ``enabled`` applies the criteria, ``audit-mode`` only reports, and an account's
own AMIs are never restricted
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableAllowedImagesSettings.html,
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetAllowedImagesSettings.html);
image providers (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImageCriterion.html);
a logically air-gapped vault's AMIs need aws-backup-vault
(https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from backup_access.diagnose import CheckDecision, explain_operation
from backup_access.diagnose.messages import parse_error_message
from backup_access.diagnose.offline import answer_offline
from backup_access.world import World, load_world

WORLD = Path(__file__).resolve().parents[2] / "examples" / "worlds" / "cross-account-copy-ami"
CHECK = "copy.destination-allowed-amis"
AMI = "arn:aws:ec2:us-east-1::image/ami-0a1b2c3d4e5f60001"
PROD = "arn:aws:backup:us-east-1:111111111111:backup-vault:prod"
CENTRAL = "arn:aws:backup:us-east-1:222222222222:backup-vault:central"
CENTRAL_WEST = "arn:aws:backup:us-west-2:222222222222:backup-vault:central-west"
COPY = {
    "caller": "arn:aws:iam::111111111111:role/BackupOperator",
    "role": "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
    "recovery_point": AMI,
    "source_vault": PROD,
    "destination_vault": CENTRAL,
}
Patch = Callable[[dict[str, Any], dict[str, Any]], None]  # (source file, destinations file)


def _world(tmp_path: Path, patch: Patch) -> World:
    copy = tmp_path / "world"
    shutil.copytree(WORLD, copy)
    source_file = copy / "source-111111111111.yaml"
    destinations_file = copy / "destinations.yaml"
    source = yaml.safe_load(source_file.read_text())
    destinations = yaml.safe_load(destinations_file.read_text())
    patch(source, destinations)
    source_file.write_text(yaml.safe_dump(source))
    destinations_file.write_text(yaml.safe_dump(destinations))
    return load_world(copy)


def _images(account: str, region: str, state: str, *providers: str) -> Patch:
    def patch(source: dict[str, Any], destinations: dict[str, Any]) -> None:
        regions = destinations["accounts"][account]["regions"]
        regions.setdefault(region, {})["ec2"] = {
            "allowed_images": {"state": state, "providers": list(providers)}
        }

    return patch


def _check(world: World, **changes: str | None) -> Any:
    result = explain_operation(world, "copy", {**COPY, **changes})
    found = [c for c in result.checks if c.id == CHECK]
    return found[0] if found else next(s for s in result.skipped if s.id == CHECK)


@pytest.mark.parametrize(
    ("state", "providers", "decision"),
    [
        ("enabled", ("amazon", "aws-marketplace"), CheckDecision.DENIED),
        ("enabled", ("none",), CheckDecision.DENIED),  # only the account's own AMIs
        ("enabled", ("amazon", "111111111111"), CheckDecision.ALLOWED),
        ("audit-mode", ("amazon",), CheckDecision.ALLOWED),  # audit-mode only reports
        ("disabled", (), CheckDecision.ALLOWED),
        # aws-backup-vault without the account: the API reference and the user guide disagree
        ("enabled", ("aws-backup-vault",), CheckDecision.UNKNOWN),
    ],
)
def test_the_destination_setting_decides_a_cross_account_ami(
    tmp_path: Path, state: str, providers: tuple[str, ...], decision: CheckDecision
) -> None:
    world = _world(tmp_path, _images("222222222222", "us-east-1", state, *providers))
    check = _check(world)
    assert check.decision is decision, check.reason
    if decision is CheckDecision.DENIED:
        assert check.blocked_by == ("setting",)
        assert "add 111111111111 to the image providers of account 222222222222" in check.reason
        assert "replace-image-criteria-in-allowed-images-settings --region us-east-1" in (
            check.reason
        )
    if state != "enabled":
        assert f"is {state} in us-east-1, which restricts no image" in check.reason


def test_a_setting_a_declarative_policy_manages_is_changed_in_the_organization(
    tmp_path: Path,
) -> None:
    # ManagedBy declarative-policy: the setting "can't be modified by the account"
    # (API_GetAllowedImagesSettings.html); a declarative policy's attributes are set for the
    # organization (https://docs.aws.amazon.com/organizations/latest/userguide/
    # orgs_manage_policies_declarative_syntax.html), from its management account.
    def patch(source: dict[str, Any], destinations: dict[str, Any]) -> None:
        _images("222222222222", "us-east-1", "enabled", "amazon")(source, destinations)
        regions = destinations["accounts"]["222222222222"]["regions"]
        regions["us-east-1"]["ec2"]["allowed_images"]["managed_by"] = "declarative-policy"

    check = _check(_world(tmp_path, patch))
    assert check.decision is CheckDecision.DENIED and check.blocked_by == ("setting",)
    assert "is managed by a declarative policy" in check.reason
    assert "cannot be changed in the account" in check.reason
    assert "organization's management account 999999999999" in check.reason  # org.yaml
    assert "replace-image-criteria-in-allowed-images-settings" not in check.reason


def test_an_unrecorded_setting_is_unknown_never_assumed(tmp_path: Path) -> None:
    def forget(source: dict[str, Any], destinations: dict[str, Any]) -> None:
        del destinations["accounts"]["222222222222"]["regions"]["us-east-1"]["ec2"]

    check = _check(_world(tmp_path, forget))
    assert check.decision is CheckDecision.UNKNOWN
    assert check.missing == (
        "account 222222222222's EC2 Allowed AMIs in us-east-1 (aws ec2 "
        "get-allowed-images-settings: State, ImageCriteria) → "
        "regions.us-east-1.ec2.allowed_images",
    )


def test_regions_that_disagree_across_accounts_and_regions_are_unknown(tmp_path: Path) -> None:
    # central-west (us-west-2) is enabled with the source account; us-east-1 of the same
    # account refuses it: AWS's pages do not say which Region's setting the copy meets.
    world = _world(tmp_path, _images("222222222222", "us-west-2", "enabled", "111111111111"))
    check = _check(world, destination_vault=CENTRAL_WEST)
    assert check.decision is CheckDecision.UNKNOWN
    assert "AWS's pages do not say whether the destination account's setting" in check.reason
    both = _world(tmp_path / "both", _images("222222222222", "us-west-2", "enabled", "amazon"))
    assert _check(both, destination_vault=CENTRAL_WEST).decision is CheckDecision.DENIED


def _second_vault(kind: str) -> Patch:
    """A vault of the source account in us-west-2 holding the AMI, and that Region's setting
    enabled without aws-backup-vault or any account."""

    def patch(source: dict[str, Any], destinations: dict[str, Any]) -> None:
        regions = source["accounts"]["111111111111"]["regions"]
        regions["us-west-2"] = {
            "backup": {
                "vaults": {
                    "other": {
                        "type": kind,
                        "recovery_points": [
                            {"id": AMI.replace("us-east-1", "us-west-2"), "resource_type": "EC2"}
                        ],
                    }
                }
            },
            "ec2": {"allowed_images": {"state": "enabled", "providers": ["amazon"]}},
        }
        regions["us-east-1"]["ec2"] = {
            "allowed_images": {"state": "enabled", "providers": ["amazon"]}
        }

    return patch


def test_a_cross_region_copy_in_one_account_is_not_checked(tmp_path: Path) -> None:
    # An account's own AMIs are never restricted (GetAllowedImagesSettings), cross-Region too.
    world = _world(tmp_path, _second_vault("standard"))
    other = "arn:aws:backup:us-west-2:111111111111:backup-vault:other"
    skipped = _check(world, destination_vault=other)
    assert not hasattr(skipped, "decision")
    assert "whose own AMIs EC2 Allowed AMIs never restricts" in skipped.why


def test_a_logically_air_gapped_source_needs_aws_backup_vault(tmp_path: Path) -> None:
    # LAG page: without aws-backup-vault, copies out of a logically air-gapped vault fail
    # with "Source AMI … not found in Region", even into the vault's own account.
    world = _world(tmp_path, _second_vault("logically_air_gapped"))
    lag = "arn:aws:backup:us-west-2:111111111111:backup-vault:other"
    check = _check(
        world,
        source_vault=lag,
        recovery_point=AMI.replace("us-east-1", "us-west-2"),
        destination_vault=PROD,
    )
    assert check.decision is CheckDecision.DENIED
    assert "add aws-backup-vault to the image providers of account 111111111111" in check.reason


def test_other_resource_types_are_not_checked() -> None:
    skipped = _check(load_world(WORLD), recovery_point=None, resource_type="EBS")
    assert not hasattr(skipped, "decision") and "EBS" in skipped.why


def test_the_offline_answer_names_the_same_check_with_the_pastes_ami_and_regions() -> None:
    parsed = parse_error_message(
        f"State: FAILED, StatusMessage: Source AMI not found in Region, "
        f"SourceRecoveryPointArn: {AMI}, DestinationBackupVaultArn: {CENTRAL_WEST}"
    )
    causes = answer_offline(parsed).causes
    assert [c.check for c in causes] == [CHECK]
    commands = [c.command for c in causes[0].confirm]
    assert commands[0] == "aws ec2 get-allowed-images-settings --region us-west-2"
    assert "--image-ids ami-0a1b2c3d4e5f60001 --region us-east-1" in commands[1]
