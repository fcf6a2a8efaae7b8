"""Does one statement apply to a request? Action, Resource, Principal, then Condition.

Elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
The first element that fails decides ``not_matched``; a condition that cannot be evaluated
makes the statement ``unsupported`` unless another element already fails for certain.
"""

from __future__ import annotations

from functools import lru_cache

from backup_access.conditions import ConditionOutcome, evaluate_condition
from backup_access.engine.model import Layer, Request
from backup_access.engine.trace import Outcome, StatementTrace
from backup_access.policy.arn import arn_matches
from backup_access.policy.model import Policy, Statement
from backup_access.policy.principal import PrincipalMatch, has_wildcard_arn, match_principal
from backup_access.policy.variables import has_variables, substitute
from backup_access.policy.wildcard import ANY_CHAR, ANY_CHARS, Glob, compile_glob


@lru_cache(maxsize=65536)
def action_matches(pattern: str, action: str) -> bool:
    """Actions match case-insensitively, with ``*`` and ``?`` wildcards
    (reference_policies_elements_action.html)."""
    if pattern == "*":
        return True
    return compile_glob(pattern.lower()).matches(action.lower())


def _resource_pattern_matches(pattern: str, request: Request, variables: bool) -> bool | str | None:
    """True/False, or a str explaining why it cannot be decided, or None for an unresolved
    variable (AWS: the element then does not match)."""
    if not (variables and has_variables(pattern)):
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


def _resources_match(
    patterns: tuple[str, ...], request: Request, variables: bool
) -> tuple[bool, str | None, bool]:
    """(any pattern matched, explanation of a problem, whether it was unsupported)."""
    unresolved: str | None = None
    unsupported: str | None = None
    for pattern in patterns:
        result = _resource_pattern_matches(pattern, request, variables)
        if result is True:
            return True, None, False
        if result is None:
            unresolved = f"'{pattern}' uses a policy variable the request has no value for"
        elif isinstance(result, str):
            unsupported = f"'{pattern}': {result}"
    if unsupported:
        return False, unsupported, True
    return False, unresolved, False


def evaluate_statement(
    statement: Statement,
    policy: Policy,
    request: Request,
    *,
    layer: Layer,
    policy_name: str,
    level: str | None = None,
) -> StatementTrace:
    """Evaluate one statement and describe the result."""

    def result(outcome: Outcome, **details: object) -> StatementTrace:
        return StatementTrace(
            layer,
            level,
            policy_name,
            statement.index,
            statement.sid,
            statement.effect.value,
            outcome,
            pointer=statement.pointer,
            quoted=statement,
            **details,  # type: ignore[arg-type]
        )

    action = request.action
    if statement.actions is not None:
        if not any(action_matches(p, action) for p in statement.actions):
            return result(
                Outcome.NOT_MATCHED,
                element="Action",
                detail=f"Action {list(statement.actions)} does not include {action}",
            )
    elif statement.not_actions is not None and any(
        action_matches(p, action) for p in statement.not_actions
    ):
        return result(
            Outcome.NOT_MATCHED,
            element="NotAction",
            detail=f"{action} is excluded by NotAction {list(statement.not_actions)}",
        )

    variables = policy.supports_variables
    unsupported: str | None = None
    unsupported_element: str | None = None
    if statement.resources is not None:
        matched, problem, cannot = _resources_match(statement.resources, request, variables)
        if cannot:
            unsupported, unsupported_element = problem, "Resource"
        elif not matched:
            detail = problem or (
                f"Resource {list(statement.resources)} does not include {request.resource}"
            )
            return result(Outcome.NOT_MATCHED, element="Resource", detail=detail)
    elif statement.not_resources is not None:
        matched, problem, cannot = _resources_match(statement.not_resources, request, variables)
        if cannot:
            unsupported, unsupported_element = problem, "NotResource"
        elif matched:
            return result(
                Outcome.NOT_MATCHED,
                element="NotResource",
                detail=f"{request.resource} is excluded by NotResource "
                f"{list(statement.not_resources)}",
            )

    principal_match: PrincipalMatch | None = None
    spec = statement.principal or statement.not_principal
    if spec is not None:
        element = "Principal" if statement.principal is not None else "NotPrincipal"
        wildcard = has_wildcard_arn(spec)
        if wildcard is not None:
            unsupported = unsupported or (
                f"{element} '{wildcard}' uses a wildcard, which AWS does not support in "
                'principal ARNs (only "*")'
            )
            unsupported_element = unsupported_element or element
        principal_match = match_principal(spec, request.principal)
        if statement.not_principal is not None:
            principal_match = (
                PrincipalMatch.EVERYONE
                if principal_match is PrincipalMatch.NONE
                else PrincipalMatch.NONE
            )
        if principal_match is PrincipalMatch.NONE and wildcard is None:
            detail = (
                f"{request.principal.arn} is excluded by NotPrincipal"
                if statement.not_principal is not None
                else f"Principal does not name {request.principal.arn}"
            )
            return result(Outcome.NOT_MATCHED, element=element, detail=detail)
    elif layer is Layer.RESOURCE:
        return result(
            Outcome.NOT_MATCHED,
            element="Principal",
            detail="a resource policy statement without Principal applies to no one",
        )

    failing_unsupported: ConditionOutcome | None = None
    for condition in statement.conditions:
        outcome = evaluate_condition(condition, request.context, variables=variables)
        if outcome.unsupported is not None:
            failing_unsupported = failing_unsupported or outcome
        elif not outcome.matched:
            return result(
                Outcome.NOT_MATCHED,
                element="Condition",
                condition=outcome,
                principal_match=principal_match,
            )
    if failing_unsupported is not None:
        return result(
            Outcome.UNSUPPORTED,
            element="Condition",
            condition=failing_unsupported,
            principal_match=principal_match,
        )
    if unsupported is not None:
        return result(Outcome.UNSUPPORTED, element=unsupported_element, detail=unsupported)
    return result(Outcome.MATCHED, principal_match=principal_match)
