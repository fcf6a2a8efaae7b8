"""The world as JSON (Contract 2), the form fixes are applied to: read and write values by
JSON pointer, merge the documents of a world directory, and parse the result back into a
``World`` to re-run the diagnosis on it.

The pointers of the world model (``Location.pointer``, a quoted statement's ``pointer``) are
pointers into this JSON: every world file has the same top-level shape, so they hold in the
merged document too.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable
from typing import Any

from backup_access.policy.pointer import escape_pointer_token
from backup_access.world import World
from backup_access.world.loader import merge_parts, parse_world_part

PATCHED_SOURCE = "<patched world>"
_MERGED_MAPS = ("accounts", "aws_managed_policies")


class PointerError(KeyError):
    """A pointer names nothing in the world JSON."""


def tokens(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PointerError(pointer)
    return [t.replace("~1", "/").replace("~0", "~") for t in pointer[1:].split("/")]


def join(pointer: str, *parts: str | int) -> str:
    return pointer + "".join("/" + escape_pointer_token(str(p)) for p in parts)


def _step(node: Any, token: str, pointer: str) -> Any:
    if isinstance(node, dict):
        if token not in node:
            raise PointerError(pointer)
        return node[token]
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    raise PointerError(pointer)


def get(document: Any, pointer: str) -> Any:
    node = document
    for token in tokens(pointer):
        node = _step(node, token, pointer)
    return node


def find(document: Any, pointer: str) -> Any | None:
    try:
        return get(document, pointer)
    except PointerError:
        return None


def put(document: Any, pointer: str, value: Any) -> None:
    """Set the value at ``pointer``, creating missing mappings on the way (not lists)."""
    parts = tokens(pointer)
    if not parts:
        raise PointerError("cannot replace the whole world")
    node = document
    for token in parts[:-1]:
        if isinstance(node, dict):
            if node.get(token) is None:
                node[token] = {}
            node = node[token]
        else:
            node = _step(node, token, pointer)
    last = parts[-1]
    if isinstance(node, dict):
        node[last] = value
    elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
        node[int(last)] = value
    elif isinstance(node, list) and last == "-":
        node.append(value)
    else:
        raise PointerError(pointer)


def merge_documents(documents: Iterable[Any]) -> dict[str, Any]:
    """One world JSON from the documents of a world directory (already validated by the
    loader, so conflicts cannot occur): accounts and AWS managed policies are merged by key."""
    merged: dict[str, Any] = {}
    for document in documents:
        if not isinstance(document, dict):
            continue
        for key, value in document.items():
            if key in _MERGED_MAPS and isinstance(value, dict):
                merged.setdefault(key, {}).update(copy.deepcopy(value))
            elif value is not None:
                merged.setdefault(key, copy.deepcopy(value))
    return merged


# What a world knows beyond its JSON (a collected world's manifest: the parts it could not
# read, which stay unknown in every patched copy).
_CARRIED = ("unknown", "collected")


def world_from_json(
    document: dict[str, Any], *, source: str = PATCHED_SOURCE, like: World | None = None
) -> World:
    """Parse world JSON (the world file format); ``InputError`` when a change made it
    invalid. ``like``: the world it was read from, whose manifest facts carry over."""
    world = merge_parts([parse_world_part(document, source=source)])
    if like is None:
        return world
    names = {f.name for f in dataclasses.fields(World)}
    carried = {name: getattr(like, name) for name in _CARRIED if name in names}
    return dataclasses.replace(world, **carried)
