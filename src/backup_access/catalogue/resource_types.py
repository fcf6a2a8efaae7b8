"""AWS Backup resource types (package data ``data/resource_types.yaml``): which are fully
managed by AWS Backup, what their recovery point and resource ARNs look like, what sharing
and deleting their recovery points needs, and whether one copy may cross Region and account.

Why it matters: a fully managed type's recovery point is encrypted with its vault's key, a
snapshot-backed type's with the resource's own key, and that decides which keys a copy needs
(https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from backup_access.catalogue.loader import read_yaml
from backup_access.errors import BackupAccessError


class Support(StrEnum):
    SUPPORTED = "supported"
    UNSUPPORTED = "unsupported"
    UNKNOWN = "unknown"  # AWS's pages disagree or say nothing


@dataclass(frozen=True, slots=True)
class CopySupport:
    """Whether one copy job may be both cross-Region and cross-account, and the pages."""

    support: Support
    why: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ArnShape:
    service: str
    prefix: str  # the ARN's resource part starts with it

    def matches(self, service: str, resource: str) -> bool:
        return service == self.service and resource.startswith(self.prefix)


@dataclass(frozen=True, slots=True)
class ResourceType:
    name: str
    # True / False; None: decided by the Region's full-management setting (DynamoDB)
    fully_managed: bool | None
    recovery_point_arns: tuple[ArnShape, ...]
    resource_arns: tuple[ArnShape, ...]
    any_recovery_point: str  # an ARN pattern with {region} and {account}
    share: tuple[str, ...]
    delete: tuple[str, ...]
    single_step_copy: CopySupport
    # what the backup role reads of the resource (AWSBackupServiceRolePolicyForBackup's
    # Describe / Get action for the type); empty when that policy grants none (S3)
    describe: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ResourceTypes:
    types: dict[str, ResourceType]
    sources: dict[str, str]  # tag -> URL
    not_copyable: CopySupport  # DynamoDB without advanced backup

    def find(self, name: str) -> ResourceType | None:
        """A type by its name, case-insensitively (``ebs``, ``EBS``)."""
        wanted = name.strip().lower()
        return next((t for n, t in self.types.items() if n.lower() == wanted), None)

    def by_recovery_point(self, service: str, resource: str) -> tuple[ResourceType, ...]:
        """Types whose recovery points (not fully managed) have this ARN shape."""
        return tuple(
            t
            for t in self.types.values()
            if any(s.matches(service, resource) for s in t.recovery_point_arns)
        )

    def by_resource(self, service: str, resource: str) -> tuple[ResourceType, ...]:
        return tuple(
            t
            for t in self.types.values()
            if any(s.matches(service, resource) for s in t.resource_arns)
        )


class ResourceTypeDataError(BackupAccessError):
    """The resource type table in the package data is malformed (a bug, not user input)."""


def _shapes(raw: object, where: str) -> tuple[ArnShape, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(p, list) and len(p) == 2 for p in raw):
        raise ResourceTypeDataError(f"{where}: ARN shapes are [service, prefix] pairs")
    return tuple(ArnShape(str(service), str(prefix)) for service, prefix in raw)


def _support(raw: dict[str, Any], sources: dict[str, str], where: str) -> CopySupport:
    kinds = [k for k in ("supported", "unsupported", "unknown") if k in raw]
    if "note" in raw:
        kinds = ["supported"]
    if len(kinds) != 1:
        raise ResourceTypeDataError(f"{where}: say supported (note), unsupported or unknown")
    tags = raw.get("sources") or []
    if not tags or any(tag not in sources for tag in tags):
        raise ResourceTypeDataError(f"{where}: every support entry cites known sources")
    why = str(raw.get("note") or raw[kinds[0]])
    return CopySupport(Support(kinds[0]), " ".join(why.split()), tuple(sources[t] for t in tags))


def parse_resource_types(raw: dict[str, Any]) -> ResourceTypes:
    sources = {str(k): str(v) for k, v in raw["sources"].items()}
    supports = {
        name: _support(spec, sources, f"single_step_copy.{name}")
        for name, spec in raw["single_step_copy"].items()
    }
    types: dict[str, ResourceType] = {}
    for name, spec in raw["types"].items():
        where = f"types.{name}"
        managed = spec["fully_managed"]
        if managed not in (True, False, "region"):
            raise ResourceTypeDataError(f"{where}: fully_managed is true, false or region")
        support = spec.get("single_step_copy")
        if support not in supports:
            raise ResourceTypeDataError(f"{where}: unknown single_step_copy {support!r}")
        types[name] = ResourceType(
            name=name,
            fully_managed=None if managed == "region" else bool(managed),
            recovery_point_arns=_shapes(spec.get("recovery_point_arns"), where),
            resource_arns=_shapes(spec.get("resource_arns"), where),
            any_recovery_point=str(spec["any_recovery_point"]),
            share=tuple(spec.get("share") or ()),
            delete=tuple(spec.get("delete") or ()),
            single_step_copy=supports[support],
            describe=tuple(spec.get("describe") or ()),
        )
    return ResourceTypes(types, sources, supports["not_copyable"])


@cache
def load_resource_types() -> ResourceTypes:
    """The table shipped with the package (read on first use)."""
    folder = resources.files("backup_access.catalogue").joinpath("data")
    text = folder.joinpath("resource_types.yaml").read_text(encoding="utf-8")
    return parse_resource_types(read_yaml(text))
