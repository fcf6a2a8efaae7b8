"""KMS key messages checked with the job around them: "Given key ID is not accessible",
"You must have DescribeKey permissions on the default CMK", RDS's KMSKeyNotAccessibleFault and
KMS's "ciphertext refers to a customer master key …".

These messages name no principal and seldom a key, but the job printed around them
(``describe-copy-job``: IamRoleArn, SourceBackupVaultArn, DestinationBackupVaultArn,
SourceRecoveryPointArn, ResourceType) names the rest. With those the catalogue's key checks of
the job's operation are evaluated in the world: whether the source key is customer managed
(an AWS managed key cannot be used by another account), and whether its key policy lets the
copy role and the destination account's AWSServiceRoleForBackup use it. A failing check
confirms the message, all passing contradict it, the rest is unknown. Sources: AWS's
troubleshooting page for these messages
(https://repost.aws/knowledge-center/backup-cross-account-copy-error) and the catalogue
checks' own pages (each result carries its ``source``).
"""

from __future__ import annotations

from backup_access.catalogue import Gate, load_catalogue
from backup_access.diagnose.gate_answer import GateAnswer, meaning
from backup_access.diagnose.job_gates import job_arn, job_vault_arn, service_checks
from backup_access.diagnose.messages import ParsedMessage
from backup_access.diagnose.model import CheckDecision, CheckResult
from backup_access.world import World

TROUBLESHOOTING = "https://repost.aws/knowledge-center/backup-cross-account-copy-error"
_KEY_GATES = (Gate.KEY_CUSTOMER_MANAGED, Gate.AWS_MANAGED_KEY_OWN_ACCOUNT)


def _is_key_check(result: CheckResult, gates: dict[str, Gate | None]) -> bool:
    return (result.action or "").startswith("kms:") or gates.get(result.id) in _KEY_GATES


def job_key_checks(world: World, parsed: ParsedMessage) -> GateAnswer | None:
    """The job's key checks in the world; None when the paste does not name the job's role
    and vaults (the caller then says what it can from the message alone)."""
    job = parsed.job
    if job.role is None or (job.destination_vault is None and job.vault is None):
        return None
    notes: list[str] = []
    role = job_arn(world, job.role, "role", notes)
    if job.destination_vault is not None:
        operation = "copy"
        named = {
            "source_vault": job_vault_arn(world, job.source_vault, "source vault", notes),
            "destination_vault": job_vault_arn(
                world, job.destination_vault, "destination vault", notes
            ),
        }
    else:
        operation = "backup"
        named = {"vault": job_vault_arn(world, job.vault, "vault", notes)}
    absent = [name for name, value in named.items() if value is None]
    if role is None or absent:
        missing = ", ".join(["the job's role"] * (role is None) + absent)
        why = f"the job's {missing} cannot be found in the world"
        return GateAnswer(notes=(meaning(parsed), *notes, why), unevaluated=why)
    values = {"role": role, **{k: v for k, v in named.items() if v is not None}}
    if operation == "copy":  # the copy's source recovery point; a backup's own resource
        point = job_arn(world, job.recovery_point, "recovery point", notes)
        if point is not None:
            values["recovery_point"] = point
    else:
        resource = job_arn(world, job.resource, "resource", notes)
        if resource is not None:
            values["resource"] = resource
    if job.resource_type:
        values["resource_type"] = job.resource_type
    results = service_checks(world, operation, values)
    if isinstance(results, str):
        why = f"the {operation} job cannot be evaluated: {results}"
        return GateAnswer(notes=(meaning(parsed), *notes, why), unevaluated=why)
    gates = {c.id: c.gate for c in load_catalogue().operation(operation).checks}
    keys = tuple(r for r in results if _is_key_check(r, gates))
    others = [r.id for r in results if r.decision.denies and not _is_key_check(r, gates)]
    if others:
        notes.append(
            f"other checks of the {operation} job also fail in the world: {', '.join(others)} "
            f"(run `explain {operation}` with the job's values for all of them)"
        )
    return _answer(parsed, operation, keys, notes)


def _answer(
    parsed: ParsedMessage, operation: str, keys: tuple[CheckResult, ...], notes: list[str]
) -> GateAnswer:
    said = (
        f"evaluated the {operation} job's KMS key checks with the job's role, vaults and "
        "recovery point (the message itself names no principal): "
    )
    if not keys:
        why = (
            f"no key check of the {operation} job applies to this job in the world (the world "
            "does not record which KMS key the job uses, or records no customer managed key "
            f"for it): run `explain {operation}` with the job's values and --key KEY"
        )
        return GateAnswer(notes=(meaning(parsed), *notes, said + why), unevaluated=why)
    failing = [r.id for r in keys if r.decision.denies]
    unknown = [r.id for r in keys if r.decision is CheckDecision.UNKNOWN]
    if failing:
        verdict = f"failing in the world, which confirms the message: {', '.join(failing)}"
    elif unknown:
        verdict = f"none fails; unknown: {', '.join(unknown)}"
    else:
        verdict = "all pass in the world"
    out = [
        meaning(parsed),
        *notes,
        said + verdict,
        f"AWS's page for these messages: {TROUBLESHOOTING}",
    ]
    disagreements: tuple[str, ...] = ()
    if not failing and not unknown:
        key = next((r.resource for r in keys if r.resource), None)
        which = f"key {key}" if key else "the source key"
        disagreements = (
            f"the message reports that a KMS key of the {operation} job is not accessible, but "
            f"in the world {which} is customer managed and its key policy lets the job's role "
            "and the destination account's AWSServiceRoleForBackup use it: the world may be out "
            "of date (the key policy changed), or the key is disabled or pending deletion, "
            "which the world does not record (aws kms describe-key)",
        )
    return GateAnswer(keys, tuple(out), disagreements)


__all__ = ["job_key_checks"]
