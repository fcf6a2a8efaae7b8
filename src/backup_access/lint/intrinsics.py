"""Resolve CloudFormation intrinsic functions inside a policy, as far as a linter can.

A template's policy is a policy only after CloudFormation has run: ``!Sub`` and ``!Ref``
become text, ``!If`` picks a branch. Unknowable parts (a parameter, an attribute) become
``${Name}`` text, which the rules treat as opaque (never a placeholder, never an allow).
``Fn::If`` is linted on its first branch and ``AWS::NoValue`` removes the element.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html

Every function checks the shape of its argument first: a malformed one (``!Sub []``,
``!Join "x"``, ``!GetAtt {}``) is left as the opaque text ``${Fn::Name}``, never an
exception. CloudFormation itself rejects such a template; the linter only must not crash.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_NO_VALUE = object()
# ``${Name}`` / ``${!Literal}`` in a Sub template. ``[^{}]`` (not ``[^}]``) stops each try at
# the next ``{``: an unclosed ``${${${…`` would otherwise rescan to the end from every ``${``.
_SUB_REFERENCE = re.compile(r"\$\{(!?)([^{}]*)\}")


def resolve(value: Any) -> Any:
    """Return ``value`` with every intrinsic function replaced by its best static reading."""
    result = _resolve(value)
    return None if result is _NO_VALUE else result


def _resolve(value: Any) -> Any:
    if isinstance(value, list):
        items = [_resolve(item) for item in value]
        return [item for item in items if item is not _NO_VALUE]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((name, argument),) = value.items()
        reader = _FUNCTIONS.get(name)
        if reader is not None:
            return reader(argument)
        if isinstance(name, str) and name.startswith("Fn::"):
            return _opaque(name)
    resolved = {key: _resolve(item) for key, item in value.items()}
    return {key: item for key, item in resolved.items() if item is not _NO_VALUE}


def _opaque(name: str) -> str:
    return "${" + name + "}"


def _ref(argument: Any) -> Any:
    if not isinstance(argument, str):
        return _opaque("Ref")
    return _NO_VALUE if argument == "AWS::NoValue" else _opaque(argument)


def _get_att(argument: Any) -> str:
    """``[Resource, Attribute]`` or ``"Resource.Attribute"``."""
    if isinstance(argument, str) and argument:
        return _opaque(argument)
    if (
        isinstance(argument, list)
        and len(argument) == 2
        and all(isinstance(part, str) for part in argument)
    ):
        return _opaque(".".join(argument))
    return _opaque("Fn::GetAtt")


def _sub(argument: Any) -> str:
    """``"template"`` or ``[template, {name: value}]`` (exactly two items)."""
    if isinstance(argument, str):
        template, values = argument, {}
    elif (
        isinstance(argument, list)
        and len(argument) == 2
        and isinstance(argument[0], str)
        and isinstance(argument[1], dict)
    ):
        template, values = argument[0], argument[1]
    else:
        return _opaque("Fn::Sub")

    def replace(match: re.Match[str]) -> str:
        if match.group(1):  # ${!Literal} is the literal text ${Literal}
            return "${" + match.group(2) + "}"
        known = _resolve(values.get(match.group(2)))
        return known if isinstance(known, str) else _opaque(match.group(2))

    return _SUB_REFERENCE.sub(replace, template)


def _join(argument: Any) -> str:
    """``[delimiter, [parts…]]``."""
    if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str)):
        return _opaque("Fn::Join")
    parts = _resolve(argument[1])
    if not isinstance(parts, list):
        return _opaque("Fn::Join")
    return argument[0].join(
        part if isinstance(part, str) else _opaque("Fn::Join") for part in parts
    )


def _if(argument: Any) -> Any:
    """``[condition, when true, when false]``: the first branch."""
    if isinstance(argument, list) and len(argument) == 3 and isinstance(argument[0], str):
        return _resolve(argument[1])
    return _opaque("Fn::If")


_FUNCTIONS: dict[str, Callable[[Any], Any]] = {
    "Ref": _ref,
    "Fn::Sub": _sub,
    "Fn::GetAtt": _get_att,
    "Fn::Join": _join,
    "Fn::If": _if,
}
INTRINSIC_NAMES = (
    *_FUNCTIONS,
    "Fn::Base64",
    "Fn::Cidr",
    "Fn::FindInMap",
    "Fn::GetAZs",
    "Fn::ImportValue",
    "Fn::Select",
    "Fn::Split",
    "Fn::Transform",
    "Fn::Length",
    "Fn::ToJsonString",
)
"""Every intrinsic function name the tests feed malformed arguments to."""


def is_opaque(text: str) -> bool:
    """Text still holding a reference (``${...}``): rules must not judge its value."""
    return "${" in text
