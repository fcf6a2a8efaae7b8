"""What a lint rule is: stable id, severity, title, explanation, AWS source, and a check."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.view import PolicyView


@dataclass(frozen=True, slots=True)
class Hit:
    """Where (pointer inside the policy) and what a rule found."""

    pointer: str
    message: str


Check = Callable[[PolicyView], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A lint rule. ``kinds`` limits it to some policy kinds (empty = every kind)."""

    id: str
    severity: Severity
    title: str
    explanation: str
    source: str
    check: Check
    kinds: frozenset[PolicyKind] = frozenset()

    def applies_to(self, view: PolicyView) -> bool:
        return not self.kinds or view.source.kind in self.kinds


RESOURCE_KINDS = frozenset({PolicyKind.RESOURCE, PolicyKind.KMS_KEY, PolicyKind.TRUST})
