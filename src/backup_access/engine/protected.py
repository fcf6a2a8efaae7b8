"""Resources AWS protects from every account principal, whatever the account's policies say.

No policy can let an account change these, so the engine reports them as a reason of their
own ("protected by AWS", ``Layer.PROTECTED``) rather than as a missing allow that a policy
edit could fix:
- AWS managed policies (``arn:aws:iam::aws:policy/…``) are owned by AWS: an account cannot
  create, version, tag or delete them ("You cannot change the permissions defined in AWS
  managed policies",
  https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies).
- Service-linked roles (path ``/aws-service-role/``) are modified only by their service:
  attaching or putting policies, editing the trust policy or the boundary, or deleting the
  role through IAM fails with ``UnmodifiableEntity``
  (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateServiceLinkedRole.html:
  "To attach a policy to this service-linked role, you must make the request using the AWS
  service that depends on this role"; the description stays editable,
  https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-service-linked-role.html).
- IAM Identity Center's roles (path ``/aws-reserved/sso.amazonaws.com/``) are provisioned
  and changed by Identity Center from permission sets, through its own service-linked role
  (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSSSOServiceRolePolicy.html);
  account principals get ``UnmodifiableEntity`` for the same operations. The IAM pages do
  not list these roles' protection in one place: this follows the error AWS returns.
Passing such a role (``iam:PassRole``) is not listed: AWS's pages do not say it is refused,
and some services take a service-linked role passed to them.
A service-linked role's own sessions (the service acting) are not account principals here.
"""

from __future__ import annotations

from backup_access.engine.model import Request
from backup_access.policy.arn import Arn

MANAGED_POLICY_PAGE = (
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
    "access_policies_managed-vs-inline.html#aws-managed-policies"
)
SERVICE_ROLE_PAGE = (
    "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateServiceLinkedRole.html"
)
SSO_ROLE_PAGE = (
    "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSSSOServiceRolePolicy.html"
)

_MANAGED_POLICY_ACTIONS = frozenset(
    {
        "iam:createpolicy",
        "iam:createpolicyversion",
        "iam:deletepolicy",
        "iam:deletepolicyversion",
        "iam:setdefaultpolicyversion",
        "iam:tagpolicy",
        "iam:untagpolicy",
    }
)
_ROLE_ACTIONS = frozenset(
    {
        "iam:attachrolepolicy",
        "iam:detachrolepolicy",
        "iam:putrolepolicy",
        "iam:deleterolepolicy",
        "iam:updateassumerolepolicy",
        "iam:putrolepermissionsboundary",
        "iam:deleterolepermissionsboundary",
        "iam:deleterole",
    }
)
# Every action that can touch a protected resource (the plan asks once per action).
PROTECTABLE_ACTIONS = _MANAGED_POLICY_ACTIONS | _ROLE_ACTIONS
SERVICE_ROLE_PATH = "role/aws-service-role/"
SSO_ROLE_PATH = "role/aws-reserved/sso.amazonaws.com/"


def is_aws_managed_policy(arn: str) -> bool:
    """An AWS managed policy ARN (account ``aws``)."""
    parsed = Arn.parse(arn)
    return parsed is not None and parsed.service == "iam" and parsed.account == "aws"


def is_protected_role(arn: str) -> bool:
    """A service-linked role or an IAM Identity Center role, which only AWS changes."""
    parsed = Arn.parse(arn)
    if parsed is None or parsed.service != "iam":
        return False
    return parsed.resource.startswith((SERVICE_ROLE_PATH, SSO_ROLE_PATH))


def protected_by_aws(request: Request) -> str | None:
    """Why AWS refuses ``request`` whatever the policies say, or None."""
    principal = request.principal
    if not principal.is_iam or principal.service_linked:
        return None
    action = request.action.lower()
    if action in _MANAGED_POLICY_ACTIONS and is_aws_managed_policy(request.resource):
        return (
            f"protected by AWS: {request.resource} is an AWS managed policy; no account can "
            f"create, version, tag or delete it ({MANAGED_POLICY_PAGE})"
        )
    if action in _ROLE_ACTIONS and is_protected_role(request.resource):
        if SSO_ROLE_PATH in request.resource:
            return (
                f"protected by AWS: {request.resource} is an IAM Identity Center role; only "
                f"Identity Center changes it, from its permission sets ({SSO_ROLE_PAGE})"
            )
        return (
            f"protected by AWS: {request.resource} is a service-linked role; only its service "
            f"changes its policies, trust or existence ({SERVICE_ROLE_PAGE})"
        )
    return None
