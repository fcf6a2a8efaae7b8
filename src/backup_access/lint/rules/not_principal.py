"""BA035: NotPrincipal that does not do what it says.

``NotPrincipal`` with ``Allow`` is not supported (the engine never grants on it). With
``Deny``, a user, role or role session listed without its account's ARN is not exempted:
AWS may evaluate the account first, so the whole account, that principal included, is
denied; for a role session the role's ARN must be listed too.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
"""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.lint.intrinsics import is_opaque
from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView
from backup_access.policy.model import Effect


def _account_of(arn: str) -> str | None:
    parts = arn.split(":", 5)
    return parts[4] if len(parts) == 6 and parts[0] == "arn" else None


def _session_role(arn: str) -> str | None:
    """``arn:aws:sts::A:assumed-role/R/S`` → ``arn:aws:iam::A:role/R`` (paths unknown)."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "sts" or not parts[5].startswith("assumed-role/"):
        return None
    role = parts[5].split("/")[1] if parts[5].count("/") >= 2 else None
    return f"arn:{parts[1]}:iam::{parts[4]}:role/{role}" if role else None


def _missing(listed: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """(listed ARN, what must be listed with it) for each incomplete exemption."""
    names = set(listed)
    for arn in listed:
        account = _account_of(arn)
        if account is None or is_opaque(arn) or arn.endswith(":root"):
            continue
        root = f"arn:{arn.split(':')[1]}:iam::{account}:root"
        if root not in names and account not in names:
            yield arn, root
        role = _session_role(arn)
        if role is not None and not any(
            n.rsplit("/", 1)[-1] == role.rsplit("/", 1)[-1] and ":role/" in n for n in names
        ):
            yield arn, role


def check(view: PolicyView) -> Iterator[Hit]:
    for statement, parsed in view.parsed():
        if parsed.not_principal is None:
            continue
        pointer = f"{statement.pointer}/NotPrincipal"
        if view.source.kind is PolicyKind.TRUST:
            yield Hit(
                pointer,
                "a role trust policy cannot use NotPrincipal: name who may "
                "assume the role in Principal",
            )
            continue
        if parsed.effect is Effect.ALLOW:
            yield Hit(
                pointer,
                'NotPrincipal with "Effect": "Allow" is not supported and grants nothing: '
                "name the principals in Principal instead",
            )
            continue
        for arn, needed in _missing(parsed.not_principal.aws):
            yield Hit(
                pointer,
                f"'{arn}' is exempted without {needed}: AWS may evaluate the account (and "
                "the role) first, so this Deny applies to the whole account, this "
                f"principal included; list {needed} too, or use a Condition on "
                "aws:PrincipalArn instead of NotPrincipal",
            )


RULE = Rule(
    id="BA035",
    severity=Severity.ERROR,
    title="NotPrincipal that does not do what it says",
    explanation='NotPrincipal is only supported with "Effect": "Deny"; with Allow it grants '
    "nothing. In a Deny, a user or role session is exempted only when its account's ARN "
    "(and, for a session, its role's ARN) is listed as well; otherwise the account is "
    "denied as a whole. Role trust policies cannot use NotPrincipal at all.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html",
    check=check,
    example='{"Effect": "Deny", "NotPrincipal": {"AWS": "arn:aws:iam::246813579024:role/'
    'BackupAdmin"}, "Action": "backup:DeleteRecoveryPoint", "Resource": "*"}',
    fix='Prefer "Principal": "*" with a Condition such as ArnNotEquals aws:PrincipalArn; '
    "with NotPrincipal, list the account ARN (and the role ARN for sessions) as well.",
    kinds=frozenset({PolicyKind.RESOURCE, PolicyKind.KMS_KEY, PolicyKind.TRUST}),
)
