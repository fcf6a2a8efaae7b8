"""A Vault Lock retention message ("The retention specified in the job is not within the range
specified for the target Backup Vault") checked against the world's Vault Lock.

A backup or copy job into a locked vault must ask for a retention within the lock's range:
at least MinRetentionDays and at most MaxRetentionDays, both inclusive
(https://docs.aws.amazon.com/aws-backup/latest/devguide/vault-lock.html,
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutBackupVaultLockConfiguration.html).
The target vault comes from the job around the message (``DestinationBackupVaultArn``,
``BackupVaultArn``/``BackupVaultName``) or an ARN in it; the retention from the job's
``Lifecycle`` (``DeleteAfterDays``), quoted in a note with ``MoveToColdStorageAfterDays``, or
where it comes from when the paste does not give it (``diagnose.job_retention``). What the
paste or the world does not say stays unknown.
"""

from __future__ import annotations

from backup_access.catalogue import CheckKind, Gate
from backup_access.diagnose import message_checks
from backup_access.diagnose.gate_answer import GateAnswer, checked, meaning, nothing_named
from backup_access.diagnose.job_retention import retention_source
from backup_access.diagnose.job_vaults import find_vault, vault_written
from backup_access.diagnose.messages import ParsedMessage
from backup_access.diagnose.model import CheckDecision, CheckResult
from backup_access.diagnose.service_gates import VAULT_LOCK
from backup_access.world import Vault, VaultType, World
from backup_access.world.model import LockMode, VaultLock

CHECK_ID = "message.retention-within-lock"
TITLE = "The job's retention lies within the target vault's Vault Lock range"
_LISTED = 10  # locked vaults named when the message names none


def _lock(vault: Vault) -> VaultLock | None:
    """A logically air-gapped vault is always locked in compliance mode (LAG page)."""
    if vault.lock is None and vault.type is VaultType.LOGICALLY_AIR_GAPPED:
        return VaultLock(LockMode.COMPLIANCE)
    return vault.lock


def _range(lock: VaultLock) -> str:
    low = lock.min_retention_days if lock.min_retention_days is not None else "no minimum"
    high = lock.max_retention_days if lock.max_retention_days is not None else "no maximum"
    return f"[{low}, {high}] days"


def _result(decision: CheckDecision, reason: str, missing: tuple[str, ...] = ()) -> CheckResult:
    return CheckResult(
        id=CHECK_ID,
        kind=CheckKind.SETTING,
        title=TITLE,
        source=VAULT_LOCK,
        decision=decision,
        reason=reason,
        blocked_by=("setting",) if decision.denies else (),
        missing=missing,
    )


def _locked_vaults(world: World) -> str:
    locked = sorted(
        f"{vault.arn} ({lock.mode} mode, {_range(lock)})"
        for account in world.accounts.values()
        for region in account.regions.values()
        for vault in region.vaults.values()
        if (lock := _lock(vault)) is not None
    )
    if not locked:
        return "none"
    more = f" and {len(locked) - _LISTED} more" if len(locked) > _LISTED else ""
    return ", ".join(locked[:_LISTED]) + more


def _without_days(vault: Vault) -> CheckResult:
    """The target vault is known but the job's retention is not."""
    lock = _lock(vault)
    if lock is None:
        return _result(
            CheckDecision.ALLOWED,
            f"vault {vault.name} has no Vault Lock, so no retention range applies to jobs into it",
        )
    if lock.min_retention_days is None and lock.max_retention_days is None:
        if vault.type is VaultType.LOGICALLY_AIR_GAPPED:
            return _result(
                CheckDecision.UNKNOWN,
                f"vault {vault.name} is a logically air-gapped vault, whose retention range the "
                "world does not record",
                (
                    f"vault {vault.name}'s range (aws backup describe-backup-vault: "
                    "MinRetentionDays, MaxRetentionDays)",
                ),
            )
        return _result(
            CheckDecision.ALLOWED,
            f"vault {vault.name}'s Vault Lock ({lock.mode} mode) sets neither a minimum nor a "
            "maximum retention, so any retention lies within it",
        )
    return _result(
        CheckDecision.UNKNOWN,
        f"vault {vault.name} has a Vault Lock in {lock.mode} mode allowing a retention of "
        f"{_range(lock)}; the paste does not give the job's retention (DeleteAfterDays), so "
        "whether it lies outside is unknown"
        + (
            " (a job with no DeleteAfterDays never expires its recovery points: AWS's pages do "
            "not say how that meets a maximum)"
            if lock.max_retention_days is not None
            else ""
        ),
        (
            "the job's retention: Lifecycle.DeleteAfterDays of the job (aws backup "
            "describe-copy-job / describe-backup-job): for an on-demand job the Lifecycle "
            "parameter of its StartBackupJob / StartCopyJob call, for a plan's job its rule's "
            "lifecycle",
        ),
    )


def retention_in_lock(world: World, parsed: ParsedMessage) -> GateAnswer:
    """The target vault's Vault Lock in the world, against the job's retention when given."""
    job = parsed.job
    written = job.target_vault or vault_written(parsed.resource)
    if written is None:
        return nothing_named(
            parsed,
            "the target vault (a copy job's DestinationBackupVaultArn, a backup job's "
            "BackupVaultArn)",
            "paste the job with it (aws backup describe-copy-job --copy-job-id ID) or run "
            "`explain copy … --retention-days N`; in the world, the vaults with a Vault Lock: "
            f"{_locked_vaults(world)}",
        )
    found = find_vault(world, written)
    notes = (meaning(parsed), *((found.note,) if found.note else ()))
    if found.vault is None:
        result = _result(
            CheckDecision.UNKNOWN,
            f"{found.why}: its Vault Lock is unknown",
            (
                f"vault {written}'s Vault Lock (aws backup describe-backup-vault: Locked, "
                "MinRetentionDays, MaxRetentionDays)",
            ),
        )
        return checked(parsed, result, notes=notes)
    vault = found.vault
    notes = (*notes, retention_source(job, parsed.evidence.operation))
    if job.delete_after_days is None:
        return checked(parsed, _without_days(vault), notes=notes)
    result = message_checks.setting(
        world,
        Gate.RETENTION_WITHIN_LOCK,
        TITLE,
        VAULT_LOCK,
        {"vault": vault.arn, "days": str(job.delete_after_days)},
    )
    return checked(parsed, result, notes=notes)


__all__ = ["CHECK_ID", "retention_in_lock"]
