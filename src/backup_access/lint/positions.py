"""Decode JSON or YAML while recording where every element starts.

Findings must name a line and column, which ``json`` and ``yaml.safe_load`` forget. JSON is
first decoded by ``json`` (strict, good error messages), then walked once more to record
positions by RFC 6901 pointer. YAML is composed into nodes (which carry marks) and converted
here, which is also where CloudFormation's short-form tags (``!Ref``, ``!Sub``…) become their
long form. Keys containing ``/`` or ``~`` (``aws:PrincipalTag/team``) are escaped.
"""

from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any, NamedTuple

import yaml

from backup_access.documents import (
    MAX_DEPTH,
    MAX_INT_DIGITS,
    SafeLoader,
    joined_pairs,
    parse_text,
    refuse_lone_surrogates,
    yaml_input_error,
)
from backup_access.errors import InputError
from backup_access.lint.model import Position, RepeatedKey
from backup_access.policy.pointer import escape_pointer_token

_LITERAL = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null")
_WHITESPACE = " \t\n\r"
_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NULL_TAG = "tag:yaml.org,2002:null"


class Decoded(NamedTuple):
    """A decoded file: its value, the position of every pointer in it, and the keys written
    twice in one object (the value keeps only the later of each)."""

    value: Any
    positions: dict[str, Position]
    repeated_keys: list[RepeatedKey]


def decode(text: str, *, source: str, json_only: bool) -> Decoded:
    """Decode ``text`` and return the value with the position of every pointer in it."""
    if json_only or text.lstrip()[:1] in ("{", "["):
        try:
            return _decode_json(text, source)
        except InputError:
            if json_only:
                raise
    return _decode_yaml(text, source)


def repeated_keys_in(text: str) -> list[RepeatedKey]:
    """The keys written twice in JSON ``text`` (a policy held as a string), with pointers and
    positions inside that text; none when the text is not JSON as written (a template's
    ``!Sub`` text with a reference outside a string)."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return []
    walker = _JsonPositions(text)
    walker.value(walker.skip(0), "", 0)
    return walker.repeated_keys


def _decode_json(text: str, source: str) -> Decoded:
    value = parse_text(text, source=source, json_only=True, keep_repeated_keys=True)
    walker = _JsonPositions(text)
    walker.value(walker.skip(0), "", 0)
    return Decoded(value, walker.positions, walker.repeated_keys)


class _JsonPositions:
    """Walks JSON text already known to be valid, recording where each value starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions: dict[str, Position] = {}
        self.repeated_keys: list[RepeatedKey] = []
        self._line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self._line_starts, offset) - 1
        return Position(line + 1, offset - self._line_starts[line] + 1)

    def skip(self, i: int) -> int:
        while i < len(self.text) and self.text[i] in _WHITESPACE:
            i += 1
        return i

    def value(self, i: int, pointer: str, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise InputError(f"nested deeper than {MAX_DEPTH} levels", pointer=pointer)
        self.positions[pointer] = self.position(i)
        char = self.text[i]
        if char == "{":
            return self._object(i + 1, pointer, depth)
        if char == "[":
            return self._array(i + 1, pointer, depth)
        if char == '"':
            return int(scanstring(self.text, i + 1)[1])
        match = _LITERAL.match(self.text, i)
        if match is None:  # json.loads accepted it, so only NaN/Infinity land here
            return i + len(
                next(w for w in ("NaN", "-Infinity", "Infinity") if self.text.startswith(w, i))
            )
        return match.end()

    def _object(self, i: int, pointer: str, depth: int) -> int:
        i = self.skip(i)
        if self.text[i] == "}":
            return i + 1
        seen: set[str] = set()  # this object's keys (positions also hold their children's)
        while True:
            key, i = scanstring(self.text, i + 1)
            i = self.skip(self.skip(i) + 1)  # past ':'
            inner = f"{pointer}/{escape_pointer_token(key)}"
            if key in seen:
                self.repeated_keys.append(RepeatedKey(inner, key, self.positions[inner]))
            seen.add(key)
            i = self.skip(self.value(i, inner, depth + 1))
            if self.text[i] == "}":
                return i + 1
            i = self.skip(i + 1)  # past ','

    def _array(self, i: int, pointer: str, depth: int) -> int:
        i = self.skip(i)
        if self.text[i] == "]":
            return i + 1
        index = 0
        while True:
            i = self.skip(self.value(i, f"{pointer}/{index}", depth + 1))
            index += 1
            if self.text[i] == "]":
                return i + 1
            i = self.skip(i + 1)


def _decode_yaml(text: str, source: str) -> Decoded:
    try:
        node = yaml.compose(text, Loader=SafeLoader)
    except (yaml.YAMLError, RecursionError) as error:
        raise yaml_input_error(error, source) from None
    positions: dict[str, Position] = {}
    repeated: list[RepeatedKey] = []
    if node is None:
        return Decoded(None, positions, repeated)
    try:
        value = _convert(node, "", positions, 0, repeated)
    except yaml.YAMLError as error:  # a number written in a form YAML readers disagree on
        raise yaml_input_error(error, source) from None
    refuse_lone_surrogates(text, value, source=source)
    return Decoded(value, positions, repeated)


def _convert(
    node: yaml.Node,
    pointer: str,
    positions: dict[str, Position],
    depth: int,
    repeated: list[RepeatedKey],
) -> Any:
    if depth > MAX_DEPTH:
        raise InputError(f"nested deeper than {MAX_DEPTH} levels", pointer=pointer)
    positions[pointer] = Position(node.start_mark.line + 1, node.start_mark.column + 1)
    tag = str(node.tag)
    if tag.startswith("!"):
        return _short_form(node, tag[1:], pointer, positions, depth, repeated)
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = str(_scalar(key_node)) if isinstance(key_node, yaml.ScalarNode) else "?"
            inner = f"{pointer}/{escape_pointer_token(key)}"
            if key in result and inner in positions:
                repeated.append(RepeatedKey(inner, key, positions[inner]))
            result[key] = _convert(value_node, inner, positions, depth + 1, repeated)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, f"{pointer}/{index}", positions, depth + 1, repeated)
            for index, item in enumerate(node.value)
        ]
    assert isinstance(node, yaml.ScalarNode)
    return _scalar(node)


def _short_form(
    node: yaml.Node,
    name: str,
    pointer: str,
    positions: dict[str, Position],
    depth: int,
    repeated: list[RepeatedKey],
) -> Any:
    """``!Ref X`` → ``{"Ref": "X"}``, ``!GetAtt A.B`` → ``{"Fn::GetAtt": ["A", "B"]}``."""
    key = name if name in ("Ref", "Condition") else f"Fn::{name}"
    inner = pointer + "/" + escape_pointer_token(key)
    if isinstance(node, yaml.ScalarNode):
        value: Any = node.value
        positions[inner] = positions[pointer]
        if name == "GetAtt" and isinstance(value, str):
            value = value.split(".", 1)
    else:
        plain = yaml.MappingNode if isinstance(node, yaml.MappingNode) else yaml.SequenceNode
        untagged = plain(
            "tag:yaml.org,2002:map" if plain is yaml.MappingNode else "tag:yaml.org,2002:seq",
            node.value,
            node.start_mark,
            node.end_mark,
        )
        value = _convert(untagged, inner, positions, depth + 1, repeated)
    return {key: value}


def _scalar(node: yaml.ScalarNode) -> Any:
    """Plain YAML scalars as JSON would have them, read as ``documents.SafeLoader`` reads
    them (so ``lint`` and every other command see one value); dates stay text."""
    text = str(node.value)
    tag = str(node.tag)
    if tag == _NULL_TAG:
        return None
    if tag == _BOOL_TAG:
        return text.lower() in ("true", "yes", "on", "y")
    if tag == _INT_TAG:
        digits = sum(c.isdigit() for c in text)
        if digits > MAX_INT_DIGITS:  # Python refuses to convert it: say where it is
            mark = node.start_mark
            raise InputError(
                f"an integer of {digits:,} digits at line {mark.line + 1}, column "
                f"{mark.column + 1} (at most {MAX_INT_DIGITS:,}; quote it to make it text)"
            )
        return _SCALARS.construct_yaml_int(node)
    if tag == _FLOAT_TAG:
        return _SCALARS.construct_yaml_float(node)
    return joined_pairs(text)


_SCALARS = SafeLoader("")  # its number constructors only: they read nothing but the node
