"""The lint rules, one module each; ``RULES`` is the registry (ids are unique, see tests)."""

from __future__ import annotations

from backup_access.lint.rules import (
    blocking_deny,
    empty_value,
    grammar,
    key_lockout,
    key_policy_root,
    multivalued_key,
    open_copy,
    operator_type,
    org_id_format,
    org_path_format,
    placeholder,
    principal_element,
    rcp_allow,
    resource_type,
    unknown_action,
    unknown_condition_key,
    unknown_operator,
    unknown_service,
    vault_action_wildcard,
    version,
    wildcard_equals,
)
from backup_access.lint.rules.base import Hit, Rule

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            module.RULE
            for module in (
                grammar,
                empty_value,
                principal_element,
                version,
                rcp_allow,
                unknown_operator,
                unknown_service,
                unknown_action,
                unknown_condition_key,
                operator_type,
                resource_type,
                placeholder,
                org_id_format,
                org_path_format,
                multivalued_key,
                wildcard_equals,
                vault_action_wildcard,
                open_copy,
                blocking_deny,
                key_policy_root,
                key_lockout,
            )
        ),
        key=lambda rule: rule.id,
    )
)
RULES_BY_ID = {rule.id: rule for rule in RULES}

__all__ = ["RULES", "RULES_BY_ID", "Hit", "Rule"]
