"""Diagnose what AWS reported — a pasted message or CloudTrail AccessDenied records — in a world.

The input is typed: an ``Incident`` is the parsed message (``diagnose.messages``) and, for a
CloudTrail record, the request the record itself names (``diagnose.cloudtrail``). A request
is evaluated in the world, with the responsible statements quoted; a gate goes through the
one gate → handler table (``diagnose.gate_handlers``); a message that names neither gets
what it means. Where the world disagrees with the message, each disagreement is said, the
layer AWS blamed first (``diagnose.disagreements``). No I/O here: the CLI reads files.
Message forms: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from backup_access.diagnose import message_checks
from backup_access.diagnose.cloudtrail import CloudTrailEvent, read_cloudtrail
from backup_access.diagnose.disagreements import (
    WORLD_ALLOWS,
    WORLD_ALLOWS_JOB,
    reported_check,
    request_disagreements,
)
from backup_access.diagnose.families import MessageFamily, MessageKind, family
from backup_access.diagnose.gate_answer import GateAnswer
from backup_access.diagnose.gate_handlers import answer_gate
from backup_access.diagnose.key_gates import job_key_checks
from backup_access.diagnose.masking import DOCUMENTATION_ACCOUNTS, account_mask, arn_account
from backup_access.diagnose.message_checks import MESSAGE_CHECK, TRUST_CHECK, creating_actions
from backup_access.diagnose.messages import ParsedMessage, parse_error_message
from backup_access.diagnose.model import CheckResult, Explanation, Verdict, verdict_of
from backup_access.diagnose.offline import answer_offline, message_parameters
from backup_access.diagnose.passrole import pass_role_context
from backup_access.diagnose.unevaluated import offline_notes, vault_not_empty
from backup_access.diagnose.unmask import Unmasked, unmask
from backup_access.diagnose.unnamed_resource import unnamed_resource
from backup_access.engine.model import Layer, NamedPolicy
from backup_access.errors import InputError
from backup_access.world import World

__all__ = [
    "MESSAGE_CHECK",
    "TRUST_CHECK",
    "CloudTrailExplanations",
    "Incident",
    "explain_cloudtrail",
    "explain_error",
    "explain_incident",
    "explain_parsed",
]


@dataclass(frozen=True, slots=True)
class Incident:
    """What AWS reported: the message, and the request when the report names it (a
    CloudTrail record names it in its own fields, a message in its text)."""

    message: ParsedMessage
    principal: str | None
    action: str | None
    resource: str | None
    region: str | None = None
    via_service: str | None = None
    title: str = "error message"
    caller: str | None = None  # the operation's caller, when the report names it apart
    passed_role: str | None = None  # the service role the operation passes (a record's)
    record: bool = False  # a CloudTrail record (its fields), not a pasted message

    @property
    def job_role(self) -> str | None:
        """The service role of the job the report is about: the job record's, else the role
        the recorded operation passes."""
        return self.message.job.role or self.passed_role

    @classmethod
    def of_message(cls, parsed: ParsedMessage) -> Incident:
        return cls(parsed, parsed.principal, parsed.action, parsed.resource)

    @classmethod
    def of_event(cls, event: CloudTrailEvent, index: int) -> Incident:
        parts = (event.event_time or f"record {index}", event.event_name, event.principal)
        return cls(
            event.message,
            event.principal,
            event.action,
            event.resource,
            region=event.region,
            via_service=event.via_service,
            title=" ".join(p for p in parts if p),
            caller=event.caller,
            passed_role=event.passed_role,
            record=True,
        )


def _parameters(incident: Incident) -> tuple[tuple[str, str], ...]:
    """The JSON ``parameters``: what the message and wrapper say, never an invented "*"."""
    values = message_parameters(incident.message)
    for name, value in (
        ("principal", incident.principal),
        ("action", incident.action),
        ("resource", incident.resource),
        ("region", incident.region),
        ("via_service", incident.via_service),
    ):
        if value is not None:
            values[name] = value
    return tuple(sorted((k, _text(v)) for k, v in values.items()))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _request(
    world: World, incident: Incident, session: tuple[NamedPolicy, ...] | None
) -> tuple[list[CheckResult], list[str]]:
    """The request evaluated in the world; when the world denies it elsewhere than AWS said,
    AWS's own report comes first (``disagreements.reported_check``)."""
    parsed = incident.message
    assert incident.principal is not None and incident.action is not None
    result = message_checks.permission(
        world,
        incident.principal,
        incident.action,
        incident.resource or "*",
        via=incident.via_service,
        region=incident.region,
        session=session,
        keys=pass_role_context(
            incident.action,
            parsed.operation,
            job_started=parsed.evidence.names_started_job,
            principal=incident.principal,
            caller=incident.caller,
            job_role=incident.job_role,
        ),
        unnamed=None
        if incident.resource
        else unnamed_resource(incident.action, record=incident.record),
    )
    if session is None and parsed.layer is Layer.SESSION:
        result = message_checks.without_session_policy(result, incident.principal)
    reported = reported_check(parsed, result)
    checks = [result] if reported is None else [reported, result]
    return checks, request_disagreements(parsed, result, session_given=session is not None)


def _unmasked(world: World, incident: Incident) -> tuple[Incident, list[str]]:
    """The incident with masked accounts the world can tell put back, and what was done."""
    principal = unmask(world, incident.principal, "principal")
    resource = unmask(world, incident.resource, "resource")
    if principal.arn and resource.arn and not resource.resolved:
        resource = _created_in_caller_account(principal.arn, resource.arn, incident.action)
    notes = [u.note for u in (principal, resource) if u.note is not None]
    if not notes:
        return incident, []
    return replace(incident, principal=principal.arn, resource=resource.arn), notes


def _created_in_caller_account(principal: str, resource: str, action: str | None) -> Unmasked:
    """A masked resource of a creating action (CreateBackupVault) in the caller's account:
    AWS creates the resource in the account of the credentials that call it
    (https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault.html)."""
    masked, caller = arn_account(resource), arn_account(principal)
    if (
        masked is None
        or not account_mask(masked)
        or caller is None
        or account_mask(caller)
        or (action or "").lower() not in creating_actions()
    ):
        return Unmasked(resource)
    parts = resource.split(":", 5)
    parts[4] = caller
    return Unmasked(
        ":".join(parts),
        f"the resource's masked account '{masked}' was taken as {caller}, the caller's "
        f"account: {action} creates the resource in the account of the caller",
    )


def _ciphertext_in_job(world: World, parsed: ParsedMessage) -> GateAnswer | None:
    """KMS's "ciphertext refers to a customer master key …" inside a job that names its role
    and vaults: the job's key checks (``diagnose.key_gates``); None otherwise."""
    if parsed.family is not MessageFamily.KMS_CIPHERTEXT_KEY:
        return None
    return job_key_checks(world, parsed)


def _still_masked(field: str, incident: Incident) -> bool:
    """Whether a masked field of the message is still masked in the incident."""
    value = incident.principal if field.startswith("principal") else incident.resource
    if value is None:
        return False
    account = arn_account(value)
    if account is None:  # a masked principal that is not an ARN at all
        return True
    return bool(account_mask(account))


def explain_incident(
    world: World,
    incident: Incident,
    *,
    operation: str = "message",
    session: tuple[NamedPolicy, ...] | None = None,
) -> Explanation:
    """Evaluate what AWS reported in the world; ``session`` are the session policies of the
    session the message names (``--session-policy``)."""
    parsed = incident.message
    checks: list[CheckResult] = []
    disagreements: list[str] = []
    notes: list[str] = list(parsed.notes)
    unevaluated: list[str] = []  # why nothing could be evaluated, when nothing was
    incident, restored = _unmasked(world, incident)
    notes.extend(restored)
    masked = [
        m.field
        for m in parsed.masked
        if m.field.startswith(("principal", "resource"))
        # AWS's documentation placeholders are real ids in a world that holds them
        and not (m.value in DOCUMENTATION_ACCOUNTS and m.value in world.accounts)
        and _still_masked(m.field, incident)
    ]
    job_key = _ciphertext_in_job(world, parsed) or vault_not_empty(world, parsed)
    if incident.principal and incident.action and not masked:
        evaluated, disagreements = _request(world, incident, session)
        checks.extend(evaluated)
    elif parsed.kind is MessageKind.GATE or job_key is not None:
        # a gate, KMS's ciphertext message inside a job that names its role and vaults, or a
        # vault-not-empty message about a vault the tool names
        answer = job_key if job_key is not None else answer_gate(world, parsed)
        checks.extend(answer.checks)
        notes.extend(answer.notes)
        disagreements.extend(answer.disagreements)
        if answer.unevaluated:
            unevaluated.append(answer.unevaluated)
    else:
        offline = answer_offline(parsed)
        if masked:
            unevaluated.append(
                f"the {' and '.join(masked)} of the message {'are' if len(masked) > 1 else 'is'} "
                "masked and the world cannot tell which account it is"
            )
            notes.append(
                f"the {' and '.join(masked)} of the message is masked, so the request cannot be "
                "evaluated in the world: give the message unmasked, or run `explain OPERATION` "
                "with the operation's parameters"
            )
        else:
            unevaluated.append("the message names no request the world can evaluate")
            notes.append(f"{offline.meaning}. The message names no request the world can evaluate")
        if not masked:  # keep the offline causes and commands: a world never gives less help
            notes.extend(offline_notes(offline))
    results = tuple(checks)
    verdict = verdict_of(results) if results else Verdict.UNKNOWN
    if verdict is Verdict.ALLOWED:
        # AWS refused the request, so a world that allows it is incomplete or stale, or the
        # request carried context it cannot see: never answer "allowed" about a denial.
        verdict = Verdict.UNKNOWN
        row = family(parsed.family)
        prefix = WORLD_ALLOWS_JOB if row.permission_problem is False else WORLD_ALLOWS
        disagreements = _world_allows(disagreements, prefix)
    return Explanation(
        operation=operation,
        verdict=verdict,
        checks=results,
        parameters=_parameters(incident),
        notes=tuple(sorted({*notes, *(n for c in results for n in c.notes)})),
        missing=tuple(sorted({m for c in results for m in c.missing})),
        disagreements=tuple(disagreements),
        unevaluated=None if results else "; ".join(unevaluated) or None,
    )


def _world_allows(disagreements: list[str], prefix: str = WORLD_ALLOWS) -> list[str]:
    """The disagreements, the first saying that AWS refused what the world allows."""
    if disagreements and disagreements[0].startswith((WORLD_ALLOWS, WORLD_ALLOWS_JOB)):
        return disagreements
    first = (
        disagreements[0]
        if disagreements
        else "every check of the message passes in the world: the world may be out of date, "
        "or the request carried context it cannot know"
    )
    return [f"{prefix}{first}", *disagreements[1:]]


def explain_parsed(
    world: World,
    parsed: ParsedMessage,
    *,
    operation: str = "message",
    session: tuple[NamedPolicy, ...] | None = None,
) -> Explanation:
    """Evaluate a parsed message in the world."""
    return explain_incident(
        world, Incident.of_message(parsed), operation=operation, session=session
    )


def explain_error(
    world: World, text: str, *, session: tuple[NamedPolicy, ...] | None = None
) -> Explanation:
    """``explain --error TEXT --world W``; ``session``: the session policies of its caller."""
    parsed = parse_error_message(text)
    try:
        return explain_parsed(world, parsed, operation="error-message", session=session)
    except InputError as error:  # a principal or resource in the text the engine refuses
        return Explanation(
            operation="error-message",
            verdict=Verdict.UNKNOWN,
            checks=(),
            parameters=_parameters(Incident.of_message(parsed)),
            notes=(
                *parsed.notes,
                f"the message's request cannot be evaluated: {error.message}",
            ),
        )


@dataclass(frozen=True, slots=True)
class CloudTrailExplanations:
    """One explanation per AccessDenied record, the records that name no request, and the
    malformed records (errors located by file and ``Records[i]`` pointer)."""

    explanations: tuple[tuple[str, Explanation], ...]
    skipped: tuple[str, ...]
    errors: tuple[InputError, ...]


def explain_cloudtrail(
    world: World, document: object, *, file: str | None = None
) -> CloudTrailExplanations:
    """``explain --cloudtrail FILE``: ``document`` is the file's parsed content."""
    read = read_cloudtrail(document, file=file)
    out: list[tuple[str, Explanation]] = []
    errors = list(read.errors)
    for index, event in enumerate(read.events):
        incident = Incident.of_event(event, index)
        try:
            out.append((incident.title, explain_incident(world, incident, operation="cloudtrail")))
        except InputError as error:  # a value in the record the engine refuses (a principal)
            errors.append(InputError(error.message, pointer=event.pointer, file=file))
    return CloudTrailExplanations(tuple(out), read.skipped, tuple(errors))
