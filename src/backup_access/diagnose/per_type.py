"""An operation asked without a recovery point or resource type: one answer per resource type
the world records in the vault, or a request for ``--resource-type``.

The checks of a copy or restore depend on the type (which keys, which snapshot sharing,
https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html), so a question that
names neither cannot be answered once for all types.
"""

from __future__ import annotations

from collections.abc import Mapping

from backup_access.catalogue import load_catalogue
from backup_access.diagnose.explain import explain_operation
from backup_access.diagnose.kind import types_held
from backup_access.diagnose.model import Explanation
from backup_access.engine.model import NamedPolicy
from backup_access.errors import RequestError
from backup_access.world import World


def needs_type(operation: str, parameters: Mapping[str, str | None]) -> bool:
    """Whether the operation handles a recovery point and neither it nor a type was given."""
    spec = load_catalogue().operations.get(operation)
    typed = spec.typed_by if spec is not None else None
    if typed is None or typed.recovery_point is None:
        return False
    given = {k for k, v in parameters.items() if v is not None}
    return not ({typed.recovery_point, "resource_type"} & given)


def explain_each_type(
    world: World,
    operation: str,
    parameters: Mapping[str, str | None],
    *,
    session: tuple[NamedPolicy, ...] | None = None,
) -> list[tuple[str, Explanation]]:
    """One explanation per resource type the vault holds in the world, titled by the type;
    ``RequestError`` asking for ``--resource-type`` when the world records none."""
    spec = load_catalogue().operation(operation)
    typed = spec.typed_by
    assert typed is not None  # needs_type() said so
    vault = parameters.get(typed.vault) or ""
    held = types_held(world, vault)
    if not held:
        point = (typed.recovery_point or "recovery_point").replace("_", "-")
        raise RequestError(
            f"{operation}: give --{point} or --resource-type: the checks depend on the resource "
            f"type, and the world records no recovery point of a known type in vault {vault}"
        )
    return [
        (
            f"{operation} ({spec.api}), any {name} recovery point",
            explain_operation(
                world, operation, {**parameters, "resource_type": name}, session=session
            ),
        )
        for name in held
    ]
