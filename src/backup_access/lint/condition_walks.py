"""Condition walks shared by the condition rules, so each rule states only its judgement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from backup_access.conditions.evaluate import Operator, read_operator
from backup_access.conditions.operators import Family
from backup_access.lint import aws_data
from backup_access.lint.view import PolicyView, StatementView, condition_values
from backup_access.policy.model import Condition


class TypedCondition(NamedTuple):
    """A condition with its statement, its read operator and its key's declared type."""

    statement: StatementView
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
            yield TypedCondition(statement, condition, operator, key)


def values_of_keys(
    view: PolicyView, keys: frozenset[str]
) -> Iterator[tuple[StatementView, Condition, str, str]]:
    """(statement, condition, pointer, value) for every value compared with one of ``keys``
    (lower-case) by a non-Null operator."""
    for statement, parsed in view.parsed():
        for condition in parsed.conditions:
            if condition.key.lower() in keys and not condition.operator.startswith("Null"):
                for pointer, value in condition_values(condition, statement.raw):
                    yield statement, condition, pointer, value
