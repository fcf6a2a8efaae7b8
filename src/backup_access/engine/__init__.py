"""The policy evaluation engine."""

from __future__ import annotations

from backup_access.engine.decision import Decision
from backup_access.engine.evaluate import evaluate
from backup_access.engine.model import (
    DecisionValue,
    Grant,
    Layer,
    NamedPolicy,
    OrgLevel,
    PolicySet,
    Request,
)
from backup_access.engine.request import make_request
from backup_access.engine.trace import LayerOutcome, LayerTrace, Outcome, StatementTrace

__all__ = [
    "Decision",
    "DecisionValue",
    "Grant",
    "Layer",
    "LayerOutcome",
    "LayerTrace",
    "NamedPolicy",
    "OrgLevel",
    "Outcome",
    "PolicySet",
    "Request",
    "StatementTrace",
    "evaluate",
    "make_request",
]
