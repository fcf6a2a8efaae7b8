"""Job messages checked in the world as far as the paste allows: "Access Denied trying to call
AWS Backup service", "failed to create a recovery point" and "Source AMI not found".

The job messages name little; the job around them (``describe-copy-job`` output, a CloudTrail
record) names the service role, the vaults and the resource. With those, the catalogue's checks
of the job's operation that AWS Backup makes itself (the service role's permissions, the
vaults' policies, the keys, the settings) are evaluated in the world; the caller's own checks
(StartCopyJob, PassRole) are not, since a plan's job has no caller and the paste names none.
With less, the answer says exactly what the paste does not name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from backup_access.catalogue import Actor, Check, Gate, load_catalogue
from backup_access.diagnose.binding import account_of, bind, region_of
from backup_access.diagnose.explain import evaluate_check, setting_result
from backup_access.diagnose.gate_answer import GateAnswer, checked, meaning, nothing_named
from backup_access.diagnose.gate_outcome import GateOutcome, gate_unknown
from backup_access.diagnose.image_gate import allowed_images
from backup_access.diagnose.job_vaults import find_vault, vault_written
from backup_access.diagnose.kind import JOB_FIELD
from backup_access.diagnose.masking import account_mask
from backup_access.diagnose.message_checks import message_binding
from backup_access.diagnose.messages import ParsedMessage
from backup_access.diagnose.model import CheckDecision, CheckResult
from backup_access.diagnose.predicates import applies
from backup_access.diagnose.unmask import unmask
from backup_access.errors import BackupAccessError
from backup_access.world import World

TROUBLESHOOTING = "https://docs.aws.amazon.com/aws-backup/latest/devguide/troubleshooting.html"
_AMI = re.compile(r"(?<![\w-])ami-[0-9a-f]{8,17}(?![\w-])")


def _arn(world: World, value: str | None, what: str, notes: list[str]) -> str | None:
    """A job ARN with a masked account put back when the world can tell; None when still
    masked (said in ``notes``)."""
    if value is None:
        return None
    restored = unmask(world, value, what)
    if restored.note:
        notes.append(restored.note)
    arn = restored.arn or value
    account = account_of(arn) or ""
    if account_mask(account) and account not in world.accounts:
        notes.append(f"the {what} {value} has a masked account the world cannot tell")
        return None
    return arn


def _vault_arn(world: World, value: str | None, what: str, notes: list[str]) -> str | None:
    """A vault named by ARN or name, as the ARN the catalogue needs."""
    if value is None:
        return None
    if value.startswith("arn:"):
        return _arn(world, value, what, notes)
    found = find_vault(world, value)
    if found.vault is None:
        notes.append(f"the {what} is named {value} only, and {found.why}")
        return None
    if found.note:
        notes.append(found.note)
    return found.vault.arn


def service_checks(
    world: World, operation: str, values: Mapping[str, str]
) -> tuple[CheckResult, ...] | str:
    """The catalogue checks of ``operation`` that AWS Backup makes during the job (every actor
    but the caller), or why the job's values cannot be bound. The caller parameter is bound
    to the role's account only because the operation requires one: no caller check runs. A
    ``resource_type`` among the values is the job's own field, and the notes say so."""
    spec = load_catalogue().operation(operation)
    caller = account_of(values["role"]) or values["role"]
    try:
        binding = bind(world, spec, {**values, "caller": caller}, type_origin=JOB_FIELD)
    except BackupAccessError as error:
        return str(error)
    results: list[CheckResult] = []
    for check in spec.checks:
        if check.actor is Actor.CALLER or not applies(binding, check)[0]:
            continue
        results.append(evaluate_check(binding, check))
    return tuple(results)


def _job_answer(
    parsed: ParsedMessage, operation: str, results: tuple[CheckResult, ...], notes: list[str]
) -> GateAnswer:
    failing = [r.id for r in results if r.decision.denies]
    unknown = [r.id for r in results if r.decision is CheckDecision.UNKNOWN]
    said = (
        f"evaluated the {operation} job's checks that AWS Backup makes with the job's service "
        "role (the caller's StartCopyJob / StartBackupJob and iam:PassRole checks are not: a "
        "plan's job has no caller, and the paste names none); "
        + (f"failing in the world: {', '.join(failing)}" if failing else "none fails in the world")
        + (f"; unknown: {', '.join(unknown)}" if unknown else "")
        + "; notes naming options (--key, --resource-type, …) mean the job's fields, as "
        f"`explain {operation}` takes them"
    )
    disagreements: tuple[str, ...] = ()
    if not failing and not unknown:
        disagreements = (
            f"the message reports that the {operation} job failed ({parsed.family.value}), but "
            f"every check of the job the world can evaluate passes: the world may be out of "
            "date, or the job failed for a reason outside permissions (read the job's full "
            "StatusMessage)",
        )
    return GateAnswer(results, (meaning(parsed), *notes, said), disagreements)


def copy_service_denied(world: World, parsed: ParsedMessage) -> GateAnswer:
    """A cross-account copy refused by AWS Backup: the copy's checks in the world, the
    destination vault's access policy first among them
    (https://repost.aws/knowledge-center/backup-resolve-access-denied-error)."""
    job = parsed.job
    notes: list[str] = []
    role = _arn(world, job.role, "role", notes)
    source = _vault_arn(world, job.source_vault, "source vault", notes)
    destination = _vault_arn(world, job.destination_vault, "destination vault", notes)
    fields = (
        ("the copy role (IamRoleArn)", job.role, role),
        ("the source vault (SourceBackupVaultArn)", job.source_vault, source),
        ("the destination vault (DestinationBackupVaultArn)", job.destination_vault, destination),
    )
    unreadable = _unreadable(fields)
    if unreadable is not None:
        return GateAnswer(notes=(meaning(parsed), *notes, unreadable), unevaluated=unreadable)
    absent = [name for name, _, value in fields if value is None]
    if absent:
        return _named_too_little(parsed, absent, notes, "copy")
    assert role is not None and source is not None and destination is not None
    values = {"role": role, "source_vault": source, "destination_vault": destination}
    point = _arn(world, job.recovery_point, "recovery point", notes)
    if point is not None:
        values["recovery_point"] = point
    return _run_job_checks(
        world,
        parsed,
        "copy",
        values,
        notes,
        evaluated_note="AWS's page for this message points at the destination vault's access "
        "policy (check copy.copy-into-destination-vault)",
    )


def backup_not_created(world: World, parsed: ParsedMessage) -> GateAnswer:
    """A backup job that created no recovery point: the backup's checks for the job's role,
    vault and resource in the world (the Troubleshooting page gives no single cause)."""
    job = parsed.job
    notes: list[str] = []
    role = _arn(world, job.role, "role", notes)
    vault = _vault_arn(world, job.vault or vault_written(parsed.resource), "vault", notes)
    resource = _arn(world, job.resource or _not_vault(parsed.resource), "resource", notes)
    fields = (
        ("the job's service role (IamRoleArn)", job.role, role),
        ("the job's vault (BackupVaultArn)", job.vault or vault_written(parsed.resource), vault),
    )
    unreadable = _unreadable(fields)
    if unreadable is not None:
        return GateAnswer(notes=(meaning(parsed), *notes, unreadable), unevaluated=unreadable)
    absent = [name for name, _, value in fields if value is None]
    if absent:
        return _named_too_little(parsed, absent, notes, "backup", resource)
    assert role is not None and vault is not None
    values = {"role": role, "vault": vault}
    if resource is not None:
        values["resource"] = resource
    return _run_job_checks(world, parsed, "backup", values, notes)


def _run_job_checks(
    world: World,
    parsed: ParsedMessage,
    operation: str,
    values: dict[str, str],
    notes: list[str],
    *,
    evaluated_note: str | None = None,
) -> GateAnswer:
    """Every check AWS Backup makes for the job's ``operation`` (with the job's resource type
    when the paste gives it), run through the engine; ``evaluated_note`` is added when they
    could be run."""
    if parsed.job.resource_type:
        values["resource_type"] = parsed.job.resource_type
    results = service_checks(world, operation, values)
    if isinstance(results, str):
        why = f"the {operation} job cannot be evaluated: {results}"
        return GateAnswer(notes=(meaning(parsed), *notes, why), unevaluated=why)
    if evaluated_note is not None:
        notes.append(evaluated_note)
    return _job_answer(parsed, operation, results, notes)


def _unreadable(fields: tuple[tuple[str, str | None, str | None], ...]) -> str | None:
    """Why the job cannot be evaluated when the paste names a field the world cannot resolve
    (a masked account, a vault not held): it is named, not missing (said so, never "names
    nothing"); None when every named field resolved."""
    named = [name for name, written, value in fields if written is not None and value is None]
    if not named:
        return None
    return (
        f"the paste names {' and '.join(named)}, but the world cannot tell which "
        "(a masked account, or not in the world: see the notes)"
    )


def _not_vault(value: str | None) -> str | None:
    return None if value is None or ":backup-vault:" in value else value


def _named_too_little(
    parsed: ParsedMessage,
    absent: list[str],
    notes: list[str],
    operation: str,
    resource: str | None = None,
) -> GateAnswer:
    also = f"; the resource is {resource}" if resource else ""
    command = (
        "describe-copy-job --copy-job-id ID"
        if operation == "copy"
        else ("describe-backup-job --backup-job-id ID")
    )
    answer = nothing_named(
        parsed,
        " or ".join(absent),
        f"paste the job with them (aws backup {command}), or run `explain {operation}` with the "
        f"job's parameters{also}",
    )
    return GateAnswer(
        notes=(answer.notes[0], *notes, *answer.notes[1:]), unevaluated=answer.unevaluated
    )


def _ami_holders(world: World, ami: str) -> list[str]:
    """The ARN of every vault of the world listing a recovery point of ``ami``."""
    return sorted(
        vault.arn
        for account in world.accounts.values()
        for region in account.regions.values()
        for vault in region.vaults.values()
        if any(ami in ref for ref in vault.recovery_points)
    )


def _ami_check() -> Check:
    """The copy's Allowed AMIs check: the message is answered by the catalogue's own check."""
    spec = load_catalogue().operation("copy")
    return next(c for c in spec.checks if c.gate is Gate.ALLOWED_IMAGES)


def _ami_result(outcome: GateOutcome) -> CheckResult:
    return setting_result(_ami_check(), outcome)


def source_ami(world: World, parsed: ParsedMessage) -> GateAnswer:
    """The catalogue's copy check of EC2 Allowed AMIs (``image_gate``) for the vault of the
    world that holds the AMI and the job's destination vault: the same gate `explain copy`
    evaluates; what the paste does not name stays unknown."""
    job = parsed.job
    text = " ".join(v for v in (parsed.text, job.recovery_point or "") if v)
    amis = list(dict.fromkeys(_AMI.findall(text)))
    if not amis:
        return nothing_named(
            parsed,
            "the AMI (an ami-… id, or the recovery point's image ARN)",
            "paste the copy job (aws backup describe-copy-job: SourceRecoveryPointArn, "
            "DestinationBackupVaultArn)",
        )
    ami = amis[0]
    holders = _ami_holders(world, ami)
    notes: list[str] = [meaning(parsed)]
    destination = _vault_arn(world, job.destination_vault, "destination vault", notes)
    target = account_of(destination) if destination else None
    region = region_of(destination) if destination else None
    allowed_amis = (
        f"EC2 Allowed AMIs of account {target or 'DESTINATION'} in {region or 'the Region'} "
        "(aws ec2 get-allowed-images-settings: State, ImageCriteria)"
    )
    if not holders:
        outcome = gate_unknown(
            f"{ami} is in no vault of the world, so which account owns it is unknown",
            f"the vault holding {ami} (aws backup list-recovery-points-by-resource)",
        )
        outcome = replace(outcome, missing=(*outcome.missing, allowed_amis))
        return GateAnswer((_ami_result(outcome),), tuple(notes))
    notes.append(f"in the world, {ami} is held in {', '.join(holders)}")
    if destination is None:
        outcome = gate_unknown(
            f"{ami} is held in {holders[0]}; the paste does not name the destination vault, so "
            "whether the copy crosses accounts is unknown",
            "the copy's DestinationBackupVaultArn (aws backup describe-copy-job)",
        )
        outcome = replace(outcome, missing=(*outcome.missing, allowed_amis))
        return GateAnswer((_ami_result(outcome),), tuple(notes))
    if len(holders) > 1:
        notes.append(f"the copy's source is taken to be {holders[0]}, the first of them")
    binding = message_binding(world, {"source_vault": holders[0], "destination_vault": destination})
    result = _ami_result(allowed_images(binding, "destination_vault", "source_vault"))
    return checked(parsed, result, notes=tuple(notes))


# What other job handlers (diagnose.key_gates) read a job's ARNs with.
job_arn = _arn
job_vault_arn = _vault_arn

__all__ = [
    "backup_not_created",
    "copy_service_denied",
    "job_arn",
    "job_vault_arn",
    "service_checks",
    "source_ami",
]
