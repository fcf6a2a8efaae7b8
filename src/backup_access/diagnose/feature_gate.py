"""An "unsupported feature" message checked against the resource type table.

"Feature is not supported for provided resource type" names a resource type (``Aurora``, an
ARN, a job's ``ResourceType``) and a copy (Regions, accounts, a logically air-gapped vault, a
continuous or cold-storage backup). The catalogue's resource type table
(``catalogue/data/resource_types.yaml``) records whether one copy may cross Region and account
at once per type and that DynamoDB without advanced backup cannot be copied; the logically
air-gapped vault page adds that Aurora, DocumentDB and Neptune take no cross-Region copy to or
from such a vault. Type-independent rules come from the copy pages: backups in cold storage
cannot be copied, and on-demand copies (StartCopyJob) of continuous backups are not supported.
What the paste does not say (the accounts, the vaults) is unknown, never assumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from backup_access.catalogue import CheckKind
from backup_access.catalogue.resource_types import (
    ResourceType,
    Support,
    load_resource_types,
)
from backup_access.diagnose.binding import account_of, region_of
from backup_access.diagnose.gate_answer import GateAnswer, checked, meaning, nothing_named
from backup_access.diagnose.job_vaults import find_vault
from backup_access.diagnose.messages import ParsedMessage
from backup_access.diagnose.model import CheckDecision, CheckResult
from backup_access.diagnose.service_gates import LAG, LAG_NO_CROSS_REGION
from backup_access.policy.arn import Arn
from backup_access.world import VaultType, World

CHECK_ID = "message.feature-supported"
FEATURES = "https://docs.aws.amazon.com/aws-backup/latest/devguide/backup-feature-availability.html"
COPY = "https://docs.aws.amazon.com/aws-backup/latest/devguide/recov-point-create-a-copy.html"
CONTINUOUS_COPY = (
    "https://docs.aws.amazon.com/aws-backup/latest/devguide/point-in-time-recovery-copying.html"
)
_REGION = re.compile(r"(?<![\w-])[a-z]{2}(?:-[a-z]{2,10}){1,2}-\d{1,2}(?![\w-])")
_ARN = re.compile(r"arn:[a-z-]{1,16}:[^\s\"'`,;]{0,2048}")


@dataclass(frozen=True, slots=True)
class CopyShape:
    """What the paste says about the copy; None where it does not say."""

    copy: bool
    cross_region: bool | None
    cross_account: bool | None
    logically_air_gapped: bool | None
    continuous: bool
    cold: bool
    regions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(slots=True)
class _Findings:
    confirms: list[str] = field(default_factory=list)  # the table says it is unsupported
    unknown: list[str] = field(default_factory=list)  # a reading the paste leaves open
    supported: list[str] = field(default_factory=list)  # the table says it is supported
    sources: list[str] = field(default_factory=list)


def named_types(parsed: ParsedMessage) -> tuple[ResourceType, ...]:
    """The resource types the message or its job names: ``ResourceType``, an ARN's shape,
    or a type's name as a word of the message."""
    table = load_resource_types()
    found: list[ResourceType] = []
    job = parsed.job
    if job.resource_type and (given := table.find(job.resource_type)) is not None:
        found.append(given)
    for value, point in (
        (job.recovery_point, True),
        (job.resource, False),
        (parsed.resource, False),
    ):
        arn = Arn.parse(value or "")
        if arn is None:
            continue
        shapes = (
            table.by_recovery_point(arn.service, arn.resource)
            if point
            else table.by_resource(arn.service, arn.resource)
        )
        found.extend(shapes)  # an EBS snapshot ARN may be Storage Gateway's too
    words = _ARN.sub(" ", parsed.text)
    for name, kind in table.types.items():
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", words, re.IGNORECASE):
            found.append(kind)
    return tuple(dict.fromkeys(found))


def _vault_types(world: World, parsed: ParsedMessage) -> tuple[bool | None, list[str]]:
    """Whether a vault of the copy is logically air-gapped, from the world (None: unknown)."""
    job = parsed.job
    written = [v for v in (job.source_vault, job.destination_vault) if v]
    if not written:
        return None, []
    found = [find_vault(world, v) for v in written]
    notes = [f.note for f in found if f.note]
    if any(f.vault is not None and f.vault.type is VaultType.LOGICALLY_AIR_GAPPED for f in found):
        return True, notes
    if len(found) == 2 and all(f.vault is not None for f in found):
        return False, notes
    return None, notes


def copy_shape(world: World, parsed: ParsedMessage) -> CopyShape:
    """Regions, accounts, vault types and backup kind of the copy, from message and job."""
    lowered = parsed.text.lower()
    job = parsed.job
    regions = tuple(dict.fromkeys(_REGION.findall(parsed.text)))
    source, destination = job.source_vault or "", job.destination_vault or ""
    cross_region: bool | None = None
    cross_account: bool | None = None
    if region_of(source) and region_of(destination):
        cross_region = region_of(source) != region_of(destination)
    elif len(regions) >= 2 or "cross-region" in lowered:
        cross_region = True
    if account_of(source) and account_of(destination):
        cross_account = account_of(source) != account_of(destination)
    elif "cross-account" in lowered:
        cross_account = True
    lag, notes = _vault_types(world, parsed)
    if "air-gapped" in lowered or "airgapped" in lowered:
        lag = True
    continuous = "continuous" in lowered or ":recovery-point:continuous:" in (
        job.recovery_point or ""
    )
    return CopyShape(
        copy="copy" in lowered or bool(destination),
        cross_region=cross_region,
        cross_account=cross_account,
        logically_air_gapped=lag,
        continuous=continuous,
        cold="cold storage" in lowered or "cold tier" in lowered or "archive tier" in lowered,
        regions=regions,
        notes=tuple(notes),
    )


def _dynamodb(world: World, parsed: ParsedMessage, out: _Findings) -> None:
    """DynamoDB copies need advanced DynamoDB backup (the Region's full-management setting)."""
    support = load_resource_types().not_copyable
    source = parsed.job.source_vault or parsed.job.resource or parsed.resource or ""
    account, region = account_of(source), region_of(source)
    holder = world.accounts.get(account or "")
    settings = holder.regions.get(region or "") if holder is not None else None
    managed = settings.full_management.get("DynamoDB") if settings is not None else None
    out.sources.extend(support.sources)
    if managed is False:
        out.sources[:0] = support.sources
        out.confirms.append(
            f"advanced DynamoDB backup is off in account {account}, {region}: {support.why}"
        )
    elif managed is None:
        out.unknown.append(
            "if advanced DynamoDB backup is off where the table is (the world does not say): "
            f"{support.why}"
        )


def _both_ways(kind: ResourceType, shape: CopyShape, out: _Findings) -> None:
    """One copy that crosses Region and account: the table's single-step entry for the type."""
    single = kind.single_step_copy
    out.sources.extend(single.sources)
    crossing = (shape.cross_region, shape.cross_account)
    if crossing == (True, True):
        said = f"one {kind.name} copy both cross-Region and cross-account: {single.why}"
        if single.support is Support.UNSUPPORTED:
            out.confirms.append(said)
        elif single.support is Support.UNKNOWN:
            out.unknown.append(said)
        else:
            out.supported.append(said)
    elif crossing == (None, None) and single.support is not Support.SUPPORTED:
        out.unknown.append(
            f"if the copy crossed both Region and account (the paste says neither): {single.why}"
        )
    elif True in crossing and None in crossing and single.support is not Support.SUPPORTED:
        other = "cross-account" if shape.cross_account is None else "cross-Region"
        out.unknown.append(f"if the copy was also {other} (the paste does not say): {single.why}")
    elif False in crossing and True in crossing:
        out.supported.append(
            f"the table records no restriction on a {kind.name} copy that crosses only "
            f"{'Regions' if shape.cross_region else 'accounts'}"
        )


def _air_gapped(kind: ResourceType, shape: CopyShape, out: _Findings) -> None:
    if kind.name not in LAG_NO_CROSS_REGION or shape.cross_region is not True:
        return
    said = (
        f"cross-Region copies to or from a logically air-gapped vault are not available for "
        f"{kind.name} backups ({LAG})"
    )
    if shape.logically_air_gapped is True:
        out.confirms.append(said)
        out.sources.insert(0, LAG)
    elif shape.logically_air_gapped is None:
        out.unknown.append(f"if a vault of the copy is logically air-gapped (unknown): {said}")


def _type_independent(parsed: ParsedMessage, shape: CopyShape, out: _Findings) -> None:
    """The copy pages' rules for every type: cold storage, and on-demand continuous copies."""
    if not shape.copy:
        return
    if shape.cold:
        out.confirms.append(f"backups in cold storage or an archive tier cannot be copied ({COPY})")
        out.sources.insert(0, COPY)
    if shape.continuous:
        said = (
            "AWS Backup does not support on-demand copies of continuous backups "
            f"({CONTINUOUS_COPY})"
        )
        if parsed.operation == "StartCopyJob":
            out.confirms.append(said)
            out.sources.insert(0, CONTINUOUS_COPY)
        else:
            out.unknown.append(
                f"if this was an on-demand copy (StartCopyJob): {said}; a backup plan's copy of "
                "a continuous backup is made as a snapshot copy instead"
            )
        out.sources.append(CONTINUOUS_COPY)


def _decide(out: _Findings, names: str) -> tuple[CheckDecision, str]:
    if out.confirms:
        return CheckDecision.DENIED, (
            f"the resource type table confirms it for {names}: " + "; ".join(out.confirms)
        )
    if out.unknown:
        said = "; ".join(out.unknown)
        return CheckDecision.UNKNOWN, f"the resource type table leaves it open for {names}: {said}"
    if out.supported:
        said = "; ".join(out.supported)
        return (
            CheckDecision.ALLOWED,
            f"the resource type table records it as supported for {names}: {said}",
        )
    return CheckDecision.UNKNOWN, (
        f"the resource type table records nothing about this feature for {names} (it records "
        "copies across Regions and accounts, DynamoDB without advanced backup and logically "
        f"air-gapped vaults): see the feature availability table ({FEATURES})"
    )


def feature_supported(world: World, parsed: ParsedMessage) -> GateAnswer:
    """What the table says about the feature for the resource type the message names."""
    kinds = named_types(parsed)
    if not kinds:
        return nothing_named(
            parsed,
            "a resource type (a type's name, a resource or recovery point ARN, or the job's "
            "ResourceType)",
            f"look the type and the copy up in the feature availability table ({FEATURES})",
        )
    shape = copy_shape(world, parsed)
    out = _Findings()
    _type_independent(parsed, shape, out)
    for kind in kinds:
        if shape.copy and kind.name == "DynamoDB":
            _dynamodb(world, parsed, out)
        if shape.copy:
            _both_ways(kind, shape, out)
            _air_gapped(kind, shape, out)
    names = " or ".join(k.name for k in kinds)
    decision, reason = _decide(out, names)
    described = (
        f"the paste names a {'copy' if shape.copy else 'feature'} of {names}"
        + (f" between {' and '.join(shape.regions)}" if shape.regions else "")
        + f"; cross-Region: {_said(shape.cross_region)}, cross-account: "
        f"{_said(shape.cross_account)}, logically air-gapped vault: "
        f"{_said(shape.logically_air_gapped)}"
    )
    recorded = out.confirms or out.unknown or out.supported
    sources = list(dict.fromkeys(out.sources)) if recorded else [FEATURES]
    result = CheckResult(
        id=CHECK_ID,
        kind=CheckKind.SETTING,
        title=f"What the message reports as unsupported is supported for {names}",
        source=sources[0],
        decision=decision,
        reason=reason,
        blocked_by=("setting",) if decision is CheckDecision.DENIED else (),
        missing=_missing(shape) if decision is CheckDecision.UNKNOWN else (),
        notes=tuple(f"source: {url}" for url in sources[1:]),
    )
    return checked(parsed, result, notes=(meaning(parsed), described, *shape.notes))


def _said(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def _missing(shape: CopyShape) -> tuple[str, ...]:
    wanted: list[str] = []
    if shape.copy and (shape.cross_account is None or shape.logically_air_gapped is None):
        wanted.append(
            "the copy's source and destination vaults (aws backup describe-copy-job: "
            "SourceBackupVaultArn, DestinationBackupVaultArn)"
        )
    if not wanted:
        wanted.append(f"the feature availability table for the type ({FEATURES})")
    return tuple(wanted)


__all__ = ["CHECK_ID", "CopyShape", "copy_shape", "feature_supported", "named_types"]
