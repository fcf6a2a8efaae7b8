"""Evaluate API calls the collector made against its shipped IAM policy with our own engine."""

from __future__ import annotations

from collections.abc import Iterable

from backup_access.collect.policy import collector_policy
from backup_access.engine import DecisionValue, NamedPolicy, PolicySet, evaluate, make_request
from backup_access.policy.layer import Layer
from backup_access.policy.parse import parse_policy
from backup_access.policy.use import check_use

COLLECTOR = "arn:aws:iam::111111111111:role/BackupAccessCollector"
MEMBER_ROLE = "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole"
# OrganizationAccountAccessRole's trust policy as AWS creates it: the management account.
TRUST_ACCOUNT = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def not_allowed(actions: Iterable[str]) -> dict[str, str]:
    """Each action the collector policy does not allow, with the engine's decision. The
    resource is ``*`` except for sts:AssumeRole, which names the member account's role."""
    policy = check_use(parse_policy(collector_policy()), Layer.IDENTITY)
    identity = (NamedPolicy("collector-policy.json", policy),)
    trust = check_use(parse_policy(TRUST_ACCOUNT), Layer.RESOURCE)
    out = {}
    for action in sorted(actions):
        if action == "sts:AssumeRole":  # the member role trusts the collector's account
            resource = MEMBER_ROLE
            policies = PolicySet(identity=identity, resource=NamedPolicy("trust", trust))
        else:
            resource, policies = "*", PolicySet(identity=identity)
        request = make_request(COLLECTOR, action, resource, resource_account="111111111111")
        decision = evaluate(request, policies)
        if decision.value is not DecisionValue.ALLOWED:
            out[action] = decision.value.value
    return out
