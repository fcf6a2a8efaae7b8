"""A policy as the rules see it: every statement, parsed when it is valid, with its raw form
and pointer, and the grammar errors of those that are not. Parsing statement by statement
lets one run report every broken statement, not only the first."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from backup_access.errors import PolicyError
from backup_access.lint.model import PolicySource
from backup_access.policy.model import Condition, Statement
from backup_access.policy.parse import parse_policy, parse_statement
from backup_access.policy.pointer import escape_pointer_token


@dataclass(frozen=True, slots=True)
class StatementView:
    """One statement: its raw mapping (or whatever was there) and, when valid, its parse."""

    index: int
    pointer: str
    raw: Any
    parsed: Statement | None

    def strings(self, element: str) -> Iterator[tuple[str, str]]:
        """(pointer, text) for each string of ``element`` (``Action``, ``Resource``…)."""
        value = self.raw.get(element) if isinstance(self.raw, Mapping) else None
        here = f"{self.pointer}/{element}"
        if isinstance(value, str):
            yield here, value
        elif isinstance(value, list):
            for position, item in enumerate(value):
                if isinstance(item, str):
                    yield f"{here}/{position}", item

    def principal_strings(self, element: str = "Principal") -> Iterator[tuple[str, str, str]]:
        """(pointer, principal type, text) for each principal named by ``element``."""
        value = self.raw.get(element) if isinstance(self.raw, Mapping) else None
        here = f"{self.pointer}/{element}"
        if isinstance(value, str):
            yield here, "", value
        elif isinstance(value, Mapping):
            for kind, names in value.items():
                kind_pointer = f"{here}/{escape_pointer_token(str(kind))}"
                if isinstance(names, str):
                    yield kind_pointer, str(kind), names
                elif isinstance(names, list):
                    for position, name in enumerate(names):
                        if isinstance(name, str):
                            yield f"{kind_pointer}/{position}", str(kind), name


def condition_values(condition: Condition, raw_statement: Any) -> Iterator[tuple[str, str]]:
    """(pointer, value) for each value of a parsed condition, pointing at the value itself."""
    raw = raw_statement.get("Condition", {}).get(condition.operator, {}).get(condition.key)
    if isinstance(raw, list):
        for position, value in enumerate(condition.values):
            yield f"{condition.pointer}/{position}", value
    else:
        for value in condition.values:
            yield condition.pointer, value


@dataclass(frozen=True, slots=True)
class PolicyView:
    source: PolicySource
    statements: tuple[StatementView, ...]
    errors: tuple[PolicyError, ...] = field(default=())

    @property
    def version(self) -> Any:
        document = self.source.document
        return document.get("Version") if isinstance(document, Mapping) else None

    def parsed(self) -> Iterator[tuple[StatementView, Statement]]:
        for view in self.statements:
            if view.parsed is not None:
                yield view, view.parsed


def read_policy(source: PolicySource) -> PolicyView:
    """Parse ``source.document`` statement by statement, collecting grammar errors."""
    document = source.document
    errors: list[PolicyError] = []
    raw_statements = document.get("Statement") if isinstance(document, Mapping) else None
    shell: Any = document
    if isinstance(document, Mapping) and isinstance(raw_statements, list | Mapping):
        shell = {**document, "Statement": []}
    try:
        parse_policy(shell)
    except PolicyError as error:
        errors.append(error)
    if isinstance(raw_statements, Mapping):
        items: list[tuple[int, str, Any]] = [(0, "/Statement", raw_statements)]
    elif isinstance(raw_statements, list):
        items = [(i, f"/Statement/{i}", raw) for i, raw in enumerate(raw_statements)]
    else:
        items = []
    views = []
    for index, pointer, raw in items:
        try:
            parsed: Statement | None = parse_statement(raw, index, pointer)
        except PolicyError as error:
            errors.append(error)
            parsed = _parse_repaired(raw, index, pointer)
        views.append(StatementView(index, pointer, raw, parsed))
    return PolicyView(source, tuple(views), tuple(errors))


_REPAIRABLE = ("Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal")


def _parse_repaired(raw: Any, index: int, pointer: str) -> Statement | None:
    """Parse a statement whose only fault is ``""`` for ``"*"`` (BA002), so that the other
    rules still see its conditions; None when it has other faults."""
    if not isinstance(raw, Mapping):
        return None
    repaired = {
        key: _star_for_empty(value) if key in _REPAIRABLE else value for key, value in raw.items()
    }
    try:
        return parse_statement(repaired, index, pointer)
    except PolicyError:
        return None


def _star_for_empty(value: Any) -> Any:
    if value == "":
        return "*"
    if isinstance(value, list):
        return [_star_for_empty(item) for item in value]
    if isinstance(value, Mapping):
        return {key: _star_for_empty(item) for key, item in value.items()}
    return value


def is_empty_string_at(document: Any, pointer: str) -> bool:
    """True when the value at ``pointer`` in ``document`` is the empty string."""
    value = document
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, Mapping) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return False
    return bool(value == "")
