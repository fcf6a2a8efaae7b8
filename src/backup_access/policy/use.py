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

from enum import StrEnum

from backup_access.errors import PolicyError
from backup_access.policy.model import Policy


class PolicyUse(StrEnum):
    IDENTITY = "identity-based"
    RESOURCE = "resource-based"
    SCP = "service control"
    RCP = "resource control"

    @property
    def policy(self) -> str:
        """The kind of policy with its article: "an identity-based policy"."""
        article = "an" if self.value[0] in "aeiou" else "a"
        return f"{article} {self.value} policy"


def check_use(policy: Policy, use: PolicyUse) -> Policy:
    """Return ``policy`` if it may be used as ``use``, else raise ``PolicyError``."""
    # Identity-based policies and SCPs cannot name a principal; the others must.
    no_principal = use is PolicyUse.IDENTITY or use is PolicyUse.SCP
    needs_resource = use is PolicyUse.IDENTITY
    for statement in policy.statements:
        named = statement.principal is not None or statement.not_principal is not None
        if named is no_principal:
            if named:
                element = "Principal" if statement.principal is not None else "NotPrincipal"
                raise PolicyError(
                    f"{element} is not allowed in {use.policy}",
                    pointer=f"{statement.pointer}/{element}",
                )
            raise PolicyError(
                f"a statement of {use.policy} must name a Principal",
                pointer=statement.pointer,
            )
        if needs_resource and statement.resources is None and statement.not_resources is None:
            raise PolicyError(
                f"a statement of {use.policy} needs Resource or NotResource",
                pointer=statement.pointer,
            )
    return policy
