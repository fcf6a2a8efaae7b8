"""Diagnosis: an operation, an error message or a CloudTrail event → checks → a verdict."""

from __future__ import annotations

from backup_access.diagnose.explain import explain_operation
from backup_access.diagnose.model import (
    CheckDecision,
    CheckResult,
    Explanation,
    Skipped,
    StatementRef,
    Verdict,
)

__all__ = [
    "CheckDecision",
    "CheckResult",
    "Explanation",
    "Skipped",
    "StatementRef",
    "Verdict",
    "explain_operation",
]
