"""Diagnose what AWS reported: an access-denied message or CloudTrail AccessDenied records.

The parsed message (``diagnose.messages``) becomes a request — evaluated in the world, with
the responsible statements quoted — or a non-policy gate, evaluated from the world model.
When the world disagrees with the message (it allows the request, or blames another layer
or policy), each disagreement is said, since it usually means the world is out of date or
the request carried context the world cannot know.
Message forms: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
"""

from __future__ import annotations

import importlib
from dataclasses import replace
from pathlib import Path
from typing import Any

from backup_access.catalogue import Actor, Check, CheckKind, Gate, Operation
from backup_access.diagnose.binding import Binding, UnresolvedError
from backup_access.diagnose.explain import evaluate_setting
from backup_access.diagnose.model import (
    CheckDecision,
    CheckResult,
    Explanation,
    Verdict,
    verdict_of,
)
from backup_access.diagnose.permission import evaluate_permission
from backup_access.documents import load_document
from backup_access.engine.model import NamedPolicy
from backup_access.errors import RequestError
from backup_access.policy.arn import Arn
from backup_access.world import Role, World

MESSAGE_CHECK = "message.request"
TRUST_CHECK = "message.role-trust"
_SOURCE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html"
_LAYERS = {
    "identity-based": "identity",
    "identity": "identity",
    "resource-based": "resource",
    "resource": "resource",
    "role trust": "resource",
    "service control": "scp",
    "scp": "scp",
    "resource control": "rcp",
    "rcp": "rcp",
    "permissions boundary": "boundary",
    "boundary": "boundary",
    "session": "session",
    "sessions": "session",
    "vpc endpoint": "endpoint",
    "endpoint": "endpoint",
}
# Gate names of the message parser, by the words they contain → the catalogue's gates.
_GATE_WORDS: tuple[tuple[tuple[str, ...], Gate], ...] = (
    (("cross", "enabled"), Gate.CROSS_ACCOUNT_BACKUP_ENABLED),
    (("cross_account_backup",), Gate.CROSS_ACCOUNT_BACKUP_ENABLED),
    (("organization",), Gate.SAME_ORGANIZATION),
    (("default",), Gate.VAULT_NOT_DEFAULT),
    (("aws_managed",), Gate.KEY_CUSTOMER_MANAGED),
    (("shared",), Gate.VAULT_SHARED_WITH),
)
_GATE_SOURCES = {
    Gate.CROSS_ACCOUNT_BACKUP_ENABLED: (
        "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_UpdateGlobalSettings.html"
    ),
    Gate.SAME_ORGANIZATION: "https://repost.aws/knowledge-center/backup-troubleshoot-cross-account-copy",
}


def _get(item: object, *names: str) -> Any:
    for name in names:
        value = getattr(item, name, None)
        if value is not None:
            return value
    return None


def _text(item: object, *names: str) -> str | None:
    value = _get(item, *names)
    return None if value is None else str(value)


def _layer(policy_type: str | None) -> str | None:
    if not policy_type:
        return None
    words = policy_type.lower().removesuffix(" policy").removesuffix(" policies").strip()
    return _LAYERS.get(words)


_ROLE_NOT_ASSUMABLE = "role_not_assumable"  # the role's trust policy
_ROLE_INSUFFICIENT = "role_insufficient_permissions"  # what the role may do once assumed
_KEY_INACCESSIBLE = "kms_key_inaccessible"  # a job message: the key is not usable
_BACKUP_POLICY = "AWSBackupServiceRolePolicyForBackup"
_RESTORE_POLICY = "AWSBackupServiceRolePolicyForRestores"
_S3_POLICIES = {
    False: "AWSBackupServiceRolePolicyForS3Backup",
    True: "AWSBackupServiceRolePolicyForS3Restore",
}
_MESSAGE = Operation("message", "An AWS message", "-", _SOURCE, (), ())


def _binding(
    world: World, region: str | None = None, session: tuple[NamedPolicy, ...] | None = None
) -> Binding:
    """A binding without parameters; ``region`` is the Region the request was sent to (a
    CloudTrail record's awsRegion), when known; ``session`` the caller's session policies."""
    return Binding(world, replace(_MESSAGE, region=region), {}, frozenset(), session)


def _permission(
    world: World,
    principal: str,
    action: str,
    resource: str,
    via: str | None,
    check_id: str,
    region: str | None = None,
    session: tuple[NamedPolicy, ...] | None = None,
) -> CheckResult:
    check = Check(
        id=check_id,
        kind=CheckKind.PERMISSION,
        title=f"{principal} may call {action}",
        source=_SOURCE,
        actor=Actor.CALLER,
        principal=principal,
        action=action,
        resource=resource,
        via_service=via,
    )
    # The values are literal ARNs: templates without placeholders fill to themselves.
    try:
        return evaluate_permission(_binding(world, region, session), check)
    except UnresolvedError as error:  # pragma: no cover - literals resolve
        return CheckResult(
            check_id, CheckKind.PERMISSION, check.title, _SOURCE, CheckDecision.UNKNOWN, str(error)
        )


def _a(words: str) -> str:
    """``words`` with its indefinite article: "an identity-based", "a service control"."""
    return f"{'an' if words[:1].lower() in {'a', 'e', 'i', 'o', 'u'} else 'a'} {words}"


def _context_unknown(*, session_given: bool) -> str:
    """What a request may carry that the world cannot know; session policies only when none
    were given (with --session-policy they were applied)."""
    if session_given:
        return (
            "the request carried context it cannot know (VPC endpoint, source IP, tags); the "
            "session policies given with --session-policy were applied, so check they are the "
            "ones the session was created with"
        )
    return (
        "the request carried context it cannot know (session policy, VPC endpoint, source IP, tags)"
    )


def _disagreements(parsed: object, result: CheckResult, *, session_given: bool) -> list[str]:
    out: list[str] = []
    explicit = _get(parsed, "explicit")
    policy_type = _text(parsed, "policy_type")
    layer = _layer(policy_type)
    said = f"{'an explicit deny' if explicit else 'no allow'}" + (
        f" in {_a(policy_type)} policy" if policy_type else ""
    )
    if result.decision is CheckDecision.UNKNOWN:
        return out
    if result.decision is CheckDecision.ALLOWED:
        out.append(
            f"the message reports {said}, but in the world the request is allowed: the world "
            f"may be out of date, or {_context_unknown(session_given=session_given)}"
        )
        return out
    if explicit is True and result.decision is not CheckDecision.EXPLICIT_DENY:
        out.append(
            f"the message reports an explicit deny, but the world finds only an implicit deny "
            f"(blocked by {', '.join(result.blocked_by)})"
        )
    if explicit is False and result.decision is CheckDecision.EXPLICIT_DENY:
        out.append("the message reports no allow, but the world finds an explicit deny")
    if layer is not None and layer not in result.blocked_by:
        out.append(
            f"the message blames {_a(policy_type or '')} policy, the world blames "
            f"{', '.join(result.blocked_by)}"
        )
    policy_arn = _text(parsed, "policy_arn")
    if policy_arn and result.statements:
        named = {s.policy for s in result.statements}
        if not any(policy_arn in name or name in policy_arn for name in named):
            out.append(
                f"the message names policy {policy_arn}; in the world the statements "
                f"responsible are in {', '.join(sorted(named))}"
            )
    return out


def _role_entity(world: World, role: str) -> Role | None:
    arn = Arn.parse(role)
    if arn is None or arn.resource_type != "role" or arn.account not in world.accounts:
        return None
    return world.accounts[arn.account].roles.get(arn.resource.rsplit("/", 1)[-1])


SESSION_POLICY_NOTE = (
    "session policies are passed when a session is created (the Policy and PolicyArns "
    "parameters of sts:AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity or "
    "GetFederationToken) and are not part of the world: find them in the CloudTrail record of "
    "the call that created the session (requestParameters policy and policyArns) or in the "
    "tool that assumed the role (for an IAM Identity Center user, look at the permission set "
    "behind its AWSReservedSSO_ role too), then give them with --session-policy FILE to "
    "evaluate the request with them"
)


def _without_session_policy(result: CheckResult, principal: str) -> CheckResult:
    """A message that blames a session policy, evaluated without one: the world cannot
    confirm it, so an allow there is unknown (a deny from another layer still stands)."""
    missing = f"the session policies of {principal} (explain --session-policy FILE)"
    if result.decision is not CheckDecision.ALLOWED:
        return replace(result, notes=(*result.notes, SESSION_POLICY_NOTE))
    return replace(
        result,
        decision=CheckDecision.UNKNOWN,
        reason=(
            "unknown: the message blames a session policy and the world holds none for this "
            f"session; without one, {result.reason}"
        ),
        missing=(*result.missing, missing),
        notes=(*result.notes, SESSION_POLICY_NOTE),
    )


def role_permissions_note(world: World, role: str, text: str) -> str:
    """What to look at for a message about the service role's own permissions: it names no
    action or resource, so nothing can be evaluated; say which AWS managed policy grants what
    AWS Backup does with the role, and what the world shows attached to it."""
    restore = "restore" in text.lower()
    policy = _RESTORE_POLICY if restore else _BACKUP_POLICY
    what = "restore" if restore else "back up"
    note = (
        f"the message is about what role {role} may do once AWS Backup has assumed it (not its "
        "trust policy) and names no action or resource, so the world cannot evaluate it: check "
        f"the role's permissions for the type of resource to {what}, e.g. the AWS managed "
        f"{policy} ({_S3_POLICIES[restore]} for Amazon S3), and the KMS key policy of an "
        "encrypted resource"
    )
    entity = _role_entity(world, role)
    if entity is None:
        return f"{note}; role {role} is not in the world"
    attached = [ref.rsplit("/", 1)[-1] for ref in entity.policies] + sorted(entity.inline)
    listed = ", ".join(attached) or "no policies"
    if any(name in (policy, _S3_POLICIES[restore]) for name in attached):
        after = (
            "look at what the resource itself requires (its KMS key policy, a resource policy "
            "that denies the role)"
        )
    else:
        after = f"none of them is {policy}: attach it or grant the same actions"
    return f"{note}; in the world the role has {listed}: {after}"


# Job messages about causes the world does not model (no Vault Lock settings, no feature
# availability table, no EC2 image settings): not permission problems, and nothing in the
# world to evaluate, so say what they mean and what to look at instead.
UNMODELLED_GATE_NOTES = {
    "retention_out_of_range": (
        "not a permission problem: the job's retention (its lifecycle) is outside the range the "
        "target vault's Vault Lock allows (MinRetentionDays, MaxRetentionDays). The world does "
        "not model Vault Lock: see `aws backup describe-backup-vault` (Locked, MinRetentionDays, "
        "MaxRetentionDays) and set the job's or plan rule's lifecycle within the range; a "
        "compliance-mode lock cannot be changed or removed after its cooling-off period "
        "(https://repost.aws/knowledge-center/backup-delete-vault-lock)"
    ),
    "unsupported_feature": (
        "not a permission problem: AWS Backup does not support this copy for the resource type "
        "(e.g. RDS, Aurora, DocumentDB and Neptune cannot copy cross-Region and cross-account in "
        "one job). The world does not model feature availability: copy in two steps "
        "(cross-account in one Region, then cross-Region in the destination account), see "
        "https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html"
    ),
    "source_ami_not_found": (
        "not a permission problem: the destination account's EC2 Allowed AMIs setting does not "
        "allow images owned by the source account. The world does not model it: add the source "
        "account to the allowed image providers, see "
        "https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html"
    ),
}


def key_inaccessible_note(key: str | None) -> str:
    """What to run for a job message saying a KMS key is not accessible: it names no
    principal, so the world cannot evaluate it as it stands."""
    named = f"KMS key {key}" if key else "the KMS key"
    option = f"--key {key}" if key else "--key KEY"
    return (
        f"the message says AWS Backup could not use {named} but names no principal, so the "
        "world cannot evaluate it: the service role uses the key of the resource it backs up "
        "or restores, the destination account's AWSServiceRoleForBackup the source key of a "
        f"cross-account copy; run `explain backup`, `explain restore` or `explain copy` with "
        f"{option} to check the key policy and the role's policies"
    )


def _gate_disagreements(parsed: object, result: CheckResult) -> list[str]:
    """A gate message the world contradicts: the world finds the gate open."""
    if result.decision is not CheckDecision.ALLOWED:
        return []
    gate = _text(parsed, "gate")
    if gate == _ROLE_NOT_ASSUMABLE:
        return [
            f"the message reports that AWS Backup cannot assume role {_text(parsed, 'role')}, "
            f"but in the world it can ({result.reason}): the world may be out of date (the "
            "role's trust policy changed, or the role was deleted or recreated), or the trust "
            "policy's conditions depend on context the world cannot know (aws:SourceAccount, "
            "aws:SourceArn)"
        ]
    return [
        f"the message reports a closed gate ({gate}), but in the world {result.reason}: the "
        "world may be out of date"
    ]


def _gate(world: World, parsed: object) -> CheckResult | None:
    name = (_text(parsed, "gate") or "").lower()
    for words, gate in _GATE_WORDS:
        if gate is Gate.CROSS_ACCOUNT_BACKUP_ENABLED and all(w in name for w in words):
            check = Check(
                id=f"message.{gate.value.replace('_', '-')}",
                kind=CheckKind.SETTING,
                title="The organization's cross-account backup setting is enabled",
                source=_GATE_SOURCES[gate],
                gate=gate,
            )
            return evaluate_setting(_binding(world), check)
    return None


def explain_parsed(
    world: World,
    parsed: object,
    *,
    via_service: str | None = None,
    operation: str = "message",
    session: tuple[NamedPolicy, ...] | None = None,
) -> Explanation:
    """Evaluate a parsed message (or CloudTrail record) in the world; ``session`` are the
    session policies of the session the message names (``--session-policy``)."""
    kind = str(_get(parsed, "kind") or "unrecognised")
    principal = _text(parsed, "principal")
    action = _text(parsed, "action")
    resource = _text(parsed, "resource") or "*"
    parameters = tuple(
        (k, v)
        for k, v in (
            ("kind", kind),
            ("principal", principal),
            ("action", action),
            ("resource", resource),
            ("policy_type", _text(parsed, "policy_type")),
            ("policy_arn", _text(parsed, "policy_arn")),
            ("gate", _text(parsed, "gate")),
            ("role", _text(parsed, "role")),
        )
        if v is not None
    )
    checks: list[CheckResult] = []
    disagreements: list[str] = []
    notes: list[str] = []
    role = _text(parsed, "role")
    if kind == "access_denied" and principal and action:
        region = _text(parsed, "region")
        result = _permission(
            world, principal, action, resource, via_service, MESSAGE_CHECK, region, session
        )
        if session is None and _layer(_text(parsed, "policy_type")) == "session":
            result = _without_session_policy(result, principal)
        checks.append(result)
        disagreements = _disagreements(parsed, result, session_given=session is not None)
    elif kind == "gate":
        setting = _gate(world, parsed)
        gate = _text(parsed, "gate")
        if setting is not None:
            checks.append(setting)
            disagreements = _gate_disagreements(parsed, setting)
        elif role and gate == _ROLE_NOT_ASSUMABLE:
            trust = _permission(
                world, "backup.amazonaws.com", "sts:AssumeRole", role, None, TRUST_CHECK
            )
            checks.append(trust)
            disagreements = _gate_disagreements(parsed, trust)
        elif role and gate == _ROLE_INSUFFICIENT:
            notes.append(role_permissions_note(world, role, _text(parsed, "text") or ""))
        elif gate == _KEY_INACCESSIBLE:
            notes.append(key_inaccessible_note(_text(parsed, "key")))
        elif gate in UNMODELLED_GATE_NOTES:
            notes.append(UNMODELLED_GATE_NOTES[gate])
        else:
            notes.append(
                f"the message names a non-policy gate ({_text(parsed, 'gate')}): run "
                "`explain OPERATION` with the operation's parameters to check it in the world"
            )
    else:
        notes.append(
            "the message is not an access-denied form backup-access recognises: give the "
            "operation and its parameters instead (explain OPERATION --help)"
        )
    results = tuple(checks)
    verdict = verdict_of(results) if results else Verdict.UNKNOWN
    return Explanation(
        operation=operation,
        verdict=verdict,
        checks=results,
        parameters=parameters,
        notes=tuple(sorted({*notes, *(n for c in results for n in c.notes)})),
        missing=tuple(sorted({m for c in results for m in c.missing})),
        disagreements=tuple(disagreements),
    )


def _module(name: str) -> Any:
    try:
        return importlib.import_module(f"backup_access.diagnose.{name}")
    except ModuleNotFoundError as error:  # the parsers are optional parts of the package
        raise RequestError(f"this build of backup-access has no {name} parser") from error


def _messages_module() -> Any:
    return _module("messages")


def _cloudtrail_module() -> Any:
    return _module("cloudtrail")


def explain_error(
    world: World, text: str, *, session: tuple[NamedPolicy, ...] | None = None
) -> Explanation:
    """``explain --error TEXT``; ``session``: the session policies of the message's caller."""
    parsed = _messages_module().parse_error_message(text)
    return explain_parsed(world, parsed, operation="error-message", session=session)


def explain_cloudtrail_file(world: World, path: Path) -> list[tuple[str, Explanation]]:
    """``explain --cloudtrail FILE``: one explanation per AccessDenied record."""
    events = _cloudtrail_module().parse_cloudtrail(load_document(path))
    out = []
    for index, event in enumerate(events):
        parsed = _get(event, "message", "parsed", "parsed_message") or event
        title = " ".join(
            str(part)
            for part in (
                _get(event, "event_time", "time") or f"record {index}",
                _get(event, "event_name", "action"),
                _get(event, "principal"),
            )
            if part
        )
        explanation = explain_parsed(
            world,
            _Merged(event, parsed),
            via_service=_text(event, "via_service", "invoked_by"),
            operation="cloudtrail",
        )
        out.append((title, explanation))
    return out


class _Merged:
    """A CloudTrail record's own fields, falling back to its parsed error message."""

    def __init__(self, event: object, parsed: object) -> None:
        self._event = event
        self._parsed = parsed

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._event, name, None)
        if value is None or name == "kind":
            value = getattr(self._parsed, name, value)
        if name == "kind" and value is None:
            return "access_denied"
        return value
