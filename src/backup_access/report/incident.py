"""Render the offline answer to ``explain --error`` (no world): text for people, JSON for
machines.

JSON (one object): ``{"schema", "schema_version", "mode": "offline", "operation":
"error-message", "verdict": "unknown", "family", "kind", "message", "summary", "meaning",
"permission_problem" (null when the text is not recognised), "blame": {"says", "explicit",
"policy_type", "layer", "policy_arn"}, "operation_name", "api", "parameters", "causes":
[{"rank", "check", "title", "layer", "why", "source", "confirm": [{"command", "account",
"shows"}]}], "other_checks": [same as causes], "todo", "sources", "notes"}``.
``other_checks`` are the operation's checks that cannot have produced the message (another
action than the one AWS reports): not causes, but the call needs them too. Nothing was
evaluated, so the verdict is always ``unknown``.
"""

from __future__ import annotations

from typing import Any

from backup_access.diagnose import decoded
from backup_access.diagnose.offline import Cause, OfflineAnswer
from backup_access.report.printable import printable
from backup_access.report.schema import SCHEMA_VERSION

SCHEMA = "backup-access/offline-answer/1"


def offline_to_dict(answer: OfflineAnswer) -> dict[str, Any]:
    data = answer.to_dict()
    operation = data.pop("operation")
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "operation": "error-message",
        "verdict": "unknown",
        "operation_name": operation,
        **data,
    }


# CloudFormation's own handler error codes (RecordHandlerProgress ErrorCode values,
# https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_RecordHandlerProgress.html):
# in a CloudFormation paste they are CloudFormation's verdict, not the AWS service's error code.
_CLOUDFORMATION_CODES = frozenset(
    (
        "NotUpdatable",
        "InvalidRequest",
        "AccessDenied",
        "InvalidCredentials",
        "AlreadyExists",
        "NotFound",
        "ResourceConflict",
        "Throttling",
        "ServiceLimitExceeded",
        "NotStabilized",
        "GeneralServiceException",
        "ServiceInternalError",
        "NetworkFailure",
        "InternalFailure",
        "InvalidTypeConfiguration",
        "HandlerInternalFailure",
        "NonCompliant",
        "Unknown",
        "UnsupportedTarget",
    )
)


def _error_code(code: str, wrappers: tuple[str, ...]) -> str:
    """The error code, said to be CloudFormation's HandlerErrorCode when it is one."""
    if "cloudformation" in wrappers and code in _CLOUDFORMATION_CODES:
        return f"CloudFormation handler error code {code} (not the AWS service's error code)"
    return f"error code {code}"


def _evidence(answer: OfflineAnswer) -> list[str]:
    parsed = answer.message
    evidence = parsed.evidence
    parts: list[str] = []
    if evidence.wrappers:
        parts.append("pasted from " + " › ".join(evidence.wrappers))
    if evidence.operation:
        inferred = evidence.operation_from in ("job status", "job record")
        how = "inferred from" if inferred else "named by"
        parts.append(f"operation {evidence.operation} ({how} {evidence.operation_from})")
    if evidence.error_code:
        parts.append(_error_code(evidence.error_code, evidence.wrappers))
    if evidence.status_code:
        parts.append(f"HTTP {evidence.status_code}")
    if evidence.request_id:
        parts.append(f"request id {evidence.request_id}")
    if evidence.tool_resource:
        parts.append(f"tool resource {evidence.tool_resource}")
    if evidence.resource_type:
        parts.append(f"resource type {evidence.resource_type}")
    if parsed.authorization_id:
        parts.append(f"authorization id {parsed.authorization_id}")
    job = parsed.job  # the job printed around a job message
    for label, value in (
        ("job role", job.role),
        ("job source vault", job.source_vault),
        ("job destination vault", job.destination_vault),
        ("job vault", job.vault),
        ("job recovery point", job.recovery_point),
        ("job resource", job.resource),
        ("job resource type", job.resource_type),
        ("job DeleteAfterDays", job.delete_after_days),
    ):
        if value is not None:
            parts.append(f"{label} {value}")
    return parts


def _cause_lines(cause: Cause) -> list[str]:
    lines = [f"  {cause.rank}. [{cause.layer}] {cause.title}", f"     why: {cause.why}"]
    if cause.check or cause.source:
        lines.append("     " + " · ".join(x for x in (cause.check, cause.source) if x))
    for command in cause.confirm:
        lines.append(f"     in {command.account}:")
        lines.append(f"       $ {command.command}")
        lines.append(f"         ({command.shows})")
    return lines


def render_offline(answer: OfflineAnswer, *, verbose: bool = False) -> str:
    """The answer as plain text: commands and ARNs are never wrapped or cut. The other
    checks (which cannot have produced the message) take one line each, unless
    ``verbose``: a PassRole denial's operation has two dozen, three commands each."""
    parsed = answer.message
    api = f" ({answer.api})" if answer.api else ""
    lines = [f"? UNKNOWN (no world given){api}: {answer.summary}"]
    said = decoded.echo(parsed) or parsed.text  # a decoded message without its escaping
    if said:
        lines.append(f"  AWS said: {said}")
    lines.append(f"What it means: {answer.meaning}")
    if answer.permission_problem is None:
        lines.append(
            "Not recognised: backup-access cannot tell what caused it, nor whether a policy "
            "is to blame."
        )
    elif not answer.permission_problem:
        lines.append("This is not a permission problem: no policy is to blame.")
    lines.append(f"Layer AWS blamed: {answer.blame.says}")
    if parsed.action:
        lines.append(
            f"Request: {parsed.principal or '?'} → {parsed.action} on "
            f"{parsed.resource or '(no resource named)'}"
        )
    evidence = _evidence(answer)
    if evidence:
        lines.append("Evidence from the paste: " + "; ".join(evidence))
    for masked in parsed.masked:
        lines.append(f"Masked: the {masked.field} is unknown ('{masked.value}' is {masked.why})")
    if answer.causes:
        lines.append("Likely causes, most likely first:")
    for cause in answer.causes:
        lines.extend(_cause_lines(cause))
    if answer.other_checks:
        api = answer.api or "the operation"
        lines.append(
            f"Other checks of {api} (they cannot produce this message, but the call needs "
            "them too once it gets past this denial):"
        )
    for cause in answer.other_checks:
        if verbose:
            lines.extend(_cause_lines(cause))
        else:
            check = f" ({cause.check})" if cause.check else ""
            lines.append(f"  - [{cause.layer}] {cause.title}{check}")
    if answer.other_checks and not verbose:
        lines.append("  (-v: why each is listed, and the commands that confirm it)")
    if answer.todo:
        lines.append(f"What to do: {answer.todo}")
    if answer.sources:
        lines.append("Sources: " + " ".join(answer.sources))
    for note in answer.notes:
        lines.append(f"Note: {note}")
    lines.append("Give --world (or --live) to evaluate it against your accounts.")
    # Every line can quote the paste (an ARN, a request id, a job's fields): none prints raw.
    return "\n".join(printable(line) for line in lines)
