"""BA006: a condition operator AWS does not have; the statement is rejected by AWS, and the
engine never lets it allow anything."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from functools import cache

from backup_access.conditions.evaluate import SetOperator, read_operator
from backup_access.conditions.operators import BASE_OPERATORS, Family
from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView
from backup_access.policy.pointer import escape_pointer_token


def check(view: PolicyView) -> Iterator[Hit]:
    for statement, parsed in view.parsed():
        seen = set()
        for condition in parsed.conditions:
            if condition.operator in seen:
                continue
            seen.add(condition.operator)
            problem = read_operator(condition.operator)
            if isinstance(problem, str):
                pointer = (
                    f"{statement.pointer}/Condition/{escape_pointer_token(condition.operator)}"
                )
                near = nearest_operator(condition.operator)
                if near and problem.startswith("unknown"):
                    problem += f"; did you mean `{near}`?"
                yield Hit(pointer, problem)


@cache
def _known_operators() -> dict[str, str]:
    """Every operator AWS accepts as written (set prefix, base, IfExists), by lower case."""
    known: dict[str, str] = {}
    for base in BASE_OPERATORS.values():
        names = [base.name]
        if base.family is not Family.NULL:  # Null takes neither IfExists nor a set prefix
            names.append(f"{base.name}IfExists")
            names += [f"{s.value}:{n}" for s in (SetOperator.ANY, SetOperator.ALL) for n in names]
        known.update((name.lower(), name) for name in names)
    return known


def nearest_operator(written: str) -> str | None:
    """The known operator closest to a misspelt one (``difflib``), if one is close."""
    known = _known_operators()
    found = difflib.get_close_matches(written.lower(), list(known), n=1, cutoff=0.8)
    return known[found[0]] if found else None


RULE = Rule(
    id="BA006",
    severity=Severity.ERROR,
    title="Unknown condition operator",
    explanation="Operators are the String, Numeric, Date, Bool, Binary, IpAddress, Arn and Null "
    "families, optionally with IfExists and the ForAnyValue:/ForAllValues: set prefixes.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
    check=check,
    example='"Condition": {"StringEqualsIfExist": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}',
    fix="Use an operator of the documented families, e.g. StringEqualsIfExists.",
)
