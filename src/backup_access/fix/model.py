"""What the fix layer produces: changes to documents and settings, and the fixes built from them.

A generator turns one failing check (and the layer that blocks it) into ``Proposal``s; the
planner merges proposals per document into ``Fix``es, applies them to a copy of the world and
re-runs the diagnosis (``Verification``). JSON shape (Contract 3 ``fixes``)::

    {"id", "generator", "generators", "title", "source", "target", "kind", "account",
     "region", "audience", "document", "previous", "patch", "cli", "verified",
     "verification", "newly_allows", "edits_existing", "review", "checks", "notes",
     "limit"}
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from backup_access.diagnose.model import CheckResult

JsonDocument = dict[str, Any]


class FixKind(StrEnum):
    """What a fix changes; one value per kind of AWS document or setting."""

    IDENTITY_POLICY = "identity_policy"  # an inline policy of a role or user
    MANAGED_POLICY = "managed_policy"  # a customer managed policy (an existing Deny edited)
    BOUNDARY_POLICY = "boundary_policy"  # the managed policy used as a permissions boundary
    TRUST_POLICY = "trust_policy"
    VAULT_POLICY = "vault_access_policy"
    KEY_POLICY = "key_policy"
    SCP = "scp"
    RCP = "rcp"
    SETTING = "setting"
    ALTERNATIVE = "alternative"  # no policy can fix it: what to do instead

    @property
    def is_document(self) -> bool:
        return self not in (FixKind.SETTING, FixKind.ALTERNATIVE)

    @property
    def is_organization_policy(self) -> bool:
        return self in (FixKind.SCP, FixKind.RCP)


class Audience(StrEnum):
    """Who can make the change."""

    ACCOUNT = "account"  # an administrator of the account that owns the document
    ORGANIZATION = "organization"  # the organization's administrators (management account)
    NOBODY = "nobody"  # an alternative: no policy change fixes it


@dataclass(frozen=True, slots=True)
class Failure:
    """A failing check and one layer that blocks it (``setting`` for a closed gate)."""

    check: CheckResult
    layer: str


@dataclass(frozen=True, slots=True)
class DocumentTarget:
    """A policy document in the world: where it lives and how AWS names it.

    ``pointer`` is the JSON pointer of the document in the world (Contract 2); ``names``
    holds what the AWS CLI command needs (role name, vault name, key id, policy ARN…).
    """

    kind: FixKind
    arn: str
    pointer: str
    account: str
    label: str
    region: str | None = None
    names: tuple[tuple[str, str], ...] = ()
    # Where a new document must be attached (a new SCP: the policy lists of its org
    # levels, by pointer); an inline policy needs nothing more.
    attach_to: tuple[str, ...] = ()

    def name(self, key: str) -> str:
        return dict(self.names)[key]


@dataclass(frozen=True, slots=True)
class DenyException:
    """Exempt ``principal`` from the existing Deny statement at ``index`` of a document."""

    index: int
    principal: str
    sid: str | None


@dataclass(frozen=True, slots=True)
class ConditionJoin:
    """Add ``values`` to the list of the negated condition ``operator`` ``key`` of the existing
    Deny statement at ``index``: the request that carries them is no longer denied by it (an
    allow-list in a guardrail, widened by exactly the request's own values)."""

    index: int
    operator: str
    key: str
    values: tuple[str, ...]
    sid: str | None


@dataclass(frozen=True, slots=True)
class DocumentEdit:
    """Statements to add to a document and existing Denies to narrow: an exception for one
    principal, or the request's values joined to one of the Deny's negated conditions."""

    target: DocumentTarget
    add: tuple[JsonDocument, ...] = ()
    exceptions: tuple[DenyException, ...] = ()
    joins: tuple[ConditionJoin, ...] = ()


@dataclass(frozen=True, slots=True)
class SettingChange:
    """A setting to change: the world value at ``pointer`` becomes ``value``; ``append``
    adds ``value`` to the list there instead."""

    target: str
    label: str
    pointer: str
    value: Any
    account: str
    commands: tuple[str, ...]
    append: bool = False
    region: str | None = None
    # what the change newly allows and what to read first (a tag on one resource); empty:
    # the proposal's notes say it
    allows: tuple[str, ...] = ()
    review: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Alternative:
    """No policy change fixes the failure: what to do instead, in concrete terms."""

    target: str
    text: str
    commands: tuple[str, ...] = ()
    title: str | None = None  # the generator's title when None


@dataclass(frozen=True, slots=True)
class Proposal:
    """One generator's answer to one failure. ``candidates`` are edits from the narrowest to
    the widest; the planner keeps the first that stops the layer from blocking."""

    generator: str
    failure: Failure
    candidates: tuple[tuple[DocumentEdit, ...], ...] = ()
    setting: SettingChange | None = None
    # Changes to a property of the one resource or principal (a tag the blocking Deny's own
    # exception tests), tried before ``candidates`` and, like them, kept only if verified.
    properties: tuple[SettingChange, ...] = ()
    # An alternative shown beside a kept change (another way that needs no policy change)
    also: Alternative | None = None
    alternative: Alternative | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SizeLimit:
    """An AWS size limit a document would exceed, with the page that states it."""

    name: str
    limit: int
    size: int
    unit: str
    source: str
    split: str  # how to split the change so that each document fits

    @property
    def message(self) -> str:
        return (
            f"the new document is {self.size} {self.unit}, over AWS's {self.name} limit of "
            f"{self.limit} ({self.source}): {self.split}"
        )


@dataclass(frozen=True, slots=True)
class Fix:
    """One change, to one document or setting, with its proof."""

    id: str
    generators: tuple[str, ...]
    title: str
    source: str
    kind: FixKind
    target: str
    account: str | None
    region: str | None
    audience: Audience
    checks: tuple[str, ...]
    pointer: str | None = None
    document: Any = None  # the full new document (None for settings and alternatives)
    previous: Any = None  # the document it replaces (None: a new document)
    patch: tuple[JsonDocument, ...] = ()
    cli: tuple[str, ...] = ()
    newly_allows: tuple[str, ...] = ()
    edits_existing: bool = False
    review: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    limit: SizeLimit | None = None
    verified: bool = False
    verification: str = ""
    names: tuple[tuple[str, str], ...] = ()
    setting: SettingChange | None = field(default=None)
    file: str | None = None  # the new document's file name (--write, and the commands)

    @property
    def generator(self) -> str:
        return self.generators[0]

    def to_dict(self) -> JsonDocument:
        return {
            "id": self.id,
            "generator": self.generator,
            "generators": list(self.generators),
            "title": self.title,
            "source": self.source,
            "target": self.target,
            "kind": self.kind.value,
            "account": self.account,
            "region": self.region,
            "audience": self.audience.value,
            "checks": list(self.checks),
            "pointer": self.pointer,
            "document": self.document,
            "previous": self.previous,
            "patch": list(self.patch),
            "cli": list(self.cli),
            "verified": self.verified,
            "verification": self.verification,
            "newly_allows": list(self.newly_allows),
            "edits_existing": self.edits_existing,
            "review": list(self.review),
            "notes": list(self.notes),
            "file": self.file,
            "limit": None
            if self.limit is None
            else {
                "name": self.limit.name,
                "limit": self.limit.limit,
                "size": self.limit.size,
                "unit": self.limit.unit,
                "source": self.limit.source,
                "split": self.limit.split,
            },
        }


@dataclass(frozen=True, slots=True)
class Unfixed:
    """A failure no generator could propose a change for, and why."""

    check: str
    layer: str
    why: str

    def to_dict(self) -> JsonDocument:
        return {"check": self.check, "layer": self.layer, "why": self.why}
