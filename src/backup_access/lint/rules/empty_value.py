"""BA002: ``""`` where a value is needed, typically an asterisk lost when copying AWS examples
(the AWS Backup cross-account examples were published with ``"Principal": ""``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from backup_access.lint.model import Severity
from backup_access.lint.rules.base import Hit, Rule
from backup_access.lint.view import PolicyView

_ELEMENTS = ("Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal")


def is_empty_string_at(document: Any, pointer: str) -> bool:
    """True when the value at ``pointer`` in ``document`` is the empty string."""
    value = document
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(value, Mapping) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return False
    return bool(value == "")


def check(view: PolicyView) -> Iterator[Hit]:
    for statement in view.statements:
        for element in _ELEMENTS:
            for pointer, text in statement.strings(element):
                if text == "":
                    yield Hit(
                        pointer,
                        f"{element} is an empty string: AWS rejects it; "
                        f'write "*" (or the exact value) instead',
                    )
            if element.endswith("Principal"):
                for pointer, _, text in statement.principal_strings(element):
                    if text == "" and pointer.count("/") > statement.pointer.count("/") + 1:
                        yield Hit(
                            pointer,
                            f'{element} names an empty principal: write "*" '
                            "or an account, role or service",
                        )


RULE = Rule(
    id="BA002",
    severity=Severity.ERROR,
    title='Empty string where "*" or a value was meant',
    explanation='"Resource": "" and "Principal": "" appear in copies of AWS examples whose '
    'asterisks were lost; the policy is rejected. Use "*" (with a condition that narrows it).',
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html",
    check=check,
)
