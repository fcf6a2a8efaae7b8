"""An operation's parameters bound to values, and the templates of its checks filled in.

Attributes of a parameter come from its ARN (``account``, ``region``, ``service``) or from
the world (``key``: the KMS key a vault is encrypted with; a vault without one uses the AWS
managed ``aws/backup`` key, https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from backup_access.catalogue import Operation, Parameter, ParameterKind
from backup_access.catalogue.templates import PLACEHOLDER
from backup_access.diagnose.kind import (
    GIVEN_OPTION,
    PointKind,
    TypeOrigin,
    any_point_of,
    resolve_kind,
)
from backup_access.engine.model import NamedPolicy
from backup_access.errors import RequestError
from backup_access.policy.arn import Arn
from backup_access.world import Key, KeyManager, Vault, World
from backup_access.world.lookup import find_key, find_vault, is_aws_managed_alias
from backup_access.world.organization import account_path

_ACCOUNT = re.compile(r"^[0-9]{12}\Z")
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
BACKUP_SLR = "role/aws-service-role/backup.amazonaws.com/AWSServiceRoleForBackup"
AWS_BACKUP_ALIAS = "alias/aws/backup"
_SHAPES: dict[ParameterKind, tuple[str, tuple[str, ...]]] = {
    ParameterKind.VAULT: ("backup", ("backup-vault",)),
    ParameterKind.PLAN: ("backup", ("backup-plan",)),
    ParameterKind.ROLE: ("iam", ("role",)),
    ParameterKind.KEY: ("kms", ("key", "alias")),
}


class UnresolvedError(Exception):
    """A template refers to something the world does not have; the check is unknown."""


def _check_shape(parameter: Parameter, value: str) -> None:
    if parameter.kind is ParameterKind.PRINCIPAL and _ACCOUNT.match(value):
        return
    if parameter.kind is ParameterKind.RESOURCE_TYPE:
        return  # checked against the resource type table when the kind is resolved
    if parameter.kind is ParameterKind.REGION:
        if not _REGION.match(value):
            raise RequestError(f"{parameter.option}: '{value}' is not a Region name (us-east-1)")
        return
    if parameter.kind is ParameterKind.NUMBER:
        if not value.isdigit():
            raise RequestError(f"{parameter.option}: '{value}' is not a whole number")
        return
    arn = Arn.parse(value)
    if arn is None:
        raise RequestError(f"{parameter.option}: '{value}' is not an ARN")
    shape = _SHAPES.get(parameter.kind)
    if shape is not None and (arn.service != shape[0] or arn.resource_type not in shape[1]):
        raise RequestError(
            f"{parameter.option}: '{value}' is not a {parameter.kind.value} ARN "
            f"(arn:aws:{shape[0]}:…:{shape[1][0]}…)"
        )


def account_of(value: str) -> str | None:
    if _ACCOUNT.match(value):
        return value
    arn = Arn.parse(value)
    return arn.account or None if arn is not None else None


def region_of(value: str) -> str | None:
    arn = Arn.parse(value)
    return arn.region or None if arn is not None else None


def backup_slr_arn(account: str) -> str:
    return f"arn:aws:iam::{account}:{BACKUP_SLR}"


@dataclass(frozen=True, slots=True)
class Binding:
    """Values of an operation's parameters, in a world; ``session`` are the session policies
    of the caller's session (``explain --session-policy``), None when none were given."""

    world: World
    operation: Operation
    values: Mapping[str, str]
    given: frozenset[str]
    session: tuple[NamedPolicy, ...] | None = None
    kind: PointKind | None = None  # the handled resource type, for operations with typed_by
    notes: tuple[str, ...] = ()  # what binding assumed (a recovery point pattern, the type)
    # defaults that could not be filled, and why (said by every check that needs them)
    unresolved: Mapping[str, str] = field(default_factory=dict)

    def vault(self, name: str) -> Vault | None:
        return self.vault_at(self.values.get(name, ""))

    def vault_at(self, value: str) -> Vault | None:
        """The world's vault for a backup vault ARN."""
        arn = Arn.parse(value)
        if arn is None or not arn.resource.startswith("backup-vault:"):
            return None
        return find_vault(self.world, arn.account, arn.region, arn.resource.split(":", 1)[1])

    def key(self, name: str) -> Key | None:
        return self.key_at(self.values.get(name, ""))

    def key_at(self, ref: str) -> Key | None:
        """The world's key for a key or alias ARN."""
        arn = Arn.parse(ref)
        if arn is None or arn.service != "kms":
            return None
        return find_key(self.world, arn.account, arn.region, arn.resource)

    def is_customer_key(self, name: str) -> bool | None:
        """Whether the key parameter ``name`` is customer managed; None when no key is bound
        or the world does not say (neither a recorded key nor an ``alias/aws/…`` name)."""
        value = self.values.get(name)
        if value is None:
            return None
        key = self.key(name)
        if key is not None:
            return key.manager is KeyManager.CUSTOMER
        if is_aws_managed_alias(value):
            return False
        return None

    def account(self, name: str) -> str | None:
        value = self.values.get(name)
        return account_of(value) if value else None

    def region(self, name: str) -> str | None:
        """The Region of an ARN parameter, or the value of a Region parameter."""
        value = self.values.get(name)
        if value and _REGION.match(value):
            return value
        return region_of(value) if value else None

    def vault_key_arn(self, name: str) -> str:
        """The ARN of the key a vault of the world is encrypted with."""
        value = self.values[name]
        vault = self.vault(name)
        if vault is None:
            raise UnresolvedError(f"vault {value} is not in the world: its KMS key is unknown")
        ref = vault.key or AWS_BACKUP_ALIAS
        key = find_key(self.world, vault.account, vault.region, ref)
        if key is not None:
            return key.arn
        if Arn.parse(ref) is not None:
            return ref
        prefix = "" if ref.startswith("alias/") else "key/"
        return f"arn:aws:kms:{vault.region}:{vault.account}:{prefix}{ref}"

    def point_key_arn(self, name: str) -> str:
        """The key protecting the recovery point in vault ``name``: the vault's own key for a
        fully managed type, the resource's key (as the world records it for the point) for a
        snapshot-backed one (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html)."""
        kind = self.kind
        if kind is None or kind.fully_managed is None:
            raise UnresolvedError(
                "the recovery point's resource type is unknown, so is the key protecting it "
                "(its vault's key for a fully managed type, its resource's own key otherwise): "
                "give --resource-type, or --key"
            )
        if kind.fully_managed:
            return self.vault_key_arn(name)
        record = kind.record
        if record is None or not record.key:
            raise UnresolvedError(
                f"this {kind.label} recovery point keeps its resource's own KMS key, which the "
                "world does not record for it: give --key, or record it (key) under the vault's "
                "recovery_points"
            )
        if Arn.parse(record.key) is not None:
            return record.key
        vault = self.vault(name)
        if vault is None:
            raise UnresolvedError(f"vault {self.values[name]} is not in the world")
        found = find_key(self.world, vault.account, vault.region, record.key)
        if found is not None:
            return found.arn
        prefix = "" if record.key.startswith("alias/") else "key/"
        return f"arn:aws:kms:{vault.region}:{vault.account}:{prefix}{record.key}"

    def org_path(self, name: str) -> str:
        """The organization path of the parameter's account (``o-…/r-…/ou-…/``)."""
        account = self.account(name)
        organization = self.world.organization
        path = (
            account_path(organization, account)
            if organization is not None and account is not None
            else None
        )
        if organization is None or path is None:
            raise UnresolvedError(
                f"the organization path of account {account} is unknown (not a member of an "
                "organization in the world)"
            )
        return path.text(organization.id)

    def attribute(self, name: str, attribute: str | None) -> str:
        if name not in self.values:
            why = self.unresolved.get(name)
            raise UnresolvedError(why or f"{self.operation.name}: no value for {name}")
        value = self.values[name]
        if attribute is None:
            return value
        if attribute == "key":
            return self.vault_key_arn(name)
        if attribute == "point_key":
            return self.point_key_arn(name)
        if attribute == "org_path":
            return self.org_path(name)
        if attribute == "service":
            arn = Arn.parse(value)
            if arn is None:
                raise UnresolvedError(f"{value} is not an ARN")
            return arn.service
        found = self.account(name) if attribute in ("account", "backup_slr") else self.region(name)
        if found is None:
            raise UnresolvedError(f"{value} names no {attribute.replace('backup_slr', 'account')}")
        return backup_slr_arn(found) if attribute == "backup_slr" else found

    def operation_region(self) -> str | None:
        """The Region the operation's API call is sent to, when the catalogue says how to
        find it and the values name it."""
        if not self.operation.region:
            return None
        try:
            return self.fill(self.operation.region) or None
        except UnresolvedError:
            return None

    def fill(self, template: str) -> str:
        return PLACEHOLDER.sub(lambda m: self.attribute(m.group(1), m.group(2)), template)


def bind(
    world: World,
    operation: Operation,
    given: Mapping[str, str | None],
    *,
    session: tuple[NamedPolicy, ...] | None = None,
    type_origin: TypeOrigin = GIVEN_OPTION,
) -> Binding:
    """Check the values given for ``operation`` and add defaults; ``RequestError`` on bad input.
    ``type_origin`` says where a given ``resource_type`` came from (the notes say it)."""
    known = {p.name for p in operation.parameters}
    unknown = sorted({k for k, v in given.items() if v is not None} - known)
    if unknown:
        raise RequestError(f"{operation.name} takes no {', '.join(unknown)}")
    values: dict[str, str] = {}
    for parameter in operation.parameters:
        value = given.get(parameter.name)
        if value is None:
            if parameter.required:
                raise RequestError(f"{operation.name} needs {parameter.option}")
            continue
        _check_shape(parameter, value)
        values[parameter.name] = value
    provided = frozenset(values)
    kind: PointKind | None = None
    notes: list[str] = []
    typed = operation.typed_by
    if typed is not None:
        kind = resolve_kind(world, typed, values, type_origin)
        notes.append(f"resource type: {kind.label} ({kind.how})")
        point = typed.recovery_point
        if point is not None and point not in values and typed.vault in values:
            pattern = any_point_of(kind, values[typed.vault])
            if pattern is not None:
                values[point] = pattern
                notes.append(
                    f"no recovery point given: checked for any {kind.label} recovery point "
                    f"of the vault ({pattern})"
                )
    binding = Binding(world, operation, values, provided, session, kind, tuple(notes))
    defaults: dict[str, str] = {}
    unresolved: dict[str, str] = {}
    for parameter in operation.parameters:
        if parameter.name not in values and parameter.default is not None:
            try:
                defaults[parameter.name] = binding.fill(parameter.default)
                notes.append(_default_note(parameter, defaults[parameter.name], kind))
            except UnresolvedError as error:
                unresolved[parameter.name] = f"{parameter.option} unknown: {error}"
    return Binding(
        world,
        operation,
        {**values, **defaults},
        provided,
        session,
        kind,
        tuple(notes),
        unresolved,
    )


def _default_note(parameter: Parameter, value: str, kind: PointKind | None) -> str:
    """Say where a value the user did not give came from: the verdict may rest on it (an
    EBS snapshot's key recorded in the world, the default key of a new vault)."""
    match = PLACEHOLDER.search(parameter.default or "")
    source = "the default"
    if match is not None and match.group(2) in ("key", "point_key"):
        vault = "--" + match.group(1).replace("_", "-")
        source = f"the key of {vault} in the world"
        if match.group(2) == "point_key" and not (kind is not None and kind.fully_managed):
            source = f"the key the world records for the recovery point in {vault}"
    return f"{parameter.option} not given: taken from {source}, {value}"
