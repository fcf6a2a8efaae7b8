"""Evaluate one condition: operator modifiers, absent and multivalued keys, variables.

The rules, applied here once for every operator family
(reference_policies_elements_condition_operators.html and
reference_policies_condition-single-vs-multi-valued-context-keys.html):
- an absent key makes a condition false, except: ``...IfExists`` is true, a negated
  operator (``StringNotEquals``, ``ArnNotLike``, ``NotIpAddress``...) is true,
  ``ForAllValues:`` is true and ``Null`` tests presence itself;
- ``ForAnyValue:`` is true when at least one context value satisfies the operator,
  ``ForAllValues:`` when every one does (vacuously true for an empty or absent key);
- a single-valued operator on a multivalued value is satisfied when any value matches
  (negated: when none matches);
- several values for one key are ORed; several keys and operators are ANDed (in the engine);
- a policy variable whose key is absent is null: that value equals nothing, so a negated
  operator holds (reference_policies_variables.html, "Policy variables with no value").
Anything the engine cannot evaluate is returned as ``unsupported``, never as a match.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any, NamedTuple

from backup_access.conditions.operators import (
    BASE_OPERATORS,
    BaseOperator,
    Family,
    PolicyValueError,
)
from backup_access.memo import memo
from backup_access.policy.context import ContextValue, RequestContext
from backup_access.policy.model import Condition
from backup_access.policy.variables import has_variables, substitute
from backup_access.policy.wildcard import Glob, compile_glob


class SetOperator(StrEnum):
    NONE = ""
    ANY = "ForAnyValue"
    ALL = "ForAllValues"


@dataclass(frozen=True, slots=True)
class Operator:
    """A full operator as written: set modifier + base operator + IfExists."""

    written: str
    base: BaseOperator
    set_operator: SetOperator
    if_exists: bool


class ConditionOutcome(NamedTuple):
    """Whether one condition holds, and why; ``actual`` is None when the key is absent."""

    matched: bool
    condition: Condition
    actual: ContextValue | None
    reason: str
    unsupported: str | None = None


@memo
@lru_cache(maxsize=1024)
def read_operator(written: str) -> Operator | str:
    """Parse an operator such as ``ForAnyValue:StringLikeIfExists``; a str is an error."""
    set_operator = SetOperator.NONE
    name = written
    if ":" in written:
        prefix, name = written.split(":", 1)
        matched = [
            s for s in (SetOperator.ANY, SetOperator.ALL) if s.value.lower() == prefix.lower()
        ]
        if not matched:
            return f"unknown set operator '{prefix}' in '{written}'"
        set_operator = matched[0]
    if_exists = name.lower().endswith("ifexists")
    if if_exists:
        name = name[: -len("IfExists")]
    base = BASE_OPERATORS.get(name.lower())
    if base is None:
        return f"unknown condition operator '{written}'"
    if base.family is Family.NULL and (if_exists or set_operator is not SetOperator.NONE):
        return f"'{written}': Null cannot take IfExists or a set operator"
    return Operator(written, base, set_operator, if_exists)


def _policy_values(
    condition: Condition, op: Operator, context: RequestContext, variables: bool
) -> list[Any] | ConditionOutcome:
    """The policy's values ready to compare: strings, or Globs for wildcard operators."""
    prepared: list[Any] = []
    for value in condition.values:
        if variables and has_variables(value):
            resolved = substitute(value, context, wildcards=op.base.wildcards)
            if resolved.unsupported:
                return ConditionOutcome(
                    False, condition, None, resolved.unsupported, unsupported=resolved.unsupported
                )
            if resolved.pieces is None:
                # "Policy variables with no value": the value is null and equals nothing, so
                # it is left out; negated operators then hold (reference_policies_variables.html).
                continue
            if op.base.family is Family.STRING and op.base.wildcards:
                literal_wildcard = any(
                    type(p) is str and ("*" in p or "?" in p) for p in resolved.pieces
                )
                prepared.append(
                    Glob.from_pieces(resolved.pieces, ignore_case=False)
                    if literal_wildcard
                    else compile_glob(resolved.text)
                )
            else:
                prepared.append(resolved.text)
        elif op.base.family is Family.STRING and op.base.wildcards:
            prepared.append(compile_glob(value))
        else:
            prepared.append(value)
    return prepared


def _satisfies(op: Operator, actual: str, expected: list[Any]) -> bool:
    """Does one context value satisfy the base operator (negation included)?"""
    positive = any(op.base.test(actual, value) for value in expected)
    return not positive if op.base.negated else positive


def evaluate_condition(
    condition: Condition, context: RequestContext, *, variables: bool = True
) -> ConditionOutcome:
    """Evaluate one condition against the request context."""
    op = read_operator(condition.operator)
    if isinstance(op, str):
        return ConditionOutcome(False, condition, None, op, unsupported=op)
    actual = context.get_value(condition.key)
    values: tuple[str, ...] = (
        () if actual is None else (actual,) if isinstance(actual, str) else actual
    )
    absent = actual is None or (isinstance(actual, tuple) and not actual)

    if op.base.family is Family.NULL:
        wants_absent = [v.lower() for v in condition.values]
        if any(v not in ("true", "false") for v in wants_absent):
            problem = f"Null takes true or false, found {list(condition.values)}"
            return ConditionOutcome(False, condition, actual, problem, unsupported=problem)
        held = ("true" if absent else "false") in wants_absent
        state = "absent" if absent else "present"
        return ConditionOutcome(held, condition, actual, f"key is {state}")

    if absent:
        if op.if_exists:
            return ConditionOutcome(True, condition, actual, "key is absent and IfExists is used")
        if op.set_operator is SetOperator.ALL:
            return ConditionOutcome(
                True, condition, actual, "ForAllValues holds vacuously when the key is absent"
            )
        if op.set_operator is SetOperator.ANY:
            return ConditionOutcome(False, condition, actual, "ForAnyValue needs the key present")
        if op.base.negated:
            return ConditionOutcome(
                True, condition, actual, "key is absent, so the negated operator holds"
            )
        return ConditionOutcome(False, condition, actual, "key is absent from the request")

    expected = _policy_values(condition, op, context, variables)
    if isinstance(expected, ConditionOutcome):
        return expected
    if not expected and len(condition.values) and not op.base.negated:
        return ConditionOutcome(
            False,
            condition,
            actual,
            "its policy variables have no value in the request, so nothing can equal them",
        )
    try:
        results = [_satisfies(op, value, expected) for value in values]
    except PolicyValueError as error:
        return ConditionOutcome(False, condition, actual, str(error), unsupported=str(error))

    if op.set_operator is SetOperator.ALL:
        held = all(results)
        why = "every" if held else "not every"
        return ConditionOutcome(held, condition, actual, f"{why} request value satisfies it")
    if op.set_operator is SetOperator.ANY or not op.base.negated:
        held = any(results)
    else:
        held = all(results)
    return ConditionOutcome(
        held, condition, actual, "a request value satisfies it" if held else "no value satisfies it"
    )
