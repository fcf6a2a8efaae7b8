"""The checks a message becomes in a world: the denied request, a role's trust, a setting.

The values are the literal ARNs the message names, so the catalogue's templates fill to
themselves; a message operation carries no parameters.
Message forms: https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from backup_access.catalogue import (
    Actor,
    Check,
    CheckKind,
    Gate,
    Operation,
    load_catalogue,
    operation_names,
)
from backup_access.diagnose.binding import Binding, UnresolvedError
from backup_access.diagnose.explain import evaluate_setting
from backup_access.diagnose.model import CheckDecision, CheckResult
from backup_access.diagnose.passrole import PassRoleContext
from backup_access.diagnose.permission import evaluate_permission
from backup_access.diagnose.unnamed_resource import UnnamedResource
from backup_access.engine.model import NamedPolicy
from backup_access.world import World

MESSAGE_CHECK = "message.request"
TRUST_CHECK = "message.role-trust"
SOURCE = "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html"
_MESSAGE = Operation("message", "An AWS message", "-", SOURCE, (), ())

SESSION_POLICY_NOTE = (
    "session policies are passed when a session is created (the Policy and PolicyArns "
    "parameters of sts:AssumeRole, AssumeRoleWithSAML, AssumeRoleWithWebIdentity or "
    "GetFederationToken) and are not part of the world: find them in the CloudTrail record of "
    "the call that created the session (requestParameters policy and policyArns) or in the "
    "tool that assumed the role (for an IAM Identity Center user, look at the permission set "
    "behind its AWSReservedSSO_ role too), then give them with --session-policy FILE to "
    "evaluate the request with them"
)


def message_binding(
    world: World,
    values: dict[str, str] | None = None,
    *,
    region: str | None = None,
    session: tuple[NamedPolicy, ...] | None = None,
) -> Binding:
    """A binding of the message's own values; ``region`` is the Region the request was sent
    to (a CloudTrail record's awsRegion), when known."""
    given = dict(values or {})
    return Binding(world, replace(_MESSAGE, region=region), given, frozenset(given), session)


def permission(
    world: World,
    principal: str,
    action: str,
    resource: str,
    *,
    via: str | None = None,
    check_id: str = MESSAGE_CHECK,
    region: str | None = None,
    session: tuple[NamedPolicy, ...] | None = None,
    keys: PassRoleContext | None = None,
    unnamed: UnnamedResource | None = None,
) -> CheckResult:
    """``principal`` calling ``action`` on ``resource`` ("*" when the message names none);
    ``keys``: the condition keys AWS set on an iam:PassRole (``diagnose.passrole``);
    ``unnamed``: why "*" stands for a resource the message does not name
    (``diagnose.unnamed_resource``), None when "*" is the request's resource."""
    check = Check(
        id=check_id,
        kind=CheckKind.PERMISSION,
        title=f"{principal} may call {action}",
        source=SOURCE,
        actor=Actor.CALLER,
        principal=principal,
        action=action,
        resource=resource,
        via_service=via,
        # CreateBackupVault and the like name a resource that does not exist yet: the world
        # cannot hold it, so its absence is no gap (as for ``explain create-vault``).
        creates=action.lower() in creating_actions(),
        context=keys.context if keys is not None else (),
    )
    try:
        result = evaluate_permission(
            message_binding(world, region=region, session=session),
            check,
            unknown=keys.unknown if keys is not None else (),
            unnamed=unnamed,
        )
    except UnresolvedError as error:  # pragma: no cover - literals resolve
        return CheckResult(
            check_id, CheckKind.PERMISSION, check.title, SOURCE, CheckDecision.UNKNOWN, str(error)
        )
    if keys is None:
        return result
    unknown = {u.missing for u in keys.unknown}
    said = (keys.note, keys.hint if unknown.intersection(result.missing) else None)
    return replace(result, notes=(*result.notes, *(n for n in said if n is not None)))


@cache
def creating_actions() -> frozenset[str]:
    """Actions the catalogue marks as creating the resource they act on (lower case)."""
    catalogue = load_catalogue()
    return frozenset(
        check.action.lower()
        for name in operation_names()
        for check in catalogue.operation(name).checks
        if check.creates and check.action
    )


def trust(world: World, role: str) -> CheckResult:
    """Whether AWS Backup may assume ``role`` (its trust policy)."""
    return permission(world, "backup.amazonaws.com", "sts:AssumeRole", role, check_id=TRUST_CHECK)


def setting(
    world: World, gate: Gate, title: str, source: str, values: dict[str, str] | None = None
) -> CheckResult:
    """A non-policy gate evaluated from the world model; ``values`` name its arguments."""
    args = tuple(values or {})  # in the order the gate takes them
    check = Check(
        id=f"message.{gate.value.replace('_', '-')}",
        kind=CheckKind.SETTING,
        title=title,
        source=source,
        gate=gate,
        args=args,
    )
    return evaluate_setting(message_binding(world, values), check)


def without_session_policy(result: CheckResult, principal: str) -> CheckResult:
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
