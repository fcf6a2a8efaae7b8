"""BA008: characters IAM does not accept in a policy document (curly quotes, dashes and
non-breaking hyphens pasted from documents and chat; a non-breaking space, U+00A0, is
accepted).

IAM accepts tab, line feed, carriage return and U+0020 to U+00FF only:
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
KMS key policies accept the same set (PutKeyPolicy's Policy parameter:
https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from typing import Any

from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView
from backup_access.policy.pointer import escape_pointer_token

_ALLOWED_CONTROLS = frozenset("\t\n\r")


def first_rejected(text: str) -> str | None:
    """The first character IAM would reject in ``text``, or None."""
    for char in text:
        code = ord(char)
        if not (0x20 <= code <= 0xFF or char in _ALLOWED_CONTROLS):
            return char
    return None


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def _strings(value: Any, pointer: str) -> Iterator[tuple[str, str]]:
    """(pointer, text) of every key and string value, depth-first."""
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            here = f"{pointer}/{escape_pointer_token(str(key))}"
            yield here, str(key)
            yield from _strings(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{pointer}/{index}")


def check(view: PolicyView) -> Iterator[Hit]:
    for pointer, text in _strings(view.source.document, ""):
        char = first_rejected(text)
        if char is not None:
            yield Hit(
                pointer,
                f"'{text[:60]}' contains {_describe(char)}: IAM and KMS accept only tab, line "
                "feed, carriage return and U+0020 to U+00FF in a policy; retype it in plain text",
            )


RULE = Rule(
    id="BA008",
    severity=Severity.ERROR,
    title="Character IAM or KMS does not accept in a policy",
    explanation="IAM policy documents and KMS key policies may contain only tab, line feed, "
    "carriage return and "
    "the characters U+0020 to U+00FF; a curly quote, en dash or non-breaking hyphen copied "
    "from a document makes IAM reject the policy (or, inside a value, never match).",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html",
    check=check,
    example='"Resource": "arn:aws:iam::246813579024:role/backup\u2013operator" (an en dash)',
    fix="Retype the value with plain ASCII characters (a hyphen-minus instead of a dash, "
    "straight quotes instead of curly ones).",
    kinds=frozenset({PolicyKind.IDENTITY, PolicyKind.TRUST, PolicyKind.KMS_KEY}),
)
