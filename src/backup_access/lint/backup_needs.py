"""What AWS Backup's operations need, read from the catalogue (``backup_access.catalogue``),
for the rules that ask "would this policy get in AWS Backup's way?".

Each permission check of an operation names who makes the request (the caller, the service
role AWS Backup assumes, an account's AWSServiceRoleForBackup) and the action; the rules
match Deny statements against those actions and name the operation and the actor. Two
account-settings calls that administrators must be able to make are added here until the
catalogue describes them as operations.
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
# Operations that remove or shorten protection: a Deny on them with no exemption is the
# usual way to protect recovery points (vault access policy examples deny
# backup:DeleteRecoveryPoint), not a mistake.
PROTECTIVE_OPERATIONS = frozenset(
    {"delete-recovery-point", "delete-vault", "delete-vault-lock", "update-lifecycle"}
)


@dataclass(frozen=True, slots=True)
class Need:
    """One permission an AWS Backup operation needs: the action, who requests it, on what."""

    operation: str
    action: str
    actor: Actor
    resource: str
    source: str

    @property
    def on_vault(self) -> bool:
        """Acts on a backup vault or a recovery point (a vault access policy applies)."""
        return "vault" in self.resource or "recovery_point" in self.resource


# Account settings an administrator changes; not yet catalogue operations.
_SETTINGS = (
    Need(
        "update-region-settings",
        "backup:UpdateRegionSettings",
        Actor.CALLER,
        "*",
        "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_UpdateRegionSettings.html",
    ),
    Need(
        "update-global-settings",
        "backup:UpdateGlobalSettings",
        Actor.CALLER,
        "*",
        "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_UpdateGlobalSettings.html",
    ),
)


@cache
def backup_needs() -> tuple[Need, ...]:
    """Every permission check of every catalogue operation, then the settings calls."""
    catalogue = load_catalogue()
    found = [
        Need(operation.name, check.action, check.actor, check.resource or "*", check.source)
        for operation in catalogue.operations.values()
        for check in operation.checks
        if check.kind is CheckKind.PERMISSION and check.action
    ]
    known = {need.action.lower() for need in found}
    found.extend(need for need in _SETTINGS if need.action.lower() not in known)
    return tuple(found)


def key_actions() -> tuple[str, ...]:
    """The KMS actions some AWS Backup operation needs, sorted."""
    return tuple(sorted({need.action for need in backup_needs() if need.action.startswith("kms:")}))
