"""The ``Condition`` element of a statement: every condition must hold
(reference_policies_condition-logic-multiple-context-keys-or-values.html).

Outcomes are shared by every condition written the same way that sees the same values,
across statements, policies and requests (conditions/ evaluates one).
"""

from __future__ import annotations

from typing import Any

from backup_access.conditions import ConditionOutcome, evaluate_condition
from backup_access.engine.resource_match import uses_variables
from backup_access.engine.result import StatementResult, new_result
from backup_access.engine.trace import Outcome
from backup_access.memo import MEMO_SIZE, memo_table
from backup_access.policy.context import RequestContext
from backup_access.policy.model import Condition, Statement
from backup_access.policy.principal import PrincipalMatch

_SHARED_OUTCOMES: dict[tuple[Any, ...], ConditionOutcome] = memo_table()


def condition_outcome(
    condition: Condition, context: RequestContext, variables: bool
) -> ConditionOutcome:
    """The outcome of one condition, shared by every condition written the same way and
    seeing the same values (its key's, and those of the variables it uses). Its
    ``condition`` may therefore be an equal one written elsewhere: ``own_outcome`` re-points
    it when the trace is read."""
    keys = uses_variables(condition.values) if variables else None
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
        if len(_SHARED_OUTCOMES) >= MEMO_SIZE:
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
        if condition.key == shared.key and condition.operator == shared.operator:
            matched, _shared, actual, reason, unsupported = outcome
            return ConditionOutcome(matched, condition, actual, reason, unsupported)
    return outcome


def condition_element(
    statement: Statement,
    variables: bool,
    context: RequestContext,
    principal_match: PrincipalMatch | None,
) -> StatementResult | None:
    """None when every condition holds; else the first that fails (``not_matched``), or,
    when none fails for certain, the first the engine cannot evaluate (``unsupported``)."""
    conditions = statement.conditions
    if len(conditions) > 1 and (clash := case_clash(conditions)) is not None:
        return new_result(Outcome.UNSUPPORTED, "Condition", None, principal_match, clash)
    unsupported: ConditionOutcome | None = None
    for condition in conditions:
        outcome = condition_outcome(condition, context, variables)
        if outcome.unsupported is not None:
            unsupported = unsupported or outcome
        elif not outcome.matched:
            return new_result(Outcome.NOT_MATCHED, "Condition", outcome, principal_match, None)
    if unsupported is not None:
        return new_result(Outcome.UNSUPPORTED, "Condition", unsupported, principal_match, None)
    return None


def case_clash(conditions: tuple[Condition, ...]) -> str | None:
    """Why a condition block cannot be evaluated when one operator lists a key twice in
    different case (``aws:PrincipalOrgID`` and ``aws:principalorgid``): key names are not
    case-sensitive, so both name one key, IAM Access Analyzer reports the block as an error
    (access-analyzer-reference-policy-checks.html, "Duplicate keys with different case"),
    and AWS does not document how IAM evaluates it. None when there is no such pair."""
    seen: dict[tuple[str, str], str] = {}
    for condition in conditions:
        written = seen.setdefault((condition.operator, condition.key.lower()), condition.key)
        if written != condition.key:
            return (
                f"{condition.operator} lists the condition key '{written}' again as "
                f"'{condition.key}': key names are not case-sensitive, so both name one key; "
                "IAM Access Analyzer reports this as an error and AWS does not document how "
                "IAM evaluates it, so this tool does not guess"
            )
    return None
