"""Statement questions several rules ask: which of some actions it names, whom it covers."""

from __future__ import annotations

from collections.abc import Iterable

from backup_access.conditions.evaluate import read_operator
from backup_access.conditions.operators import Family
from backup_access.policy.model import Statement
from backup_access.policy.wildcard import glob_matches


def named_actions(statement: Statement, candidates: Iterable[str]) -> list[str]:
    """The ``candidates`` the statement's Action (or NotAction) covers."""
    if statement.actions is not None:
        patterns = statement.actions
        return [
            a for a in candidates if any(glob_matches(p, a, ignore_case=True) for p in patterns)
        ]
    excluded = statement.not_actions or ()
    return [
        a for a in candidates if not any(glob_matches(p, a, ignore_case=True) for p in excluded)
    ]


def is_open_to_everyone(statement: Statement) -> bool:
    """Principal ``"*"`` or ``{"AWS": "*"}``."""
    principal = statement.principal
    return principal is not None and (principal.everyone or "*" in principal.aws)


def restricts_by(statement: Statement, keys: frozenset[str]) -> bool:
    """A condition that keeps the statement to named values of one of ``keys`` (lower-case):
    a positive String/Arn operator whose values are not all wildcards. ``StringNotEquals``,
    ``Null`` or ``"*"`` restrict nothing useful."""
    for condition in statement.conditions:
        operator = read_operator(condition.operator)
        if condition.key.lower() not in keys or isinstance(operator, str):
            continue
        if operator.base.negated or operator.base.family not in (Family.STRING, Family.ARN):
            continue
        if any(value.strip("*?") for value in condition.values):
            return True
    return False
