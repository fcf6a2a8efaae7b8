"""BA006: a condition operator AWS does not have; the statement is rejected by AWS, and the
engine never lets it allow anything."""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.conditions.evaluate import read_operator
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
                yield Hit(pointer, problem)


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
