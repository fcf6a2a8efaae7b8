"""Which resource type an operation handles, and whether AWS Backup fully manages it.

From, in this order: ``--resource-type``; the world's record of the recovery point in its vault;
the recovery point's ARN (a snapshot ARN names its service; ``arn:aws:backup:…:recovery-point``
is a fully managed type's, except in a logically air-gapped vault, whose recovery points all
have backup ARNs, https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html);
the resource's ARN (``backup``). DynamoDB is fully managed only with advanced DynamoDB backup,
the Region's full-management setting
(https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backup_access.catalogue import TypedBy
from backup_access.catalogue.resource_types import (
    ResourceType,
    ResourceTypes,
    load_resource_types,
)
from backup_access.errors import RequestError
from backup_access.policy.arn import Arn
from backup_access.world import Vault, VaultType, World
from backup_access.world.lookup import find_vault
from backup_access.world.model import RecoveryPoint


@dataclass(frozen=True, slots=True)
class TypeOrigin:
    """Where a resource type given with the values came from, for the notes and errors: the
    user's ``--resource-type``, or a pasted job's ``ResourceType`` field."""

    name: str  # "--resource-type", "the job's ResourceType"
    how: str  # "given as --resource-type"


GIVEN_OPTION = TypeOrigin("--resource-type", "given as --resource-type")
JOB_FIELD = TypeOrigin("the job's ResourceType", "named by the job's ResourceType")


@dataclass(frozen=True, slots=True)
class PointKind:
    """The types the handled resource may be (one when known; several when its ARN fits
    several, e.g. an EBS or Storage Gateway snapshot; none when unknown), whether AWS Backup
    fully manages it (None: unknown), and ``how`` that was found."""

    types: tuple[ResourceType, ...]
    fully_managed: bool | None
    how: str
    record: RecoveryPoint | None = None

    @property
    def type(self) -> ResourceType | None:
        return self.types[0] if len(self.types) == 1 else None

    @property
    def label(self) -> str:
        if self.types:
            return " or ".join(t.name for t in self.types)
        if self.fully_managed is None:
            return "of an unknown resource type"
        return "fully managed" if self.fully_managed else "snapshot-backed"


def vault_at(world: World, value: str | None) -> Vault | None:
    arn = Arn.parse(value or "")
    if arn is None or not arn.resource.startswith("backup-vault:"):
        return None
    return find_vault(world, arn.account, arn.region, arn.resource.split(":", 1)[1])


def recorded_point(vault: Vault | None, value: str | None) -> RecoveryPoint | None:
    """The world's details of a recovery point, listed by its ARN or its id."""
    if vault is None or not value:
        return None
    arn = Arn.parse(value)
    ids = [value]
    if arn is not None:
        ids += [arn.resource.split(":", 1)[-1], arn.resource.split("/", 1)[-1]]
    return next((vault.points[i] for i in ids if i in vault.points), None)


def _from_arn(
    table: ResourceTypes, value: str, vault: Vault | None, *, point: bool
) -> tuple[tuple[ResourceType, ...], bool | None, str]:
    arn = Arn.parse(value)
    if arn is None:
        return (), None, ""
    if point and arn.service == "backup":
        if vault is not None and vault.type is VaultType.LOGICALLY_AIR_GAPPED:
            return (), None, "every recovery point of a logically air-gapped vault has a backup ARN"
        if arn.resource.startswith("recovery-point:continuous:"):
            return (), None, "a continuous backup's ARN does not say its type"
        return (), True, "its arn:aws:backup:…:recovery-point ARN is a fully managed type's"
    found = (
        table.by_recovery_point(arn.service, arn.resource)
        if point
        else table.by_resource(arn.service, arn.resource)
    )
    names = ", ".join(t.name for t in found)
    if not found:
        return (), None, ""
    managed = {t.fully_managed for t in found}
    fully = managed.pop() if len(managed) == 1 else None
    if point and fully is None:
        fully = False  # a service's own snapshot ARN: the type kept its resource's key
    return found, fully, f"its ARN is a {names} {'recovery point' if point else 'resource'}'s"


def _region_managed(world: World, vault: Vault | None, name: str) -> bool | None:
    if vault is None or vault.account not in world.accounts:
        return None
    region = world.accounts[vault.account].regions.get(vault.region)
    return region.full_management.get(name) if region is not None else None


def resolve_kind(
    world: World, typed: TypedBy, values: Mapping[str, str], origin: TypeOrigin = GIVEN_OPTION
) -> PointKind:
    """``RequestError`` when the given type is unknown or contradicts the ARN; ``origin`` says
    where the given type came from (the user's option, or a pasted job's field)."""
    table = load_resource_types()
    given = values.get("resource_type")
    chosen = table.find(given) if given else None
    if given and chosen is None:
        raise RequestError(
            f"{origin.name}: unknown resource type '{given}' (known: "
            f"{', '.join(sorted(table.types))})"
        )
    vault = vault_at(world, values.get(typed.vault))
    point = values.get(typed.recovery_point) if typed.recovery_point else None
    resource = values.get(typed.resource) if typed.resource else None
    record = recorded_point(vault, point)
    found: tuple[ResourceType, ...] = ()
    fully: bool | None = None
    why = ""
    if point:
        found, fully, why = _from_arn(table, point, vault, point=True)
    elif resource:
        found, fully, why = _from_arn(table, resource, vault, point=False)
    if chosen is not None and found and chosen not in found:
        raise RequestError(
            f"{origin.name} {chosen.name} does not match the ARN "
            f"{point or resource} ({why.removeprefix('its ARN is a ')})"
        )
    how = origin.how if chosen is not None else ""
    if chosen is None and record is not None and record.resource_type:
        chosen = table.find(record.resource_type)
        how = f"recorded for the recovery point in {vault.name if vault else 'its vault'}"
    if chosen is None and len(found) == 1:
        chosen, how = found[0], why
    if chosen is None:
        return PointKind(found, fully, why or "no resource type given or recorded", record)
    managed = chosen.fully_managed
    if managed is None:  # DynamoDB: the Region's advanced-backup setting decides
        managed = _region_managed(world, vault, chosen.name)
        if managed is None:
            managed = fully
    elif fully is not None and point and managed != fully and how != why:
        raise RequestError(
            f"{origin.name} {chosen.name} is {'' if managed else 'not '}fully managed by AWS "
            f"Backup, but {why.removeprefix('its ')}"
        )
    return PointKind((chosen,), managed, how or why, record)


def kind_from_arn(value: str, *, point: bool) -> PointKind | None:
    """What a recovery point's (``point``) or a resource's ARN alone says of its type, with no
    world to look in; None when its shape says nothing."""
    found, fully, why = _from_arn(load_resource_types(), value, None, point=point)
    if not found and fully is None:
        return None
    return PointKind(found, fully, why)


def any_point_of(kind: PointKind, vault: str) -> str | None:
    """A recovery point ARN pattern standing for any point of the kind's type in ``vault``."""
    arn = Arn.parse(vault)
    patterns = {t.any_recovery_point for t in kind.types}
    if len(patterns) != 1 or arn is None:
        return None
    return patterns.pop().format(region=arn.region, account=arn.account)


def types_held(world: World, vault_value: str) -> tuple[str, ...]:
    """The resource types the world records for the recovery points of a vault."""
    table = load_resource_types()
    vault = vault_at(world, vault_value)
    if vault is None:
        return ()
    names: set[str] = set()
    for ref in vault.recovery_points:
        record = vault.points.get(ref)
        recorded = table.find(record.resource_type or "") if record is not None else None
        if recorded is not None:
            names.add(recorded.name)
            continue
        found, _, _ = _from_arn(table, ref, vault, point=True)
        if len(found) == 1:
            names.add(found[0].name)
    return tuple(sorted(names))
