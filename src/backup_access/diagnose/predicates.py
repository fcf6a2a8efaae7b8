"""When a catalogue check applies: compare accounts and Regions, look at vaults and keys.

A predicate that cannot be decided from the world counts as holding, so the check is made
and its own result says what is missing (never silently skipped).
"""

from __future__ import annotations

from backup_access.catalogue import Check, Condition, Predicate
from backup_access.diagnose.binding import Binding, UnresolvedError
from backup_access.policy.arn import Arn
from backup_access.world import VaultType


def _pair(binding: Binding, condition: Condition, attribute: str) -> tuple[str, str] | None:
    first, second = condition.args
    get = binding.account if attribute == "account" else binding.region
    a, b = get(first), get(second)
    return None if a is None or b is None else (a, b)


def _vault_type(binding: Binding, name: str) -> VaultType | None:
    vault = binding.vault(name)
    return vault.type if vault is not None else None


def holds(binding: Binding, condition: Condition) -> tuple[bool, str]:
    """Whether ``condition`` holds, and a sentence saying why (for skipped checks)."""
    p = condition.predicate
    args = condition.args
    if p in (Predicate.SAME_ACCOUNT, Predicate.CROSS_ACCOUNT):
        pair = _pair(binding, condition, "account")
        if pair is None:
            return True, "accounts unknown"
        same = pair[0] == pair[1]
        words = f"{args[0]} is in {pair[0]}, {args[1]} in {pair[1]}"
        return (same if p is Predicate.SAME_ACCOUNT else not same), words
    if p in (Predicate.SAME_REGION, Predicate.CROSS_REGION):
        pair = _pair(binding, condition, "region")
        if pair is None:
            return True, "Regions unknown"
        same = pair[0] == pair[1]
        words = f"{args[0]} is in {pair[0]}, {args[1]} in {pair[1]}"
        return (same if p is Predicate.SAME_REGION else not same), words
    if p in (Predicate.LAG_VAULT, Predicate.STANDARD_VAULT):
        kind = _vault_type(binding, args[0]) or VaultType.STANDARD
        lag = kind is VaultType.LOGICALLY_AIR_GAPPED
        return (lag if p is Predicate.LAG_VAULT else not lag), f"{args[0]} is a {kind} vault"
    if p is Predicate.CUSTOMER_KEY:
        customer = binding.is_customer_key(args[0])
        if customer is None:
            return True, "key manager unknown"
        if customer:
            return True, f"{args[0]} is a customer managed key"
        return False, (
            f"{args[0]} {binding.values[args[0]]} is an AWS managed key: AWS writes its key "
            "policy, which lets principals of its own account use it through the service"
        )
    if p is Predicate.AWS_MANAGED_KEY:
        customer = binding.is_customer_key(args[0])
        if customer is None:
            return True, "key manager unknown"
        what = "a customer" if customer else "an AWS"
        return not customer, f"{args[0]} {binding.values[args[0]]} is {what} managed key"
    if p is Predicate.GIVEN:
        return args[0] in binding.given, f"{args[0]} was not given"
    if p is Predicate.SNAPSHOT_BACKED:
        arn = Arn.parse(binding.values.get(args[0], ""))
        backed = arn is not None and arn.service != "backup"
        what = "a snapshot" if backed else "a fully managed"
        return backed, f"{args[0]} is {what} recovery point"
    raise UnresolvedError(f"unknown predicate {p}")  # pragma: no cover - enum is exhaustive


def applies(binding: Binding, check: Check) -> tuple[bool, str]:
    """Whether every condition of ``check`` holds; else the first reason it does not."""
    for condition in check.when:
        ok, why = holds(binding, condition)
        if not ok:
            return False, why
    return True, ""
