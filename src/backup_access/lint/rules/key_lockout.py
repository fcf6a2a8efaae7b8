"""BA034: a KMS key policy that lets nobody change it again (no one may kms:PutKeyPolicy):
the key becomes unmanageable and only AWS Support can recover it."""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.rules.base import Hit, Rule
from backup_access.lint.view import PolicyView
from backup_access.policy.model import Effect
from backup_access.policy.wildcard import glob_matches


def check(view: PolicyView) -> Iterator[Hit]:
    if view.errors:
        return
    for _, parsed in view.parsed():
        if parsed.effect is not Effect.ALLOW:
            continue
        if parsed.actions is not None and any(
            glob_matches(a, "kms:PutKeyPolicy", ignore_case=True) for a in parsed.actions
        ):
            return
        if parsed.not_actions is not None and not any(
            glob_matches(a, "kms:PutKeyPolicy", ignore_case=True) for a in parsed.not_actions
        ):
            return
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
    kinds=frozenset({PolicyKind.KMS_KEY}),
)
