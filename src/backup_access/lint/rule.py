"""What a lint rule is: stable id, severity, title, explanation, AWS source, and a check.

A rule is one module in ``backup_access.lint.rules`` defining ``RULE``; the registry finds
it there (see ``registry``). ``example`` and ``fix`` feed ``lint --explain``.
"""

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
    """A lint rule. ``kinds`` limits it to some policy kinds (empty = every kind).

    ``judges_kind`` marks a rule whose verdict depends on the policy kind even though it runs
    on every kind (a finding then says which kind was assumed when the kind was guessed);
    ``resource_scoping`` marks findings about which resources a statement reaches, which
    users cannot act on in an AWS managed policy (capped at info there); ``checks_names``
    marks findings that a name is unknown to the shipped AWS data, which in a policy AWS
    itself wrote means the data is older than the policy (also info there).
    """

    id: str
    severity: Severity
    title: str
    explanation: str
    source: str
    check: Check
    kinds: frozenset[PolicyKind] = frozenset()
    example: str = ""
    fix: str = ""
    judges_kind: bool = False
    resource_scoping: bool = False
    checks_names: bool = False

    def applies_to(self, view: PolicyView) -> bool:
        return not self.kinds or view.source.kind in self.kinds

    @property
    def depends_on_kind(self) -> bool:
        return bool(self.kinds) or self.judges_kind


RESOURCE_KINDS = frozenset({PolicyKind.RESOURCE, PolicyKind.KMS_KEY, PolicyKind.TRUST})
