"""What evaluating one statement yields: a named record, cheap enough for the hot path.

``StatementTrace`` entries (engine/trace.py) are made from these only when someone reads the
trace. The common results are shared constants; the others are built with ``new_result``,
which skips the NamedTuple's Python-level ``__new__`` (about twice as fast, same object).
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

from backup_access.conditions import ConditionOutcome
from backup_access.engine.trace import Outcome
from backup_access.policy.principal import PrincipalMatch


class StatementResult(NamedTuple):
    """Whether a statement applies to the request, and what decided it."""

    outcome: Outcome
    # The element that decided a not_matched or unsupported outcome: Action, NotAction,
    # Resource, NotResource, Principal, NotPrincipal or Condition.
    element: str | None
    condition: ConditionOutcome | None  # the condition that decided, when one did
    principal_match: PrincipalMatch | None  # how Principal names the requester, if present
    detail: str | None  # why, when the element alone does not say


def new_result(
    outcome: Outcome,
    element: str | None,
    condition: ConditionOutcome | None,
    principal_match: PrincipalMatch | None,
    detail: str | None,
) -> StatementResult:
    """A ``StatementResult`` (positional, for the hot path)."""
    return _new((outcome, element, condition, principal_match, detail))


_new = partial(tuple.__new__, StatementResult)

MATCHED = new_result(Outcome.MATCHED, None, None, None, None)
NO_ACTION = new_result(Outcome.NOT_MATCHED, "Action", None, None, None)
NO_NOT_ACTION = new_result(Outcome.NOT_MATCHED, "NotAction", None, None, None)
NO_RESOURCE = new_result(Outcome.NOT_MATCHED, "Resource", None, None, None)
NO_NOT_RESOURCE = new_result(Outcome.NOT_MATCHED, "NotResource", None, None, None)
