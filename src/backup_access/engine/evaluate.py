"""AWS's policy evaluation logic over a ``PolicySet`` → ``Decision`` with a full trace.

Specification:
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
- https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
Explicit deny anywhere wins. Otherwise every applicable guardrail (SCP chain, RCP chain,
VPC endpoint policy) must allow, and the request needs a grant of access: in the same
account an identity policy (within boundary and session policy) *or* a resource policy
naming the principal; across accounts both; for KMS keys and role trust the resource
policy must allow even in the same account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backup_access.engine.grants import grant_allows
from backup_access.engine.layers import RawEntry, Verdict, evaluate_layer
from backup_access.engine.model import (
    DecisionValue,
    Layer,
    NamedPolicy,
    PolicySet,
    Request,
)
from backup_access.engine.plan import Plan, lets_action_through, plan_for
from backup_access.engine.protected import protected_by_aws
from backup_access.engine.services import (
    NO_PERMISSION_ACTIONS,
    NO_PERMISSION_PAGE,
    is_kms_key,
    is_role_trust,
)
from backup_access.engine.statement import (
    StatementResult,
    evaluate_statement,
    not_matching_action,
    own_outcome,
)
from backup_access.engine.trace import (
    LayerOutcome,
    LayerTrace,
    Outcome,
    StatementTrace,
    TraceEntry,
)
from backup_access.frozen import maker
from backup_access.policy.model import Statement
from backup_access.policy.principal import PrincipalKind, PrincipalMatch


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer for one request: the decision, every blocking layer, and the trace."""

    request: Request
    value: DecisionValue
    blocked_by: tuple[Layer, ...]
    raw_trace: tuple[RawEntry, ...] = field(repr=False, compare=False)
    _trace: list[tuple[TraceEntry, ...]] = field(default_factory=list, repr=False, compare=False)

    @property
    def trace(self) -> tuple[TraceEntry, ...]:
        """Every statement considered and every layer decided, in evaluation order."""
        if not self._trace:
            entries = [t for e in self.raw_trace for t in _materialise(e, self.request)]
            self._trace.append(tuple(entries))
        return self._trace[0]

    @property
    def allowed(self) -> bool:
        return self.value is DecisionValue.ALLOWED

    @property
    def unsupported(self) -> tuple[str, ...]:
        return tuple(
            e.reason
            for e in self.trace
            if isinstance(e, StatementTrace) and e.outcome is Outcome.UNSUPPORTED
        )

    def to_dict(self) -> dict[str, Any]:
        request = self.request
        return {
            "decision": self.value.value,
            "blocked_by": [layer.value for layer in self.blocked_by],
            "request": {
                "principal": request.principal.arn,
                "action": request.action,
                "resource": request.resource,
                "resource_account": request.resource_account,
                "context": {
                    k: v if isinstance(v, str) else list(v)
                    for k, v in request.context.as_dict().items()
                },
            },
            "unsupported": list(self.unsupported),
            "trace": [entry.to_dict() for entry in self.trace],
        }


def _materialise(entry: RawEntry, request: Request) -> list[TraceEntry]:
    if isinstance(entry, LayerTrace):
        return [entry]
    plan, results, summaries, boundary_attached = entry
    out: list[TraceEntry] = []
    for group, (level, policies, _denies, _allows) in enumerate(plan.groups):
        for named in policies:
            variables = named.policy.supports_variables
            for statement in named.policy.statements:
                result = results.get(id(statement))
                if result is None:
                    # Not needed for the verdict, or not a candidate: explain it now.
                    result = (
                        evaluate_statement(
                            statement, variables, request, plan.layer, boundary_attached
                        )
                        if lets_action_through(statement, request.action)
                        else not_matching_action(statement)
                    )
                out.append(_statement_trace(plan.layer, level, named, statement, result, request))
        if plan.summarise_groups:
            out.append(summaries[group])
    if not plan.summarise_groups:
        out += summaries
    return out


def _statement_trace(
    layer: Layer,
    level: str | None,
    named: NamedPolicy,
    statement: Statement,
    result: StatementResult,
    request: Request,
) -> StatementTrace:
    outcome, element, condition, match, detail = result
    if condition is not None:
        condition = own_outcome(condition, statement)
    return StatementTrace(
        layer,
        level,
        named.name,
        statement.index,
        statement.sid,
        statement.effect.value,
        outcome,
        element,
        condition,
        match,
        detail,
        statement.pointer,
        statement,
        request,
    )


@dataclass(slots=True)
class _Evaluation:
    request: Request
    policies: PolicySet
    plan: Plan
    trace: list[RawEntry]

    def note(self, layer: Layer, outcome: LayerOutcome, reason: str) -> None:
        self.trace.append(LayerTrace(layer, outcome, reason))


def _scp(ev: _Evaluation, iam: bool) -> Verdict | None:
    plan = ev.plan.scp
    principal = ev.request.principal
    if plan is None:
        return None
    if not iam:
        ev.note(Layer.SCP, LayerOutcome.NOT_APPLICABLE, "SCPs apply only to IAM principals")
        return None
    if principal.account is not None and principal.account == ev.policies.management_account:
        ev.note(Layer.SCP, LayerOutcome.EXEMPT, "SCPs do not affect the management account")
        return None
    if principal.service_linked:
        ev.note(Layer.SCP, LayerOutcome.EXEMPT, "SCPs do not affect service-linked roles")
        return None
    return evaluate_layer(plan, ev.request, ev.trace)


def _rcp(ev: _Evaluation) -> Verdict | None:
    plan = ev.plan.rcp
    request = ev.request
    if plan is None:
        if ev.plan.rcp_not_applicable is not None:
            ev.note(Layer.RCP, LayerOutcome.NOT_APPLICABLE, ev.plan.rcp_not_applicable)
        return None
    if request.resource_account is not None and (
        request.resource_account == ev.policies.management_account
    ):
        ev.note(Layer.RCP, LayerOutcome.EXEMPT, "RCPs do not affect the management account")
        return None
    if request.principal.service_linked:
        ev.note(Layer.RCP, LayerOutcome.EXEMPT, "RCPs do not affect service-linked roles")
        return None
    return evaluate_layer(plan, request, ev.trace)


def _grants(ev: _Evaluation) -> bool:
    allowed = False
    for grant in ev.policies.grants:
        ok, why = grant_allows(grant, ev.request)
        ev.trace.append(
            LayerTrace(
                Layer.GRANT,
                LayerOutcome.ALLOWED if ok else LayerOutcome.IMPLICIT_DENY,
                f"{grant.name}: {why}",
            )
        )
        allowed |= ok
    return allowed


# The layers a verdict is computed for, in blocked_by order. Layers are kept in tuples and
# lists here, not sets or dicts: an enum member hashes through a Python-level __hash__.
_VERDICT_LAYERS = (
    Layer.SCP,
    Layer.RCP,
    Layer.IDENTITY,
    Layer.BOUNDARY,
    Layer.SESSION,
    Layer.RESOURCE,
    Layer.ENDPOINT,
)
# The order blocked_by lists layers in: the verdict layers, then AWS's own protection.
_BLOCKED_BY_ORDER = (*_VERDICT_LAYERS, Layer.PROTECTED)
_make_decision = maker(Decision)


def evaluate(request: Request, policies: PolicySet) -> Decision:
    """Decide ``request`` against ``policies`` the way AWS does, explaining every step."""
    plan = plan_for(policies, request.action)
    trace: list[RawEntry] = []
    ev = _Evaluation(request, policies, plan, trace)
    iam = request.principal.is_iam
    boundary = plan.boundary
    session = plan.session
    resource = plan.resource
    endpoint = plan.endpoint
    verdicts: _Verdicts = (
        _scp(ev, iam),
        _rcp(ev),
        evaluate_layer(plan.identity, request, trace) if iam else None,
        evaluate_layer(boundary, request, trace) if iam and boundary is not None else None,
        evaluate_layer(session, request, trace) if iam and session is not None else None,
        # A request whose policies give a permissions boundary comes from a principal with
        # a boundary attached: a Deny with NotPrincipal in the resource policy then applies
        # to it whatever the element lists (access_policies_boundaries.html).
        evaluate_layer(resource, request, trace, iam and boundary is not None)
        if resource is not None
        else None,
        evaluate_layer(endpoint, request, trace) if endpoint is not None else None,
    )
    granted = _grants(ev) if policies.grants else False

    if iam and request.action.lower() in NO_PERMISSION_ACTIONS:
        # Needs no permission, even under an explicit deny (API_GetCallerIdentity.html).
        ev.note(
            Layer.IDENTITY,
            LayerOutcome.EXEMPT,
            f"{request.action} needs no permission: AWS allows it even when a policy "
            f"explicitly denies it ({NO_PERMISSION_PAGE})",
        )
        return _make_decision(request, DecisionValue.ALLOWED, (), tuple(trace), [])

    denying: list[Layer] = []
    unsure: list[Layer] = []  # a Deny there could not be evaluated
    for layer, verdict in zip(_VERDICT_LAYERS, verdicts, strict=True):
        if verdict is not None:
            if verdict.explicit_deny:
                denying.append(layer)
            elif verdict.maybe_deny:
                unsure.append(layer)
    protection = protected_by_aws(request)
    if protection is not None:
        ev.note(Layer.PROTECTED, LayerOutcome.EXPLICIT_DENY, protection)
        denying.append(Layer.PROTECTED)

    # blocked_by lists every layer whose verdict is a deny, explicit or implicit (DESIGN,
    # Contract 3): the implicit blockers are worked out even when a layer denies explicitly.
    blocking = _implicit_blockers(ev, verdicts, granted, iam)
    blocking += [layer for layer in unsure if layer not in blocking]
    if denying:
        blocking += [layer for layer in denying if layer not in blocking]
        return _make_decision(
            request, DecisionValue.EXPLICIT_DENY, _ordered(blocking), tuple(trace), []
        )
    if blocking:
        return _make_decision(
            request, DecisionValue.IMPLICIT_DENY, _ordered(blocking), tuple(trace), []
        )
    return _make_decision(request, DecisionValue.ALLOWED, (), tuple(trace), [])


# Each layer's verdict in ``_VERDICT_LAYERS`` order, None where the layer does not apply.
_Verdicts = tuple[
    Verdict | None,
    Verdict | None,
    Verdict | None,
    Verdict | None,
    Verdict | None,
    Verdict | None,
    Verdict | None,
]


def _ordered(layers: list[Layer]) -> tuple[Layer, ...]:
    if len(layers) == 1:
        return (layers[0],)
    return tuple([layer for layer in _BLOCKED_BY_ORDER if layer in layers])


def _allows(verdict: Verdict | None) -> bool:
    """Whether a layer lets the request through as far as implicit denies go. A layer that
    does not apply never blocks; one that denies explicitly is listed for that already, so
    here it counts as letting through: what remains are the layers that would still block
    without any explicit deny."""
    return verdict is None or verdict.explicit_deny or (verdict.allowed and not verdict.maybe_deny)


def _grants_access(verdict: Verdict | None) -> bool:
    """Whether an identity or resource layer grants the access (an explicit deny counts as
    granting here, for the reason ``_allows`` gives)."""
    return verdict is not None and (verdict.allowed or verdict.explicit_deny)


def _implicit_blockers(
    ev: _Evaluation, verdicts: _Verdicts, granted: bool, iam: bool
) -> list[Layer]:
    """Every layer whose missing allow keeps the request from being allowed."""
    request = ev.request
    principal = request.principal
    scp, rcp, identity, boundary, session, resource, endpoint = verdicts
    blocking = []
    if not _allows(scp):
        blocking.append(Layer.SCP)
    if not _allows(rcp):
        blocking.append(Layer.RCP)
    if not _allows(endpoint):
        blocking.append(Layer.ENDPOINT)

    resource_allows = _grants_access(resource)
    match = resource.principal_match if resource_allows and resource else PrincipalMatch.NONE
    if not iam:
        # Services, anonymous callers and federated providers have no identity policies:
        # only a resource policy (or a KMS grant) can let them in.
        if not (resource_allows or granted):
            blocking.append(Layer.RESOURCE)
        return blocking

    identity_allows = _grants_access(identity)
    if principal.kind is PrincipalKind.ROOT and not identity_allows:
        identity_allows = True
        ev.note(
            Layer.IDENTITY,
            LayerOutcome.ALLOWED,
            "the account root user needs no identity-based policy in its own account",
        )
    boundary_ok = _allows(boundary)
    session_ok = _allows(session)

    if granted:
        # A grant lets its grantee use the key without any policy naming it.
        return blocking

    cross_account = (
        principal.account is not None
        and request.resource_account is not None
        and principal.account != request.resource_account
    )
    must_have_resource_policy = is_kms_key(request) or is_role_trust(request)
    if cross_account or must_have_resource_policy:
        # Both sides must allow: the resource policy, and the principal's own account.
        # A resource policy naming the principal itself satisfies the resource side; in the
        # same account it also stands in for the identity side (but see boundary/session).
        if not resource_allows:
            blocking.append(Layer.RESOURCE)
        if cross_account or match <= PrincipalMatch.ACCOUNT:
            _identity_side(blocking, identity_allows, boundary_ok, session_ok)
            return blocking
        _same_account_resource_grant(blocking, principal.kind, match, boundary_ok, session_ok)
        return blocking

    if identity_allows and boundary_ok and session_ok:
        return blocking
    if resource_allows and match > PrincipalMatch.ACCOUNT:
        _same_account_resource_grant(blocking, principal.kind, match, boundary_ok, session_ok)
        return blocking
    _identity_side(blocking, identity_allows, boundary_ok, session_ok)
    if resource is not None and not resource_allows:
        blocking.append(Layer.RESOURCE)
    return blocking


def _identity_side(
    blocking: list[Layer], identity_allows: bool, boundary_ok: bool, session_ok: bool
) -> None:
    if not identity_allows:
        blocking.append(Layer.IDENTITY)
    if not boundary_ok:
        blocking.append(Layer.BOUNDARY)
    if not session_ok:
        blocking.append(Layer.SESSION)


def _same_account_resource_grant(
    blocking: list[Layer],
    kind: PrincipalKind,
    match: PrincipalMatch,
    boundary_ok: bool,
    session_ok: bool,
) -> None:
    """A same-account resource policy that names the principal.

    reference_policies_evaluation-logic.html ("Resource-based policies and implicit denies
    in other policy types"): a grant made *directly* to the IAM user, the role session or
    the federated user session is not limited by an implicit deny in the boundary (nor, for
    sessions, in the session policy); one naming the role ARN, or the IAM user a federated
    session belongs to, is limited by both. ``"*"`` and ``{"AWS": "*"}`` do not name the
    principal directly, so this engine limits them like the role ARN (interpretation: the
    pages list only ARNs).
    """
    names_directly = match is PrincipalMatch.PRINCIPAL and kind in (
        PrincipalKind.USER,
        PrincipalKind.ROLE_SESSION,
        PrincipalKind.ROOT,
        PrincipalKind.FEDERATED_USER,
    )
    if not (names_directly or boundary_ok):
        blocking.append(Layer.BOUNDARY)
    # access_policies.html#policies_session: a resource policy naming the user (or role)
    # ARN adds to the identity permissions *before* the session is created, so the session
    # policy limits it; only one naming the session itself is not limited.
    limited_by_session = not names_directly or kind is PrincipalKind.USER
    if limited_by_session and not session_ok:
        blocking.append(Layer.SESSION)
