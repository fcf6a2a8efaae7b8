"""Which elements a policy may hold depends on where it is attached.

Identity-based policies (and permissions boundaries and session policies) cannot name a
Principal and need Resource or NotResource; resource-based policies (vault access, key and
trust policies) must name one; SCPs cannot; RCPs must (always ``"*"``). AWS rejects the
others, so evaluating them would explain a policy that cannot exist.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
"""

from __future__ import annotations

from backup_access.errors import PolicyError
from backup_access.policy.layer import Layer
from backup_access.policy.model import Policy

# Layers whose documents cannot name a principal (the others must).
_NO_PRINCIPAL = frozenset({Layer.IDENTITY, Layer.SCP})
# Layers that are no policy document at all.
_NOT_POLICIES = frozenset({Layer.GRANT, Layer.PROTECTED})


def check_use(policy: Policy, layer: Layer) -> Policy:
    """Return ``policy`` if it may be attached as ``layer``, else raise ``PolicyError``.

    Boundaries and session policies follow the identity-based grammar, and errors name it
    ("an identity-based policy"), since that is the grammar the document broke."""
    if layer in _NOT_POLICIES:
        raise ValueError(f"{layer.full_name} is not a policy document")
    grammar = layer.grammar
    no_principal = grammar in _NO_PRINCIPAL
    needs_resource = grammar is Layer.IDENTITY
    for statement in policy.statements:
        named = statement.principal is not None or statement.not_principal is not None
        if named is no_principal:
            if named:
                element = "Principal" if statement.principal is not None else "NotPrincipal"
                raise PolicyError(
                    f"{element} is not allowed in {grammar.policy_phrase}",
                    pointer=f"{statement.pointer}/{element}",
                )
            raise PolicyError(
                f"a statement of {grammar.policy_phrase} must name a Principal",
                pointer=statement.pointer,
            )
        if needs_resource and statement.resources is None and statement.not_resources is None:
            raise PolicyError(
                f"a statement of {grammar.policy_phrase} needs Resource or NotResource",
                pointer=statement.pointer,
            )
    return policy
