"""Build the statements fixes add: exactly the action the failing check needs, on exactly its
resource, for exactly its principal; conditions where AWS documents them for the action, with
the values the check's own request carries (never a constant: a role the restore role passes to
EC2 is passed to ``ec2.amazonaws.com``, not to AWS Backup).

- ``iam:PassRole`` gets ``iam:PassedToService``
  (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PassedToService);
- ``kms:CreateGrant`` made for an AWS service gets ``kms:GrantIsForAWSResource``
  (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-grant-is-for-aws-resource).

A request that does not carry the key (a check read from an error message, which names no
service) gets no condition: a condition on a key the request lacks would never match.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from backup_access.diagnose.model import CheckResult
from backup_access.fix.merge import sid_from
from backup_access.fix.model import JsonDocument
from backup_access.fix.per_job import PerJobScope


class RequestCondition(NamedTuple):
    """A condition a fix adds to an Allow of ``action``, on a key the request carries."""

    action: str
    operator: str
    key: str
    meaning: str  # what the key's value says, for a note when the request lacks it


REQUEST_CONDITIONS = (
    RequestCondition(
        "iam:PassRole", "StringEquals", "iam:PassedToService", "the service the role is passed to"
    ),
    RequestCondition(
        "kms:CreateGrant", "Bool", "kms:GrantIsForAWSResource", "true for an AWS service's grant"
    ),
)


def request_condition(check: CheckResult) -> dict[str, Any] | None:
    """The condition block that narrows an Allow of the check's action to requests like the
    check's own: the documented key with exactly the values the request carries (None when
    the action has no such key or the request does not carry it)."""
    action = (check.action or "").lower()
    block: dict[str, Any] = {}
    for condition in REQUEST_CONDITIONS:
        values = check.context_values(condition.key)
        if condition.action.lower() != action or not values:
            continue
        entries = block.setdefault(condition.operator, {})
        entries[condition.key] = values[0] if len(values) == 1 else list(values)
    return block or None


def unconditioned(check: CheckResult) -> tuple[str, ...]:
    """Notes for an Allow left without the documented condition because the check's request
    does not carry its key (a request read from an error message names no service)."""
    action = (check.action or "").lower()
    return tuple(
        f"{check.action} is allowed with no {c.key} condition: the request this fix is "
        f"based on carries no {c.key}; to narrow it, add {c.operator} {c.key} with the value "
        f"the real request carries ({c.meaning})"
        for c in REQUEST_CONDITIONS
        if c.action.lower() == action and not check.context_values(c.key)
    )


def action_words(action: str) -> str:
    return action.split(":", 1)[-1]


def identity_allow(
    check: CheckResult, *, purpose: str = "", scope: PerJobScope | None = None
) -> JsonDocument:
    """An identity-policy Allow of the check's action on its resource, with the condition the
    check's request meets (``request_condition``); ``scope``: the resources of every job
    instead, for a service role's request on a resource AWS Backup makes per job
    (``fix/per_job.py``)."""
    action, resource = check.action or "", check.resource or ""
    statement: JsonDocument = {
        "Sid": sid_from("Allow", action_words(action), purpose),
        "Effect": "Allow",
        "Action": action,
        "Resource": resource if scope is None else scope.resource,
    }
    condition = {**(request_condition(check) or {}), **((scope and scope.condition) or {})}
    if condition:
        statement["Condition"] = condition
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
