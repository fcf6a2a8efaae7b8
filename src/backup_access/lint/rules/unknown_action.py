"""BA011: an action (or wildcard) that names no action of a known service."""

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
                prefix, _, name = action.partition(":")
                if not name or is_opaque(action) or not aws_data.service_exists(prefix):
                    continue
                if not aws_data.matching_actions(action):
                    what = (
                        "matches no action" if any(c in name for c in "*?") else "is not an action"
                    )
                    yield Hit(pointer, f"'{action}' {what} of service '{prefix.lower()}'")


RULE = Rule(
    id="BA011",
    severity=Severity.ERROR,
    title="Unknown action",
    explanation="The service exists but has no such action (or the wildcard matches none), so "
    "the entry has no effect. Check the spelling against the Service Authorization Reference.",
    source="https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    check=check,
    checks_names=True,
    example='"Action": "backup:CopyIntoBackupVaults"',
    fix='Correct the action name ("backup:CopyIntoBackupVault").',
)
