"""Policy documents: parsing and validation, wildcard, ARN and principal matching, variables."""

from __future__ import annotations

from backup_access.policy.arn import Arn, arn_matches
from backup_access.policy.context import ContextValue, RequestContext
from backup_access.policy.model import Condition, Effect, Policy, PrincipalSpec, Statement
from backup_access.policy.parse import parse_policy
from backup_access.policy.wildcard import glob_matches

__all__ = [
    "Arn",
    "Condition",
    "ContextValue",
    "Effect",
    "Policy",
    "PrincipalSpec",
    "RequestContext",
    "Statement",
    "arn_matches",
    "glob_matches",
    "parse_policy",
]
