"""Does one statement apply to a request? Action, Resource, Principal, then Condition.

Elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
The first element that fails decides ``not_matched``; a condition that cannot be evaluated
makes the statement ``unsupported`` unless another element already fails for certain.

Each statement is compiled once, on first use, into memo tables kept on the statement
itself: the same action, resource, principal or condition value is never matched twice.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache
from typing import Any, TypeVar

from backup_access.conditions import ConditionOutcome, evaluate_condition
from backup_access.engine.model import Layer, Request
from backup_access.engine.trace import Outcome
from backup_access.policy.arn import arn_matches
from backup_access.policy.context import RequestContext
from backup_access.policy.model import Condition, Effect, Policy, PrincipalSpec, Statement
from backup_access.policy.principal import (
    Principal,
    PrincipalKind,
    PrincipalMatch,
    has_wildcard_arn,
    match_principal,
    not_principal_exempts,
)
from backup_access.policy.variables import has_variables, substitute, variable_keys
from backup_access.policy.wildcard import ANY_CHAR, ANY_CHARS, Glob, compile_glob

MEMO_LIMIT = 4096
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _memo(table: dict[K, V], key: K, compute: Callable[[], V]) -> V:
    try:
        return table[key]
    except KeyError:
        if len(table) >= MEMO_LIMIT:
            table.clear()
        value = table[key] = compute()
        return value


@lru_cache(maxsize=65536)
def action_matches(pattern: str, action: str) -> bool:
    """Actions match case-insensitively, with ``*`` and ``?`` wildcards
    (reference_policies_elements_action.html). Cached: the same patterns and actions
    recur across policies and requests."""
    if pattern == "*":
        return True
    return compile_glob(pattern.lower()).matches(action.lower())


class CompiledStatement:
    """Memo tables for one statement (mutable caches, never observable from outside)."""

    __slots__ = (
        "actions",
        "conditions",
        "negated_actions",
        "negated_principal",
        "negated_resources",
        "principal_memo",
        "principal_spec",
        "resource_memo",
        "resource_patterns",
        "resource_variables",
        "wildcard_principal",
    )

    def __init__(self, statement: Statement, policy: Policy) -> None:
        self.actions: dict[str, bool] = {}
        self.negated_actions = statement.actions is None
        self.resource_patterns = statement.resources or statement.not_resources
        self.negated_resources = statement.not_resources is not None
        self.resource_variables = policy.supports_variables and any(
            "${" in p for p in self.resource_patterns or ()
        )
        self.resource_memo: dict[str, bool] = {}
        self.principal_spec = statement.principal or statement.not_principal
        self.negated_principal = statement.not_principal is not None
        self.wildcard_principal = (
            has_wildcard_arn(self.principal_spec) if self.principal_spec else None
        )
        self.principal_memo: dict[Principal, PrincipalMatch] = {}
        variables = policy.supports_variables
        self.conditions: tuple[tuple[Condition, dict[Any, ConditionOutcome], tuple[str, ...]], ...]
        self.conditions = tuple(
            (c, {}, variable_keys(c.values) if variables and "${" in str(c.values) else ())
            for c in statement.conditions
        )

    def action_matches(self, statement: Statement, action: str) -> bool:
        patterns = statement.actions or statement.not_actions or ()
        return _memo(self.actions, action, lambda: any(action_matches(p, action) for p in patterns))


def not_matching_action(statement: Statement) -> StatementResult:
    """The result of a statement left out by the action index."""
    return _NO_ACTION if statement.actions is not None else _NO_NOT_ACTION


class CompiledPolicy:
    """For each action seen, the statements whose Action/NotAction lets it through."""

    __slots__ = ("by_action", "policy")

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.by_action: dict[str, tuple[Statement, ...]] = {}

    def candidates(self, action: str) -> tuple[Statement, ...]:
        found = self.by_action.get(action)
        if found is None:
            found = _memo(self.by_action, action, lambda: self._select(action))
        return found

    def _select(self, action: str) -> tuple[Statement, ...]:
        selected = []
        for statement in self.policy.statements:
            if statement.actions is not None:
                if any(action_matches(p, action) for p in statement.actions):
                    selected.append(statement)
            elif not any(action_matches(p, action) for p in statement.not_actions or ()):
                selected.append(statement)
        return tuple(selected)


def compiled_policy(policy: Policy) -> CompiledPolicy:
    compiled = policy.compiled
    if compiled is None:
        compiled = CompiledPolicy(policy)
        object.__setattr__(policy, "compiled", compiled)
    return compiled  # type: ignore[no-any-return]


def _compiled(statement: Statement, policy: Policy) -> CompiledStatement:
    compiled = statement.compiled
    if compiled is None:
        compiled = CompiledStatement(statement, policy)
        object.__setattr__(statement, "compiled", compiled)
    return compiled  # type: ignore[no-any-return]


def _pattern_with_variables(pattern: str, request: Request) -> bool | str | None:
    """True/False, a str saying why it cannot be decided, or None for an unresolved variable
    (reference_policies_variables.html: the element then does not match)."""
    if not has_variables(pattern):
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


def _condition_outcome(
    condition: Condition,
    memo: dict[Any, ConditionOutcome],
    keys: tuple[str, ...],
    request: Request,
    variables: bool,
) -> ConditionOutcome:
    """Memoised on the key's value and the values of the variables the condition uses."""
    context = request.context
    actual = context.get_value(condition.key)
    memo_key: Any = (actual, *(context.get_value(k) for k in keys)) if keys else actual
    found = memo.get(memo_key)
    if found is None:
        if keys:
            found = evaluate_condition(condition, context, variables=variables)
        else:
            found = _shared_outcome(condition, actual, variables, context)
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        memo[memo_key] = found
    return found


_SHARED_OUTCOMES: dict[tuple[Any, ...], ConditionOutcome] = {}


def _shared_outcome(
    condition: Condition, actual: Any, variables: bool, context: RequestContext
) -> ConditionOutcome:
    """A condition that reads no other key than its own gives the same outcome wherever it
    is written: policies parsed for each request share it (the outcome is re-pointed at
    this condition, whose location the trace shows)."""
    key = (condition.operator, condition.key, condition.values, variables, actual)
    found = _SHARED_OUTCOMES.get(key)
    if found is None:
        found = evaluate_condition(condition, context, variables=variables)
        if len(_SHARED_OUTCOMES) >= 8 * MEMO_LIMIT:
            _SHARED_OUTCOMES.clear()
        _SHARED_OUTCOMES[key] = found
        return found
    return found if found.condition is condition else found._replace(condition=condition)


# What evaluating a statement yields on the hot path: a plain tuple (cheap to build; the
# common "action does not match" results are shared constants). ``StatementTrace`` objects
# are made from these only when someone reads the trace.
StatementResult = tuple[
    Outcome, str | None, ConditionOutcome | None, PrincipalMatch | None, str | None
]
MATCHED: StatementResult = (Outcome.MATCHED, None, None, None, None)
_NO_ACTION: StatementResult = (Outcome.NOT_MATCHED, "Action", None, None, None)
_NO_NOT_ACTION: StatementResult = (Outcome.NOT_MATCHED, "NotAction", None, None, None)
_NO_PRINCIPAL_ELEMENT: StatementResult = (
    Outcome.NOT_MATCHED,
    "Principal",
    None,
    None,
    "a resource policy statement without Principal applies to no one",
)


def _principal_match(
    spec: PrincipalSpec, who: Principal, plan: CompiledStatement
) -> PrincipalMatch:
    """How ``Principal`` names the requester; for ``NotPrincipal``, EVERYONE when the
    element does not exempt the requester and NONE when it does."""
    if not plan.negated_principal:
        return match_principal(spec, who)
    if not_principal_exempts(spec, who):
        return PrincipalMatch.NONE
    return PrincipalMatch.EVERYONE


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
    policy: Policy,
    request: Request,
    layer: Layer,
    *,
    boundary_attached: bool = False,
) -> StatementResult:
    """Evaluate one statement that the action index selected for the request's action:
    (outcome, failing element, condition, principal match, detail).

    ``boundary_attached``: the requester has a permissions boundary, which makes a
    resource-policy ``Deny`` with ``NotPrincipal`` apply to it whatever the element lists."""
    # The action was checked when the policy's action index selected this statement.
    plan = statement.compiled
    if plan is None:
        plan = _compiled(statement, policy)

    unsupported: str | None = None
    unsupported_element: str | None = None
    patterns = plan.resource_patterns
    if patterns is not None:
        element = "NotResource" if plan.negated_resources else "Resource"
        problem: str | None = None
        if plan.resource_variables:
            matched, problem, cannot = _resources_with_variables(patterns, request)
        else:
            resource = request.resource
            found = plan.resource_memo.get(resource)
            if found is None:
                found = _memo(
                    plan.resource_memo,
                    resource,
                    lambda: any(arn_matches(p, resource) for p in patterns),
                )
            matched, cannot = found, False
        if cannot:
            unsupported, unsupported_element = problem, element
        elif matched is plan.negated_resources:
            return (Outcome.NOT_MATCHED, element, None, None, None if matched else problem)

    principal_match: PrincipalMatch | None = None
    detail: str | None = None
    spec = plan.principal_spec
    if spec is not None:
        element = "NotPrincipal" if plan.negated_principal else "Principal"
        who = request.principal
        principal_match = plan.principal_memo.get(who)
        if principal_match is None:
            principal_match = _memo(
                plan.principal_memo, who, lambda: _principal_match(spec, who, plan)
            )
        if (
            principal_match is PrincipalMatch.NONE
            and boundary_attached
            and plan.negated_principal
            and layer is Layer.RESOURCE
            and statement.effect is Effect.DENY
            and who.kind in _BOUNDED_KINDS
        ):
            principal_match = PrincipalMatch.EVERYONE
            detail = BOUNDARY_OVERRIDES_NOT_PRINCIPAL
        if plan.wildcard_principal is not None:
            unsupported = unsupported or (
                f"{element} '{plan.wildcard_principal}' uses a wildcard, which AWS does not "
                'support in principal ARNs (only "*")'
            )
            unsupported_element = unsupported_element or element
        elif principal_match is PrincipalMatch.NONE:
            return (Outcome.NOT_MATCHED, element, None, None, None)
    elif layer is Layer.RESOURCE:
        return _NO_PRINCIPAL_ELEMENT

    failing_unsupported: ConditionOutcome | None = None
    if plan.conditions:
        variables = policy.supports_variables
        for condition, memo, keys in plan.conditions:
            outcome = _condition_outcome(condition, memo, keys, request, variables)
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
