"""Does one statement apply to a request? Action, Resource, Principal, then Condition.

Elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
The first element that fails decides ``not_matched``; a condition that cannot be evaluated
makes the statement ``unsupported`` unless another element already fails for certain.

Statements keep no state. What matching costs is cached by value instead, across
statements, policies and requests (an action against a pattern list, an ARN against a
resource list, a principal against a Principal element, a condition against the values it
reads): the same policies parsed anew for each request then still match nothing twice.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

from backup_access.conditions import ConditionOutcome, evaluate_condition
from backup_access.engine.model import Layer, Request
from backup_access.engine.trace import Outcome
from backup_access.policy.arn import arn_matches
from backup_access.policy.context import RequestContext
from backup_access.policy.model import Condition, Effect, PrincipalSpec, Statement
from backup_access.policy.principal import (
    Principal,
    PrincipalKind,
    PrincipalMatch,
    has_wildcard_arn,
    match_principal,
    not_principal_exemption,
)
from backup_access.policy.variables import substitute, variable_keys
from backup_access.policy.wildcard import ANY_CHAR, ANY_CHARS, Glob, compile_glob

CACHE_SIZE = 65536


@lru_cache(maxsize=CACHE_SIZE)
def action_matches(pattern: str, action: str) -> bool:
    """Actions match case-insensitively, with ``*`` and ``?`` wildcards
    (reference_policies_elements_action.html)."""
    if pattern == "*":
        return True
    return compile_glob(pattern.lower()).matches(action.lower())


@lru_cache(maxsize=CACHE_SIZE)
def any_action_matches(patterns: tuple[str, ...], action: str) -> bool:
    """Whether an Action (or NotAction) list names ``action``."""
    return any(action_matches(p, action) for p in patterns)


@lru_cache(maxsize=CACHE_SIZE)
def _any_resource_matches(patterns: tuple[str, ...], resource: str) -> bool:
    return any(arn_matches(p, resource) for p in patterns)


@lru_cache(maxsize=CACHE_SIZE)
def _uses_variables(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """The context keys the variables in ``values`` read; None when there are none."""
    if not any("${" in v for v in values):
        return None
    return variable_keys(values)


class PrincipalOutcome(NamedTuple):
    """How a Principal element names the requester (for ``NotPrincipal``: EVERYONE when the
    element does not exempt the requester, NONE when it does), a wildcard principal ARN the
    element holds (AWS does not support those), and a note on the NotPrincipal rule that
    decided, when there is one."""

    match: PrincipalMatch
    wildcard: str | None
    note: str | None


@lru_cache(maxsize=CACHE_SIZE)
def _principal_outcome(spec: PrincipalSpec, who: Principal, negated: bool) -> PrincipalOutcome:
    if not negated:
        return PrincipalOutcome(match_principal(spec, who), has_wildcard_arn(spec), None)
    exemption = not_principal_exemption(spec, who)
    match = PrincipalMatch.NONE if exemption.exempt else PrincipalMatch.EVERYONE
    return PrincipalOutcome(match, has_wildcard_arn(spec), exemption.note)


def _pattern_with_variables(pattern: str, request: Request) -> bool | str | None:
    """True/False, a str saying why it cannot be decided, or None for an unresolved variable
    (reference_policies_variables.html: the element then does not match)."""
    if "${" not in pattern:
        return arn_matches(pattern, request.resource)
    resolved = substitute(pattern, request.context, wildcards=True)
    if resolved.unsupported:
        return resolved.unsupported
    if resolved.pieces is None:
        return None
    literal_wildcard = any(
        isinstance(p, str) and ("*" in p or "?" in p)
        for p in resolved.pieces
        if p is not ANY_CHARS and p is not ANY_CHAR
    )
    if literal_wildcard:
        return Glob.from_pieces(resolved.pieces, ignore_case=False).matches(request.resource)
    return arn_matches(resolved.text, request.resource)


def _resources_with_variables(
    patterns: tuple[str, ...], request: Request
) -> tuple[bool, str | None, bool]:
    """(any pattern matched, explanation of a problem, whether it was unsupported)."""
    unresolved: str | None = None
    unsupported: str | None = None
    for pattern in patterns:
        result = _pattern_with_variables(pattern, request)
        if result is True:
            return True, None, False
        if result is None:
            unresolved = f"'{pattern}' uses a policy variable the request has no value for"
        elif isinstance(result, str):
            unsupported = f"'{pattern}': {result}"
    if unsupported:
        return False, unsupported, True
    return False, unresolved, False


_SHARED_OUTCOMES: dict[tuple[Any, ...], ConditionOutcome] = {}


def condition_outcome(
    condition: Condition, context: RequestContext, variables: bool
) -> ConditionOutcome:
    """The outcome of one condition, shared by every condition written the same way and
    seeing the same values (its key's, and those of the variables it uses). Its
    ``condition`` may therefore be an equal one written elsewhere: ``own_outcome`` re-points
    it when the trace is read."""
    keys = _uses_variables(condition.values) if variables else None
    actual = context.get_value(condition.key)
    if keys is None:
        memo_key: tuple[Any, ...] = (
            condition.operator,
            condition.key,
            condition.values,
            variables,
            actual,
        )
    else:
        memo_key = (
            condition.operator,
            condition.key,
            condition.values,
            actual,
            *[context.get_value(k) for k in keys],
        )
    found = _SHARED_OUTCOMES.get(memo_key)
    if found is None:
        found = evaluate_condition(condition, context, variables=variables)
        if len(_SHARED_OUTCOMES) >= CACHE_SIZE:
            _SHARED_OUTCOMES.clear()
        _SHARED_OUTCOMES[memo_key] = found
    return found


def own_outcome(outcome: ConditionOutcome, statement: Statement) -> ConditionOutcome:
    """``outcome`` pointing at the statement's own condition: a statement writes each
    (operator, key) pair once, so the equal condition is found by both."""
    shared = outcome.condition
    for condition in statement.conditions:
        if condition is shared:
            return outcome
        if condition.operator == shared.operator and condition.key == shared.key:
            return outcome._replace(condition=condition)
    return outcome


# What evaluating a statement yields on the hot path: a plain tuple (cheap to build; the
# common results are shared constants). ``StatementTrace`` objects are made from these only
# when someone reads the trace.
StatementResult = tuple[
    Outcome, str | None, ConditionOutcome | None, PrincipalMatch | None, str | None
]
MATCHED: StatementResult = (Outcome.MATCHED, None, None, None, None)
_NO_ACTION: StatementResult = (Outcome.NOT_MATCHED, "Action", None, None, None)
_NO_NOT_ACTION: StatementResult = (Outcome.NOT_MATCHED, "NotAction", None, None, None)
_NO_RESOURCE: StatementResult = (Outcome.NOT_MATCHED, "Resource", None, None, None)
_NO_PRINCIPAL_ELEMENT: StatementResult = (
    Outcome.NOT_MATCHED,
    "Principal",
    None,
    None,
    "a resource policy statement without Principal applies to no one",
)


_NOT_PRINCIPAL_ALLOW: StatementResult = (
    Outcome.UNSUPPORTED,
    "NotPrincipal",
    None,
    None,
    'NotPrincipal with "Effect": "Allow" is not supported by AWS '
    "(reference_policies_elements_notprincipal.html): this statement never grants",
)


def not_matching_action(statement: Statement) -> StatementResult:
    """The result of a statement whose Action/NotAction leaves the request's action out."""
    return _NO_ACTION if statement.actions is not None else _NO_NOT_ACTION


# access_policies_boundaries.html: "The NotPrincipal element with a Deny effect will always
# deny any IAM principal that has a permissions boundary policy attached, regardless of the
# values specified in the NotPrincipal element." Boundaries attach to IAM users and roles.
_BOUNDED_KINDS = (PrincipalKind.USER, PrincipalKind.ROLE, PrincipalKind.ROLE_SESSION)
BOUNDARY_OVERRIDES_NOT_PRINCIPAL = (
    "NotPrincipal with Deny in a resource-based policy always denies an IAM user or role "
    "that has a permissions boundary attached, whatever NotPrincipal lists"
)


def evaluate_statement(
    statement: Statement,
    variables: bool,
    request: Request,
    layer: Layer,
    boundary_attached: bool = False,
) -> StatementResult:
    """Evaluate one statement whose Action/NotAction already lets the request's action
    through (engine/plan.py ``candidates``): (outcome, failing element, condition,
    principal match, detail).

    ``variables``: the policy's version supports policy variables. ``boundary_attached``:
    the requester has a permissions boundary, which makes a resource-policy ``Deny`` with
    ``NotPrincipal`` apply to it whatever the element lists."""
    unsupported: str | None = None
    unsupported_element: str | None = None
    patterns = statement.resources
    if patterns is not None:
        if not (variables and _uses_variables(patterns) is not None):
            if not _any_resource_matches(patterns, request.resource):
                return _NO_RESOURCE
        else:
            matched, problem, cannot = _resources_with_variables(patterns, request)
            if cannot:
                unsupported, unsupported_element = problem, "Resource"
            elif not matched:
                return (Outcome.NOT_MATCHED, "Resource", None, None, problem)
    elif statement.not_resources is not None:
        patterns = statement.not_resources
        if not (variables and _uses_variables(patterns) is not None):
            if _any_resource_matches(patterns, request.resource):
                return (Outcome.NOT_MATCHED, "NotResource", None, None, None)
        else:
            matched, problem, cannot = _resources_with_variables(patterns, request)
            if cannot:
                unsupported, unsupported_element = problem, "NotResource"
            elif matched:
                return (Outcome.NOT_MATCHED, "NotResource", None, None, None)

    principal_match: PrincipalMatch | None = None
    detail: str | None = None
    spec = statement.principal
    negated = spec is None
    if negated:
        spec = statement.not_principal
    if spec is not None:
        element = "NotPrincipal" if negated else "Principal"
        if negated and statement.effect is Effect.ALLOW:
            # reference_policies_elements_notprincipal.html: "Using it with
            # "Effect":"Allow" is not supported." It never grants.
            return _NOT_PRINCIPAL_ALLOW
        who = request.principal
        principal_match, wildcard, detail = _principal_outcome(spec, who, negated)
        if (
            principal_match is PrincipalMatch.NONE
            and boundary_attached
            and negated
            and layer is Layer.RESOURCE
            and statement.effect is Effect.DENY
            and who.kind in _BOUNDED_KINDS
        ):
            principal_match = PrincipalMatch.EVERYONE
            detail = BOUNDARY_OVERRIDES_NOT_PRINCIPAL
        if wildcard is not None:
            unsupported = unsupported or (
                f"{element} '{wildcard}' uses a wildcard, which AWS does not "
                'support in principal ARNs (only "*")'
            )
            unsupported_element = unsupported_element or element
        elif principal_match is PrincipalMatch.NONE:
            return (Outcome.NOT_MATCHED, element, None, None, None)
    elif layer is Layer.RESOURCE:
        return _NO_PRINCIPAL_ELEMENT

    conditions = statement.conditions
    if conditions:
        failing_unsupported: ConditionOutcome | None = None
        context = request.context
        for condition in conditions:
            outcome = condition_outcome(condition, context, variables)
            if outcome.unsupported is not None:
                failing_unsupported = failing_unsupported or outcome
            elif not outcome.matched:
                return (Outcome.NOT_MATCHED, "Condition", outcome, principal_match, None)
        if failing_unsupported is not None:
            return (Outcome.UNSUPPORTED, "Condition", failing_unsupported, principal_match, None)
    if unsupported is not None:
        return (Outcome.UNSUPPORTED, unsupported_element, None, None, unsupported)
    if principal_match is None:
        return MATCHED
    return (Outcome.MATCHED, None, None, principal_match, detail)
