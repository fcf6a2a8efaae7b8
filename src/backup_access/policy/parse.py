"""Validate a raw policy document (JSON text or decoded JSON) into a ``Policy``.

Raw dicts end here. Every problem raises ``PolicyError`` with the RFC 6901 pointer of the
offending element, so a caller can say exactly where the document is wrong.
Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
Elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from backup_access.documents import count_keys, refuse_lone_surrogates, refuse_repeated_keys
from backup_access.errors import PolicyError
from backup_access.frozen import maker
from backup_access.memo import memo
from backup_access.policy.model import (
    VERSION_2008,
    VERSION_2012,
    Condition,
    Effect,
    Policy,
    PrincipalSpec,
    Statement,
)
from backup_access.policy.pointer import escape_pointer_token, statement_pointer

_TOP_LEVEL = frozenset({"Version", "Id", "Statement"})
_STATEMENT_KEYS = frozenset(
    {
        "Sid",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "NotPrincipal",
        "Condition",
    }
)
_PRINCIPAL_KINDS = {
    "AWS": "aws",
    "Service": "service",
    "Federated": "federated",
    "CanonicalUser": "canonical_user",
}
MAX_POLICY_CHARS = 1_000_000
_EFFECTS = {"Allow": Effect.ALLOW, "Deny": Effect.DENY}
_make_policy = maker(Policy)
_make_statement = maker(Statement)
_make_condition = maker(Condition)
_STR = frozenset({str})  # ``_STR.issuperset(map(type, items))``: every item is a str
_ABSENT: Any = object()  # an element the statement does not have
_NULL: Any = object()  # an element present with a null value (an error, reported as such)


def _at(pointer: str, token: str | int) -> str:
    if type(token) is str and "~" not in token and "/" not in token:
        return f"{pointer}/{token}"
    return f"{pointer}/{escape_pointer_token(token)}"


def _type_name(value: object) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)


def parse_policy(document: object, *, pointer: str = "") -> Policy:
    """Parse a policy given as decoded JSON or as JSON text.

    Raises ``PolicyError`` (never anything else) when the document is not a valid policy.
    """
    if type(document) is not dict and isinstance(document, str):
        if len(document) > MAX_POLICY_CHARS:
            raise PolicyError("policy text is larger than 1,000,000 characters", pointer=pointer)
        text = document
        try:
            document = json.loads(text)
        except (ValueError, RecursionError) as error:
            raise PolicyError(f"policy text is not valid JSON: {error}", pointer=pointer) from None
        keys = count_keys(document)
        refuse_repeated_keys(text, keys, source=None, pointer=pointer, error=PolicyError)
        refuse_lone_surrogates(text, document, source=None, pointer=pointer, error=PolicyError)
    if type(document) is not dict and not isinstance(document, Mapping):
        raise PolicyError(
            f"a policy must be an object, found {_type_name(document)}", pointer=pointer
        )
    for key in () if _TOP_LEVEL.issuperset(document) else document:
        if key not in _TOP_LEVEL:
            raise PolicyError(
                f"unknown policy element '{key}' (expected Version, Id, Statement)",
                pointer=_at(pointer, str(key)),
            )
    version = document.get("Version")
    if version is None and "Version" in document:
        # reference_policies_elements_version.html: Version takes one of two strings; a
        # null is neither (leave the element out to mean "no Version", with its limits).
        raise PolicyError(
            f"Version must be '{VERSION_2012}' or '{VERSION_2008}', found null (leave it out "
            "or, better, write 2012-10-17)",
            pointer=_at(pointer, "Version"),
        )
    if version is not None and version not in (VERSION_2012, VERSION_2008):
        raise PolicyError(
            f"Version must be '{VERSION_2012}' or '{VERSION_2008}', found {version!r}",
            pointer=_at(pointer, "Version"),
        )
    policy_id = document.get("Id")
    if policy_id is not None and not isinstance(policy_id, str):
        raise PolicyError("Id must be a string", pointer=_at(pointer, "Id"))
    raw = document.get("Statement", _ABSENT)
    if raw is _ABSENT:
        raise PolicyError("a policy needs a Statement element", pointer=pointer)
    statements_pointer = f"{pointer}/Statement"
    if isinstance(raw, list):
        statements: tuple[Statement, ...] = tuple(
            [_statement(item, index, statements_pointer, index) for index, item in enumerate(raw)]
        )
    elif isinstance(raw, Mapping):
        statements = (_statement(raw, 0, statements_pointer, None),)
    else:
        raise PolicyError(
            f"Statement must be an object or a list, found {_type_name(raw)}",
            pointer=statements_pointer,
        )
    return _make_policy(version, policy_id, statements)


def parse_statement(raw: object, index: int, pointer: str) -> Statement:
    """Parse one statement found at ``pointer``; raises ``PolicyError`` like ``parse_policy``.

    Public so that a linter can report every broken statement, not only the first.
    """
    return _statement(raw, index, pointer, None)


def _statement(raw: object, index: int, container: str, position: int | None) -> Statement:
    """A statement at ``statement_pointer(container, position)``. Its pointer is only built
    for an error: the checks below report pointers relative to the statement."""
    try:
        return _statement_here(raw, index, container, position)
    except PolicyError as error:
        raise error.located(prefix=statement_pointer(container, position)) from None


def _statement_here(raw: object, index: int, container: str, position: int | None) -> Statement:
    """Each element is looked up once (``_ABSENT`` tells a missing element from a null one);
    pointers are relative to the statement."""
    pointer = ""
    if type(raw) is not dict and not isinstance(raw, Mapping):
        raise PolicyError(
            f"a statement must be an object, found {_type_name(raw)}", pointer=pointer
        )
    if not _STATEMENT_KEYS.issuperset(raw):
        key = next(k for k in raw if k not in _STATEMENT_KEYS)
        raise PolicyError(f"unknown statement element '{key}'", pointer=_at(pointer, str(key)))
    get = raw.get
    sid = get("Sid")
    if sid is not None and type(sid) is not str:
        raise PolicyError("Sid must be a string", pointer=_at(pointer, "Sid"))
    written = get("Effect", _ABSENT)
    effect = _EFFECTS.get(written) if type(written) is str else None
    if effect is None:
        if written is _ABSENT:
            raise PolicyError("a statement needs an Effect", pointer=pointer)
        raise PolicyError(
            f"Effect must be 'Allow' or 'Deny' (case-sensitive), found {written!r}",
            pointer=_at(pointer, "Effect"),
        )
    # Each pair: one element or its negated form. The common case (the positive element
    # alone) is read here; _pair sorts out the rest and reports what is wrong.
    actions = get("Action")
    if actions is None or "NotAction" in raw:
        actions, not_actions = _pair(raw, "Action", "NotAction", pointer, True)
    else:
        not_actions = None
    resources = get("Resource")
    if resources is None or "NotResource" in raw:
        resources, not_resources = _pair(raw, "Resource", "NotResource", pointer, False)
    else:
        not_resources = None
    principal = get("Principal", _ABSENT)
    not_principal = get("NotPrincipal", _ABSENT)
    if principal is not _ABSENT and not_principal is not _ABSENT:
        raise PolicyError(
            "a statement cannot have both Principal and NotPrincipal", pointer=pointer
        )
    condition = get("Condition", _ABSENT)
    return _make_statement(
        index,
        sid,
        effect,
        _actions(actions, "Action", pointer) if actions is not None else None,
        _actions(not_actions, "NotAction", pointer) if not_actions is not None else None,
        _strings(resources, "Resource", pointer) if resources is not None else None,
        _strings(not_resources, "NotResource", pointer) if not_resources is not None else None,
        None if principal is _ABSENT else _principal(principal, "Principal", pointer),
        None if not_principal is _ABSENT else _principal(not_principal, "NotPrincipal", pointer),
        () if condition is _ABSENT else _conditions(condition, container, position),
        container,
        position,
    )


def _pair(
    raw: Mapping[str, Any], name: str, negated: str, pointer: str, required: bool
) -> tuple[Any, Any]:
    """The values of an element and its negated form, at most one of them present
    (``None`` for the absent one; a null value comes back as ``_NULL``)."""
    value = raw.get(name, _ABSENT)
    other = raw.get(negated, _ABSENT)
    if value is not _ABSENT:
        if other is not _ABSENT:
            raise PolicyError(f"a statement cannot have both {name} and {negated}", pointer=pointer)
        return (_NULL if value is None else value), None
    if other is not _ABSENT:
        return None, (_NULL if other is None else other)
    if required:
        raise PolicyError(f"a statement needs {name} or {negated}", pointer=pointer)
    return None, None


def _strings(value: Any, name: str, pointer: str) -> tuple[str, ...]:
    if type(value) is str and value:
        return (value,)
    if type(value) is list and value and _STR.issuperset(map(type, value)) and "" not in value:
        return tuple(value)
    # Something is wrong: find it and say where (pointers are only built on this path).
    if value is _NULL:
        value = None
    here = _at(pointer, name)
    items = value if isinstance(value, list) else [value]
    if not items:
        raise PolicyError(f"{name} must not be an empty list", pointer=here)
    result = []
    for position, item in enumerate(items):
        where = _at(here, position) if isinstance(value, list) else here
        if not isinstance(item, str):
            raise PolicyError(
                f"{name} values must be strings, found {_type_name(item)}", pointer=where
            )
        if not item:
            raise PolicyError(
                f'{name} must not be an empty string (did you mean "*"?)', pointer=where
            )
        result.append(item)
    return tuple(result)


@memo
@lru_cache(maxsize=8192)
def _well_formed_actions(actions: tuple[str, ...]) -> bool:
    """Every entry is ``"*"`` or ``service:Action``; cached, since policies repeat them."""
    return all(
        action == "*" or (action.count(":") == 1 and action[0] != ":" and action[-1] != ":")
        for action in actions
    )


def _actions(value: Any, name: str, pointer: str) -> tuple[str, ...]:
    actions = _strings(value, name, pointer)
    if _well_formed_actions(actions):
        return actions
    for position, action in enumerate(actions):
        if action != "*" and (action.count(":") != 1 or action[0] == ":" or action[-1] == ":"):
            where = _at(_at(pointer, name), position) if type(value) is list else _at(pointer, name)
            raise PolicyError(
                f"'{action}' is not an action: write it as service:Action (or \"*\")",
                pointer=where,
            )
    return actions


_EVERYONE = PrincipalSpec(everyone=True)


def _principal(value: Any, name: str, pointer: str) -> PrincipalSpec:
    if value == "*":
        return _EVERYONE
    here = f"{pointer}/{name}"
    if type(value) is not dict and not isinstance(value, Mapping):
        raise PolicyError(
            f'{name} must be "*" or an object such as {{"AWS": "..."}}, found {value!r}'
            if isinstance(value, str)
            else f'{name} must be "*" or an object, found {_type_name(value)}',
            pointer=here,
        )
    if not value:
        raise PolicyError(f"{name} must name at least one principal", pointer=here)
    kinds: dict[str, Any] = {}
    for kind, names in value.items():
        field = _PRINCIPAL_KINDS.get(kind) if type(kind) is str else None
        if field is None:
            raise PolicyError(
                f"unknown principal type '{kind}' "
                "(expected AWS, Service, Federated, CanonicalUser)",
                pointer=_at(here, str(kind)),
            )
        values = _strings(names, kind, here)
        for position, name in enumerate(values):
            if name != name.strip():
                # AWS refuses such a principal when the policy is saved (a principal is an
                # ARN, an account id or a service name, none holding spaces:
                # reference_policies_elements_principal.html); trimming it would evaluate a
                # policy that cannot exist, and matching it as written would never match.
                raise PolicyError(
                    f"the principal {name!r} has whitespace around it, which AWS refuses",
                    pointer=_at(_at(here, kind), position)
                    if type(names) is list
                    else _at(here, kind),
                )
        kinds[field] = values
    return PrincipalSpec(**kinds)


def _condition_value(item: object, where: str) -> str:
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int | float):
        return str(item)
    if isinstance(item, str):
        return item
    raise PolicyError(
        f"condition values must be strings, numbers or booleans, found {_type_name(item)}",
        pointer=where,
    )


def _conditions(raw: object, container: str, position: int | None) -> tuple[Condition, ...]:
    """The Condition element; errors are located relative to the statement."""
    pointer = "/Condition"
    if type(raw) is not dict and not isinstance(raw, Mapping):
        raise PolicyError(f"Condition must be an object, found {_type_name(raw)}", pointer=pointer)
    conditions = []
    for operator, block in raw.items():
        if type(operator) is not str or not operator:
            raise PolicyError(
                "condition operators must be non-empty strings", pointer=_at(pointer, str(operator))
            )
        if not block or (type(block) is not dict and not isinstance(block, Mapping)):
            raise PolicyError(
                f"condition operator '{operator}' must map condition keys to values",
                pointer=_at(pointer, operator),
            )
        for key, values in block.items():
            if type(key) is not str or not key:
                raise PolicyError(
                    "condition keys must be non-empty strings",
                    pointer=_at(_at(pointer, operator), str(key)),
                )
            if type(values) is str:
                parsed: tuple[str, ...] = (values,)
            elif type(values) is list:
                parsed = tuple(values)
                if not parsed or not _STR.issuperset(map(type, parsed)):
                    parsed = _condition_values(values, key, _at(_at(pointer, operator), key))
            else:
                parsed = (_condition_value(values, _at(_at(pointer, operator), key)),)
            conditions.append(_make_condition(operator, key, parsed, container, position))
    return tuple(conditions)


def _condition_values(values: list[Any], key: str, pointer: str) -> tuple[str, ...]:
    if not values:
        raise PolicyError(f"condition key '{key}' has no values", pointer=pointer)
    return tuple(
        item if type(item) is str else _condition_value(item, _at(pointer, i))
        for i, item in enumerate(values)
    )
