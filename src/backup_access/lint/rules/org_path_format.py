"""BA022: an organization path that no account can have.

Paths look like ``o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`` (org, root, OUs, trailing slash);
to include child OUs use ``ForAnyValue:StringLike`` with a trailing ``*``.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from backup_access.lint.condition_walks import advised_operator, values_of_keys
from backup_access.lint.intrinsics import is_opaque
from backup_access.lint.model import Severity
from backup_access.lint.rule import Hit, Rule
from backup_access.lint.view import PolicyView
from backup_access.policy.model import Condition

_PATH_KEYS = frozenset(
    {
        "aws:principalorgpaths",
        "aws:resourceorgpaths",
        "aws:sourceorgpaths",
        "aws:vpceorgpaths",
        "backup:copytargetorgpaths",
    }
)
_SEGMENT = {
    0: re.compile(r"o-[a-z0-9]{10,32}"),
    1: re.compile(r"r-[a-z0-9]{4,32}"),
}
_OU = re.compile(r"ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}")


def path_problem(value: str, *, like: bool, advised: str = "ForAnyValue:StringLike") -> str | None:
    """What is wrong with an organization path (None when it is well formed); ``advised``
    is the operator the condition should use (``condition_walks.advised_operator``)."""
    bare = value  # a lone id, without the path's slashes
    if _OU.fullmatch(bare):
        return (
            "is an OU id, not a path: write the whole path from the organization, "
            f"o-…/r-…/{bare}/ (and ForAnyValue:StringLike with a trailing * for child OUs)"
        )
    if re.fullmatch(r"\d{12}", bare):
        return "is an account id, not a path: use aws:PrincipalAccount for accounts"
    if not like and value.endswith("/*"):
        return (
            f"ends in a wildcard, which an Equals operator compares literally: write {advised} "
            "to include child OUs, or end the path with '/' for that OU alone"
        )
    if not value.endswith("/") and not (like and value.endswith("*")):
        return f"must end with '/' (or '/*' with {advised} to include child OUs)"
    parts = value.removesuffix("/").split("/") if value else []
    if not parts or not parts[0].startswith("o-"):
        return (
            "must start with the organization id (o-…/r-…/ou-…/): "
            "OU ids are only unique within an organization"
        )
    for index, part in enumerate(parts):
        if like and any(c in part for c in "*?"):
            continue
        pattern = _SEGMENT.get(index, _OU)
        if not pattern.fullmatch(part):
            expected = {0: "an organization id (o-…)", 1: "a root id (r-…)"}.get(
                index, "an OU id (ou-xxxx-xxxxxxxx)"
            )
            return f"'{part}' should be {expected}"
    return None


def check(view: PolicyView) -> Iterator[Hit]:
    for found in values_of_keys(view, _PATH_KEYS):
        condition, value = found.condition, found.value
        advised = _with_like(advised_operator(condition, found.parsed))
        problem = (
            None
            if is_opaque(value)
            else path_problem(value, like=_is_like(condition), advised=advised)
        )
        if problem:
            yield Hit(found.pointer, f"organization path '{value}' {problem}")


def _is_like(condition: Condition) -> bool:
    return "like" in condition.operator.lower()


def _with_like(operator: str) -> str:
    """Including child OUs takes a trailing ``*``, so a Like operator, whatever the path."""
    return operator.replace("Equals", "Like").replace("IgnoreCase", "")


RULE = Rule(
    id="BA022",
    severity=Severity.ERROR,
    title="Malformed organization path",
    explanation="aws:PrincipalOrgPaths values are o-ORG/r-ROOT/ou-…/ paths with a trailing "
    "slash; a path without the organization id, without the slash, or with a wildcard under "
    "an Equals operator matches no account.",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths",
    check=check,
    example=(
        '"Condition": {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "ou-ab12-11111111/*"}}'
    ),
    fix=(
        "Write the full path o-ORG/r-ROOT/ou-…/ with its trailing slash; add * after it with a "
        "Like operator to include child OUs."
    ),
)
