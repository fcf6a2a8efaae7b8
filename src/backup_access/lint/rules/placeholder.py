"""BA020: a documentation placeholder left in a policy (``SourceAccountID``, ``111122223333``,
``o-xxxxxxxx``): the policy is accepted but grants or restricts the wrong thing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backup_access.lint.intrinsics import is_opaque
from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView, StatementView, condition_values

# Account ids AWS documentation uses as examples (anywhere in a value, between non-digits).
_EXAMPLE_ACCOUNTS = re.compile(
    r"(?<![0-9])(111122223333|123456789012|444455556666|777788889999|999999999999"
    r"|000000000000|012345678901|210987654321)(?![0-9])"
)
# Placeholder words, matched against whole ARN segments (between ':' and '/') so that real
# names such as 'member-account-copies' or 'logs/region/' are left alone.
_SEGMENT_PLACEHOLDERS = (
    re.compile(
        r"(?:source|destination|dest|target|your|my|member|management|central|other|"
        r"cross|external|the)?[-_ ]?account[-_ ]?(?:id|number|no)",
        re.I,
    ),
    re.compile(r"o-x{4,}|o-example\w*|ou-x{2,}[-x]*|ou-example\w*|r-x{2,}|r-example\w*", re.I),
    re.compile(r"<[^<>]{2,40}>|\{\{[^{}]{2,40}\}\}"),
    re.compile(
        r"(?:REGION|ACCOUNT|ACCOUNT[-_]ID|ACCOUNT[-_]NUMBER|KEY[-_]ID|ROLE[-_]NAME|VAULT[-_]NAME|"
        r"ORG[-_]ID|OU[-_]ID|PLACEHOLDER|CHANGEME|CHANGE[-_]ME|TODO|REPLACE[-_]ME)"
    ),
    re.compile(r".*EXAMPLE.*|1234abcd-12ab-34cd-56ef-1234567890ab"),
)
_SEGMENTS = re.compile(r"[:/]")


def find_placeholder(text: str) -> str | None:
    """The placeholder text in ``text``, if any."""
    if is_opaque(text):
        text = re.sub(r"\$\{[^{}]*\}", "", text)  # [^{}]: linear on an unclosed "${${…"
    match = _EXAMPLE_ACCOUNTS.search(text)
    if match:
        return match.group(0)
    for segment in _SEGMENTS.split(text):
        if any(pattern.fullmatch(segment) for pattern in _SEGMENT_PLACEHOLDERS):
            return segment
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
    example='"Principal": {"AWS": "arn:aws:iam::111122223333:role/[ROLE_NAME]"}',
    fix="Replace every placeholder with the real account id, organization id, role or vault name.",
)
