"""EC2 Allowed AMIs in a collection (ec2:GetAllowedImagesSettings, per account and Region).

The answer's shape is AWS's page
https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetAllowedImagesSettings.html:
``state`` (disabled, audit-mode, enabled), ``imageCriterionSet`` of ImageCriterion objects
(https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImageCriterion.html: image
providers and, since, names, Marketplace product codes and age conditions) and ``managedBy``.

moto 5.2.6 does not implement GetAllowedImagesSettings (its server answers an HTML error
page), so the answers AWS gives are tested with botocore's Stubber on the reader, and once
through a whole ``collect`` run against moto's server with AWS's XML answer injected; the run
against moto as it is checks that the missing call leaves the setting unknown.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.collect.calls import CallLog, Reader
from backup_access.collect.ec2 import ec2_section, read_allowed_images
from backup_access.world import load_world
from backup_access.world.model import AllowedImages
from tests.aws.server import MotoEndpoint
from tests.collect.faults import Fault, inject, query_answer
from tests.collect.policy_check import not_allowed

ACCOUNT = "111111111111"
REGION = "us-east-1"
ACTION = "ec2:GetAllowedImagesSettings"


@pytest.fixture
def ec2() -> Iterator[Stubber]:
    # Stubber, not moto: moto 5.2.6 does not implement GetAllowedImagesSettings.
    client = boto3.client(
        "ec2", region_name=REGION, aws_access_key_id="stub", aws_secret_access_key="stub"
    )
    with Stubber(client) as stub:
        yield stub
        stub.assert_no_pending_responses()


def read(stub: Stubber) -> tuple[AllowedImages | None, CallLog]:
    log = CallLog()
    reader = Reader(ACCOUNT, None, log, lambda session, service, region: stub.client)
    return read_allowed_images(reader, REGION), log


def loaded(tmp_path: Path, images: AllowedImages) -> AllowedImages | None:
    """The setting as the world loader reads it back from the section collect writes."""
    region = {REGION: {"ec2": ec2_section(images)}}
    path = tmp_path / "world.json"
    path.write_text(json.dumps({"accounts": {ACCOUNT: {"regions": region}}}))
    return load_world(path).accounts[ACCOUNT].regions[REGION].allowed_images


def test_enabled_keeps_the_providers_of_every_criterion(ec2: Stubber, tmp_path: Path) -> None:
    answer = {
        "State": "enabled",
        "ImageCriteria": [
            {"ImageProviders": ["amazon", "222222222222"]},
            {"ImageProviders": ["aws-backup-vault", "amazon"]},
        ],
        "ManagedBy": "account",
    }
    ec2.add_response("get_allowed_images_settings", answer, {})
    images, log = read(ec2)
    assert images == AllowedImages(
        "enabled", ("222222222222", "amazon", "aws-backup-vault"), managed_by="account"
    )
    assert log.gaps == [] and log.actions == {ACTION}
    assert not_allowed(log.actions) == {}  # the shipped collector policy allows the call
    assert loaded(tmp_path, images) == images


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        # audit-mode applies nothing but keeps its criteria (API_GetAllowedImagesSettings.html)
        (
            {"State": "audit-mode", "ImageCriteria": [{"ImageProviders": ["amazon"]}]},
            AllowedImages("audit-mode", ("amazon",)),
        ),
        ({"State": "disabled", "ManagedBy": "account"}, AllowedImages("disabled", (), "account")),
        # ManagedBy declarative-policy: the account "can't" modify the setting (the page); the
        # world keeps it so that the remedy points at the organization's declarative policy
        (
            {"State": "enabled", "ManagedBy": "declarative-policy"},
            AllowedImages("enabled", (), "declarative-policy"),
        ),
        # a ManagedBy value the page does not list is not recorded: who manages it is unknown
        ({"State": "enabled", "ManagedBy": "someone-else"}, AllowedImages("enabled", ())),
        # criteria that narrow a provider do not matter while nothing is applied
        (
            {
                "State": "audit-mode",
                "ImageCriteria": [{"ImageProviders": ["amazon"], "ImageNames": ["al2023-*"]}],
            },
            AllowedImages("audit-mode", ("amazon",)),
        ),
    ],
)
def test_audit_mode_disabled_and_no_criteria(
    ec2: Stubber, tmp_path: Path, answer: dict[str, Any], expected: AllowedImages
) -> None:
    ec2.add_response("get_allowed_images_settings", answer, {})
    images, log = read(ec2)
    assert images == expected and log.gaps == []
    assert loaded(tmp_path, expected) == expected


@pytest.mark.parametrize(
    "code",
    # EC2 answers UnauthorizedOperation when IAM refuses a call (the DryRun note of the page);
    # AccessDenied is what other services and proxies say.
    ["UnauthorizedOperation", "AccessDenied"],
)
def test_a_refused_call_records_nothing_and_a_gap(ec2: Stubber, code: str) -> None:
    ec2.add_client_error(
        "get_allowed_images_settings", code, "You are not authorized to perform this operation."
    )
    images, log = read(ec2)
    assert images is None  # unknown, never taken as disabled
    [gap] = log.gaps
    assert (gap.account, gap.region, gap.part, gap.action) == (
        ACCOUNT,
        REGION,
        "EC2 Allowed AMIs",
        ACTION,
    )
    assert gap.error == f"{code}: You are not authorized to perform this operation."
    assert gap.unknown is None  # an unrecorded setting already reads as unknown


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (
            {
                "State": "enabled",
                "ImageCriteria": [
                    {"ImageProviders": ["amazon"]},
                    {"ImageProviders": ["222222222222"], "ImageNames": ["golden-*"]},
                    {"CreationDateCondition": {"MaximumDaysSinceCreated": 30}},
                ],
            },
            "CreationDateCondition, ImageNames",
        ),
        ({"State": "paused"}, "its State is 'paused'"),
        ({"ImageCriteria": [{"ImageProviders": ["amazon"]}]}, "its State is None"),
    ],
)
def test_an_answer_a_world_cannot_hold_is_left_unknown(
    ec2: Stubber, answer: dict[str, Any], said: str
) -> None:
    # An enabled criterion that also names images (or their age) allows only some of its
    # providers' images: recording its providers would allow them all.
    ec2.add_response("get_allowed_images_settings", answer, {})
    images, log = read(ec2)
    assert images is None
    [gap] = log.gaps
    assert gap.part == "EC2 Allowed AMIs" and gap.action == "(parse)" and said in gap.error


def run_collect(out: Path) -> tuple[dict[str, Any], str]:
    result = CliRunner().invoke(main, ["collect", "--out", str(out), "--regions", REGION])
    assert result.exit_code == 0, result.output
    return json.loads((out / "manifest.json").read_text()), result.stderr


def test_against_moto_the_setting_is_a_gap_and_unknown(aws: MotoEndpoint, tmp_path: Path) -> None:
    # moto 5.2.6 answers GetAllowedImagesSettings with an HTML error page.
    manifest, stderr = run_collect(tmp_path / "world")
    [gap] = [g for g in manifest["gaps"] if g["action"] == ACTION]
    assert gap["region"] == REGION and gap["part"] == "EC2 Allowed AMIs"
    assert "does not implement this call" in gap["error"] and gap["unknown"] is None
    assert ACTION in manifest["calls"] and ACTION in stderr
    account = load_world(tmp_path / "world").accounts[manifest["collected_by"].split(":")[4]]
    region = account.regions.get(REGION)
    assert region is None or region.allowed_images is None


# AWS's XML answer, element names as API_GetAllowedImagesSettings.html and
# API_ImageCriterion.html list them (imageCriterionSet, imageProviderSet, managedBy, state).
ANSWER = """<GetAllowedImagesSettingsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>
  <state>enabled</state>
  <imageCriterionSet>
    <item><imageProviderSet><item>amazon</item><item>333333333333</item></imageProviderSet></item>
  </imageCriterionSet>
  <managedBy>declarative-policy</managedBy>
</GetAllowedImagesSettingsResponse>"""


def test_a_whole_run_writes_the_setting_into_the_world(
    aws: MotoEndpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered = Fault("before-send.ec2.GetAllowedImagesSettings", lambda: query_answer(ANSWER))
    inject(monkeypatch, answered)
    manifest, _ = run_collect(tmp_path / "world")
    assert answered.answered == 1
    assert not [g for g in manifest["gaps"] if g["action"] == ACTION]
    account = manifest["collected_by"].split(":")[4]
    written = json.loads((tmp_path / "world" / f"account-{account}.json").read_text())
    assert written["accounts"][account]["regions"][REGION]["ec2"] == {
        "allowed_images": {
            "state": "enabled",
            "providers": ["333333333333", "amazon"],
            "managed_by": "declarative-policy",
        }
    }
    region = load_world(tmp_path / "world").accounts[account].regions[REGION]
    assert region.allowed_images == AllowedImages(
        "enabled", ("333333333333", "amazon"), "declarative-policy"
    )
