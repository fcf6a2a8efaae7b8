"""Condition walks shared by the condition rules, so each rule states only its judgement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from backup_access.conditions.evaluate import Operator, SetOperator, read_operator
from backup_access.conditions.operators import Family
from backup_access.lint import aws_data
from backup_access.lint.key_presence import opens_on_absence
from backup_access.lint.view import PolicyView, StatementView, condition_values
from backup_access.policy.model import Condition, Statement


class TypedCondition(NamedTuple):
    """A condition with its statement (as written and parsed), its read operator and its
    key's declared type."""

    statement: StatementView
    parsed: Statement
    condition: Condition
    operator: Operator
    key: aws_data.ConditionKeyType


def typed_conditions(view: PolicyView) -> Iterator[TypedCondition]:
    """Conditions whose operator is valid (not Null) and whose key AWS defines."""
    for statement, parsed in view.parsed():
        for condition in parsed.conditions:
            operator = read_operator(condition.operator)
            key = aws_data.condition_key(condition.key)
            if isinstance(operator, str) or key is None or operator.base.family is Family.NULL:
                continue
            yield TypedCondition(statement, parsed, condition, operator, key)


class ConditionValue(NamedTuple):
    """One value of a condition, with where it is and the statement it sits in."""

    statement: StatementView
    parsed: Statement
    condition: Condition
    pointer: str
    value: str


def values_of_keys(view: PolicyView, keys: frozenset[str]) -> Iterator[ConditionValue]:
    """Every value compared with one of ``keys`` (lower-case) by a non-Null operator."""
    for statement, parsed in view.parsed():
        for condition in parsed.conditions:
            if condition.key.lower() in keys and not condition.operator.startswith("Null"):
                for pointer, value in condition_values(condition, statement.raw):
                    yield ConditionValue(statement, parsed, condition, pointer, value)


def has_wildcard(value: str) -> bool:
    """Whether a condition value holds ``*`` or ``?`` (``${*}`` and ``${?}`` are literal)."""
    text = value.replace("${*}", "").replace("${?}", "")
    return "*" in text or "?" in text


def advised_operator(condition: Condition, statement: Statement) -> str:
    """The operator a condition should use, judged on the whole condition at once, so that
    the rules on one condition (BA022 paths, BA023 set prefixes, BA024 wildcards, BA037
    ForAllValues in an Allow) give the same advice: a Like operator when a value holds a
    wildcard under an Equals operator; ``ForAnyValue:`` for a multivalued key written without
    a set prefix, or with a positive ``ForAllValues:`` that lets requests without the key
    through an Allow (``key_presence``). ``StringEquals`` or ``ForAllValues:StringLike`` with
    ``o-…/r-…/ou-…/*`` on aws:PrincipalOrgPaths in an Allow is ``ForAnyValue:StringLike``."""
    written = condition.operator
    operator = read_operator(written)
    if isinstance(operator, str):
        return written
    advised = written
    if (
        operator.base.family in (Family.STRING, Family.ARN)
        and not operator.base.wildcards
        and any(has_wildcard(v) for v in condition.values)
    ):
        advised = advised.replace("Equals", "Like").replace("IgnoreCase", "")
    key = aws_data.condition_key(condition.key)
    if key is not None and key.multivalued and operator.set_operator is SetOperator.NONE:
        advised = f"{SetOperator.ANY.value}:{advised}"
    elif (
        key is not None
        and key.multivalued
        and not operator.base.negated
        and opens_on_absence(statement, condition, operator)
    ):
        # ForAnyValue is false on an absent key; IfExists would make it true again.
        name = advised.partition(":")[2]
        name = name[: -len("IfExists")] if operator.if_exists else name
        advised = f"{SetOperator.ANY.value}:{name}"
    return advised
