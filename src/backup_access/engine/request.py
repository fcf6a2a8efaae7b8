"""Build a ``Request``, adding the context keys AWS itself would supply.

Global condition keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
Keys given by the caller always win over derived ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from backup_access.engine.model import Request
from backup_access.errors import RequestError
from backup_access.memo import memo
from backup_access.policy.arn import Arn
from backup_access.policy.context import ContextValue, RequestContext
from backup_access.policy.principal import Principal, PrincipalKind, parse_principal

_PRINCIPAL_TYPES = {
    PrincipalKind.ROOT: "Account",
    PrincipalKind.USER: "User",
    PrincipalKind.ROLE: "AssumedRole",
    PrincipalKind.ROLE_SESSION: "AssumedRole",
    PrincipalKind.FEDERATED_USER: "FederatedUser",
    PrincipalKind.SERVICE: "Service",
}


@memo
@lru_cache(maxsize=4096)
def _derived_context(principal: Principal, resource_account: str | None) -> RequestContext:
    """Context keys that follow from who the principal is and where the resource lives;
    computed once per principal and account, since batches repeat both."""
    keys: dict[str, ContextValue] = {}
    if principal.kind is PrincipalKind.SERVICE:
        keys["aws:PrincipalServiceName"] = principal.arn
        keys["aws:PrincipalIsAWSService"] = "true"
    elif principal.is_iam:
        keys["aws:PrincipalArn"] = principal.role_arn or principal.arn
        keys["aws:PrincipalIsAWSService"] = "false"
        if principal.account:
            keys["aws:PrincipalAccount"] = principal.account
        if principal.kind is PrincipalKind.USER and principal.name:
            keys["aws:username"] = principal.name
    if principal.kind in _PRINCIPAL_TYPES:
        keys["aws:PrincipalType"] = _PRINCIPAL_TYPES[principal.kind]
    if resource_account:
        keys["aws:ResourceAccount"] = resource_account
    return RequestContext(keys)


@memo
@lru_cache(maxsize=4096)
def _action_problem(action: str) -> str | None:
    if action != "*" and (action.count(":") != 1 or not all(action.split(":"))):
        return f"'{action}' is not an action: write it as service:Action"
    return None


@memo
@lru_cache(maxsize=4096)
def _arn_account(resource: str) -> str | None:
    """The account in a resource ARN; none for AWS's own resources (``aws``, as in AWS
    managed policies), which belong to no account."""
    parsed = Arn.parse(resource)
    if parsed is None or parsed.account in ("", "aws"):
        return None
    return parsed.account


def make_request(
    principal: str | Principal,
    action: str,
    resource: str,
    *,
    resource_account: str | None = None,
    context: Mapping[str, ContextValue] | None = None,
    service_linked: bool = False,
) -> Request:
    """Validate and complete a request; raises ``RequestError`` on bad input, its pointer
    naming the field at fault (``/principal``, ``/action``, ``/resource``,
    ``/resource_account``) for the caller to place (``InputError.located``)."""
    if isinstance(principal, Principal):
        who = principal
    else:
        try:
            who = parse_principal(principal, service_linked)
        except RequestError as error:
            raise error.located(prefix="/principal") from None
    problem = _action_problem(action)
    if problem is not None:
        raise RequestError(problem, pointer="/action")
    if not resource:
        raise RequestError('the resource is empty: give an ARN or "*"', pointer="/resource")
    account = resource_account if resource_account is not None else _arn_account(resource)
    if account is not None and not (account.isascii() and account.isdigit() and len(account) == 12):
        raise RequestError(
            f"resource account '{account}' is not a 12-digit account id",
            pointer="/resource_account" if resource_account is not None else "/resource",
        )
    derived = _derived_context(who, account)
    return Request(who, action, resource, account, derived.overlaid(context or {}))
