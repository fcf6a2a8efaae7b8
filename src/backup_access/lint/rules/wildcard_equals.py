"""BA024: ``*`` or ``?`` in a value of an Equals operator, where it is a literal character."""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.conditions.evaluate import read_operator
from backup_access.conditions.operators import Family
from backup_access.lint.condition_walks import advised_operator, has_wildcard
from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView, condition_values


def check(view: PolicyView) -> Iterator[Hit]:
    for statement, parsed in view.parsed():
        for condition in parsed.conditions:
            operator = read_operator(condition.operator)
            if isinstance(operator, str) or operator.base.wildcards:
                continue
            if operator.base.family not in (Family.STRING, Family.ARN):
                continue
            # With the set prefix a multivalued key needs, as BA023 advises.
            like = advised_operator(condition, parsed)
            for pointer, value in condition_values(condition, statement.raw):
                if has_wildcard(value):
                    yield Hit(
                        pointer,
                        f"'{value}' holds a wildcard but {condition.operator} "
                        f"compares literally: use {like}",
                    )


RULE = Rule(
    id="BA024",
    severity=Severity.ERROR,
    title="Wildcard in an Equals condition",
    explanation="Only the Like operators treat * and ? as wildcards; StringEquals with "
    "'o-abc/r-ab12/ou-*' matches only that literal text.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String",
    check=check,
    example='"Condition": {"StringEquals": {"aws:PrincipalArn": "arn:aws:iam::*:role/BackupRole"}}',
    fix="Use StringLike / ArnLike when the value holds * or ?.",
)
