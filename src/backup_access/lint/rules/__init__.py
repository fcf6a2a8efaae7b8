"""The lint rules, one module each, found by walking this package (``lint.registry``).

A module here defines ``RULE``; shared helpers live outside the package (``lint.rule``,
``lint.condition_walks``, ``lint.statement_queries``).
"""

from __future__ import annotations

from backup_access.lint.registry import discover
from backup_access.lint.rule import Hit, Rule

RULES: tuple[Rule, ...] = discover(__name__)
RULES_BY_ID = {rule.id: rule for rule in RULES}

__all__ = ["RULES", "RULES_BY_ID", "Hit", "Rule"]
