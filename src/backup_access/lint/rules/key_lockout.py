"""BA034: a KMS key policy that lets nobody change it again (no one may kms:PutKeyPolicy):
the key becomes unmanageable and only AWS Support can recover it."""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.statement_queries import is_open_to_everyone, named_actions
from backup_access.lint.view import PolicyView
from backup_access.policy.model import Effect, Statement

_PUT = ("kms:PutKeyPolicy",)


def _everyone_unconditionally(statement: Statement, actions: tuple[str, ...]) -> bool:
    return (
        not statement.conditions
        and is_open_to_everyone(statement)
        and bool(named_actions(statement, actions))
    )


def check(view: PolicyView) -> Iterator[Hit]:
    if view.errors:
        return
    statements = [parsed for _, parsed in view.parsed()]
    for parsed in statements:
        if parsed.effect is Effect.DENY and _everyone_unconditionally(parsed, _PUT):
            yield Hit(
                parsed.pointer,
                "this Deny stops everyone, administrators included, from calling "
                "kms:PutKeyPolicy: the key policy can never be changed",
            )
            return
    if not any(
        parsed.effect is Effect.ALLOW and named_actions(parsed, _PUT) for parsed in statements
    ):
        yield Hit(
            "/Statement",
            "no statement allows kms:PutKeyPolicy: once set, nobody can change "
            "this key policy again (the key policy lockout safety check rejects it)",
        )


RULE = Rule(
    id="BA034",
    severity=Severity.ERROR,
    title="Key policy locks out every administrator",
    explanation="A key policy must allow someone (normally the account root) to call "
    "kms:PutKeyPolicy; otherwise the key can no longer be managed.",
    source="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key",
    check=check,
    example=(
        'A key policy with {"Effect": "Deny", "Principal": "*", "Action": "kms:PutKeyPolicy", '
        '"Resource": "*"}'
    ),
    fix=(
        "Allow kms:PutKeyPolicy to the account root or a key administrator role, and never "
        "deny it to everyone."
    ),
    kinds=frozenset({PolicyKind.KMS_KEY}),
)
