"""BA015: a condition value in the wrong format for its key: an ARN where
``aws:SourceAccount`` expects a 12-digit account id, an account id where ``aws:SourceArn``
expects an ARN, ``us-eats-1`` for ``aws:RequestedRegion``, ``"yes"`` for a Bool key.

A value of the wrong shape never equals what AWS puts in the request, so the condition
never matches (an Allow grants nothing, a Deny with a negated operator always applies).
"""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.conditions.operators import Family
from backup_access.lint.condition_walks import typed_conditions
from backup_access.lint.intrinsics import is_opaque
from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.value_formats import documented_format, format_problem, type_problem
from backup_access.lint.view import PolicyView, condition_values

# Operator families under which a key type's values are compared as that type (BA013
# reports the others, and a value of the wrong family says nothing about its format).
_COMPARED_AS = {
    "ARN": frozenset({Family.ARN, Family.STRING}),
    "Bool": frozenset({Family.BOOL}),
    "Numeric": frozenset({Family.NUMERIC}),
    "Date": frozenset({Family.DATE}),
    "IPAddress": frozenset({Family.IP}),
    "String": frozenset({Family.STRING}),
}


def check(view: PolicyView) -> Iterator[Hit]:
    for statement, _, condition, operator, key in typed_conditions(view):
        if operator.base.family not in _COMPARED_AS.get(key.scalar_type, frozenset()):
            continue
        documented = documented_format(condition.key)
        like = operator.base.wildcards
        for pointer, value in condition_values(condition, statement.raw):
            if is_opaque(value):
                continue
            if documented is not None:
                problem = format_problem(documented.format, value, like=like)
            else:
                problem = type_problem(key.scalar_type, value, like=like)
            if problem:
                yield Hit(pointer, f"{condition.key} value '{value}' {problem}")


RULE = Rule(
    id="BA015",
    severity=Severity.ERROR,
    title="Condition value in the wrong format for its key",
    explanation="Each condition key holds values of one shape: aws:SourceAccount and "
    "kms:CallerAccount a 12-digit account id, ARN keys an ARN, aws:RequestedRegion a Region "
    "code, Bool keys true or false. A value of another shape never equals the request's, "
    "so the condition never matches as intended.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
    check=check,
    example='"Condition": {"StringEquals": '
    '{"aws:SourceAccount": "arn:aws:iam::246813579024:root"}}',
    fix="Write the value in the key's format: the account id 246813579024 for aws:SourceAccount, "
    "a full ARN for aws:SourceArn, a Region code such as eu-west-1.",
)
