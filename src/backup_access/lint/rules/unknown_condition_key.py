"""BA012: a condition key that neither the global keys nor the service define.

A misspelt key is simply absent from every request, so the condition silently never matches
(or, with a negated operator, always matches). Keys of federation providers
(``token.actions.githubusercontent.com:sub``) are not checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.lint import aws_data
from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView


def check(view: PolicyView) -> Iterator[Hit]:
    for _, parsed in view.parsed():
        for condition in parsed.conditions:
            prefix = condition.key.partition(":")[0]
            if "${" in condition.key or aws_data.is_federation_prefix(prefix):
                continue
            if not aws_data.is_checkable_key_prefix(prefix):
                yield Hit(
                    condition.pointer,
                    f"'{condition.key}': '{prefix}' is neither 'aws' nor a service prefix, "
                    "so this key is never in the request context",
                )
            elif aws_data.condition_key(condition.key) is None:
                yield Hit(
                    condition.pointer,
                    f"'{condition.key}' is not a condition key of AWS or of service "
                    f"'{prefix.lower()}': it is never in the request context",
                )


RULE = Rule(
    id="BA012",
    severity=Severity.WARNING,
    title="Unknown condition key",
    explanation="A key no request carries makes the condition false (true for negated "
    "operators and IfExists), which is rarely what was meant.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html",
    check=check,
    checks_names=True,
    example=(
        '"Condition": {"StringEquals": {"aws:PrincipalOrgId": "o-a1b2c3d4e5", '
        '"aws:SourceOrgAccount": "246813579024"}}'
    ),
    fix=(
        "Use a key the IAM global keys page or the service's page lists (keys are "
        "case-insensitive; a misspelt one is absent)."
    ),
)
