"""What each AWS Backup operation needs: permission checks and non-policy gates (package data).

``load_catalogue()`` reads the shipped YAML once; check ids are stable and documented in
``docs/catalogue.md``.
"""

from __future__ import annotations

from backup_access.catalogue.loader import CatalogueError, load_catalogue, operation_names
from backup_access.catalogue.model import (
    Actor,
    Catalogue,
    Check,
    CheckKind,
    Condition,
    Gate,
    Operation,
    Parameter,
    ParameterKind,
    Predicate,
    TypedBy,
)

__all__ = [
    "Actor",
    "Catalogue",
    "CatalogueError",
    "Check",
    "CheckKind",
    "Condition",
    "Gate",
    "Operation",
    "Parameter",
    "ParameterKind",
    "Predicate",
    "TypedBy",
    "load_catalogue",
    "operation_names",
]
