"""BA007: statement ids AWS refuses on save: the same Sid twice in one policy, or (in the
policies IAM stores) a Sid with characters other than ASCII letters and digits.

https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from backup_access.lint.model import PolicyKind, Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView

# IAM stores identity-based policies and role trust policies; other services' resource
# policies (KMS's default "Enable IAM User Permissions") allow spaces in a Sid.
_IAM_STORED = frozenset({PolicyKind.IDENTITY, PolicyKind.TRUST})


def _is_ascii_alphanumeric(text: str) -> bool:
    return text.isascii() and text.isalnum()


def check(view: PolicyView) -> Iterator[Hit]:
    first_seen: dict[str, int] = {}
    for statement in view.statements:
        sid = statement.raw.get("Sid") if isinstance(statement.raw, Mapping) else None
        if not isinstance(sid, str) or not sid:
            continue
        pointer = f"{statement.pointer}/Sid"
        if sid in first_seen:
            yield Hit(
                pointer,
                f"Sid '{sid}' is already used by statement {first_seen[sid]}: a Sid must be "
                "unique within a policy",
            )
        else:
            first_seen[sid] = statement.index
        if view.source.kind in _IAM_STORED and not _is_ascii_alphanumeric(sid):
            yield Hit(
                pointer,
                f"Sid '{sid}' has characters IAM rejects in the {view.source.kind.value} "
                "policies it stores: only ASCII letters (A-Z, a-z) and digits (0-9) are allowed",
            )


RULE = Rule(
    id="BA007",
    severity=Severity.ERROR,
    title="Duplicate or malformed statement id (Sid)",
    explanation="In IAM the Sid must be unique within a policy and may hold only ASCII "
    "letters and digits; IAM rejects the policy otherwise, and a duplicate Sid elsewhere "
    "makes findings and change reviews ambiguous.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html",
    check=check,
    example='Two statements with "Sid": "AllowCopies", or "Sid": "Allow-Copies" in an '
    "identity policy",
    fix="Give each statement its own Sid made of letters and digits (AllowCopiesFromProd).",
)
