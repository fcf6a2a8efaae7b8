"""Fixes: the least-privilege change for every failing check of a diagnosis, merged into the
existing documents (never dropping a statement), applied to a copy of the world and proven
by re-running the diagnosis.

``plan_fixes(world_json, explanation, diagnose)`` → ``FixPlan``; generators live in
``backup_access.fix.generators`` (one module per kind of cause, found by walking it).
"""

from __future__ import annotations

from backup_access.fix.context import Scope
from backup_access.fix.model import Audience, Fix, FixKind, Unfixed
from backup_access.fix.plan import FixPlan, plan_fixes
from backup_access.fix.raw import merge_documents, world_from_json
from backup_access.fix.registry import DuplicateGeneratorError, Generator, generators

__all__ = [
    "Audience",
    "DuplicateGeneratorError",
    "Fix",
    "FixKind",
    "FixPlan",
    "Generator",
    "Scope",
    "Unfixed",
    "generators",
    "merge_documents",
    "plan_fixes",
    "world_from_json",
]
