"""BA001: the document must be valid IAM policy grammar (the engine's own parser decides)."""

from __future__ import annotations

from collections.abc import Iterator

from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView, is_empty_string_at


def check(view: PolicyView) -> Iterator[Hit]:
    for error in view.errors:
        if not is_empty_string_at(view.source.document, error.pointer):  # BA002 says it better
            yield Hit(error.pointer, error.message)


RULE = Rule(
    id="BA001",
    severity=Severity.ERROR,
    title="Invalid policy grammar",
    explanation="AWS rejects the document (or ignores the statement): an unknown element, a "
    "wrong type, an Effect other than Allow/Deny, both Action and NotAction, and so on.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html",
    check=check,
    example=(
        '{"Effect": "Allow", "Action": "backup:ListBackupVaults", "NotAction": '
        '"backup:Delete*", "Resource": "*"}'
    ),
    fix=(
        "Write each statement with Effect, one of Action/NotAction, one of "
        "Resource/NotResource (and Principal where the policy kind needs it), using only the "
        "elements the grammar lists."
    ),
)
