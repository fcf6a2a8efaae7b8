"""Evaluate every statement of a layer's policies and summarise the layer.

A layer explicitly denies when any Deny statement matches, allows when any Allow
statement matches, and otherwise implicitly denies
(reference_policies_evaluation-logic_policy-eval-denyallow.html).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from backup_access.engine.model import Layer, NamedPolicy, OrgLevel, Request
from backup_access.engine.statement import StatementResult, any_action_matches, evaluate_statement
from backup_access.engine.trace import LayerOutcome, LayerTrace, Outcome
from backup_access.policy.model import VERSION_2012, Effect, Policy, Statement
from backup_access.policy.principal import PrincipalMatch

# One raw trace record per policy: (layer, level, policy, results of the statements that
# the action index selected), or a finished LayerTrace. ``Decision.trace`` turns the records
# into one StatementTrace per statement (the unselected ones did not match on Action).
StatementResults = tuple[tuple[Statement, StatementResult], ...]
RawEntry = tuple[Layer, str | None, NamedPolicy, StatementResults] | LayerTrace

# LayerTrace from a tuple, without the NamedTuple's Python-level __new__ (hot path).
new_layer_trace = partial(tuple.__new__, LayerTrace)
_MATCHED = Outcome.MATCHED
_UNSUPPORTED = Outcome.UNSUPPORTED
_DENY = Effect.DENY
_NONE = PrincipalMatch.NONE


INDEX_LIMIT = 256


def candidates(policy: Policy, action: str) -> tuple[Statement, ...]:
    """The statements whose Action/NotAction lets ``action`` through, indexed by action on
    the policy on first use (a policy shared by many requests selects once per action)."""
    index: dict[str, tuple[Statement, ...]] | None = policy.compiled
    if index is None:
        index = {}
        object.__setattr__(policy, "compiled", index)
    else:
        found = index.get(action)
        if found is not None:
            return found
        if len(index) >= INDEX_LIMIT:
            index.clear()
    selected = []
    for statement in policy.statements:
        actions = statement.actions
        if actions is not None:
            if any_action_matches(actions, action):
                selected.append(statement)
        elif not any_action_matches(statement.not_actions or (), action):
            selected.append(statement)
    found = index[action] = tuple(selected)
    return found


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
    trace: list[RawEntry],
    *,
    level: str | None = None,
    boundary_attached: bool = False,
    summarise: bool = True,
) -> Verdict:
    """Evaluate ``policies`` for one layer; ``boundary_attached`` says the requester has a
    permissions boundary (see ``evaluate_statement``). With ``summarise`` the layer's (or
    level's) outcome follows the statements in the trace."""
    explicit_deny = maybe_deny = allowed = False
    best = _NONE
    append = trace.append
    action = request.action
    for named in policies:
        policy = named.policy
        variables = policy.version == VERSION_2012
        results: list[tuple[Statement, StatementResult]] = []
        for statement in candidates(policy, action):
            result = evaluate_statement(statement, variables, request, layer, boundary_attached)
            results.append((statement, result))
            outcome = result[0]
            if outcome is _MATCHED:
                if statement.effect is _DENY:
                    explicit_deny = True
                else:
                    allowed = True
                    match = result[3]
                    if match is not None and match > best:
                        best = match
            elif outcome is _UNSUPPORTED and statement.effect is _DENY:
                maybe_deny = True
        append((layer, level, named, tuple(results)))
    verdict = Verdict(explicit_deny, maybe_deny, allowed, best)
    if summarise:
        append(new_layer_trace((layer, verdict.outcome, None, level, maybe_deny)))
    return verdict


def evaluate_chain(
    levels: tuple[OrgLevel, ...], request: Request, layer: Layer, trace: list[RawEntry]
) -> Verdict:
    """SCPs and RCPs must allow at every level of the path: root, each OU, the account
    (orgs_manage_policies_scps_evaluation.html, orgs_manage_policies_rcps_evaluation.html)."""
    chain = Verdict(allowed=True)
    for org_level in levels:
        verdict = evaluate_policies(
            org_level.policies, request, layer, trace, level=org_level.level
        )
        chain.explicit_deny |= verdict.explicit_deny
        chain.maybe_deny |= verdict.maybe_deny
        chain.allowed &= verdict.allowed
    return chain
