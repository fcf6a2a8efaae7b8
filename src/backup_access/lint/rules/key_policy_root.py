"""BA033: a KMS key policy without the statement that enables IAM policies (the account root
allowed ``kms:*``): IAM permissions for the key then count for nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backup_access.lint.backup_needs import key_actions
from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.statement_queries import named_actions
from backup_access.lint.view import PolicyView
from backup_access.policy.model import Effect, Statement

# The account root as an ARN (partition and account may be template references) or a bare id.
_ROOT = re.compile(r"arn:(?:aws[a-z-]*|\$\{[^}]+\}):iam::(?:\d{12}|\$\{[^}]+\}):root|\d{12}")


def _allows_root(statement: Statement) -> bool:
    """An unconditional Allow whose principals include an account root."""
    if statement.effect is not Effect.ALLOW or statement.principal is None or statement.conditions:
        return False
    return any(_ROOT.fullmatch(name) for name in statement.principal.aws)


def enables_iam(statement: Statement) -> bool:
    """Allow of ``kms:*`` to an account root (``arn:…:iam::ACCOUNT:root`` or the bare id)."""
    if not _allows_root(statement) or statement.actions is None:
        return False
    return any(a.lower() in ("*", "kms:*") for a in statement.actions)


def check(view: PolicyView) -> Iterator[Hit]:
    if view.errors:
        return  # a broken statement may be the root one: BA001 reports it
    statements = [parsed for _, parsed in view.parsed()]
    if any(enables_iam(parsed) for parsed in statements):
        return
    # The root statement enables IAM policies for the actions it lists, and only those.
    root_statements = [parsed for parsed in statements if _allows_root(parsed)]
    needed = key_actions()
    grantable = sorted(
        {action for parsed in root_statements for action in named_actions(parsed, needed)}
    )
    not_grantable = [action for action in needed if action not in grantable]
    if grantable and not not_grantable:
        can = (
            f"IAM policies can grant the KMS actions AWS Backup uses ({', '.join(grantable)}) "
            "but no other action on this key"
        )
    elif grantable:
        can = (
            f"IAM policies can grant only what the root is allowed here "
            f"({', '.join(grantable)}) and cannot grant {', '.join(not_grantable)}"
        )
    else:
        can = f"IAM policies can grant no KMS action on this key, {', '.join(needed)} included"
    yield Hit(
        "/Statement",
        f"no statement allows the account root kms:*: {can}, which AWS Backup's roles "
        "use; name each caller in this key policy, or add the default 'Enable IAM User "
        "Permissions' statement",
    )


RULE = Rule(
    id="BA033",
    severity=Severity.WARNING,
    title="Key policy does not enable IAM policies",
    explanation="KMS has no implicit account trust: unless the key policy allows the account "
    "root kms:*, IAM policies that allow the key are ineffective (IAM denies still apply). "
    "Vault creation and cross-account copies then fail with KMS access errors.",
    source="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam",
    check=check,
    example=(
        'A key policy whose only statement allows a role: {"Effect": "Allow", "Principal": '
        '{"AWS": "arn:aws:iam::246813579024:role/admin"}, "Action": "kms:*", "Resource": "*"}'
    ),
    fix=(
        'Add the default statement {"Sid": "Enable IAM User Permissions", "Effect": "Allow", '
        '"Principal": {"AWS": "arn:aws:iam::ACCOUNT:root"}, "Action": "kms:*", "Resource": '
        '"*"}, or name every caller (AWS Backup\'s roles included) in the key policy.'
    ),
    kinds=frozenset({PolicyKind.KMS_KEY}),
)
