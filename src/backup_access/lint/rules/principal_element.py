"""BA003: Principal belongs in resource-based policies only, and must be there.

Identity policies and SCPs cannot name a principal; resource-based policies (vault access
policies, key policies, trust policies) must; RCPs must name ``"*"`` and not use NotPrincipal.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView

_NO_PRINCIPAL = frozenset({PolicyKind.IDENTITY, PolicyKind.SCP})
_NEEDS_PRINCIPAL = frozenset({PolicyKind.RESOURCE, PolicyKind.KMS_KEY, PolicyKind.TRUST})


def check(view: PolicyView) -> Iterator[Hit]:
    kind = view.source.kind
    for statement in view.statements:
        if not isinstance(statement.raw, Mapping):
            continue
        named = [e for e in ("Principal", "NotPrincipal") if e in statement.raw]
        if kind in _NO_PRINCIPAL:
            for element in named:
                yield Hit(
                    f"{statement.pointer}/{element}",
                    f"{element} is not allowed in {kind.policy_phrase}: it applies to "
                    "whoever it is attached to",
                )
        elif kind in _NEEDS_PRINCIPAL and not named:
            yield Hit(
                statement.pointer, f"a statement in {kind.policy_phrase} must name a Principal"
            )
        elif kind is PolicyKind.RCP:
            if "NotPrincipal" in statement.raw:
                yield Hit(f"{statement.pointer}/NotPrincipal", "RCPs do not support NotPrincipal")
            elif statement.raw.get("Principal") != "*":
                yield Hit(
                    f"{statement.pointer}/Principal" if named else statement.pointer,
                    'an RCP statement must have "Principal": "*" (narrow it with '
                    "conditions such as aws:PrincipalOrgID)",
                )


RULE = Rule(
    id="BA003",
    severity=Severity.ERROR,
    title="Principal element missing or not allowed for this kind of policy",
    explanation="Identity-based policies and SCPs apply to the principal they are attached to "
    "and cannot contain Principal; resource-based policies must say whom they grant; RCPs "
    'use "Principal": "*" with conditions.',
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
    check=check,
    example=(
        'An identity policy with {"Effect": "Allow", "Principal": {"AWS": '
        '"arn:aws:iam::246813579024:root"}, "Action": "backup:StartCopyJob", "Resource": "*"}'
    ),
    fix=(
        "Drop Principal from identity policies and SCPs; name it in resource-based policies; "
        'in an RCP write "Principal": "*" and narrow with conditions. If the kind was guessed '
        "wrongly, pass --kind or --kind-for."
    ),
    judges_kind=True,
)
