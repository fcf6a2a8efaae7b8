"""Evaluate every statement of a layer's policies and summarise the layer.

A layer explicitly denies when any Deny statement matches, allows when any Allow
statement matches, and otherwise implicitly denies
(reference_policies_evaluation-logic_policy-eval-denyallow.html).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from backup_access.engine.model import Layer, NamedPolicy, OrgLevel, Request
from backup_access.engine.statement import evaluate_statement
from backup_access.engine.trace import LayerOutcome, LayerTrace, Outcome, TraceEntry
from backup_access.policy.model import Effect
from backup_access.policy.principal import PrincipalMatch


@dataclass(slots=True)
class Verdict:
    """The summary of one layer (or one org level) for one request."""

    explicit_deny: bool = False
    maybe_deny: bool = False  # a Deny the engine could not evaluate
    allowed: bool = False
    principal_match: PrincipalMatch = PrincipalMatch.NONE

    @property
    def outcome(self) -> LayerOutcome:
        if self.explicit_deny:
            return LayerOutcome.EXPLICIT_DENY
        if self.allowed and not self.maybe_deny:
            return LayerOutcome.ALLOWED
        return LayerOutcome.IMPLICIT_DENY


def evaluate_policies(
    policies: Iterable[NamedPolicy],
    request: Request,
    layer: Layer,
    trace: list[TraceEntry],
    *,
    level: str | None = None,
) -> Verdict:
    verdict = Verdict()
    for named in policies:
        for statement in named.policy.statements:
            entry = evaluate_statement(
                statement,
                named.policy,
                request,
                layer=layer,
                policy_name=named.name,
                level=level,
            )
            trace.append(entry)
            if entry.outcome is Outcome.MATCHED:
                if statement.effect is Effect.DENY:
                    verdict.explicit_deny = True
                else:
                    verdict.allowed = True
                    match = entry.principal_match or PrincipalMatch.NONE
                    verdict.principal_match = max(verdict.principal_match, match)
            elif entry.outcome is Outcome.UNSUPPORTED and statement.effect is Effect.DENY:
                verdict.maybe_deny = True
    return verdict


def evaluate_chain(
    levels: tuple[OrgLevel, ...], request: Request, layer: Layer, trace: list[TraceEntry]
) -> Verdict:
    """SCPs and RCPs must allow at every level of the path: root, each OU, the account
    (orgs_manage_policies_scps_evaluation.html, orgs_manage_policies_rcps_evaluation.html)."""
    chain = Verdict(allowed=True)
    for org_level in levels:
        verdict = evaluate_policies(
            org_level.policies, request, layer, trace, level=org_level.level
        )
        outcome = verdict.outcome
        if outcome is LayerOutcome.ALLOWED:
            reason = f"an {layer.value.upper()} at {org_level.level} allows the request"
        elif outcome is LayerOutcome.EXPLICIT_DENY:
            reason = f"an {layer.value.upper()} at {org_level.level} denies the request"
        elif verdict.maybe_deny:
            reason = f"a Deny at {org_level.level} could not be evaluated"
        else:
            reason = (
                f"no {layer.value.upper()} attached at {org_level.level} allows the request; "
                "every level of the organization path must allow it"
            )
        trace.append(LayerTrace(layer, outcome, reason, level=org_level.level))
        chain.explicit_deny |= verdict.explicit_deny
        chain.maybe_deny |= verdict.maybe_deny
        chain.allowed &= verdict.allowed
    return chain
