"""Policy variables: ``${aws:username}``, ``${aws:PrincipalTag/team, 'default'}``, ``${*}``.

Rules (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html):
- only in policies with ``"Version": "2012-10-17"``; elsewhere ``${...}`` is literal text;
- ``${*}``, ``${?}`` and ``${$}`` stand for the literal characters ``*``, ``?`` and ``$``;
- a key absent from the request context resolves to the default when one is given, else
  "AWS cannot resolve the variable", which makes the element it is in not match;
- substituted values are literal text, never wildcards.
A multivalued key cannot be substituted; that is reported as unsupported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from backup_access.policy.context import RequestContext
from backup_access.policy.wildcard import ANY_CHAR, ANY_CHARS, Piece

# [^{}]: a run of unclosed "${${${…" fails at the next "{" instead of rescanning to the
# end from every "${" (quadratic: 16 KB took seconds). A key never holds "{".
_VARIABLE = re.compile(r"\$\{([^{}]*)\}")
_ESCAPES = {"*": "*", "?": "?", "$": "$"}
_DEFAULT = re.compile(r"^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$")


@dataclass(frozen=True, slots=True)
class Substitution:
    """The outcome of resolving the variables in one policy value.

    ``pieces`` is None when the value could not be resolved; then ``missing`` names the
    absent key, or ``unsupported`` says why the engine cannot resolve it.
    """

    pieces: tuple[Piece, ...] | None
    missing: str | None = None
    unsupported: str | None = None

    @property
    def text(self) -> str:
        """The resolved value with wildcards written back as ``*`` and ``?``."""
        assert self.pieces is not None
        return "".join(
            "*" if p is ANY_CHARS else "?" if p is ANY_CHAR else str(p) for p in self.pieces
        )


def has_variables(text: str) -> bool:
    return "${" in text


def variable_keys(values: tuple[str, ...]) -> tuple[str, ...]:
    """The context keys that the variables in ``values`` read (escapes excluded)."""
    keys: list[str] = []
    for value in values:
        for found in _VARIABLE.finditer(value):
            inner = found.group(1).strip()
            if inner in _ESCAPES:
                continue
            with_default = _DEFAULT.match(inner)
            keys.append(with_default.group(1) if with_default else inner)
    return tuple(dict.fromkeys(keys))


def _wild_pieces(text: str, wildcards: bool) -> list[Piece]:
    if not wildcards:
        return [text] if text else []
    pieces: list[Piece] = []
    for chunk in re.split(r"([*?])", text):
        if chunk == "*":
            pieces.append(ANY_CHARS)
        elif chunk == "?":
            pieces.append(ANY_CHAR)
        elif chunk:
            pieces.append(chunk)
    return pieces


def substitute(text: str, context: RequestContext, *, wildcards: bool) -> Substitution:
    """Resolve every ``${...}`` in ``text`` against ``context``.

    With ``wildcards`` the ``*`` and ``?`` written in the policy stay wildcard pieces;
    substituted values are always literal.
    """
    pieces: list[Piece] = []
    position = 0
    for found in _VARIABLE.finditer(text):
        pieces.extend(_wild_pieces(text[position : found.start()], wildcards))
        position = found.end()
        inner = found.group(1)
        if inner.strip() in _ESCAPES:
            pieces.append(_ESCAPES[inner.strip()])
            continue
        key, default = inner.strip(), None
        with_default = _DEFAULT.match(inner)
        if with_default:
            key, default = with_default.group(1), with_default.group(2)
        elif "," in inner or not key:
            return Substitution(None, unsupported=f"malformed policy variable '${{{inner}}}'")
        value = context.get_value(key)
        if value is None:
            if default is None:
                return Substitution(None, missing=key)
            value = default
        if isinstance(value, tuple):
            if len(value) != 1:
                return Substitution(
                    None, unsupported=f"multivalued key '{key}' cannot be a policy variable"
                )
            value = value[0]
        pieces.append(value)
    pieces.extend(_wild_pieces(text[position:], wildcards))
    return Substitution(tuple(pieces))
