"""BA020: a documentation placeholder left in a policy (``SourceAccountID``, ``111122223333``,
``o-xxxxxxxx``): the policy is accepted but grants or restricts the wrong thing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backup_access.lint.intrinsics import is_opaque
from backup_access.lint.model import Severity
from backup_access.lint.rules.base import Hit, Rule
from backup_access.lint.view import PolicyView, StatementView, condition_values

# Account ids AWS documentation uses as examples, and placeholder words.
_EXAMPLE_ACCOUNTS = (
    "111122223333",
    "123456789012",
    "444455556666",
    "777788889999",
    "999999999999",
    "000000000000",
    "012345678901",
    "210987654321",
)
_PATTERNS = (
    re.compile(r"(?<![0-9])(" + "|".join(_EXAMPLE_ACCOUNTS) + r")(?![0-9])"),
    re.compile(
        r"(source|destination|target|your|my|member|management)[-_ ]?account[-_ ]?(id|number)?",
        re.I,
    ),
    re.compile(r"account[-_ ]?id", re.I),
    re.compile(r"\bo-x{4,}\b|\bo-(?:example|exampleorgid)\w*", re.I),
    re.compile(r"\bou-x{2,}[-x]*\b|\bou-(?:example)\w*", re.I),
    re.compile(r"\br-x{2,}\b|\br-example\w*", re.I),
    re.compile(r"<[^<>]{2,40}>"),
    re.compile(
        r"\b(?:REGION|ACCOUNT|ACCOUNT_ID|KEY_ID|ROLE_NAME|VAULT_NAME|PLACEHOLDER|CHANGEME|TODO)\b"
    ),
    re.compile(r"\b(?:region|key-id|role-name|vault-name|bucket-name)\b(?=[:/]|$)"),
    re.compile(r"EXAMPLE|1234abcd-12ab-34cd-56ef-1234567890ab"),
)


def find_placeholder(text: str) -> str | None:
    """The placeholder text in ``text``, if any."""
    if is_opaque(text):
        text = re.sub(r"\$\{[^}]*\}", "", text)
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if match:
            return match.group(0)
    return None


def _values(statement: StatementView) -> Iterator[tuple[str, str]]:
    for element in ("Resource", "NotResource"):
        yield from statement.strings(element)
    for element in ("Principal", "NotPrincipal"):
        for pointer, _, text in statement.principal_strings(element):
            yield pointer, text


def check(view: PolicyView) -> Iterator[Hit]:
    for statement in view.statements:
        for pointer, text in _values(statement):
            found = find_placeholder(text)
            if found:
                yield Hit(pointer, f"'{text}' still holds the placeholder '{found}'")
        if statement.parsed is None:
            continue
        for condition in statement.parsed.conditions:
            for pointer, value in condition_values(condition, statement.raw):
                found = find_placeholder(value)
                if found:
                    yield Hit(
                        pointer,
                        f"{condition.key} value '{value}' still holds the placeholder '{found}'",
                    )


RULE = Rule(
    id="BA020",
    severity=Severity.ERROR,
    title="Placeholder left in a policy",
    explanation="Examples in AWS documentation and knowledge-center articles use placeholder "
    "account ids (111122223333), words (SourceAccountID) and org ids (o-xxxxxxxxxx); copied "
    "unchanged they name nobody, so a cross-account copy stays denied.",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html",
    check=check,
)
