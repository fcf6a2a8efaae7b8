"""Does one statement apply to a request? Action, then Resource, Principal and Condition.

Elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
The first element that fails decides ``not_matched``; an element that cannot be evaluated
makes the statement ``unsupported`` unless another one fails for certain. Each element has
its module: resource_match.py, principal_match.py, condition_match.py.

Statements keep no state. What matching costs is cached by value instead, across
statements, policies and requests (an action against a pattern list, an ARN against a
resource list, a principal against a Principal element, a condition against the values it
reads; see backup_access.memo): the same policies parsed anew for each request then still
match nothing twice.
"""

from __future__ import annotations

from functools import lru_cache

from backup_access.engine.condition_match import condition_element
from backup_access.engine.model import Layer, Request
from backup_access.engine.principal_match import principal_element
from backup_access.engine.resource_match import resource_element
from backup_access.engine.result import MATCHED, NO_ACTION, NO_NOT_ACTION, StatementResult
from backup_access.engine.trace import Outcome
from backup_access.memo import MEMO_SIZE, memo
from backup_access.policy.model import Statement
from backup_access.policy.wildcard import compile_glob

_NOT_MATCHED = Outcome.NOT_MATCHED
_RESOURCE = Layer.RESOURCE


@memo
@lru_cache(maxsize=MEMO_SIZE)
def action_matches(pattern: str, action: str) -> bool:
    """Actions match case-insensitively, with ``*`` and ``?`` wildcards
    (reference_policies_elements_action.html)."""
    if pattern == "*":
        return True
    return compile_glob(pattern.lower()).matches(action.lower())


@memo
@lru_cache(maxsize=MEMO_SIZE)
def any_action_matches(patterns: tuple[str, ...], action: str) -> bool:
    """Whether an Action (or NotAction) list names ``action``."""
    return any(action_matches(p, action) for p in patterns)


def not_matching_action(statement: Statement) -> StatementResult:
    """The result of a statement whose Action/NotAction leaves the request's action out."""
    return NO_ACTION if statement.actions is not None else NO_NOT_ACTION


def evaluate_statement(
    statement: Statement,
    variables: bool,
    request: Request,
    layer: Layer,
    boundary_attached: bool = False,
) -> StatementResult:
    """Evaluate one statement whose Action/NotAction already lets the request's action
    through (engine/plan.py ``lets_action_through``).

    ``variables``: the policy's version supports policy variables. ``boundary_attached``:
    the requester has a permissions boundary (see ``principal_element``)."""
    resource = resource_element(statement, variables, request)
    if resource is not None and resource.outcome is _NOT_MATCHED:
        return resource
    principal = (
        None
        if statement.principal is None
        and statement.not_principal is None
        and layer is not _RESOURCE
        else principal_element(statement, request, layer, boundary_attached)
    )
    if principal is not None and principal.outcome is _NOT_MATCHED:
        return principal
    match = None if principal is None else principal.principal_match
    if statement.conditions:
        condition = condition_element(statement, variables, request.context, match)
        if condition is not None:
            return condition
    if resource is not None:
        return resource  # unsupported
    if principal is None:
        return MATCHED
    return principal  # matched (with how it names the requester) or unsupported
