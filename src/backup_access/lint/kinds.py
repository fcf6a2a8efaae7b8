"""Tell what kind of policy a bare document is, and say how sure the guess is.

The document alone shows some kinds: a Principal makes it resource-based (trust and key
policies by their actions); an RCP must name ``"Principal": "*"`` and may only Deny
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html);
an SCP has no Principal and typically exempts administrators by ``aws:PrincipalArn`` or
guards the organization perimeter (``aws:ResourceOrgID``). Identity policies, SCPs and
permissions boundaries share one grammar, so those guesses carry a note that findings
repeat ("kind assumed: …"); ``--kind``, ``--kind-for`` or a ``# backup-access: kind=scp``
directive settle it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from backup_access.engine.services import rcp_supported_services
from backup_access.lint.model import PolicyKind

# Conditions that only make sense when the policy applies to principals it does not name:
# an SCP or RCP that exempts some principals or guards the organization's perimeter.
_PERIMETER_KEYS = frozenset(
    {"aws:principalarn", "aws:resourceorgid", "aws:resourceorgpaths", "aws:principalorgid"}
)


@dataclass(frozen=True, slots=True)
class KindGuess:
    """A kind and, when it is a guess, why it was chosen (empty when the document shows it)."""

    kind: PolicyKind
    note: str = ""


def statements_of(document: Any) -> list[Mapping[str, Any]]:
    statements = document.get("Statement") if isinstance(document, Mapping) else None
    raw = statements if isinstance(statements, list) else [statements]
    return [item for item in raw if isinstance(item, Mapping)]


def as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def detect_kind(document: Any) -> KindGuess:
    """The kind of a bare policy document, with a note when the document does not prove it."""
    items = statements_of(document)
    if not any("Principal" in item or "NotPrincipal" in item for item in items):
        return _without_principal(items)
    actions = [a.lower() for item in items for a in as_list(item.get("Action"))]
    # Before the key-policy test: a key policy that only denies would lock everyone out,
    # while an RCP denying kms:* to "*" outside the organization is the usual perimeter.
    if items and all(_rcp_shaped(item) for item in items) and _rcp_services_only(actions):
        return KindGuess(
            PolicyKind.RCP,
            f"read as {PolicyKind.RCP.policy_phrase}: every statement denies "
            '"Principal": "*" on "Resource": "*" (pass --kind resource if it is '
            f"{PolicyKind.RESOURCE.policy_phrase})",
        )
    if actions and all(a.startswith("sts:") for a in actions):
        return KindGuess(PolicyKind.TRUST)
    if actions and all(a.startswith("kms:") for a in actions):
        return KindGuess(PolicyKind.KMS_KEY)
    return KindGuess(PolicyKind.RESOURCE)


def _rcp_shaped(item: Mapping[str, Any]) -> bool:
    return (
        item.get("Effect") == "Deny"
        and item.get("Principal") == "*"
        and (as_list(item.get("Resource")) == ["*"] or "NotResource" in item)
    )


def _rcp_services_only(actions: list[str]) -> bool:
    """Every action is ``*`` or of a service RCPs apply to: a vault policy denying
    ``backup:DeleteRecoveryPoint`` to ``"*"`` looks like an RCP but cannot be one."""
    services = rcp_supported_services()
    return all(a == "*" or a.partition(":")[0] in services for a in actions)


def _without_principal(items: list[Mapping[str, Any]]) -> KindGuess:
    denies_only = bool(items) and all(item.get("Effect") == "Deny" for item in items)
    if denies_only and any(_conditions_on(item, _PERIMETER_KEYS) for item in items):
        return KindGuess(
            PolicyKind.SCP,
            f"read as {PolicyKind.SCP.policy_phrase}: every statement is a Deny that exempts "
            "principals or guards the organization (aws:PrincipalArn, aws:ResourceOrgID…); "
            "pass --kind identity if it is attached to a user or role",
        )
    if denies_only:
        return KindGuess(
            PolicyKind.IDENTITY,
            f"read as {PolicyKind.IDENTITY.policy_phrase}; with only Deny statements it may be "
            "an SCP (pass --kind scp)",
        )
    return KindGuess(PolicyKind.IDENTITY)


def _conditions_on(item: Mapping[str, Any], keys: frozenset[str]) -> bool:
    condition = item.get("Condition")
    if not isinstance(condition, Mapping):
        return False
    return any(
        isinstance(block, Mapping) and any(str(key).lower() in keys for key in block)
        for block in condition.values()
    )
