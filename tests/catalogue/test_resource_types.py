"""The resource type table and how an operation finds the type it handles.

Fully managed types are those whose backups AWS Backup encrypts with the vault's key (the
"Independent AWS Backup encryption: Supported" rows of
https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html); the others keep their
resource's key.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.catalogue import TypedBy
from backup_access.catalogue.resource_types import Support, load_resource_types
from backup_access.cli import main
from backup_access.diagnose.kind import resolve_kind, types_held
from backup_access.errors import RequestError
from backup_access.world import load_world

ROOT = Path(__file__).resolve().parents[2]
WORLD = ROOT / "examples" / "worlds" / "copy-by-resource-type"
SOURCE = "arn:aws:backup:us-east-1:111111111111:backup-vault:workloads"
TYPED = TypedBy(vault="source_vault", recovery_point="recovery_point")


def test_fully_managed_types_are_the_encryption_pages_independent_ones() -> None:
    table = load_resource_types()
    managed = {name for name, t in table.types.items() if t.fully_managed}
    assert managed == {
        "EFS",
        "S3",
        "VirtualMachine",
        "Timestream",
        "CloudFormation",
        "SAP HANA on Amazon EC2",
    }
    assert table.types["DynamoDB"].fully_managed is None  # the Region's advanced backup decides
    for name in ("EBS", "EC2", "RDS", "Aurora", "DocumentDB", "Neptune", "FSx", "Redshift"):
        assert table.types[name].fully_managed is False, name


def test_every_support_entry_cites_aws_pages_and_unknowns_say_why() -> None:
    table = load_resource_types()
    for resource_type in table.types.values():
        support = resource_type.single_step_copy
        assert support.sources and all(s.startswith("https://") for s in support.sources)
        assert support.why
    assert table.types["RDS"].single_step_copy.support is Support.UNKNOWN
    assert table.types["Neptune"].single_step_copy.support is Support.UNKNOWN
    assert table.types["EBS"].single_step_copy.support is Support.SUPPORTED
    assert table.not_copyable.support is Support.UNSUPPORTED


def test_snapshot_arn_gives_the_candidate_types() -> None:
    table = load_resource_types()
    found = {t.name for t in table.by_recovery_point("ec2", "snapshot/snap-1")}
    assert found == {"EBS", "Storage Gateway"}
    cluster = {t.name for t in table.by_recovery_point("rds", "cluster-snapshot:awsbackup:x")}
    assert cluster == {"Aurora", "DocumentDB", "Neptune"}
    assert table.find("ebs") is table.types["EBS"]


def test_kind_from_a_backup_arn_a_record_and_a_lag_vault() -> None:
    world = load_world(WORLD)
    values = {
        "source_vault": "arn:aws:backup:us-east-1:111111111111:backup-vault:efs",
        "recovery_point": "arn:aws:backup:us-east-1:111111111111:recovery-point:efs-0001",
    }
    kind = resolve_kind(world, TYPED, values)
    assert kind.type is not None and kind.type.name == "EFS" and kind.fully_managed is True
    unrecorded = {**values, "recovery_point": values["recovery_point"].replace("efs-0001", "x")}
    kind = resolve_kind(world, TYPED, unrecorded)
    assert kind.type is None and kind.fully_managed is True  # a backup ARN, standard vault
    dynamodb = {
        "source_vault": SOURCE,
        "recovery_point": "arn:aws:dynamodb:us-east-1:111111111111:table/orders/backup/1",
    }
    kind = resolve_kind(world, TYPED, dynamodb)  # the Region records advanced backup off
    assert kind.type is not None and kind.type.name == "DynamoDB" and kind.fully_managed is False


def test_a_type_contradicting_the_arn_is_refused() -> None:
    world = load_world(WORLD)
    values = {
        "source_vault": SOURCE,
        "recovery_point": "arn:aws:ec2:us-east-1::snapshot/snap-0c0000000000000c1",
        "resource_type": "RDS",
    }
    with pytest.raises(RequestError, match="does not match"):
        resolve_kind(world, TYPED, values)
    with pytest.raises(RequestError, match="unknown resource type 'Floppy'"):
        resolve_kind(world, TYPED, {**values, "resource_type": "Floppy"})


def _copy(*extra: str) -> list[str]:
    return [
        "explain",
        "--world",
        str(WORLD),
        "--format",
        "json",
        "copy",
        "--caller",
        "arn:aws:iam::111111111111:role/BackupOperator",
        "--role",
        "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
        "--destination-vault",
        "arn:aws:backup:us-east-1:222222222222:backup-vault:central",
        *extra,
    ]


def test_without_a_recovery_point_or_type_each_type_in_the_vault_is_answered() -> None:
    assert types_held(load_world(WORLD), SOURCE) == ("DynamoDB", "EBS", "RDS")
    result = CliRunner().invoke(main, _copy("--source-vault", SOURCE))
    assert result.exit_code == 0, result.output
    answers = json.loads(result.stdout)
    assert [a["parameters"]["resource_type"] for a in answers] == ["DynamoDB", "EBS", "RDS"]
    by_type = {a["parameters"]["resource_type"]: a for a in answers}
    assert by_type["DynamoDB"]["verdict"] == "denied"  # no advanced backup: not copyable
    # any EBS snapshot: its key is not known without --key, and the answer says so
    assert by_type["EBS"]["verdict"] == "unknown"
    assert any("--key" in m for m in by_type["EBS"]["missing"])


def test_a_vault_with_no_recorded_type_asks_for_one() -> None:
    vault = "arn:aws:backup:us-west-2:111111111111:backup-vault:dr"
    result = CliRunner().invoke(main, _copy("--source-vault", vault))
    assert result.exit_code == 3, result.output
    assert "--resource-type" in result.output and "dr" in result.output


def test_the_fast_yaml_loader_reads_the_same_catalogue() -> None:
    """The catalogue is parsed with libyaml's CSafeLoader when PyYAML has it; it must read the
    package data exactly as the pure Python SafeLoader does (anchors and merge keys included)."""
    import yaml

    from backup_access.catalogue.loader import YAML_LOADER, parse_catalogue

    assert parse_catalogue(yaml.SafeLoader) == parse_catalogue(YAML_LOADER)
