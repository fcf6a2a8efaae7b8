"""BA020: a documentation placeholder left in a policy (``SourceAccountID``, ``111122223333``,
``o-xxxxxxxx``, ``<region>``, ``[ROLE_NAME]``, ``${Account}``): the policy is accepted but
grants or restricts the wrong thing. The forms are described in ``lint.placeholders``."""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.lint.model import Severity
from backup_access.lint.placeholders import Placeholder, find_placeholder
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView, StatementView, condition_values


def _values(statement: StatementView) -> Iterator[tuple[str, str]]:
    for element in ("Resource", "NotResource"):
        yield from statement.strings(element)
    for element in ("Principal", "NotPrincipal"):
        for pointer, _, text in statement.principal_strings(element):
            yield pointer, text


def _message(what: str, found: Placeholder) -> str:
    why = f" ({found.why})" if found.why else ""
    return f"{what} still holds the placeholder '{found.text}'{why}"


def check(view: PolicyView) -> Iterator[Hit]:
    templated = view.source.templated
    for statement in view.statements:
        for pointer, text in _values(statement):
            found = find_placeholder(text, templated=templated)
            if found:
                yield Hit(pointer, _message(f"'{text}'", found))
        if statement.parsed is None:
            continue
        for condition in statement.parsed.conditions:
            for pointer, value in condition_values(condition, statement.raw):
                found = find_placeholder(value, templated=templated)
                if found:
                    yield Hit(pointer, _message(f"{condition.key} value '{value}'", found))


RULE = Rule(
    id="BA020",
    severity=Severity.ERROR,
    title="Placeholder left in a policy",
    explanation="Examples in AWS documentation and knowledge-center articles use placeholder "
    "account ids (111122223333), words (SourceAccountID, Region), bracketed names "
    "(<region>, [ROLE_NAME]) and filler org ids (o-xxxxxxxxxx); copied unchanged they name "
    "nobody, so a cross-account copy stays denied. ${Name} that is not an IAM policy "
    "variable is left-over template text, except in CloudFormation where !Sub resolves it.",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/create-cross-account-backup.html",
    check=check,
    example='"Principal": {"AWS": "arn:aws:iam::111122223333:role/[ROLE_NAME]"}',
    fix="Replace every placeholder with the real account id, organization id, role or vault name.",
)
