"""Resolve CloudFormation intrinsic functions inside a policy, as far as a linter can.

A template's policy is a policy only after CloudFormation has run: ``!Sub`` and ``!Ref``
become text, ``!If`` picks a branch. Unknowable parts (a parameter, an attribute) become
``${Name}`` text, which the rules treat as opaque (never a placeholder, never an allow).
``Fn::If`` is linted on its first branch and ``AWS::NoValue`` removes the element.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
"""

from __future__ import annotations

import re
from typing import Any

_NO_VALUE = object()
_SUB_REFERENCE = re.compile(r"\$\{(!?)([^}]*)\}")


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
        if name == "Ref":
            return _NO_VALUE if argument == "AWS::NoValue" else f"${{{argument}}}"
        if name == "Fn::Sub":
            return _sub(argument)
        if name == "Fn::GetAtt":
            parts = argument if isinstance(argument, list) else [argument]
            return "${" + ".".join(str(part) for part in parts) + "}"
        if name == "Fn::Join":
            return _join(argument)
        if name == "Fn::If" and isinstance(argument, list) and len(argument) == 3:
            return _resolve(argument[1])
        if name.startswith("Fn::"):
            return "${" + name + "}"
    resolved = {key: _resolve(item) for key, item in value.items()}
    return {key: item for key, item in resolved.items() if item is not _NO_VALUE}


def _sub(argument: Any) -> str:
    template, variables = (
        (argument[0], argument[1]) if isinstance(argument, list) else (argument, {})
    )
    if not isinstance(template, str):
        return "${Fn::Sub}"
    values = variables if isinstance(variables, dict) else {}

    def replace(match: re.Match[str]) -> str:
        if match.group(1):  # ${!Literal} is the literal text ${Literal}
            return "${" + match.group(2) + "}"
        known = _resolve(values.get(match.group(2)))
        return known if isinstance(known, str) else "${" + match.group(2) + "}"

    return _SUB_REFERENCE.sub(replace, template)


def _join(argument: Any) -> str:
    if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str)):
        return "${Fn::Join}"
    parts = _resolve(argument[1])
    if not isinstance(parts, list):
        return "${Fn::Join}"
    return argument[0].join(part if isinstance(part, str) else "${Fn::Join}" for part in parts)


def is_opaque(text: str) -> bool:
    """Text still holding a reference (``${...}``): rules must not judge its value."""
    return "${" in text
