"""BA023: a single-valued operator on a multivalued key, or a set operator on a single one.

``aws:PrincipalOrgPaths`` is a list: ``StringLike`` without ``ForAnyValue:`` is the classic
broken cross-account vault policy (AWS Backup copies then fail with Access Denied).
"""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.conditions.evaluate import SetOperator
from backup_access.lint.condition_walks import advised_operator, typed_conditions
from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView


def check(view: PolicyView) -> Iterator[Hit]:
    for _, condition, operator, key in typed_conditions(view):
        if key.multivalued and operator.set_operator is SetOperator.NONE:
            # The base the other rules advise too (a Like operator for a wildcard value).
            base = advised_operator(condition).partition(":")[2]
            why = (
                " (a Like operator: a value holds a wildcard)" if base != condition.operator else ""
            )
            yield Hit(
                condition.pointer,
                f"'{condition.key}' holds a list of values: write "
                f"ForAnyValue:{base} (any value matches) or "
                f"ForAllValues:{base} (every value matches){why}",
            )
        elif not key.multivalued and operator.set_operator is not SetOperator.NONE:
            yield Hit(
                condition.pointer,
                f"'{condition.key}' is single-valued: drop "
                f"{operator.set_operator.value}: ({operator.set_operator.value} on a "
                "single value is easy to misread, and ForAllValues matches when the "
                "key is absent)",
            )


RULE = Rule(
    id="BA023",
    severity=Severity.ERROR,
    title="Single-valued operator on a multivalued key (or the reverse)",
    explanation="Multivalued keys (aws:PrincipalOrgPaths, aws:TagKeys, aws:CalledVia, "
    "backup:CopyTargets…) need ForAnyValue: or ForAllValues:; set operators on single-valued "
    "keys invite mistakes (ForAllValues holds when the key is missing).",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
    check=check,
    example=(
        '"Condition": {"StringLike": {"aws:PrincipalOrgPaths": '
        '"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"}}'
    ),
    fix=(
        "Prefix the operator with ForAnyValue: (or ForAllValues:) for multivalued keys; drop "
        "the prefix for single-valued ones."
    ),
)
