"""Lint policies and infrastructure code (policy files, CloudFormation, Terraform plans) for
the mistakes behind AWS Backup access denied, before they are deployed."""

from __future__ import annotations

from backup_access.lint.model import Finding, PolicyKind, Severity
from backup_access.lint.rules import RULES, RULES_BY_ID, Rule
from backup_access.lint.run import check_rule_ids, lint_paths, lint_text

__all__ = [
    "RULES",
    "RULES_BY_ID",
    "Finding",
    "PolicyKind",
    "Rule",
    "Severity",
    "check_rule_ids",
    "lint_paths",
    "lint_text",
]
