"""When a catalogue check applies: compare accounts and Regions, look at vaults and keys.

A predicate that cannot be decided from the world counts as holding, so the check is made
and its own result says what is missing (never silently skipped).
"""

from __future__ import annotations

from typing import NamedTuple

from backup_access.catalogue import Check, Condition, Predicate
from backup_access.catalogue.resource_types import load_resource_types
from backup_access.diagnose.binding import Binding, UnresolvedError
from backup_access.diagnose.kind import PointKind
from backup_access.world import VaultType

TYPE_PREDICATES = frozenset({Predicate.SNAPSHOT_BACKED, Predicate.FULLY_MANAGED, Predicate.TYPE_IN})


def _pair(binding: Binding, condition: Condition, attribute: str) -> tuple[str, str] | None:
    first, second = condition.args
    get = binding.account if attribute == "account" else binding.region
    a, b = get(first), get(second)
    return None if a is None or b is None else (a, b)


def _vault_type(binding: Binding, name: str) -> VaultType | None:
    vault = binding.vault(name)
    return vault.type if vault is not None else None


class Holding(NamedTuple):
    """Whether a check's condition holds, and the sentence that says why (shown for a
    check skipped because it does not)."""

    holds: bool
    why: str


def holds(binding: Binding, condition: Condition) -> Holding:
    """Whether ``condition`` holds, and a sentence saying why (for skipped checks)."""
    p = condition.predicate
    args = condition.args
    if p in (Predicate.SAME_ACCOUNT, Predicate.CROSS_ACCOUNT):
        pair = _pair(binding, condition, "account")
        if pair is None:
            return Holding(True, "accounts unknown")
        same = pair[0] == pair[1]
        words = f"{args[0]} is in {pair[0]}, {args[1]} in {pair[1]}"
        return Holding((same if p is Predicate.SAME_ACCOUNT else not same), words)
    if p in (Predicate.SAME_REGION, Predicate.CROSS_REGION):
        pair = _pair(binding, condition, "region")
        if pair is None:
            return Holding(True, "Regions unknown")
        same = pair[0] == pair[1]
        words = f"{args[0]} is in {pair[0]}, {args[1]} in {pair[1]}"
        return Holding((same if p is Predicate.SAME_REGION else not same), words)
    if p in (Predicate.LAG_VAULT, Predicate.STANDARD_VAULT):
        kind = _vault_type(binding, args[0]) or VaultType.STANDARD
        lag = kind is VaultType.LOGICALLY_AIR_GAPPED
        return Holding(
            (lag if p is Predicate.LAG_VAULT else not lag), f"{args[0]} is a {kind} vault"
        )
    if p is Predicate.CUSTOMER_KEY:
        customer = binding.is_customer_key(args[0])
        if customer is None:
            return Holding(True, "key manager unknown")
        if customer:
            return Holding(True, f"{args[0]} is a customer managed key")
        return Holding(
            False,
            (
                f"{args[0]} {binding.values[args[0]]} is an AWS managed key: AWS writes its key "
                "policy, which lets principals of its own account use it through the service"
            ),
        )
    if p is Predicate.AWS_MANAGED_KEY:
        customer = binding.is_customer_key(args[0])
        if customer is None:
            return Holding(True, "key manager unknown")
        what = "a customer" if customer else "an AWS"
        return Holding(not customer, f"{args[0]} {binding.values[args[0]]} is {what} managed key")
    if p is Predicate.GIVEN:
        if args[0] in binding.values and args[0] not in binding.given:
            return Holding(
                False, f"{args[0]} was not given (its value comes from the world: see Notes)"
            )
        return Holding(args[0] in binding.given, f"{args[0]} was not given")
    if p is Predicate.BOUND:
        return Holding(args[0] in binding.values, f"{args[0]} is neither given nor known")
    if p is Predicate.CROSS_ACCOUNT_OR_REGION:
        accounts = _pair(binding, condition, "account")
        regions = _pair(binding, condition, "region")
        if accounts is None or regions is None:
            return Holding(True, "accounts or Regions unknown")
        leaves = accounts[0] != accounts[1] or regions[0] != regions[1]
        return Holding(leaves, f"{args[0]} and {args[1]} are in the same account and Region")
    if p is Predicate.FOREIGN_IMAGE:
        return _foreign_image(binding, condition)
    if p in TYPE_PREDICATES:
        return _type_holds(binding, condition)
    if p is Predicate.TYPE_KNOWN:
        known = binding.kind is not None and binding.kind.type is not None
        return Holding(known, "the resource type is not known (give --resource-type or --resource)")
    raise UnresolvedError(f"unknown predicate {p}")  # pragma: no cover - enum is exhaustive


def _foreign_image(binding: Binding, condition: Condition) -> Holding:
    """Whether the AMI a copy reads is another's than the destination account's: EC2 Allowed
    AMIs never restricts an account's own AMIs (GetAllowedImagesSettings), so a copy between
    two standard vaults of one account (cross-Region too) is never refused by it; a logically
    air-gapped vault's AMIs are aws-backup-vault's, whatever the account (LAG page)."""
    source, destination = condition.args
    if _vault_type(binding, source) is VaultType.LOGICALLY_AIR_GAPPED:
        return Holding(True, f"{source} is logically air-gapped")
    pair = _pair(binding, condition, "account")
    if pair is None:
        return Holding(True, "accounts unknown")
    return Holding(
        pair[0] != pair[1],
        (
            f"{source} and {destination} are both in account {pair[0]}, whose own AMIs EC2 "
            "Allowed AMIs never restricts"
        ),
    )


def type_unknown(binding: Binding, check: Check) -> str | None:
    """Why a check that depends on the resource type cannot be decided, or None."""
    kind = binding.kind
    for condition in check.when:
        if condition.predicate not in TYPE_PREDICATES:
            continue
        if kind is None or (
            condition.predicate is Predicate.TYPE_IN and _type_in(kind, condition) is None
        ):
            return "the resource type is unknown: give --resource-type (or a recovery point ARN)"
        if kind.fully_managed is None:
            return (
                f"whether AWS Backup fully manages this recovery point is unknown ({kind.how}): "
                "give --resource-type"
            )
    return None


def _type_in(kind: PointKind, condition: Condition) -> bool | None:
    """Whether every possible type is in the list (True), none is (False), or it depends. With
    no type but a known class (fully managed or not), a list of the other class is False."""
    wanted = {name.lower() for name in condition.args}
    if not kind.types:
        table = load_resource_types()
        listed = {t.fully_managed for t in table.types.values() if t.name.lower() in wanted}
        if kind.fully_managed is not None and listed == {not kind.fully_managed}:
            return False
        return None
    inside = {t.name.lower() in wanted for t in kind.types}
    return inside.pop() if len(inside) == 1 else None


def _type_holds(binding: Binding, condition: Condition) -> Holding:
    return type_holds(binding.kind, condition)


def type_holds(kind: PointKind | None, condition: Condition) -> Holding:
    """Whether a type condition (``type_in``, ``fully_managed``, ``snapshot_backed``) holds
    for ``kind``, and why. Undecidable (unknown type) counts as holding: the check then
    reports unknown, and a list narrowed to a type keeps it."""
    if kind is None:
        return Holding(True, "resource type unknown")
    if condition.predicate is Predicate.TYPE_IN:
        inside = _type_in(kind, condition)
        if inside is None:
            return Holding(True, "resource type unknown")
        return Holding(inside, f"the resource type is {kind.label}")
    if kind.fully_managed is None:
        return Holding(True, "whether the type is fully managed is unknown")
    managed = kind.fully_managed
    holds = managed if condition.predicate is Predicate.FULLY_MANAGED else not managed
    what = "fully managed by AWS Backup" if managed else "snapshot-backed (not fully managed)"
    return Holding(holds, f"the recovery point is {what}: {kind.label} ({kind.how})")


def applies(binding: Binding, check: Check) -> Holding:
    """Whether every condition of ``check`` holds; else the first reason it does not."""
    for condition in check.when:
        ok, why = holds(binding, condition)
        if not ok:
            return Holding(False, why)
    return Holding(True, "")
