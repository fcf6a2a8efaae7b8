"""Typed, immutable policy documents: what the parser produces and the engine reads.

Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from backup_access.policy.pointer import escape_pointer_token, statement_pointer


class Effect(StrEnum):
    ALLOW = "Allow"
    DENY = "Deny"


VERSION_2012 = "2012-10-17"
VERSION_2008 = "2008-10-17"


@dataclass(frozen=True, slots=True)
class PrincipalSpec:
    """A ``Principal`` or ``NotPrincipal`` element.

    ``everyone`` is the bare ``"*"`` form; ``{"AWS": "*"}`` is kept in ``aws`` as ``"*"``.
    """

    everyone: bool = False
    aws: tuple[str, ...] = ()
    service: tuple[str, ...] = ()
    federated: tuple[str, ...] = ()
    canonical_user: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Condition:
    """One key under one operator: ``{"<operator>": {"<key>": [values]}}``."""

    operator: str
    key: str
    values: tuple[str, ...]
    container: str  # where its statement is: see ``Statement``
    position: int | None

    @property
    def pointer(self) -> str:
        operator, key = escape_pointer_token(self.operator), escape_pointer_token(self.key)
        return f"{statement_pointer(self.container, self.position)}/Condition/{operator}/{key}"


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement; exactly one of each Action/NotAction pair is set."""

    index: int
    sid: str | None
    effect: Effect
    actions: tuple[str, ...] | None
    not_actions: tuple[str, ...] | None
    resources: tuple[str, ...] | None
    not_resources: tuple[str, ...] | None
    principal: PrincipalSpec | None
    not_principal: PrincipalSpec | None
    conditions: tuple[Condition, ...]
    # Where it is: the pointer of its policy's Statement element, and its index there when
    # that element is a list (None for a lone statement).
    container: str
    position: int | None

    @property
    def pointer(self) -> str:
        return statement_pointer(self.container, self.position)

    @property
    def label(self) -> str:
        """How messages name this statement: its Sid, else its index."""
        return f"#{self.index} ({self.sid})" if self.sid else f"#{self.index}"


@dataclass(frozen=True, slots=True)
class Policy:
    """A parsed policy document.

    ``supports_variables`` is false for the 2008 version and for a missing Version, where
    AWS treats ``${...}`` as literal text (reference_policies_variables.html).
    """

    version: str | None
    policy_id: str | None
    statements: tuple[Statement, ...]

    @property
    def supports_variables(self) -> bool:
        return self.version == VERSION_2012
