"""BA013: a condition operator that does not fit the key's type (NumericEquals on a string
key, StringEquals on aws:SourceIp, DateLessThan on aws:PrincipalTag/...)."""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.conditions.operators import Family
from backup_access.lint.condition_walks import typed_conditions
from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView

# Key type → operator families that compare it meaningfully. ARN keys take String operators
# too (AWS documents StringLike on aws:PrincipalArn); aws:EpochTime takes Date and Numeric.
_FITS: dict[str, frozenset[Family]] = {
    "String": frozenset({Family.STRING}),
    "ARN": frozenset({Family.ARN, Family.STRING}),
    "Numeric": frozenset({Family.NUMERIC}),
    "Date": frozenset({Family.DATE, Family.NUMERIC}),
    "Bool": frozenset({Family.BOOL}),
    "IPAddress": frozenset({Family.IP}),
    "Binary": frozenset({Family.BINARY}),
}
_OPERATOR_FOR = {
    "String": "String…",
    "ARN": "Arn…",
    "Numeric": "Numeric…",
    "Date": "Date…",
    "Bool": "Bool",
    "IPAddress": "IpAddress/NotIpAddress",
    "Binary": "BinaryEquals",
}


def check(view: PolicyView) -> Iterator[Hit]:
    for _, _, condition, operator, key in typed_conditions(view):
        fits = _FITS.get(key.scalar_type)
        if fits is not None and operator.base.family not in fits:
            yield Hit(
                condition.pointer,
                f"{condition.operator} compares {operator.base.family.value} values but "
                f"'{condition.key}' is of type {key.type}: use {_OPERATOR_FOR[key.scalar_type]}",
            )


RULE = Rule(
    id="BA013",
    severity=Severity.WARNING,
    title="Condition operator does not fit the key's type",
    explanation="AWS compares values by the operator's family; the wrong family either never "
    "matches or matches by accident (string comparison of numbers, dates or addresses).",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html",
    check=check,
    example='"Condition": {"StringEquals": {"aws:SourceIp": "203.0.113.0/24"}}',
    fix=(
        "Use the operator family of the key's type: IpAddress for aws:SourceIp, Numeric… for "
        "numbers, Date… for dates, Bool for booleans."
    ),
)
