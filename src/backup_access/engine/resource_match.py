"""The ``Resource`` / ``NotResource`` element of a statement, handled once for both.

ARNs match one colon-separated component at a time, case-sensitively
(reference_policies_elements_resource.html, reference_policies_elements_notresource.html);
policy variables resolve from the request context (reference_policies_variables.html: a
variable with no value makes its pattern match nothing).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from backup_access.engine.model import Request
from backup_access.engine.result import (
    NO_NOT_RESOURCE,
    NO_RESOURCE,
    StatementResult,
    new_result,
)
from backup_access.engine.trace import Outcome
from backup_access.memo import MEMO_SIZE, memo
from backup_access.policy.arn import arn_matches
from backup_access.policy.model import Statement
from backup_access.policy.variables import substitute, variable_keys
from backup_access.policy.wildcard import ANY_CHAR, ANY_CHARS, Glob


@memo
@lru_cache(maxsize=MEMO_SIZE)
def _any_resource_matches(patterns: tuple[str, ...], resource: str) -> bool:
    return any(arn_matches(p, resource) for p in patterns)


@memo
@lru_cache(maxsize=MEMO_SIZE)
def uses_variables(values: tuple[str, ...]) -> tuple[str, ...] | None:
    """The context keys the variables in ``values`` read; None when there are none."""
    if not any("${" in v for v in values):
        return None
    return variable_keys(values)


def _pattern_with_variables(pattern: str, request: Request) -> bool | str | None:
    """True/False, a str saying why it cannot be decided, or None for an unresolved variable
    (reference_policies_variables.html: the element then does not match)."""
    if "${" not in pattern:
        return arn_matches(pattern, request.resource)
    resolved = substitute(pattern, request.context, wildcards=True)
    if resolved.unsupported:
        return resolved.unsupported
    if resolved.pieces is None:
        return None
    literal_wildcard = any(
        isinstance(p, str) and ("*" in p or "?" in p)
        for p in resolved.pieces
        if p is not ANY_CHARS and p is not ANY_CHAR
    )
    if literal_wildcard:
        return Glob.from_pieces(resolved.pieces, ignore_case=False).matches(request.resource)
    return arn_matches(resolved.text, request.resource)


class _VariableMatch(NamedTuple):
    matched: bool
    problem: str | None  # why a pattern did not resolve, or could not be evaluated
    unsupported: bool  # the problem is one the engine cannot evaluate


def _resources_with_variables(patterns: tuple[str, ...], request: Request) -> _VariableMatch:
    unresolved: str | None = None
    unsupported: str | None = None
    for pattern in patterns:
        result = _pattern_with_variables(pattern, request)
        if result is True:
            return _VariableMatch(True, None, False)
        if result is None:
            unresolved = f"'{pattern}' uses a policy variable the request has no value for"
        elif isinstance(result, str):
            unsupported = f"'{pattern}': {result}"
    if unsupported:
        return _VariableMatch(False, unsupported, True)
    return _VariableMatch(False, unresolved, False)


def resource_element(
    statement: Statement, variables: bool, request: Request
) -> StatementResult | None:
    """None when the element lets the request's resource through (or is absent); else a
    ``not_matched`` result that decides the statement, or an ``unsupported`` one that
    decides it unless another element fails for certain."""
    patterns = statement.resources
    negated = False
    if patterns is None:
        patterns = statement.not_resources
        if patterns is None:
            return None
        negated = True
    if not (variables and uses_variables(patterns) is not None):
        if _any_resource_matches(patterns, request.resource) is negated:
            return NO_NOT_RESOURCE if negated else NO_RESOURCE
        return None
    element = "NotResource" if negated else "Resource"
    found = _resources_with_variables(patterns, request)
    if found.unsupported:
        return new_result(Outcome.UNSUPPORTED, element, None, None, found.problem)
    if found.matched is negated:
        detail = None if negated else found.problem
        return new_result(Outcome.NOT_MATCHED, element, None, None, detail)
    return None
