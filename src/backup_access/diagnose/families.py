"""The families of messages AWS Backup users get, what each means, and its likely causes.

The rows are package data (``data/message_families.yaml``), validated when first read: how a
family is recognised (lower-case phrases, all of which must occur; any of the alternatives),
whether it is a permission problem at all, what it means, the page or public report it is
taken from, and its causes ranked most likely first. A cause points at a catalogue check by
operation and action, gate or actor (so catalogue ids can change), or stands on its own when
no catalogue check describes it (a vault that does not exist, a provider bug). Matching is
plain substring search: linear in the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml

from backup_access.catalogue import Actor, Gate
from backup_access.engine.model import Layer
from backup_access.errors import BackupAccessError


class MessageKind(StrEnum):
    ACCESS_DENIED = "access_denied"  # AWS denied a request (the request may be unnamed)
    ENCODED = "encoded"  # an encoded authorization failure message: decode it first
    GATE = "gate"  # an AWS Backup job / API message naming a cause outside IAM policies
    NOT_PERMISSION = "not_permission"  # an error that is not about access at all
    UNRECOGNISED = "unrecognised"


class MessageGate(StrEnum):
    """Non-policy causes AWS Backup names in its job messages."""

    CROSS_ACCOUNT_BACKUP_DISABLED = "cross_account_backup_disabled"
    NOT_SAME_ORGANIZATION = "not_same_organization"
    DESTINATION_VAULT_DEFAULT_KEY = "destination_vault_default_key"
    AWS_MANAGED_KEY_NOT_SHAREABLE = "aws_managed_key_not_shareable"
    KMS_KEY_INACCESSIBLE = "kms_key_inaccessible"
    DEFAULT_KEY_NOT_ACCESSIBLE = "default_key_not_accessible"
    ROLE_NOT_ASSUMABLE = "role_not_assumable"
    ROLE_INSUFFICIENT_PERMISSIONS = "role_insufficient_permissions"
    RESOURCE_DESCRIBE_DENIED = "resource_describe_denied"
    BACKUP_SERVICE_ACCESS_DENIED = "backup_service_access_denied"
    SELECTION_ROLE_CANNOT_LIST_TAGS = "selection_role_cannot_list_tags"
    VAULT_POLICY_SHARING_RESTRICTED = "vault_policy_sharing_restricted"
    RECOVERY_POINT_NOT_CREATED = "recovery_point_not_created"
    RETENTION_OUT_OF_RANGE = "retention_out_of_range"
    UNSUPPORTED_FEATURE = "unsupported_feature"
    SOURCE_AMI_NOT_FOUND = "source_ami_not_found"


class MessageFamily(StrEnum):
    IAM_NOT_AUTHORIZED = "iam_not_authorized"
    DECODED_AUTHORIZATION = "decoded_authorization"
    ENCODED_AUTHORIZATION = "encoded_authorization"
    EMPTY_ACCESS_DENIED = "empty_access_denied"
    GENERIC_ACCESS_DENIED = "generic_access_denied"
    INSUFFICIENT_PRIVILEGES = "insufficient_privileges"
    KMS_CIPHERTEXT_KEY = "kms_ciphertext_key"
    RDS_KMS_KEY_NOT_ACCESSIBLE = "rds_kms_key_not_accessible"
    DEFAULT_KEY_NOT_ACCESSIBLE = "default_key_not_accessible"
    KMS_KEY_INACCESSIBLE = "kms_key_inaccessible"
    SELECTION_TAG_GET_RESOURCES = "selection_tag_get_resources"
    CROSS_ACCOUNT_SHARING_RESTRICTIONS = "cross_account_sharing_restrictions"
    CROSS_ACCOUNT_BACKUP_DISABLED = "cross_account_backup_disabled"
    NOT_SAME_ORGANIZATION = "not_same_organization"
    DESTINATION_VAULT_DEFAULT_KEY = "destination_vault_default_key"
    AWS_MANAGED_KEY_NOT_SHAREABLE = "aws_managed_key_not_shareable"
    ROLE_NOT_ASSUMABLE = "role_not_assumable"
    ROLE_INSUFFICIENT_PERMISSIONS = "role_insufficient_permissions"
    RESOURCE_DESCRIBE_DENIED = "resource_describe_denied"
    BACKUP_SERVICE_ACCESS_DENIED = "backup_service_access_denied"
    RECOVERY_POINT_NOT_CREATED = "recovery_point_not_created"
    RETENTION_OUT_OF_RANGE = "retention_out_of_range"
    UNSUPPORTED_FEATURE = "unsupported_feature"
    SOURCE_AMI_NOT_FOUND = "source_ami_not_found"
    VAULT_NOT_EMPTY = "vault_not_empty"
    MANAGED_BY_BACKUP = "managed_by_backup"
    UNSUPPORTED_RESOURCE_TYPE = "unsupported_resource_type"
    INVALID_SELECTION = "invalid_selection"
    TERRAFORM_EMPTY_RESULT = "terraform_empty_result"
    UNRECOGNISED = "unrecognised"


class Confirm(StrEnum):
    """Which read-only commands confirm a cause that is not a catalogue check."""

    VAULT_EXISTS = "vault_exists"
    VAULT_POLICY = "vault_policy"
    VAULT_RECOVERY_POINTS = "vault_recovery_points"
    VAULT_LOCK = "vault_lock"
    KEY_POLICY = "key_policy"
    KEY_MANAGER = "key_manager"
    ROLE_TRUST = "role_trust"
    ROLE_POLICIES = "role_policies"
    CALLER_POLICIES = "caller_policies"
    GLOBAL_SETTINGS = "global_settings"
    ORGANIZATION = "organization"
    RAM_SHARES = "ram_shares"
    TERRAFORM_PROVIDER = "terraform_provider"
    JOB = "job"
    DECODE = "decode"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class CheckRef:
    """A catalogue check found by what it checks, so renamed ids still resolve."""

    operation: str
    action: str | None = None
    gate: Gate | None = None
    actor: Actor | None = None  # when several checks of the operation share the action


@dataclass(frozen=True, slots=True)
class Hint:
    """One likely cause of a family, with why it is ranked where it is."""

    title: str
    layer: str  # a Layer value, "setting" for non-policy gates, "none" for no permission
    why: str
    check: CheckRef | None = None
    confirm: Confirm = Confirm.NONE
    only_for: tuple[str, ...] = ()  # API operations it is limited to (when the paste names one)
    not_for: tuple[str, ...] = ()  # API operations it does not apply to
    action: str | None = None  # the IAM action the cause is about, for its commands

    def applies_to(self, api: str | None) -> bool:
        """Whether the hint fits a message about ``api`` (None: the paste names none)."""
        if api is None:
            return True
        if self.only_for and api not in self.only_for:
            return False
        return api not in self.not_for


@dataclass(frozen=True, slots=True)
class TypeReading:
    """A family's reading for a paste whose resource type is one of ``types`` (``*``: any type
    no other reading lists): it replaces the summary, meaning and todo, and the hints when it
    has its own. ``{type}`` and ``{describe}`` in its words are filled with the type's name and
    what the backup role reads of such a resource (``diagnose.type_reading``)."""

    types: tuple[str, ...]
    summary: str
    meaning: str
    todo: str
    hints: tuple[Hint, ...] | None = None
    sources: tuple[str, ...] = ()  # added to the family's


@dataclass(frozen=True, slots=True)
class Family:
    family: MessageFamily
    kind: MessageKind
    summary: str  # a few words for the answer's first line
    meaning: str
    sources: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...] = ()  # any alternative whose phrases all occur
    gate: MessageGate | None = None
    # False: never blamed on a policy; None: unrecognised, so nobody can tell
    permission_problem: bool | None = True
    operations: tuple[str, ...] = ()  # catalogue operations the message is about
    hints: tuple[Hint, ...] = ()
    todo: str = ""
    by_type: tuple[TypeReading, ...] = ()  # readings fitted to the paste's resource type


class FamilyDataError(BackupAccessError):
    """The message-family package data is malformed (a bug in backup-access, not input)."""


_FAMILY_KEYS = frozenset(
    {
        "family",
        "kind",
        "summary",
        "gate",
        "permission_problem",
        "phrases",
        "meaning",
        "sources",
        "operations",
        "hints",
        "todo",
        "by_type",
    }
)
_READING_KEYS = frozenset({"types", "summary", "meaning", "todo", "hints", "sources"})
_HINT_KEYS = frozenset(
    {"title", "layer", "why", "check", "confirm", "only_for", "not_for", "action"}
)
_CHECK_KEYS = frozenset({"operation", "action", "gate", "actor"})
_LAYERS = frozenset({*(layer.value for layer in Layer), "setting", "none"})


def _keys(raw: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise FamilyDataError(f"{where}: unknown keys {unknown}")


def _hint(raw: Mapping[str, Any], where: str) -> Hint:
    _keys(raw, _HINT_KEYS, where)
    if raw["layer"] not in _LAYERS:
        raise FamilyDataError(f"{where}: unknown layer {raw['layer']!r}")
    check = None
    if "check" in raw:
        ref = raw["check"]
        _keys(ref, _CHECK_KEYS, f"{where}/check")
        check = CheckRef(
            ref["operation"],
            ref.get("action"),
            Gate(ref["gate"]) if "gate" in ref else None,
            Actor(ref["actor"]) if "actor" in ref else None,
        )
    return Hint(
        str(raw["title"]),
        str(raw["layer"]),
        str(raw["why"]),
        check,
        Confirm(raw.get("confirm", Confirm.NONE.value)),
        tuple(str(api) for api in raw.get("only_for", ())),
        tuple(str(api) for api in raw.get("not_for", ())),
        _action(raw.get("action"), where),
    )


DESCRIBE = "{describe}"  # a hint's action: the type's describe action, filled when fitted


def _action(value: object, where: str) -> str | None:
    if value is None or value == DESCRIBE:
        return value
    if not isinstance(value, str) or value.count(":") != 1:
        raise FamilyDataError(f"{where}: action is an IAM action (service:Name), got {value!r}")
    return value


def _permission_problem(value: object, where: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise FamilyDataError(f"{where}: permission_problem is true, false or null")


def _words(raw: Mapping[str, Any], key: str) -> str:
    return " ".join(str(raw.get(key, "")).split())


def _reading(raw: Mapping[str, Any], where: str) -> TypeReading:
    _keys(raw, _READING_KEYS, where)
    types = tuple(str(t) for t in raw.get("types", ()))
    if not types or not all(raw.get(k) for k in ("summary", "meaning", "todo")):
        raise FamilyDataError(f"{where}: a reading names its types, summary, meaning and todo")
    sources = tuple(str(url) for url in raw.get("sources", ()))
    if not all(url.startswith("https://") for url in sources):
        raise FamilyDataError(f"{where}: sources are https URLs")
    hints = raw.get("hints")
    return TypeReading(
        types,
        _words(raw, "summary"),
        _words(raw, "meaning"),
        _words(raw, "todo"),
        None
        if hints is None
        else tuple(_hint(h, f"{where}/hints/{i}") for i, h in enumerate(hints)),
        sources,
    )


def _family(raw: Mapping[str, Any], where: str) -> Family:
    _keys(raw, _FAMILY_KEYS, where)
    sources = tuple(str(url) for url in raw["sources"])
    if not sources or not all(url.startswith("https://") for url in sources):
        raise FamilyDataError(f"{where}: every family cites its sources (https URLs)")
    if not isinstance(raw.get("summary"), str) or not raw["summary"]:
        raise FamilyDataError(f"{where}: every family has a summary for the first line")
    return Family(
        family=MessageFamily(raw["family"]),
        kind=MessageKind(raw["kind"]),
        summary=str(raw["summary"]),
        meaning=" ".join(str(raw["meaning"]).split()),
        sources=sources,
        phrases=tuple(tuple(str(p).lower() for p in option) for option in raw.get("phrases", ())),
        gate=MessageGate(raw["gate"]) if "gate" in raw else None,
        permission_problem=_permission_problem(raw.get("permission_problem", True), where),
        operations=tuple(raw.get("operations", ())),
        hints=tuple(_hint(h, f"{where}/hints/{i}") for i, h in enumerate(raw.get("hints", ()))),
        todo=" ".join(str(raw.get("todo", "")).split()),
        by_type=tuple(
            _reading(r, f"{where}/by_type/{i}") for i, r in enumerate(raw.get("by_type", ()))
        ),
    )


@cache
def families() -> tuple[Family, ...]:
    """Every family, in matching order (package data ``diagnose/data/message_families.yaml``,
    read once, on first use)."""
    text = resources.files("backup_access.diagnose").joinpath(_DATA).read_text("utf-8")
    raw = yaml.safe_load(text)
    rows = tuple(
        _family(entry, f"{_DATA}#/families/{i}") for i, entry in enumerate(raw["families"])
    )
    missing = set(MessageFamily) - {row.family for row in rows}
    if missing or len(rows) != len(MessageFamily):
        raise FamilyDataError(f"{_DATA}: each family once (missing {sorted(missing)})")
    return rows


def family(name: MessageFamily) -> Family:
    """One family's row."""
    return next(row for row in families() if row.family is name)


def match_family(lowered: str) -> Family | None:
    """The first family whose phrases all occur in ``lowered`` (lower-case text)."""
    for row in families():
        if any(all(phrase in lowered for phrase in option) for option in row.phrases):
            return row
    return None


_DATA = "data/message_families.yaml"

__all__ = [
    "CheckRef",
    "Confirm",
    "Family",
    "FamilyDataError",
    "Hint",
    "MessageFamily",
    "MessageGate",
    "MessageKind",
    "TypeReading",
    "families",
    "family",
    "match_family",
]
