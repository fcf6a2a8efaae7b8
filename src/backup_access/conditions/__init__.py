"""IAM condition operators and their modifiers."""

from __future__ import annotations

from backup_access.conditions.evaluate import ConditionOutcome, evaluate_condition, read_operator

__all__ = ["ConditionOutcome", "evaluate_condition", "read_operator"]
