"""BA036: a key written twice in one object of a policy. A JSON or YAML reader keeps one of
the two values (this tool, like Python's and most others, the later), so part of what the
policy says is silently dropped; which one IAM keeps is not documented. A condition key
written twice in one condition block with different case is an error of IAM Access
Analyzer's policy validation (key names are case-insensitive, so both name one key).

https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html#access-analyzer-reference-policy-checks-error-duplicate-keys-with-different-case
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from backup_access.lint.model import Position, Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView
from backup_access.policy.pointer import escape_pointer_token


def check(view: PolicyView) -> Iterator[Hit]:
    earlier: dict[str, list[Position]] = {}
    names: dict[str, str] = {}
    for repeated in view.source.repeated_keys:
        earlier.setdefault(repeated.pointer, []).append(repeated.earlier)
        names[repeated.pointer] = repeated.key
    where = " of the policy text" if view.source.embedded else ""
    for pointer, positions in earlier.items():
        lines = "; ".join(f"line {p.line}, column {p.column}" for p in positions)
        times = "twice" if len(positions) == 1 else f"{len(positions) + 1} times"
        yield Hit(
            pointer,
            f"'{names[pointer]}' is written {times} in one object (before this, at {lines}"
            f"{where}): only this last value is read, here as by most JSON and YAML readers, "
            "and the others are silently dropped; AWS does not document which one IAM keeps. "
            "Merge them into one key",
        )
    for statement in view.statements:
        conditions = statement.raw.get("Condition") if isinstance(statement.raw, Mapping) else None
        if not isinstance(conditions, Mapping):
            continue
        for operator, keys in conditions.items():
            if isinstance(keys, Mapping):
                yield from _case_variants(f"{statement.pointer}/Condition", operator, keys)


def _case_variants(pointer: str, operator: str, keys: Mapping[str, object]) -> Iterator[Hit]:
    """Condition keys of one operator that differ only in case: one key written twice."""
    first: dict[str, str] = {}
    for key in keys:
        lowered = key.lower()
        if lowered not in first:
            first[lowered] = key
            continue
        here = f"{pointer}/{escape_pointer_token(operator)}/{escape_pointer_token(key)}"
        yield Hit(
            here,
            f"condition key '{key}' is also written '{first[lowered]}' under {operator}: key "
            "names are not case-sensitive, so both name one key, and IAM Access Analyzer "
            "reports this as an error (duplicate keys with different case). Decide which "
            "values the condition means and write the key once (putting both lists together "
            "would match either)",
        )


RULE = Rule(
    id="BA036",
    severity=Severity.ERROR,
    title="Key written twice",
    explanation="A key written twice in one object keeps only one of its values when the "
    "policy is read (here the later, as most JSON and YAML readers do; AWS does not "
    "document which IAM keeps), so a statement, condition or principal the author wrote is "
    "silently dropped. A key written three or more times is one finding listing every "
    "earlier place; a policy written twice in a template is reported at the policy; a "
    "policy held as JSON text (a Terraform plan's, a template string or !Sub, AWS CLI "
    "output) is read as written, and positions are in that text. Condition keys that differ "
    "only in case are the same key, which IAM Access Analyzer reports as an error.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-"
    "checks.html#access-analyzer-reference-policy-checks-error-duplicate-keys-with-different-case",
    check=check,
    example='"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a"}, "StringEquals": '
    '{"aws:SourceAccount": "111111111111"}}: only the second StringEquals is read',
    fix='Merge the two: "StringEquals": {"aws:PrincipalOrgID": "o-a", "aws:SourceAccount": '
    '"111111111111"}.',
)
