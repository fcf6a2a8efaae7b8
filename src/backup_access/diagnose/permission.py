"""Permission checks: fill the catalogue's templates, resolve the request in the world,
evaluate it with the engine and explain the decision."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from backup_access.catalogue import Actor, Check
from backup_access.diagnose.binding import Binding, UnresolvedError, region_of
from backup_access.diagnose.gaps import weigh_missing
from backup_access.diagnose.judgement import Judgement
from backup_access.diagnose.model import CheckDecision, CheckResult, LayerStep
from backup_access.diagnose.passrole import UnknownKey, stands_without, turns_on
from backup_access.diagnose.predicates import type_unknown
from backup_access.diagnose.reasons import explain_decision
from backup_access.diagnose.unnamed_resource import UnnamedResource, deny_on_every_resource
from backup_access.engine import Decision, DecisionValue, LayerTrace, evaluate
from backup_access.policy.context import ContextValue, RequestContext
from backup_access.world import Resolution, resolve


def _context(binding: Binding, check: Check) -> dict[str, ContextValue]:
    out: dict[str, ContextValue] = {}
    for key, values in check.context:
        try:
            filled = tuple(binding.fill(v) for v in values)
        except UnresolvedError:
            if key.lower() in _ABSENT_WHEN_UNKNOWN:
                continue  # AWS sends it only when it has a value (an account in an organization)
            raise
        out[key] = filled[0] if len(filled) == 1 and _single(key) else filled
    return out


# Keys the catalogue sends that AWS's pages do not confirm the service sends, and why: a check
# whose decision changes without them is unknown (``_if_not_sent``), not decided by a guess.
_UNDOCUMENTED_KEYS = {
    "aws:sourceaccount": (
        "AWS Backup's pages recommend aws:SourceAccount against the confused deputy "
        "(cross-service-confused-deputy-prevention.html) but do not say whether AWS Backup "
        "sends it when it assumes a service role"
    ),
}


def undocumented_key(key: str) -> str | None:
    """Why AWS's pages leave it open whether the service sends ``key``; None when they do
    not (``_UNDOCUMENTED_KEYS``)."""
    return _UNDOCUMENTED_KEYS.get(key.lower())


def _if_not_sent(check: Check, resolution: Resolution, judged: Judgement) -> Judgement:
    """The decision, evaluated again without the keys of ``_UNDOCUMENTED_KEYS`` the check
    sends: it stands when both agree, else it is unknown and says both answers."""
    sent = {key.lower() for key, _values in check.context} & _UNDOCUMENTED_KEYS.keys()
    if not sent:
        return judged
    request = resolution.request
    kept = {k: v for k, v in request.context.as_dict().items() if k.lower() not in sent}
    without = evaluate(replace(request, context=RequestContext(kept)), resolution.policies)
    if CheckDecision(without.value.value) is judged.value:
        return judged
    other, _statements = explain_decision(without, resolution.policies)
    named = " and ".join(sorted(k for k in request.context if k.lower() in sent))
    why = "; ".join(_UNDOCUMENTED_KEYS[k] for k in sorted(sent))
    return Judgement(
        CheckDecision.UNKNOWN,
        f"unknown: {why}. With {named} sent as the catalogue assumes, {judged.reason}; "
        f"without it, {other}",
        judged.missing,
    )


# backup:CopyTargetOrgPaths carries the destination account's OU paths: an account outside an
# organization has none (https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html).
_ABSENT_WHEN_UNKNOWN = frozenset({"backup:copytargetorgpaths"})


def _single(key: str) -> bool:
    """Multivalued keys keep a list even with one value."""
    return key.lower() not in _MULTIVALUED


_MULTIVALUED = frozenset(
    {"backup:copytargets", "backup:copytargetorgpaths", "kms:encryptioncontextkeys"}
)


def requested_region(binding: Binding, resource: str) -> str | None:
    """``aws:RequestedRegion`` of a check's request: AWS always sets it to the Region the call
    is sent to. A regional resource (a vault, a recovery point, a KMS key — which the service
    calls in the key's Region on the caller's behalf) is acted on in its own Region; a request
    on ``*`` or on a global resource (an IAM role) is part of the operation's call, sent to the
    operation's Region."""
    return region_of(resource) or binding.operation_region()


def _optional(binding: Binding, template: str | None) -> str | None:
    return binding.fill(template) if template else None


def _unknown(check: Check, why: str, fields: Mapping[str, str | None]) -> CheckResult:
    return CheckResult(
        id=check.id,
        kind=check.kind,
        title=check.title,
        source=check.source,
        decision=CheckDecision.UNKNOWN,
        reason=f"unknown: {why}",
        principal=fields.get("principal"),
        action=check.action,
        resource=fields.get("resource"),
        resource_policy=check.resource_policy,
        missing=(why,),
    )


def _created_resource_gaps(binding: Binding, check: Check, resolution: Resolution) -> set[str]:
    """What the world lacks only because the resource does not exist yet (it is being made):
    the gaps of the request that a request on "*" in the same account does not have."""
    if not check.creates:
        return set()
    request = resolution.request
    baseline = resolve(
        binding.world,
        request.principal.arn,
        request.action,
        "*",
        resource_account=request.resource_account,
    )
    return set(resolution.missing) - set(baseline.missing)


def _with_unsupported(decision: Decision, judged: Judgement) -> Judgement:
    """An implicit deny beside a statement the engine cannot evaluate is unknown: an Allow
    there may grant, and a Deny there is counted as blocking only because its outcome cannot
    be told (engine/trace.py ``Outcome.UNSUPPORTED``). An explicit deny by a statement it can
    evaluate wins whatever the others say, so that never reaches here."""
    first, *others = decision.unsupported
    more = f" (and {len(others)} more)" if others else ""
    return Judgement(
        CheckDecision.UNKNOWN,
        f"unknown: a statement cannot be evaluated: {first}{more}; with what can be, "
        f"{judged.reason}",
        judged.missing,
    )


def _with_unknown_keys(
    decision: Decision, unknown: tuple[UnknownKey, ...], judged: Judgement
) -> Judgement:
    """The decision when keys AWS set are unknown: it stands if no statement turns on them
    or an explicit deny stands without them; otherwise it is unknown, and says which key."""
    keys = tuple(u.key for u in unknown)
    statements = turns_on(decision, keys)
    if not statements:
        return judged
    if decision.value is DecisionValue.EXPLICIT_DENY and stands_without(decision, keys):
        return judged
    lowered = {c.key.lower() for s in statements for c in s.quoted.conditions} | {
        s.condition.condition.key.lower() for s in statements if s.condition is not None
    }
    deciding = [u for u in unknown if u.key.lower() in lowered]
    named = ", ".join(sorted({s.sid or f"#{s.statement}" for s in statements}))
    return Judgement(
        CheckDecision.UNKNOWN,
        f"unknown: statement {named} turns on {' and '.join(u.key for u in deciding)}, whose "
        f"value the paste does not give ({'; '.join(u.why for u in deciding)}); with the key "
        f"absent, {judged.reason}",
        (*judged.missing, *(u.missing for u in deciding)),
    )


def _with_unnamed_resource(
    decision: Decision, unnamed: UnnamedResource, judged: Judgement
) -> Judgement:
    """The decision of a request evaluated on "*" because the report names no resource
    (``unnamed``): an explicit deny that holds for every resource stands (explicit deny wins
    whatever else applies); any other answer could differ on the real resource."""
    deny = deny_on_every_resource(decision)
    if deny is not None:
        named = deny.sid or f"#{deny.statement}"
        return judged._replace(
            reason=(
                f"{judged.reason}; the report names no resource, but statement {named} denies "
                'the action on every resource (Resource "*", no condition on the resource), '
                "so the deny stands whatever it was"
            )
        )
    return Judgement(
        CheckDecision.UNKNOWN,
        f'unknown: {unnamed.why}. Evaluated on "*" in its place, {judged.reason}',
        (*judged.missing, unnamed.missing),
    )


def layer_path(decision: Decision) -> tuple[LayerStep, ...]:
    """Every layer and SCP/RCP level the engine decided, in order, with its outcome."""
    return tuple(
        LayerStep(entry.layer.value, entry.level, entry.outcome.value)
        for entry in decision.trace
        if isinstance(entry, LayerTrace)
    )


def evaluate_permission(
    binding: Binding,
    check: Check,
    *,
    unknown: tuple[UnknownKey, ...] = (),
    unnamed: UnnamedResource | None = None,
) -> CheckResult:
    """Evaluate one permission check; ``RequestError`` propagates for malformed values.
    ``unknown`` are condition keys AWS set on the request with values nobody can tell: they
    are evaluated as absent, and a decision that turns on them is unknown. ``unnamed`` says
    why the check's resource ("*") stands for one the report does not name
    (``_with_unnamed_resource``)."""
    assert check.principal and check.action and check.resource  # the loader ensures it
    fields: dict[str, str | None] = {}
    pending = type_unknown(binding, check)
    if pending is not None:
        return _unknown(check, pending, fields)
    try:
        fields["principal"] = binding.fill(check.principal)
        fields["resource"] = binding.fill(check.resource)
        resolution = resolve(
            binding.world,
            fields["principal"] or "",
            check.action,
            fields["resource"] or "",
            context=_context(binding, check),
            via_service=_optional(binding, check.via_service),
            resource_account=_optional(binding, check.resource_account),
            recovery_point_vault=_optional(binding, check.recovery_point_vault),
            requested_region=requested_region(binding, fields["resource"] or ""),
            # Session policies limit every request made with the caller's session, including
            # those a service makes with it (forward access sessions), not the service role's.
            session=binding.session if check.actor is Actor.CALLER else None,
        )
    except UnresolvedError as error:
        return _unknown(check, str(error), fields)
    policies = resolution.policies
    decision = evaluate(resolution.request, policies)
    reason, statements = explain_decision(decision, policies)
    value = CheckDecision(decision.value.value)
    expected_gaps = _created_resource_gaps(binding, check, resolution)
    missing = tuple(m for m in resolution.missing if m not in expected_gaps)
    # What the world lacks may change the decision, or not (unread SCPs only restrict).
    value, reason, missing = weigh_missing(resolution, decision, Judgement(value, reason, missing))
    if value is CheckDecision.IMPLICIT_DENY and decision.unsupported:
        value, reason, missing = _with_unsupported(decision, Judgement(value, reason, missing))
    if unnamed is not None and value is not CheckDecision.UNKNOWN:
        value, reason, missing = _with_unnamed_resource(
            decision, unnamed, Judgement(value, reason, missing)
        )
    if unknown and value is not CheckDecision.UNKNOWN:
        value, reason, missing = _with_unknown_keys(
            decision, unknown, Judgement(value, reason, missing)
        )
    if value is not CheckDecision.UNKNOWN:
        value, reason, missing = _if_not_sent(check, resolution, Judgement(value, reason, missing))
    return CheckResult(
        id=check.id,
        kind=check.kind,
        title=check.title,
        source=check.source,
        decision=value,
        reason=reason,
        principal=decision.request.principal.arn,
        action=decision.request.action,
        resource=decision.request.resource,
        resource_policy=check.resource_policy,
        blocked_by=tuple(layer.value for layer in decision.blocked_by),
        statements=statements,
        missing=missing,
        notes=(*binding.notes, *resolution.notes),
        context=tuple(
            (key, (value,) if isinstance(value, str) else value)
            for key, value in decision.request.context.as_dict().items()
        ),
        path=layer_path(decision),
    )
