"""The world model of an organization and its accounts, its loaders and the resolver."""

from __future__ import annotations

from backup_access.world.model import (
    Account,
    Group,
    Key,
    KeyManager,
    Location,
    ManagedPolicy,
    Organization,
    OrgPolicy,
    OrgPolicyType,
    OrgUnit,
    Region,
    Role,
    User,
    Vault,
    VaultType,
    World,
)

__all__ = [
    "Account",
    "Group",
    "Key",
    "KeyManager",
    "Location",
    "ManagedPolicy",
    "OrgPolicy",
    "OrgPolicyType",
    "OrgUnit",
    "Organization",
    "Region",
    "Role",
    "User",
    "Vault",
    "VaultType",
    "World",
]
