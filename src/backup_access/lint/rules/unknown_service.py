"""BA010: an action whose service prefix AWS does not have (typo such as ``backups:``)."""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.lint import aws_data
from backup_access.lint.intrinsics import is_opaque
from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView


def check(view: PolicyView) -> Iterator[Hit]:
    for statement in view.statements:
        for element in ("Action", "NotAction"):
            for pointer, action in statement.strings(element):
                prefix = action.partition(":")[0]
                if ":" not in action or is_opaque(action) or any(c in prefix for c in "*?"):
                    continue
                if not aws_data.service_exists(prefix):
                    yield Hit(pointer, f"'{prefix}' is not an AWS service prefix ('{action}')")


RULE = Rule(
    id="BA010",
    severity=Severity.ERROR,
    title="Unknown service prefix",
    explanation="The action names a service prefix the Service Authorization Reference does not "
    "list, so the statement matches nothing (an Allow grants nothing, a Deny blocks nothing).",
    source="https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    check=check,
    checks_names=True,
    example='"Action": "backups:StartBackupJob"',
    fix='Correct the service prefix ("backup:StartBackupJob").',
)
