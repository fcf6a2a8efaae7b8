"""AWS's policy evaluation logic over a ``PolicySet`` → ``Decision`` with a full trace.

Specification:
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
- https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
- https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
Each layer that applies is evaluated from the policy set's plan for the action
(layers.py); combine.py turns the verdicts into the decision; decision.py is the record
returned, with the trace.
"""

from __future__ import annotations

from backup_access.engine.combine import BlockedBy, LayerVerdicts, combine, grants_access
from backup_access.engine.decision import Decision
from backup_access.engine.grants import grant_allows
from backup_access.engine.layers import RawEntry, Verdict, evaluate_layer
from backup_access.engine.model import DecisionValue, Layer, PolicySet, Request
from backup_access.engine.plan import Plan, plan_for
from backup_access.engine.protected import protected_by_aws
from backup_access.engine.services import NO_PERMISSION_PAGE
from backup_access.engine.trace import LayerOutcome, LayerTrace
from backup_access.policy.principal import PrincipalKind

__all__ = ["Decision", "evaluate"]


def _note(trace: list[RawEntry], layer: Layer, outcome: LayerOutcome, reason: str) -> None:
    trace.append(LayerTrace(layer, outcome, reason))


def _scp(
    plans: Plan, request: Request, policies: PolicySet, trace: list[RawEntry]
) -> Verdict | None:
    """SCPs apply to the IAM principals of member accounts, except service-linked roles
    (orgs_manage_policies_scps.html)."""
    plan = plans.scp
    principal = request.principal
    if plan is None:
        return None
    if not principal.is_iam:
        _note(trace, Layer.SCP, LayerOutcome.NOT_APPLICABLE, "SCPs apply only to IAM principals")
        return None
    if principal.account is not None and principal.account == policies.management_account:
        _note(trace, Layer.SCP, LayerOutcome.EXEMPT, "SCPs do not affect the management account")
        return None
    if principal.service_linked:
        _note(trace, Layer.SCP, LayerOutcome.EXEMPT, "SCPs do not affect service-linked roles")
        return None
    return evaluate_layer(plan, request, trace)


def _rcp(
    plans: Plan, request: Request, policies: PolicySet, trace: list[RawEntry]
) -> Verdict | None:
    """RCPs apply to the resources of member accounts, for the services that support them,
    except for service-linked roles (orgs_manage_policies_rcps.html)."""
    plan = plans.rcp
    if plan is None:
        if plans.rcp_not_applicable is not None:
            _note(trace, Layer.RCP, LayerOutcome.NOT_APPLICABLE, plans.rcp_not_applicable)
        return None
    if request.resource_account is not None and (
        request.resource_account == policies.management_account
    ):
        _note(trace, Layer.RCP, LayerOutcome.EXEMPT, "RCPs do not affect the management account")
        return None
    if request.principal.service_linked:
        _note(trace, Layer.RCP, LayerOutcome.EXEMPT, "RCPs do not affect service-linked roles")
        return None
    return evaluate_layer(plan, request, trace)


def _granted(request: Request, policies: PolicySet, trace: list[RawEntry]) -> bool:
    """Whether a KMS grant on the key lets the principal in (grants.html)."""
    allowed = False
    for grant in policies.grants:
        verdict = grant_allows(grant, request)
        outcome = LayerOutcome.ALLOWED if verdict.allows else LayerOutcome.IMPLICIT_DENY
        _note(trace, Layer.GRANT, outcome, f"{grant.name}: {verdict.reason}")
        allowed |= verdict.allows
    return allowed


def evaluate(request: Request, policies: PolicySet, *, policies_pointer: str = "") -> Decision:
    """Decide ``request`` against ``policies`` the way AWS does, explaining every step.
    ``policies_pointer``: where the policy set is in its file, when its statements' pointers
    are relative to it (``Decision.policies_pointer``)."""
    plan = plan_for(policies, request.action)
    trace: list[RawEntry] = []
    iam = request.principal.is_iam
    boundary, session, resource, endpoint = (
        plan.boundary,
        plan.session,
        plan.resource,
        plan.endpoint,
    )
    verdicts = LayerVerdicts(
        _scp(plan, request, policies, trace),
        _rcp(plan, request, policies, trace),
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
    granted = _granted(request, policies, trace) if policies.grants else False

    if iam and plan.needs_no_permission:
        # API_GetCallerIdentity.html: allowed even when a policy explicitly denies it.
        _note(
            trace,
            Layer.IDENTITY,
            LayerOutcome.EXEMPT,
            f"{request.action} needs no permission: AWS allows it even when a policy "
            f"explicitly denies it ({NO_PERMISSION_PAGE})",
        )
        return Decision(request, DecisionValue.ALLOWED, (), tuple(trace), policies_pointer)

    blocked = BlockedBy()
    if plan.may_be_protected:
        protection = protected_by_aws(request)
        if protection is not None:
            _note(trace, Layer.PROTECTED, LayerOutcome.EXPLICIT_DENY, protection)
            blocked.explicit(Layer.PROTECTED)
    root = (
        iam
        and request.principal.kind is PrincipalKind.ROOT
        and not grants_access(verdicts.identity)
    )
    if root:
        _note(
            trace,
            Layer.IDENTITY,
            LayerOutcome.ALLOWED,
            "the account root user needs no identity-based policy in its own account",
        )
    combine(blocked, request, verdicts, granted=granted, root_needs_no_identity_policy=root)
    return Decision(request, blocked.value, blocked.ordered(), tuple(trace), policies_pointer)
