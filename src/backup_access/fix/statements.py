"""Build the statements fixes add: exactly the action the failing check needs, on exactly its
resource, for exactly its principal; conditions where AWS documents them for the action.

- ``iam:PassRole`` gets ``iam:PassedToService``
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html);
- ``kms:CreateGrant`` made for an AWS service gets ``kms:GrantIsForAWSResource``
  (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource).
"""

from __future__ import annotations

from typing import Any

from backup_access.fix.merge import sid_from
from backup_access.fix.model import JsonDocument

BACKUP_SERVICE = "backup.amazonaws.com"


def action_words(action: str) -> str:
    return action.split(":", 1)[-1]


def identity_allow(action: str, resource: str, *, purpose: str = "") -> JsonDocument:
    """An identity-policy Allow of ``action`` on ``resource``."""
    statement: JsonDocument = {
        "Sid": sid_from("Allow", action_words(action), purpose),
        "Effect": "Allow",
        "Action": action,
        "Resource": resource,
    }
    if action.lower() == "iam:passrole":
        statement["Condition"] = {"StringEquals": {"iam:PassedToService": BACKUP_SERVICE}}
    return statement


def principal_element(principal: str) -> dict[str, Any]:
    if principal.endswith(".amazonaws.com"):
        return {"Service": principal}
    return {"AWS": principal}


def resource_allow(
    principal: str | dict[str, Any] | None,
    action: str,
    resource: str,
    *,
    sid: str,
    condition: dict[str, Any] | None = None,
) -> JsonDocument:
    """A resource-policy Allow; ``principal`` None means ``"*"`` (narrowed by ``condition``)."""
    statement: JsonDocument = {"Sid": sid, "Effect": "Allow"}
    if principal is None:
        statement["Principal"] = "*"
    elif isinstance(principal, str):
        statement["Principal"] = principal_element(principal)
    else:
        statement["Principal"] = principal
    statement["Action"] = action
    statement["Resource"] = resource
    if condition:
        statement["Condition"] = condition
    return statement
