"""Find the lint rules by walking a package: every module that defines ``RULE`` adds it.

Adding a rule is adding one file. Two rules with one id fail at import with
``DuplicateRuleError`` (ids are stable; users disable rules by id), as cfn-lint does.
"""

from __future__ import annotations

import importlib
import pkgutil

from backup_access.lint.rule import Rule


class DuplicateRuleError(ImportError):
    """Two rule modules declare the same rule id."""


def discover(package: str) -> tuple[Rule, ...]:
    """The ``RULE`` of every module directly in ``package``, sorted by id."""
    root = importlib.import_module(package)
    found: dict[str, tuple[Rule, str]] = {}
    for module_info in sorted(pkgutil.iter_modules(root.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package}.{module_info.name}")
        rule = getattr(module, "RULE", None)
        if not isinstance(rule, Rule):
            continue
        if rule.id in found:
            raise DuplicateRuleError(
                f"rule id {rule.id} is declared by both {found[rule.id][1]} and {module.__name__}"
            )
        found[rule.id] = (rule, module.__name__)
    return tuple(rule for rule, _ in sorted(found.values(), key=lambda item: item[0].id))
