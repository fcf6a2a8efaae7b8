"""KMS grants as written in a request file (``policies.grants``) or a world file (a key's
``grants``): one parser for both, validating at the edge.

A grant: ``{name?, grantee, operations: [..], retiring_principal?, constraints?:
{encryption_context_equals | encryption_context_subset: {key: value}}}``
(https://docs.aws.amazon.com/kms/latest/developerguide/grants.html).
"""

from __future__ import annotations

from backup_access.engine.model import Grant
from backup_access.errors import RequestError
from backup_access.fields import at, check_keys, mapping, optional_text, tags, text, text_list

GRANT_KEYS = frozenset({"name", "grantee", "operations", "retiring_principal", "constraints"})
CONSTRAINT_KEYS = frozenset({"encryption_context_equals", "encryption_context_subset"})


def _pairs(raw: object, pointer: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(tags(raw, pointer).items()))


def parse_grant(raw: object, index: int, pointer: str) -> Grant:
    """One grant; ``index`` names it (``grant[i]``) when it has no name."""
    data = mapping(raw, pointer, "a grant")
    check_keys(data, GRANT_KEYS, pointer)
    if "grantee" not in data:
        raise RequestError("a grant needs 'grantee' and 'operations'", pointer=pointer)
    operations = text_list(data.get("operations"), at(pointer, "operations"), "operations")
    if not operations:
        raise RequestError("a grant needs 'grantee' and 'operations'", pointer=pointer)
    constraints_at = at(pointer, "constraints")
    constraints = mapping(data.get("constraints"), constraints_at, "constraints")
    check_keys(constraints, CONSTRAINT_KEYS, constraints_at)

    def pairs(key: str) -> tuple[tuple[str, str], ...] | None:
        return _pairs(constraints[key], at(constraints_at, key)) if key in constraints else None

    return Grant(
        name=text(data.get("name", f"grant[{index}]"), at(pointer, "name"), "name"),
        grantee=text(data.get("grantee"), at(pointer, "grantee"), "grantee"),
        operations=operations,
        retiring_principal=optional_text(
            data.get("retiring_principal"), at(pointer, "retiring_principal"), "retiring_principal"
        ),
        encryption_context_equals=pairs("encryption_context_equals"),
        encryption_context_subset=pairs("encryption_context_subset"),
    )


def parse_grants(raw: object, pointer: str) -> tuple[Grant, ...]:
    """A list of grants."""
    if not isinstance(raw, list):
        raise RequestError("'grants' must be a list", pointer=pointer)
    return tuple(parse_grant(item, index, at(pointer, index)) for index, item in enumerate(raw))
