"""BA023: a single-valued operator on a multivalued key, or a set operator on a single one.

``aws:PrincipalOrgPaths`` is a list: ``StringLike`` without ``ForAnyValue:`` is the classic
broken cross-account vault policy (AWS Backup copies then fail with Access Denied). The advice
is ``ForAnyValue:``, which keeps what the operator without a prefix does; ``ForAllValues:``
is offered only where it cannot open an Allow to requests without the key (BA037).
"""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.conditions.evaluate import SetOperator
from backup_access.lint.condition_walks import advised_operator, typed_conditions
from backup_access.lint.key_presence import may_be_absent, requires_key, who_lacks
from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView
from backup_access.policy.model import Condition, Effect, Statement


def check(view: PolicyView) -> Iterator[Hit]:
    for _, parsed, condition, operator, key in typed_conditions(view):
        if key.multivalued and operator.set_operator is SetOperator.NONE:
            # The base the other rules advise too (a Like operator for a wildcard value).
            base = advised_operator(condition, parsed).partition(":")[2]
            why = (
                " (a Like operator: a value holds a wildcard)" if base != condition.operator else ""
            )
            yield Hit(
                condition.pointer,
                f"'{condition.key}' holds a list of values: write "
                f"ForAnyValue:{base} (any value matches){why}{_all_values(parsed, condition)}",
            )
        elif not key.multivalued and operator.set_operator is not SetOperator.NONE:
            yield Hit(
                condition.pointer,
                f"'{condition.key}' is single-valued: drop "
                f"{operator.set_operator.value}: ({operator.set_operator.value} on a "
                "single value is easy to misread, and ForAllValues matches when the "
                "key is absent)",
            )


def _all_values(statement: Statement, condition: Condition) -> str:
    """What the message says of ForAllValues: where it would let requests without the key
    through an Allow, why not; elsewhere, when it is the right choice."""
    if statement.effect is Effect.ALLOW and may_be_absent(condition.key):
        if requires_key(statement, condition):
            return (
                "; ForAllValues: when every value must match (the Null check keeps out "
                "requests without the key)"
            )
        return (
            "; not ForAllValues:, which is also true when the request has no "
            f"{condition.key}, so this Allow would admit {who_lacks(condition.key)} (BA037)"
        )
    return "; ForAllValues: when every value must match"


RULE = Rule(
    id="BA023",
    severity=Severity.ERROR,
    title="Single-valued operator on a multivalued key (or the reverse)",
    explanation="Multivalued keys (aws:PrincipalOrgPaths, aws:TagKeys, aws:CalledVia, "
    "backup:CopyTargets…) need a set operator: ForAnyValue: (some value matches). "
    "ForAllValues: (every value matches) also holds when the request lacks the key, so in "
    "an Allow on aws:PrincipalOrgPaths it admits every principal outside an organization "
    "(BA037). Set operators on single-valued keys invite the same mistake.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
    check=check,
    example=(
        '"Condition": {"StringLike": {"aws:PrincipalOrgPaths": '
        '"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"}}'
    ),
    fix=(
        "Prefix the operator with ForAnyValue: for multivalued keys (ForAllValues: only where "
        "every value must match, and in an Allow together with a Null false check on the "
        "key); drop the prefix for single-valued ones."
    ),
)
