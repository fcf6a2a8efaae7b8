"""BA037: ``ForAllValues:`` in an Allow on a key the request may lack, with no ``Null``
check: ``ForAllValues`` is true when the key is absent, so the Allow admits every request
without it. On ``aws:PrincipalOrgPaths`` in a vault access policy that is every account
outside an organization, which the organization condition was written to keep out.

AWS: "ForAllValues … also returns true if there are no context keys in the request"; use
caution with an Allow and add a ``Null`` check with ``false``
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
Not reported: a Deny (there it denies more, not less), a key AWS always includes, and
``aws:TagKeys``, whose unguarded Allow is AWS's own "only these tag keys" example
(``key_presence``).
"""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.conditions.evaluate import Operator, read_operator
from backup_access.lint import aws_data
from backup_access.lint.condition_walks import advised_operator
from backup_access.lint.key_presence import opens_on_absence, who_lacks
from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView
from backup_access.policy.model import Condition, Statement


def check(view: PolicyView) -> Iterator[Hit]:
    for _, parsed in view.parsed():
        for condition in parsed.conditions:
            operator = read_operator(condition.operator)
            if isinstance(operator, str) or not opens_on_absence(parsed, condition, operator):
                continue
            yield Hit(
                condition.pointer,
                f"{condition.operator} is also true when the request has no {condition.key}, "
                f"so this Allow admits {who_lacks(condition.key)}: "
                f"{_advice(parsed, condition, operator)}",
            )


def _advice(statement: Statement, condition: Condition, operator: Operator) -> str:
    guard = f'add "Null": {{"{condition.key}": "false"}} to the statement'
    if operator.base.negated:
        return guard  # ForAnyValue: would change what a negated operator means
    key = aws_data.condition_key(condition.key)
    if key is not None and not key.multivalued:
        # BA023's advice: a single-valued key takes no set operator.
        single = advised_operator(condition, statement).partition(":")[2]
        single = single[: -len("IfExists")] if operator.if_exists else single
        return f"write {single} (the key is single-valued), or {guard}"
    return (
        f"write {advised_operator(condition, statement)} (some value matches; false when "
        f"the key is absent), or {guard}"
    )


RULE = Rule(
    id="BA037",
    severity=Severity.ERROR,
    title="ForAllValues in an Allow admits requests without the key",
    explanation="ForAllValues: is true when the request has no value for the key, so an "
    "Allow conditioned on ForAllValues:StringLike aws:PrincipalOrgPaths (or "
    "aws:PrincipalOrgID, aws:PrincipalTag/…, aws:SourceAccount…) also allows every "
    "principal outside an organization, without the tag, or not acting for a service. "
    "Deny statements and aws:TagKeys (a request without tags sets no other key) are not "
    "reported.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html",
    check=check,
    example=(
        '{"Effect": "Allow", "Principal": "*", "Action": "backup:CopyIntoBackupVault", '
        '"Resource": "*", "Condition": {"ForAllValues:StringLike": {"aws:PrincipalOrgPaths": '
        '"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"}}}'
    ),
    fix=(
        "Write ForAnyValue: for a multivalued key (aws:PrincipalOrgPaths), no set operator for "
        'a single-valued one, or keep ForAllValues: and add "Null": {"KEY": "false"} so that '
        "requests without the key are not allowed."
    ),
)
