"""Helpers the generators share: which statements of a layer deny, and the check's parts."""

from __future__ import annotations

from backup_access.diagnose.model import CheckResult, StatementRef


def denying(check: CheckResult, layer: str) -> tuple[StatementRef, ...]:
    """The Deny statements the diagnosis quotes for ``layer``."""
    return tuple(s for s in check.statements if s.layer == layer and s.effect == "Deny")


def is_kms(check: CheckResult) -> bool:
    return (check.action or "").lower().startswith("kms:")


def is_assume(check: CheckResult) -> bool:
    return (check.action or "").lower().startswith("sts:assumerole")
