"""The five job gates that used to give only their meaning are checked against the world:
Vault Lock retention, unsupported feature, "Access Denied trying to call AWS Backup service",
"failed to create a recovery point" and "Source AMI not found". For each: a world that
confirms the cause, one that contradicts the message (a disagreement is said) and one where
the data is unknown (said, never assumed). Each test names the AWS page the check implements.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.diagnose import CheckDecision, Verdict
from backup_access.diagnose.families import MessageGate
from backup_access.diagnose.incident import explain_error
from backup_access.diagnose.job_fields import read_job_fields
from backup_access.diagnose.model import Explanation
from backup_access.errors import BackupAccessError
from backup_access.world import World, load_world
from tests.diagnose.fixtures.worlds import (
    CENTRAL,
    CENTRAL_VAULT,
    COPY_ROLE,
    ORG,
    PROD,
    SNAPSHOT,
    SOURCE_VAULT,
    account,
    vaults,
    world_with,
)

EXAMPLES = Path(__file__).parents[2] / "examples" / "worlds"
VAULT_LOCK = "https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html"
LAG = "https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html"
COPY_PAGE = "https://docs.aws.amazon.com/aws-backup/latest/devguide/recov-point-create-a-copy.html"
ALLOWED_AMIS = (
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetAllowedImagesSettings.html"
)
RETENTION = (
    "Copy job failed. The retention specified in the job is not within the range specified for "
    "the target Backup Vault."
)
FEATURE = "Feature is not supported for provided resource type."
LOCKED = "arn:aws:backup:us-east-1:111111111111:backup-vault:"


@pytest.fixture(scope="module")
def org() -> World:
    return load_world(ORG)


@pytest.fixture(scope="module")
def locks() -> World:
    return load_world(EXAMPLES / "vault-lock")


def job(status: str, **fields: Any) -> str:
    """A job as `aws backup describe-copy-job` prints it, around its status message."""
    return json.dumps({"CopyJob": {**fields, "State": "FAILED", "StatusMessage": status}}, indent=2)


def only_check(result: Explanation) -> Any:
    (check,) = result.checks
    return check


# --- the job around a message -------------------------------------------------------------


def test_the_job_fields_are_read_from_every_kind_of_paste() -> None:
    # Field names of DescribeCopyJob / DescribeBackupJob / Lifecycle
    # (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html).
    described = read_job_fields(
        job(RETENTION, DestinationBackupVaultArn=CENTRAL_VAULT, Lifecycle={"DeleteAfterDays": 30})
    )
    assert described.target_vault == CENTRAL_VAULT and described.delete_after_days == 30
    cloudtrail = read_job_fields(
        '{"eventName": "StartCopyJob", "requestParameters": {"destinationBackupVaultArn": '
        f'"{CENTRAL_VAULT}", "iamRoleArn": "{COPY_ROLE}", "lifecycle": {{"deleteAfterDays": 7}}}}'
    )
    assert (cloudtrail.role, cloudtrail.delete_after_days) == (COPY_ROLE, 7)
    cli = read_job_fields(f"aws backup start-copy-job --lifecycle DeleteAfterDays=400 {RETENTION}")
    assert cli.delete_after_days == 400 and cli.target_vault is None
    assert read_job_fields("rule { delete_after = 14 }").delete_after_days == 14
    named = read_job_fields(f'"BackupVaultName": "source", "BackupVaultArn": "{SOURCE_VAULT}"')
    assert named.vault == SOURCE_VAULT  # an ARN beats the name printed before it
    assert not read_job_fields(RETENTION).names_anything


# --- Vault Lock retention (vault-lock.html) -----------------------------------------------


def test_a_retention_outside_the_lock_range_is_confirmed_by_the_world(locks: World) -> None:
    # vault-lock.html: jobs into a locked vault keep recovery points within [min, max] days.
    result = explain_error(
        locks,
        job(
            RETENTION,
            DestinationBackupVaultArn=LOCKED + "governed",
            Lifecycle={"DeleteAfterDays": 3},
        ),
    )
    check = only_check(result)
    assert check.decision is CheckDecision.DENIED and check.blocked_by == ("setting",)
    assert "[7, 365]" in check.reason and check.source == VAULT_LOCK
    assert result.verdict is Verdict.DENIED and result.disagreements == ()
    # The AWS CLI's own call carries the retention too: 400 days is above the maximum.
    cli = explain_error(
        locks,
        f"{RETENTION} (aws backup start-copy-job --destination-backup-vault-arn "
        f"{LOCKED}governed --lifecycle DeleteAfterDays=400)",
    )
    assert only_check(cli).decision is CheckDecision.DENIED


@pytest.mark.parametrize(
    ("vault", "days", "said"),
    [
        ("open", None, "has no Vault Lock"),  # no lock at all
        ("governed", 30, "within vault governed's Vault Lock range"),  # inside [7, 365]
    ],
)
def test_a_world_whose_lock_allows_the_retention_disagrees(
    locks: World, vault: str, days: int | None, said: str
) -> None:
    lifecycle = {"DeleteAfterDays": days} if days is not None else {}
    result = explain_error(
        locks, job(RETENTION, DestinationBackupVaultArn=LOCKED + vault, Lifecycle=lifecycle)
    )
    check = only_check(result)
    assert check.decision is CheckDecision.ALLOWED and said in check.reason
    assert result.verdict is Verdict.UNKNOWN  # never "allowed" about what AWS refused
    assert result.disagreements and "retention_out_of_range" in result.disagreements[0]
    # not a permission problem: AWS refused the job, it denied no request
    assert result.disagreements[0].startswith("AWS refused this but the world allows it: ")


def test_an_unknown_lock_or_retention_is_said_not_assumed(locks: World) -> None:
    # A locked vault, but no retention in the paste: the range is given, the outcome unknown.
    ranged = only_check(explain_error(locks, f"{RETENTION} {LOCKED}governed"))
    assert ranged.decision is CheckDecision.UNKNOWN and "[7, 365]" in ranged.reason
    assert any("DeleteAfterDays" in m for m in ranged.missing)
    # A vault the world does not hold.
    absent = only_check(explain_error(locks, f"{RETENTION} {LOCKED}elsewhere"))
    assert absent.decision is CheckDecision.UNKNOWN and "not in the world" in absent.reason
    assert any("describe-backup-vault" in m for m in absent.missing)
    # Nothing named at all: said, with the world's locked vaults listed.
    bare = explain_error(locks, RETENTION)
    assert bare.checks == () and bare.verdict is Verdict.UNKNOWN
    (note,) = [n for n in bare.notes if n.startswith("nothing in this message names")]
    assert "the target vault" in note and "governed (governance mode, [7, 365] days)" in note


def test_a_vault_named_by_name_is_found_when_the_world_has_one(locks: World) -> None:
    result = explain_error(
        locks,
        f'{{"BackupJob": {{"BackupVaultName": "sealed", "Lifecycle": {{"DeleteAfterDays": 1}}, '
        f'"StatusMessage": "{RETENTION}"}}}}',
    )
    assert only_check(result).decision is CheckDecision.DENIED  # sealed: [30, 3650]
    assert any("taken as" in n and "sealed" in n for n in result.notes)


# --- unsupported feature (resource type table, copy and LAG pages) -------------------------


def test_the_table_confirms_an_aurora_cross_region_copy_out_of_an_air_gapped_vault(
    org: World,
) -> None:
    # logicallyairgappedvault.html: no cross-Region copies of Aurora to or from a LAG vault.
    airgap = f"arn:aws:backup:us-east-1:{CENTRAL}:backup-vault:airgap"
    result = explain_error(
        org,
        job(
            FEATURE,
            SourceBackupVaultArn=airgap,
            DestinationBackupVaultArn=f"arn:aws:backup:eu-west-1:{CENTRAL}:backup-vault:dr",
            ResourceType="Aurora",
        ),
    )
    check = only_check(result)
    assert check.decision is CheckDecision.DENIED and check.source == LAG
    assert "confirms it for Aurora" in check.reason
    assert result.verdict is Verdict.DENIED


def test_the_table_confirms_dynamodb_without_advanced_backup(tmp_path: Path) -> None:
    # advanced-ddb-backup.html, as the resource type table cites it (not_copyable).
    def basic(data: dict[str, Any]) -> None:
        account(data, PROD)["regions"]["us-east-1"]["backup"]["full_management"] = {
            "DynamoDB": False
        }

    result = explain_error(
        world_with(tmp_path, basic),
        job(
            FEATURE,
            SourceBackupVaultArn=SOURCE_VAULT,
            DestinationBackupVaultArn=CENTRAL_VAULT,
            ResourceType="DynamoDB",
        ),
    )
    check = only_check(result)
    assert check.decision is CheckDecision.DENIED
    assert "advanced DynamoDB backup is off in account 222222222222" in check.reason


def test_cold_storage_copies_are_refused_for_every_type(org: World) -> None:
    # recov-point-create-a-copy.html: backups in cold storage or archive tiers cannot be copied.
    check = only_check(
        explain_error(org, f"Copy of an EFS backup in cold storage failed. {FEATURE}")
    )
    assert check.decision is CheckDecision.DENIED and COPY_PAGE in check.reason


def test_a_type_the_table_lets_copy_both_ways_disagrees(org: World) -> None:
    # The table's 'supported' entry for EBS (copy page): one copy may cross both.
    result = explain_error(
        org,
        job(
            FEATURE,
            SourceBackupVaultArn=SOURCE_VAULT,
            DestinationBackupVaultArn=f"arn:aws:backup:eu-west-1:{CENTRAL}:backup-vault:dr",
            SourceRecoveryPointArn=SNAPSHOT,
        ),
    )
    check = only_check(result)
    assert check.decision is CheckDecision.ALLOWED and "supported for EBS" in check.reason
    assert result.verdict is Verdict.UNKNOWN
    assert result.disagreements and "unsupported_feature" in result.disagreements[0]


def test_what_the_paste_leaves_open_is_unknown(org: World) -> None:
    text = (
        "Copy job from eu-north-1 to eu-central-1 cannot be initiated for Aurora resources. "
        + FEATURE
    )
    result = explain_error(org, text)
    check = only_check(result)
    assert check.decision is CheckDecision.UNKNOWN
    assert "if the copy was also cross-account" in check.reason  # the table: pages disagree
    assert "if a vault of the copy is logically air-gapped" in check.reason
    assert any("SourceBackupVaultArn" in m for m in check.missing)
    assert any("between eu-north-1 and eu-central-1" in n for n in result.notes)
    bare = explain_error(org, FEATURE)
    assert bare.checks == ()
    assert any(n.startswith("nothing in this message names a resource type") for n in bare.notes)


# --- "Access Denied trying to call AWS Backup service" (copy) ------------------------------

ACCESS = "Access Denied trying to call AWS Backup service"
COPY_JOB = {
    "SourceBackupVaultArn": SOURCE_VAULT,
    "DestinationBackupVaultArn": CENTRAL_VAULT,
    "SourceRecoveryPointArn": SNAPSHOT,
    "IamRoleArn": COPY_ROLE,
    "ResourceType": "EBS",
}


def test_a_destination_vault_policy_that_refuses_the_copy_is_found(tmp_path: Path) -> None:
    # https://repost.aws/knowledge-center/backup-resolve-access-denied-error: the destination
    # vault's access policy must allow the source account.
    def closed(data: dict[str, Any]) -> None:
        del vaults(data, CENTRAL)["central"]["access_policy"]

    result = explain_error(world_with(tmp_path, closed), job(ACCESS, **COPY_JOB))
    failing = [c.id for c in result.checks if c.decision.denies]
    assert failing == ["copy.copy-into-destination-vault"]
    assert result.verdict is Verdict.DENIED and result.disagreements == ()
    assert not any(c.id in ("copy.start-copy-job", "copy.pass-role") for c in result.checks)


def test_a_world_where_every_copy_check_passes_disagrees(org: World) -> None:
    result = explain_error(org, job(ACCESS, **COPY_JOB))
    assert result.checks and all(c.decision is CheckDecision.ALLOWED for c in result.checks)
    assert result.verdict is Verdict.UNKNOWN
    assert "every check of the job the world can evaluate passes" in result.disagreements[0]
    assert result.disagreements[0].startswith("AWS denied this but the world allows it: ")


def test_a_copy_message_without_its_job_says_what_it_lacks(org: World) -> None:
    bare = explain_error(org, ACCESS)
    assert bare.checks == ()
    (note,) = [n for n in bare.notes if n.startswith("nothing in this message names")]
    assert "IamRoleArn" in note and "DestinationBackupVaultArn" in note
    # A destination vault the world does not hold: its checks are unknown, not passed.
    elsewhere = dict(
        COPY_JOB, DestinationBackupVaultArn=f"arn:aws:backup:us-east-1:{CENTRAL}:backup-vault:gone"
    )
    result = explain_error(org, job(ACCESS, **elsewhere))
    assert result.verdict is not Verdict.ALLOWED
    assert any(c.decision is not CheckDecision.ALLOWED for c in result.checks)


# --- "failed to create a recovery point" (backup) ------------------------------------------

NOT_CREATED = "Backup job failed to create a recovery point"
VOLUME = f"arn:aws:ec2:us-east-1:{PROD}:volume/vol-0abc"


def backup_job(**fields: Any) -> str:
    fields = {
        "BackupVaultArn": SOURCE_VAULT,
        "ResourceArn": VOLUME,
        "IamRoleArn": COPY_ROLE,
        **fields,
    }
    return json.dumps({"BackupJob": {**fields, "StatusMessage": NOT_CREATED}})


def opted_in(data: dict[str, Any]) -> None:
    account(data, PROD)["regions"]["us-east-1"]["backup"]["opt_in"] = {"EBS": True}


def test_a_role_aws_backup_cannot_assume_is_found(tmp_path: Path) -> None:
    # https://docs.aws.amazon.com/aws-backup/latest/devguide/troubleshooting.html, with the
    # backup operation's role trust check (iam-service-roles.html).
    def untrusted(data: dict[str, Any]) -> None:
        trust = account(data, PROD)["iam"]["roles"]["BackupCopyRole"]["trust"]
        trust["Statement"][0]["Principal"] = {"Service": "ec2.amazonaws.com"}

    result = explain_error(world_with(tmp_path, opted_in, untrusted), backup_job())
    assert [c.id for c in result.checks if c.decision.denies] == ["backup.role-trust"]
    assert result.verdict is Verdict.DENIED


def test_a_backup_job_the_world_allows_disagrees(tmp_path: Path) -> None:
    result = explain_error(world_with(tmp_path, opted_in), backup_job())
    assert {c.id for c in result.checks} >= {"backup.role-trust", "backup.type-opted-in"}
    assert result.verdict is Verdict.UNKNOWN
    assert "every check of the job the world can evaluate passes" in result.disagreements[0]


def test_an_unknown_region_setting_or_missing_job_is_said(org: World) -> None:
    unknown = explain_error(org, backup_job())
    opt_in = [c for c in unknown.checks if c.id == "backup.type-opted-in"]
    assert opt_in and opt_in[0].decision is CheckDecision.UNKNOWN
    assert unknown.disagreements == ()
    bare = explain_error(org, f"{NOT_CREATED} for {VOLUME}")
    assert bare.checks == ()
    (note,) = [n for n in bare.notes if n.startswith("nothing in this message names")]
    assert "IamRoleArn" in note and "BackupVaultArn" in note and VOLUME in note


# --- "Source AMI not found in Region" (Allowed AMIs) ---------------------------------------

AMI = "ami-0123456789abcdef0"
AMI_POINT = f"arn:aws:ec2:us-east-1::image/{AMI}"
SOURCE_AMI = "Source AMI not found in Region"
AMI_CHECK = "copy.destination-allowed-amis"


def holding(account_id: str, vault: str) -> Any:
    def patch(data: dict[str, Any]) -> None:
        vaults(data, account_id)[vault].setdefault("recovery_points", []).append(AMI_POINT)

    return patch


def test_an_ami_of_the_destination_account_itself_disagrees(tmp_path: Path) -> None:
    # API_GetAllowedImagesSettings.html: Allowed AMIs never restricts an account's own AMIs.
    world = world_with(tmp_path, holding(CENTRAL, "central"))
    result = explain_error(
        world,
        job(SOURCE_AMI, SourceRecoveryPointArn=AMI_POINT, DestinationBackupVaultArn=CENTRAL_VAULT),
    )
    check = only_check(result)
    assert check.id == AMI_CHECK and check.source == ALLOWED_AMIS
    assert check.decision is CheckDecision.ALLOWED and "own AMIs" in check.reason
    assert result.verdict is Verdict.UNKNOWN and result.disagreements


def test_a_cross_account_ami_names_both_accounts_and_the_setting_to_read(
    tmp_path: Path,
) -> None:
    # The world confirms the premise (the AMI is another account's) but holds no Allowed AMIs
    # setting, so the cause itself stays unknown; the command to read it is given.
    world = world_with(tmp_path, holding(PROD, "source"))
    check = only_check(
        explain_error(
            world,
            job(
                SOURCE_AMI,
                SourceRecoveryPointArn=AMI_POINT,
                DestinationBackupVaultArn=CENTRAL_VAULT,
            ),
        )
    )
    assert check.decision is CheckDecision.UNKNOWN
    assert f"owned by account {PROD} (the source vault's account)" in check.reason
    assert f"does not record account {CENTRAL}'s EC2 Allowed AMIs in us-east-1" in check.reason
    assert any("get-allowed-images-settings" in m and CENTRAL in m for m in check.missing)


def test_an_ami_the_world_does_not_hold_is_unknown(org: World) -> None:
    check = only_check(explain_error(org, f"{SOURCE_AMI} ({AMI})"))
    assert check.decision is CheckDecision.UNKNOWN and "in no vault of the world" in check.reason
    bare = explain_error(org, SOURCE_AMI)
    assert bare.checks == ()
    assert any(n.startswith("nothing in this message names the AMI") for n in bare.notes)


def test_a_masked_job_is_evaluated_when_the_world_can_tell_its_account(org: World) -> None:
    # Masked ids are unknown, never errors; put back when one world account holds the name.
    masked = backup_job(
        BackupVaultArn=SOURCE_VAULT.replace(PROD, "XXXXXXXXXXXX"),
        IamRoleArn=COPY_ROLE.replace(PROD, "XXXXXXXXXXXX"),
        ResourceArn=VOLUME.replace(PROD, "XXXXXXXXXXXX"),
    )
    result = explain_error(org, masked)
    assert any(c.id == "backup.role-trust" for c in result.checks)
    assert any("masked account 'XXXXXXXXXXXX' was taken as 222222222222" in n for n in result.notes)


def test_the_first_line_says_what_the_message_does_not_name() -> None:
    runner = CliRunner()
    world = str(EXAMPLES / "vault-lock")
    bare = runner.invoke(main, ["explain", "--world", world, "--error", RETENTION])
    first = bare.output.splitlines()[0]
    assert "nothing was evaluated: nothing in this message names the target vault" in first
    described = job(
        RETENTION, DestinationBackupVaultArn=LOCKED + "governed", Lifecycle={"DeleteAfterDays": 3}
    )
    as_json = runner.invoke(
        main, ["explain", "--world", world, "--error", described, "--format", "json"]
    )
    parameters = json.loads(as_json.stdout)["parameters"]
    assert parameters["job_destination_vault"] == LOCKED + "governed"
    assert parameters["job_delete_after_days"] == "3"
    assert "job_role" not in parameters  # only what the paste gave


def test_a_masked_role_says_it_is_masked_not_that_nothing_is_named(org: World) -> None:
    result = explain_error(
        org, "IAM Role arn:aws:iam::XXXXXXXXXXXX:role/Gone cannot be assumed by AWS Backup"
    )
    assert result.unevaluated == "the role account of the message is masked"


def test_the_docs_say_what_the_world_checks_for_every_gate() -> None:
    doc = (Path(__file__).parents[2] / "docs" / "errors.md").read_text(encoding="utf-8")
    table = doc.split("### Gate messages in the world", 1)[1].split("\n\n| gate |", 1)[1]
    rows = table.split("\n\n", 1)[0]
    assert all(f"`{gate.value}`" in rows for gate in MessageGate)


def test_new_user_pastes_of_unsupported_features_read_well(org: World) -> None:
    # Found by running explain --error as a new user: the headline lower-cased "AWS" to "aWS";
    # an RDS copy that says neither Region nor account said nothing of the table's entry; a
    # message about continuous backup itself (no copy) was read as an on-demand copy.
    runner = CliRunner()
    rds = f"Copy job failed. {FEATURE} RDS"
    out = runner.invoke(main, ["explain", "--world", str(ORG), "--error", rds]).output
    assert "aWS" not in out.splitlines()[0]
    check = only_check(explain_error(org, rds))
    assert "if the copy crossed both Region and account (the paste says neither)" in check.reason
    continuous = only_check(
        explain_error(org, f"Continuous backup is not supported: {FEATURE} EBS")
    )
    assert continuous.decision is CheckDecision.UNKNOWN
    assert "records nothing about this feature for EBS" in continuous.reason
    assert continuous.source.endswith("backup-feature-availability.html")


def allowed_images(state: str, *providers: str) -> Any:
    def patch(data: dict[str, Any]) -> None:
        region = account(data, CENTRAL)["regions"]["us-east-1"]
        region["ec2"] = {"allowed_images": {"state": state, "providers": list(providers)}}

    return patch


@pytest.mark.parametrize(
    ("state", "providers", "decision"),
    [
        # enabled, naming neither the source account nor aws-backup-vault: refused whichever
        # of the two a copied AMI counts as — the world confirms the message
        ("enabled", ("amazon",), CheckDecision.DENIED),
        ("enabled", ("none",), CheckDecision.DENIED),
        # the source account is an allowed provider, or the setting applies nothing: contradicts
        ("enabled", ("amazon", PROD), CheckDecision.ALLOWED),
        ("audit-mode", ("amazon",), CheckDecision.ALLOWED),
        # aws-backup-vault only: AWS's pages do not say whether it covers a copied AMI
        ("enabled", ("aws-backup-vault",), CheckDecision.UNKNOWN),
    ],
)
def test_the_destinations_allowed_amis_decide_a_cross_account_ami(
    tmp_path: Path, state: str, providers: tuple[str, ...], decision: CheckDecision
) -> None:
    # API_GetAllowedImagesSettings.html / API_ImageCriterion.html: only 'enabled' applies the
    # image providers; account ids, aws-backup-vault and none are providers.
    world = world_with(tmp_path, holding(PROD, "source"), allowed_images(state, *providers))
    result = explain_error(
        world,
        job(SOURCE_AMI, SourceRecoveryPointArn=AMI_POINT, DestinationBackupVaultArn=CENTRAL_VAULT),
    )
    check = only_check(result)
    assert check.decision is decision, check.reason
    if decision is CheckDecision.DENIED:
        assert result.verdict is Verdict.DENIED and check.blocked_by == ("setting",)
        assert f"only, not of {PROD}" in check.reason
    if decision is CheckDecision.ALLOWED:
        assert result.verdict is Verdict.UNKNOWN and result.disagreements
    if decision is CheckDecision.UNKNOWN:
        assert "AWS's pages disagree on whether aws-backup-vault covers it" in check.reason


def test_a_malformed_allowed_amis_setting_is_an_input_error_with_its_place(tmp_path: Path) -> None:
    with pytest.raises(BackupAccessError) as raised:
        world_with(tmp_path, allowed_images("on", "amazon"))
    said = str(raised.value)
    assert "world.yaml" in said and "/ec2/allowed_images/state" in said
    assert "enabled, audit-mode, disabled" in said


def test_the_example_world_names_the_allowed_amis_setting_and_the_account_to_add() -> None:
    # examples/worlds/cross-account-copy-ami: 222222222222's Allowed AMIs is enabled in
    # us-east-1 with providers amazon and aws-marketplace only (API_GetAllowedImagesSettings).
    world = load_world(EXAMPLES / "cross-account-copy-ami")
    result = explain_error(
        world,
        job(
            SOURCE_AMI,
            SourceRecoveryPointArn="arn:aws:ec2:us-east-1::image/ami-0a1b2c3d4e5f60001",
            DestinationBackupVaultArn="arn:aws:backup:us-east-1:222222222222:backup-vault:central",
        ),
    )
    check = only_check(result)
    assert result.verdict is Verdict.DENIED and check.blocked_by == ("setting",)
    assert "EC2 Allowed AMIs" in check.title
    assert check.id == AMI_CHECK  # the catalogue's check, as `explain copy` reports it
    assert "EC2 Allowed AMIs is enabled in us-east-1" in check.reason
    assert "add 111111111111 to the image providers of account 222222222222" in check.reason
    assert "replace-image-criteria-in-allowed-images-settings" in check.reason
