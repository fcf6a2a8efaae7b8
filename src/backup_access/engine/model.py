"""What the engine evaluates (a request and its policy set) and what it returns.

Layers and decisions follow
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
``Layer`` lives in ``policy.layer`` (the parser uses it too) and is re-exported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from backup_access.policy.context import RequestContext
from backup_access.policy.layer import Layer as Layer
from backup_access.policy.model import Policy
from backup_access.policy.principal import Principal


class DecisionValue(StrEnum):
    ALLOWED = "allowed"
    IMPLICIT_DENY = "implicit_deny"
    EXPLICIT_DENY = "explicit_deny"


@dataclass(frozen=True, slots=True)
class NamedPolicy:
    """A parsed policy with the name the trace uses for it and where it came from."""

    name: str
    policy: Policy
    pointer: str = ""
    source: str | None = None


@dataclass(frozen=True, slots=True)
class OrgLevel:
    """One level of an organization path (root, an OU or the account) and its policies."""

    level: str
    policies: tuple[NamedPolicy, ...]


@dataclass(frozen=True, slots=True)
class Grant:
    """A KMS grant on the key being accessed (https://docs.aws.amazon.com/kms/latest/developerguide/grants.html)."""

    name: str
    grantee: str
    operations: tuple[str, ...]
    retiring_principal: str | None = None
    encryption_context_equals: tuple[tuple[str, str], ...] | None = None
    encryption_context_subset: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True, slots=True)
class PolicySet:
    """Every policy that applies to one request. ``None`` means the layer does not apply;
    so does an empty ``boundary`` or ``session`` (no boundary, no session policy: a boundary
    that allows nothing is a policy that allows nothing)."""

    identity: tuple[NamedPolicy, ...] = ()
    boundary: tuple[NamedPolicy, ...] | None = None
    session: tuple[NamedPolicy, ...] | None = None
    resource: NamedPolicy | None = None
    endpoint: tuple[NamedPolicy, ...] | None = None
    scp: tuple[OrgLevel, ...] | None = None
    rcp: tuple[OrgLevel, ...] | None = None
    grants: tuple[Grant, ...] = ()
    management_account: str | None = None
    # Filled by the engine on first use: a plan per action (engine/plan.py ``plan_for``).
    compiled: Any = field(default=None, init=False, compare=False, hash=False, repr=False)


@dataclass(frozen=True, slots=True)
class Request:
    """One authorization request: who, what action, on which resource, with what context."""

    principal: Principal
    action: str
    resource: str
    resource_account: str | None
    context: RequestContext = field(default_factory=RequestContext)

    @property
    def service(self) -> str:
        return self.action.split(":", 1)[0].lower()
