"""Non-policy gates: settings of the organization, vaults and keys, read from the world.

Sources: cross-account backup setting and same organization
(https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html,
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_UpdateGlobalSettings.html);
default vault / aws/backup key and AWS managed source keys
(https://repost.aws/knowledge-center/backup-cross-account-copy-error); logically air-gapped
vault sharing (https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html);
AWS managed keys, usable only by principals of their own account, through the service, with
key policies no one can change
(https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key,
https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying.html).
"""

from __future__ import annotations

from backup_access.catalogue import Check, Gate
from backup_access.diagnose.binding import Binding
from backup_access.diagnose.gate_outcome import (
    GateOutcome,
    gate_closed,
    gate_open,
    gate_unknown,
)
from backup_access.diagnose.predicates import type_unknown
from backup_access.diagnose.service_gates import TYPE_GATES
from backup_access.world import KeyManager, VaultType
from backup_access.world.lookup import is_aws_managed_alias
from backup_access.world.organization import account_path

DEFAULT_VAULT = "Default"


_ok = gate_open
_closed = gate_closed
_unknown = gate_unknown


def _cross_account_backup(binding: Binding) -> GateOutcome:
    organization = binding.world.organization
    if organization is None:
        return _unknown(
            "the world has no organization",
            "the organization (aws organizations describe-organization) and its cross-account "
            "backup setting (aws backup describe-global-settings, in the management account)",
        )
    if organization.cross_account_backup is None:
        return _unknown(
            f"the world does not record organization {organization.id}'s cross-account "
            "backup setting",
            "organization.cross_account_backup: aws backup describe-global-settings "
            "(isCrossAccountBackupEnabled) in the management account",
        )
    if organization.cross_account_backup:
        return _ok(f"cross-account backup is enabled in organization {organization.id}")
    return _closed(
        f"cross-account backup is disabled in organization {organization.id} "
        "(isCrossAccountBackupEnabled is false): the management account must enable it"
    )


def _same_organization(binding: Binding, first: str, second: str) -> GateOutcome:
    organization = binding.world.organization
    accounts = [binding.account(first), binding.account(second)]
    if organization is None:
        return _unknown(
            "the world has no organization",
            "the organization and its accounts (aws organizations describe-organization, "
            "list-accounts)",
        )
    outside = sorted({a for a in accounts if a and account_path(organization, a) is None})
    if outside:
        return _closed(
            f"account(s) {', '.join(outside)} are not members of organization "
            f"{organization.id}: both accounts must be in the same organization"
        )
    return _ok(f"both accounts are members of organization {organization.id}")


def _same_account(binding: Binding, first: str, second: str) -> GateOutcome:
    a, b = binding.account(first), binding.account(second)
    if a == b:
        return _ok(f"{first} and {second} are both in account {a}")
    return _closed(f"{first} is in account {a} but {second} is in account {b}")


def _vault_missing(binding: Binding, name: str) -> GateOutcome:
    value = binding.values.get(name, "")
    account = binding.account(name) or ""
    if account in binding.world.accounts:
        return _closed(f"vault {value} does not exist in account {account} (per the world)")
    return _unknown(
        f"account {account} is not in the world",
        f"account {account}'s vaults (aws backup list-backup-vaults)",
    )


def _vault_gate(binding: Binding, gate: Gate, name: str) -> GateOutcome:
    vault = binding.vault(name)
    value = binding.values.get(name, "")
    if vault is None:
        return _vault_missing(binding, name)
    if gate is Gate.VAULT_EXISTS:
        return _ok(f"vault {vault.name} exists ({vault.location})")
    if gate is Gate.VAULT_EMPTY:
        if vault.recovery_points:
            points = ", ".join(sorted(vault.recovery_points))
            return _closed(f"vault {vault.name} still holds recovery points: {points}")
        return _ok(f"the world lists no recovery points in vault {vault.name}")
    if gate is Gate.VAULT_IS_LAG:
        if vault.type is VaultType.LOGICALLY_AIR_GAPPED:
            return _ok(f"vault {vault.name} is logically air-gapped")
        return _closed(
            f"vault {vault.name} is a standard vault: only logically air-gapped vaults are "
            "shared through AWS RAM (standard vaults use their access policy)"
        )
    # Gate.VAULT_NOT_DEFAULT: "the destination vault cannot be the default vault ... encrypted
    # with a key that cannot be shared with other accounts" (create-cross-account-backup.html)
    if vault.name == DEFAULT_VAULT:
        return _closed(f"{value} is the default vault, which cannot receive cross-account copies")
    return _ok(f"vault {vault.name} is not the default vault")


def _key_customer_managed(binding: Binding, name: str) -> GateOutcome:
    value = binding.values.get(name)
    if value is None:
        why = binding.unresolved.get(name, f"no {name} given and none found")
        return _unknown(why, f"the {name} (a KMS key ARN)")
    key = binding.key(name)
    if key is not None:
        if key.manager is KeyManager.CUSTOMER:
            return _ok(f"{key.arn} is a customer managed key")
        return _closed(f"{key.arn} is an AWS managed key: its key policy cannot be changed")
    if is_aws_managed_alias(value):
        return _closed(f"{value} is an AWS managed key: its key policy cannot be changed")
    return _unknown(
        f"KMS key {value} is not in the world", f"KMS key {value} (aws kms describe-key)"
    )


def _aws_managed_key_own_account(binding: Binding, name: str, principal: str) -> GateOutcome:
    """An AWS managed key is usable only by principals of its own account: AWS writes its key
    policy (use through the service, for ``kms:CallerAccount`` = the key's account) and no one
    can change it, so neither a key policy nor IAM can open it to another account."""
    value = binding.values.get(name)
    if value is None:
        return _unknown(f"no {name} given and none found", f"the {name} (a KMS key ARN)")
    key_account, account = binding.account(name), binding.account(principal)
    if key_account is None or account is None:
        return _unknown(
            f"the accounts of {name} {value} and {principal} are not both known",
            f"the full ARN of the {name} (arn:aws:kms:REGION:ACCOUNT:…) and of the {principal}",
        )
    customer = binding.is_customer_key(name)
    if customer:
        return _ok(f"{value} is a customer managed key")
    if key_account == account:
        return _ok(f"{value} is in account {account}, the {principal}'s account")
    if customer is None:
        return _unknown(
            f"KMS key {value} of account {key_account} is not in the world: whether it is AWS "
            f"managed (usable only by principals of {key_account}) is unknown",
            f"KMS key {value} (aws kms describe-key: KeyManager)",
        )
    return _closed(
        f"{value} is an AWS managed key of account {key_account}: only principals of "
        f"{key_account} can use it (AWS writes its key policy, which cannot be changed), but the "
        f"{principal} is in account {account}; use a customer managed key whose key policy "
        f"allows account {account}"
    )


def _shared_with(binding: Binding, vault_name: str, principal: str) -> GateOutcome:
    vault = binding.vault(vault_name)
    account = binding.account(principal)
    if vault is None:
        return _vault_missing(binding, vault_name)
    organization = binding.world.organization
    targets = {account or ""}
    if organization is not None and account is not None:
        path = account_path(organization, account)
        if path is not None:
            targets |= {organization.id, *(unit.id for unit in path.units)}
    for entry in vault.shared_with:
        if any(target and (entry == target or entry.endswith("/" + target)) for target in targets):
            return _ok(f"vault {vault.name} is shared with {entry}")
    shared = ", ".join(vault.shared_with) or "nobody"
    return _closed(
        f"logically air-gapped vault {vault.name} is not shared with account {account} "
        f"(shared with: {shared}); share it through AWS RAM and accept the invitation"
    )


def evaluate_gate(binding: Binding, check: Check) -> GateOutcome:
    pending = type_unknown(binding, check)
    if pending is not None:
        return _unknown(pending, "the recovery point's resource type (--resource-type)")
    gate, args = check.gate, check.args
    typed = TYPE_GATES.get(gate) if gate is not None else None
    if typed is not None:
        return typed(binding, *args)
    if gate is Gate.CROSS_ACCOUNT_BACKUP_ENABLED:
        return _cross_account_backup(binding)
    if gate is Gate.SAME_ORGANIZATION:
        return _same_organization(binding, args[0], args[1])
    if gate is Gate.SAME_ACCOUNT:
        return _same_account(binding, args[0], args[1])
    if gate is Gate.KEY_CUSTOMER_MANAGED:
        return _key_customer_managed(binding, args[0])
    if gate is Gate.AWS_MANAGED_KEY_OWN_ACCOUNT:
        return _aws_managed_key_own_account(binding, args[0], args[1])
    if gate is Gate.VAULT_SHARED_WITH:
        return _shared_with(binding, args[0], args[1])
    if gate is None:  # pragma: no cover - the loader refuses settings without a gate
        raise ValueError(f"{check.id} has no gate")
    return _vault_gate(binding, gate, args[0])
