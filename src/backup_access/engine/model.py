"""What the engine evaluates (a request and its policy set) and what it returns.

Layers and decisions follow
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from backup_access.policy.context import RequestContext
from backup_access.policy.model import Policy
from backup_access.policy.principal import Principal


class Layer(StrEnum):
    """Policy layers, in the order blocked_by lists them."""

    SCP = "scp"
    RCP = "rcp"
    IDENTITY = "identity"
    BOUNDARY = "boundary"
    SESSION = "session"
    RESOURCE = "resource"
    ENDPOINT = "endpoint"
    GRANT = "grant"
    # Not a policy: AWS's own protection of its resources (engine/protected.py), which no
    # policy overrides.
    PROTECTED = "protected"

    @property
    def short_name(self) -> str:
        """How the trace names the layer: "SCP", "identity-based policy"."""
        return _SHORT_NAMES[self]

    @property
    def long_name(self) -> str:
        """How explanations name the layer: "service control policy (SCP)"."""
        return _LONG_NAMES[self]

    @property
    def aws_words(self) -> tuple[str, ...]:
        """How AWS's access-denied messages name the policy type ("... because no
        identity-based policy allows ...",
        https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html)."""
        return _AWS_WORDS.get(self, ())

    @classmethod
    def from_aws_words(cls, words: str) -> Layer | None:
        """The layer AWS's message wording names (case-insensitive), if any."""
        return _BY_AWS_WORDS.get(words.lower())


_SHORT_NAMES = {
    Layer.SCP: "SCP",
    Layer.RCP: "RCP",
    Layer.IDENTITY: "identity-based policy",
    Layer.BOUNDARY: "permissions boundary",
    Layer.SESSION: "session policy",
    Layer.RESOURCE: "resource-based policy",
    Layer.ENDPOINT: "VPC endpoint policy",
    Layer.GRANT: "KMS grant",
    Layer.PROTECTED: "protection of AWS's own resources",
}
_LONG_NAMES = {
    **_SHORT_NAMES,
    Layer.SCP: "service control policy (SCP)",
    Layer.RCP: "resource control policy (RCP)",
}
# A role trust policy is the role's resource-based policy, and a KMS key policy the key's:
# both are the resource layer.
_AWS_WORDS = {
    Layer.IDENTITY: ("identity-based",),
    Layer.RESOURCE: ("resource-based", "role trust"),
    Layer.BOUNDARY: ("permissions boundary",),
    Layer.SESSION: ("session", "sessions"),
    Layer.SCP: ("service control",),
    Layer.RCP: ("resource control",),
    Layer.ENDPOINT: ("vpc endpoint",),
}
_BY_AWS_WORDS = {words: layer for layer, all_words in _AWS_WORDS.items() for words in all_words}

LAYER_ORDER = {layer: position for position, layer in enumerate(Layer)}


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
