"""The world model of an organization and its accounts, its loaders and the resolver.

``load_world(path)`` reads Contract 2 files; ``resolve(world, principal, action, resource)``
turns a request into the engine's policy set and context.
"""

from __future__ import annotations

from backup_access.world.loader import load_world
from backup_access.world.managed import shipped_policy_names
from backup_access.world.model import (
    Account,
    Group,
    Key,
    KeyManager,
    Location,
    ManagedPolicy,
    Organization,
    OrgPolicy,
    OrgUnit,
    Region,
    Role,
    User,
    Vault,
    VaultType,
    World,
)
from backup_access.world.resolve import Resolution, resolve

__all__ = [
    "Account",
    "Group",
    "Key",
    "KeyManager",
    "Location",
    "ManagedPolicy",
    "OrgPolicy",
    "OrgUnit",
    "Organization",
    "Region",
    "Resolution",
    "Role",
    "User",
    "Vault",
    "VaultType",
    "World",
    "load_world",
    "resolve",
    "shipped_policy_names",
]
