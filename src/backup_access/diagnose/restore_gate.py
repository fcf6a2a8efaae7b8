"""A failed restore job's "IAM Role … does not have sufficient permissions to execute the
restore", checked with the job around it.

``aws backup describe-restore-job`` output names the restore role (``IamRoleArn``), the
recovery point, its resource type and, in its newer form, the vault (``BackupVaultArn``,
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRestoreJob.html). With those
the checks AWS Backup makes with the restore role during the job (the catalogue's restore
operation: its trust policy, the recovery point's key, the S3 target's permissions) are
evaluated in the world, like a copy job's. The caller's checks (StartRestoreJob, iam:PassRole,
the same-account rule) passed, since the job started. What the record never names (the
instance profile's role of an EC2 restore, which AWS's page for this message points at,
https://aws.amazon.com/premiumsupport/knowledge-center/aws-backup-encoded-authorization-failure/)
is said with the ready-made ``explain restore`` command; when the vault cannot be found, that
command is the answer, and nothing is evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass

from backup_access.catalogue import load_catalogue
from backup_access.diagnose.gate_answer import GateAnswer, meaning
from backup_access.diagnose.job_gates import job_arn, job_vault_arn, service_checks
from backup_access.diagnose.messages import ParsedMessage
from backup_access.diagnose.model import CheckDecision, CheckResult
from backup_access.world import World

_RESTORE_API = "StartRestoreJob"
_INSTANCE_ROLE_CHECK = "restore.pass-instance-role"
_INSTANCE_ROLE_TYPES = frozenset({"ec2"})  # restores that may attach an instance profile
_INSTANCE_WORDS = " (--instance-role only when the restore attaches an instance profile)"


@dataclass(frozen=True, slots=True)
class RestoreValues:
    """What the pasted restore job names, as the world resolves it (None: not found, the
    notes say why), and the type as the job gives it."""

    role: str | None
    recovery_point: str | None
    vault: str | None
    resource_type: str | None


def is_restore_job(parsed: ParsedMessage) -> bool:
    """The paste is a restore job's record (its RestoreJobId makes the operation
    StartRestoreJob) naming the role and the recovery point."""
    job = parsed.job
    return (
        parsed.evidence.operation == _RESTORE_API
        and parsed.evidence.names_started_job
        and job.role is not None
        and job.recovery_point is not None
    )


def _holding_vault(world: World, point: str | None, notes: list[str]) -> str | None:
    """The one vault of the world listing the recovery point (describe-restore-job's older
    form names no vault); None, said in ``notes``, when none or several do."""
    if point is None:
        return None
    holders = sorted(
        vault.arn
        for account in world.accounts.values()
        for region in account.regions.values()
        for vault in region.vaults.values()
        if point in vault.recovery_points or point in vault.points
    )
    if len(holders) == 1:
        notes.append(
            f"the job names no vault: taken as {holders[0]}, the only vault of the world that "
            "lists its recovery point"
        )
        return holders[0]
    where = "no vault of the world lists" if not holders else "several vaults of the world list"
    notes.append(f"the job names no vault, and {where} its recovery point {point}")
    return None


def _resolved(world: World, parsed: ParsedMessage, notes: list[str]) -> RestoreValues:
    job = parsed.job
    role = job_arn(world, job.role, "role", notes)
    point = job_arn(world, job.recovery_point, "recovery point", notes)
    if job.vault is not None:
        vault = job_vault_arn(world, job.vault, "vault", notes)
    else:
        vault = _holding_vault(world, point, notes)
    return RestoreValues(role, point, vault, job.resource_type)


def restore_command(parsed: ParsedMessage, values: RestoreValues, *, instance: bool) -> str:
    """The ``explain restore`` command filled with what the paste gives; what it does not give
    stays an UPPER_CASE placeholder (the caller never appears in a restore job's record)."""
    job = parsed.job
    parts = [
        "explain restore --caller CALLER_ARN",
        f"--role {values.role or job.role or 'ROLE_ARN'}",
        f"--vault {values.vault or job.vault or 'VAULT_ARN'}",
        f"--recovery-point {values.recovery_point or job.recovery_point or 'RECOVERY_POINT_ARN'}",
    ]
    if values.resource_type:
        parts.append(f"--resource-type {values.resource_type}")
    if instance:
        parts.append("--instance-role INSTANCE_ROLE_ARN")
    return " ".join(parts)


def offline_restore_note(parsed: ParsedMessage) -> str | None:
    """For a pasted restore job without a world: the ``explain restore`` command that checks
    the restore role, filled with the job's values; None for other pastes."""
    if not is_restore_job(parsed):
        return None
    job = parsed.job
    values = RestoreValues(job.role, job.recovery_point, job.vault, job.resource_type)
    instance = _may_attach_instance(values)
    return (
        "to check the restore role's permissions against your accounts, run `"
        + restore_command(parsed, values, instance=instance)
        + "` with --world (or --live)"
        + _INSTANCE_WORDS * instance
    )


def _may_attach_instance(values: RestoreValues) -> bool:
    kind = (values.resource_type or "").lower()
    return kind in _INSTANCE_ROLE_TYPES or ":image/" in (values.recovery_point or "")


def _job_checks(results: tuple[CheckResult, ...]) -> tuple[CheckResult, ...]:
    """The results of the checks made with the restore role during the job: not those about
    the caller's account (the job started, so they passed)."""
    spec = load_catalogue().operation("restore")
    callers = {c.id for c in spec.checks if "caller" in c.args}
    return tuple(r for r in results if r.id not in callers)


def restore_job_checks(world: World, parsed: ParsedMessage) -> GateAnswer | None:
    """The restore role's checks in the world for a pasted restore job; None when the paste is
    not a restore job naming its role and recovery point (the caller then says what it can)."""
    if not is_restore_job(parsed):
        return None
    notes: list[str] = []
    values = _resolved(world, parsed, notes)
    instance = _may_attach_instance(values)
    command = restore_command(parsed, values, instance=instance)
    missing = [
        name
        for name, value in (
            ("role", values.role),
            ("recovery point", values.recovery_point),
            ("vault", values.vault),
        )
        if value is None
    ]
    if missing:
        why = (
            f"the restore job's {' and '.join(missing)} cannot be found in the world, so its "
            f"checks were not evaluated: run `{command}` with the values it leaves as "
            "placeholders" + _INSTANCE_WORDS * instance
        )
        return GateAnswer(notes=(meaning(parsed), *notes, why), unevaluated=why)
    assert values.role and values.recovery_point and values.vault  # none is missing
    given = {
        "role": values.role,
        "vault": values.vault,
        "recovery_point": values.recovery_point,
    }
    if values.resource_type:
        given["resource_type"] = values.resource_type
    results = service_checks(world, "restore", given)
    if isinstance(results, str):
        why = f"the restore job cannot be evaluated: {results}; run `{command}`"
        return GateAnswer(notes=(meaning(parsed), *notes, why), unevaluated=why)
    checks = _job_checks(results)
    return _answer(parsed, checks, notes, command, instance=instance)


def _answer(
    parsed: ParsedMessage,
    checks: tuple[CheckResult, ...],
    notes: list[str],
    command: str,
    *,
    instance: bool,
) -> GateAnswer:
    failing = [r.id for r in checks if r.decision.denies]
    unknown = [r.id for r in checks if r.decision is CheckDecision.UNKNOWN]
    said = (
        "evaluated the restore job's checks that AWS Backup makes with the job's restore role "
        "(the caller's StartRestoreJob, iam:PassRole and same-account checks passed: the job "
        "started); "
        + (f"failing in the world: {', '.join(failing)}" if failing else "none fails in the world")
        + (f"; unknown: {', '.join(unknown)}" if unknown else "")
    )
    out = [meaning(parsed), *notes, said]
    if instance:
        out.append(
            f"an EC2 restore that attaches an instance profile also needs the restore role to "
            f"pass that profile's role to EC2 ({_INSTANCE_ROLE_CHECK}), which AWS's page for "
            "this message points at; the job record does not name the instance profile, so it "
            f"is not evaluated: run `{command}`{_INSTANCE_WORDS}"
        )
    disagreements: tuple[str, ...] = ()
    if not failing and not unknown:
        also = " or the instance profile's role it could not pass" if instance else ""
        disagreements = (
            "the message reports that the restore role lacks permissions, but every check of "
            "the restore job the world can evaluate passes: the world may be out of date, or "
            f"the role lacks a permission of the restored resource's own service{also} (AWS "
            "Backup's restore role policy lists them: AWSBackupServiceRolePolicyForRestores)",
        )
    return GateAnswer(checks, tuple(out), disagreements)


__all__ = [
    "RestoreValues",
    "is_restore_job",
    "offline_restore_note",
    "restore_command",
    "restore_job_checks",
]
