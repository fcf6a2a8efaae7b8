"""What the linter reads (policies found in a file) and what it reports (findings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from backup_access.policy.layer import Layer


class Severity(StrEnum):
    """How bad a finding is; ordered so that ``--fail-on`` can compare."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


class PolicyKind(StrEnum):
    """Which kind of policy a document is: rules differ by kind.

    Finer than ``Layer``: a KMS key policy and a role trust policy are both the resource
    layer, but lint checks them differently. The other kinds are their layer, and take
    their names from it."""

    IDENTITY = "identity"
    RESOURCE = "resource"
    KMS_KEY = "kms-key"
    TRUST = "trust"
    SCP = "scp"
    RCP = "rcp"

    @property
    def layer(self) -> Layer:
        """The layer a document of this kind is evaluated as."""
        return Layer.RESOURCE if self in _RESOURCE_DOCUMENTS else Layer(self.value)

    @property
    def full_name(self) -> str:
        """The kind's name: "role trust policy", or its layer's ("identity-based policy")."""
        return _RESOURCE_DOCUMENTS.get(self) or self.layer.full_name

    @property
    def policy_phrase(self) -> str:
        """The kind with its article: "a KMS key policy", "an identity-based policy"."""
        name = self.full_name
        return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


# Kinds finer than their layer: resource-based policies of one service, with their names.
_RESOURCE_DOCUMENTS = {PolicyKind.KMS_KEY: "KMS key policy", PolicyKind.TRUST: "role trust policy"}


@dataclass(frozen=True, slots=True)
class Position:
    """1-based line and column in a file."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class RepeatedKey:
    """A key written again in one JSON object or YAML mapping: the decoder keeps the later
    value, so the earlier one (at ``earlier``) is silently left out. ``pointer`` is the
    key's, where the value read is; a key written three times gives two."""

    pointer: str
    key: str
    earlier: Position


@dataclass(frozen=True, slots=True)
class PolicySource:
    """One policy document found in a file.

    ``document`` is the decoded policy (CloudFormation intrinsics already resolved),
    ``pointer`` where it sits in the file, ``locate`` maps a pointer inside the policy to a
    file position. ``vault`` marks an AWS Backup vault access policy. ``kind_note`` says why
    the kind was assumed when the document does not show it (empty when known);
    ``aws_managed`` is the ARN of an AWS managed policy (users cannot edit it);
    ``templated`` marks a CloudFormation policy, where ``${Name}`` is a ``!Sub`` reference.
    """

    document: Any
    kind: PolicyKind
    pointer: str
    origin: str | None
    positions: dict[str, Position]
    embedded: bool = False
    vault: bool = False
    disabled: frozenset[str] = field(default_factory=frozenset)
    kind_note: str = ""
    aws_managed: str = ""
    templated: bool = False
    repeated_keys: tuple[RepeatedKey, ...] = ()  # inside this policy, pointers relative to it

    def locate(self, inner_pointer: str) -> Position:
        """File position of ``inner_pointer``: the nearest enclosing element that has one.

        A policy held as a JSON string (Terraform plans, ``Policy`` fields) has one position:
        the string's; the pointer then says where inside it.
        """
        if self.embedded:
            return self.positions.get(self.pointer, Position(1, 1))
        pointer = self.pointer + inner_pointer
        while True:
            if pointer in self.positions:
                return self.positions[pointer]
            if not pointer:
                return Position(1, 1)
            pointer = pointer.rsplit("/", 1)[0]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: the rule, where it is (file, line, column, pointer) and what to do."""

    rule: str
    severity: Severity
    file: str
    line: int
    column: int
    pointer: str
    message: str
    policy: str = ""
    origin: str | None = None
    title: str = ""
    kind: str = ""
    kind_note: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.pointer)
