"""Evaluate the candidate statements of a layer's policies and summarise the layer.

A layer explicitly denies when any Deny statement matches, allows when any Allow
statement matches, and otherwise implicitly denies
(reference_policies_evaluation-logic_policy-eval-denyallow.html).
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from backup_access.engine.model import Layer, Request
from backup_access.engine.plan import LayerPlan
from backup_access.engine.result import StatementResult
from backup_access.engine.statement import evaluate_statement
from backup_access.engine.trace import LayerOutcome, LayerTrace, Outcome
from backup_access.policy.principal import PrincipalMatch


class LayerRecord(NamedTuple):
    """What evaluating one layer from its plan leaves for the trace. ``Decision.trace``
    walks the plan again to turn it into one StatementTrace per statement (the statements
    not evaluated here are explained then, with the same inputs)."""

    plan: LayerPlan
    results: dict[int, StatementResult]  # the statements evaluated, by id
    summaries: list[LayerTrace]  # one per group, or one for the layer
    boundary_attached: bool  # the requester has a permissions boundary


# One raw trace record per layer evaluated, or a finished LayerTrace (exemptions, notes).
RawEntry = LayerRecord | LayerTrace

# The hot path builds these records without the NamedTuples' Python-level __new__.
new_layer_trace = partial(tuple.__new__, LayerTrace)
_new_record = partial(tuple.__new__, LayerRecord)
_MATCHED = Outcome.MATCHED
_UNSUPPORTED = Outcome.UNSUPPORTED
_NONE = PrincipalMatch.NONE
_PRINCIPAL = PrincipalMatch.PRINCIPAL
_RESOURCE = Layer.RESOURCE
_ALLOWED = LayerOutcome.ALLOWED
_IMPLICIT_DENY = LayerOutcome.IMPLICIT_DENY
_EXPLICIT_DENY = LayerOutcome.EXPLICIT_DENY


class Verdict(NamedTuple):
    """The summary of one layer for one request."""

    explicit_deny: bool
    maybe_deny: bool  # a Deny the engine could not evaluate
    allowed: bool
    # How the best matching Allow names the requester (resource-based policies only).
    principal_match: PrincipalMatch


_new_verdict = partial(tuple.__new__, Verdict)


def evaluate_layer(
    plan: LayerPlan, request: Request, trace: list[RawEntry], boundary_attached: bool = False
) -> Verdict:
    """Decide one layer; every group of the plan must allow.

    A group explicitly denies when a Deny statement matches and allows when an Allow does
    (reference_policies_evaluation-logic_policy-eval-denyallow.html); an SCP or RCP chain
    must allow at every level of the path: root, each OU, the account
    (orgs_manage_policies_scps_evaluation.html, orgs_manage_policies_rcps_evaluation.html),
    and every VPC endpoint policy on the path must allow (vpc-endpoints-access.html).
    ``boundary_attached``: the requester has a permissions boundary (see
    ``evaluate_statement``).

    Statements are evaluated only until the verdict is certain: a group's Deny statements
    first, none of its Allows once a Deny matches, and its Allows until one matches (in a
    resource-based policy, until one names the principal itself, since how the best Allow
    names the principal matters there). The trace still explains every statement: the ones
    skipped are evaluated when it is read (``Decision.trace``), with the same inputs."""
    layer = plan.layer
    wants_best = layer is _RESOURCE
    results: dict[int, StatementResult] = {}
    summaries: list[LayerTrace] = []
    explicit_deny = maybe_deny = False
    allowed = True
    best = _NONE
    for level, _policies, denies, allows in plan.groups:
        group_deny = group_maybe = group_allowed = False
        for statement, variables in denies:
            result = results[id(statement)] = evaluate_statement(
                statement, variables, request, layer, boundary_attached
            )
            outcome = result.outcome
            if outcome is _MATCHED:
                group_deny = True
                break
            if outcome is _UNSUPPORTED:
                group_maybe = True
        if not group_deny:
            for statement, variables in allows:
                result = results[id(statement)] = evaluate_statement(
                    statement, variables, request, layer, boundary_attached
                )
                if result.outcome is _MATCHED:
                    group_allowed = True
                    match = result.principal_match
                    if match is not None and match > best:
                        best = match
                    if not wants_best or best is _PRINCIPAL:
                        break
        if plan.summarise_groups:
            summary = _outcome(group_deny, group_maybe, group_allowed)
            summaries.append(new_layer_trace((layer, summary, None, level, group_maybe)))
        explicit_deny |= group_deny
        maybe_deny |= group_maybe
        allowed &= group_allowed
    if not plan.summarise_groups:
        summary = _outcome(explicit_deny, maybe_deny, allowed)
        summaries.append(new_layer_trace((layer, summary, None, None, maybe_deny)))
    trace.append(_new_record((plan, results, summaries, boundary_attached)))
    return _new_verdict((explicit_deny, maybe_deny, allowed, best))


def _outcome(explicit_deny: bool, maybe_deny: bool, allowed: bool) -> LayerOutcome:
    if explicit_deny:
        return _EXPLICIT_DENY
    if allowed and not maybe_deny:
        return _ALLOWED
    return _IMPLICIT_DENY
