"""What AWS Backup's operations need, read from the catalogue (``backup_access.catalogue``),
for the rules that ask "would this policy get in AWS Backup's way?".

Each permission check of an operation names who makes the request (the caller, the service
role AWS Backup assumes, an account's AWSServiceRoleForBackup) and the action; the rules
match Deny statements against those actions and name the operation and the actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from backup_access.catalogue import Actor, CheckKind, load_catalogue

ACTOR_WORDS = {
    Actor.CALLER: "the caller",
    Actor.SERVICE_ROLE: "AWS Backup's service role",
    Actor.BACKUP_SLR: "the AWSServiceRoleForBackup service-linked role",
    Actor.BACKUP_SERVICE: "backup.amazonaws.com",
}


@dataclass(frozen=True, slots=True)
class Need:
    """One permission an AWS Backup operation needs: the action and who requests it."""

    operation: str
    check_id: str
    action: str
    actor: Actor
    source: str


@cache
def backup_needs() -> tuple[Need, ...]:
    """Every permission check of every catalogue operation, in catalogue order."""
    catalogue = load_catalogue()
    return tuple(
        Need(operation.name, check.id, check.action, check.actor, check.source)
        for operation in catalogue.operations.values()
        for check in operation.checks
        if check.kind is CheckKind.PERMISSION and check.action
    )


def key_actions() -> tuple[str, ...]:
    """The KMS actions some AWS Backup operation needs, sorted."""
    return tuple(sorted({need.action for need in backup_needs() if need.action.startswith("kms:")}))
