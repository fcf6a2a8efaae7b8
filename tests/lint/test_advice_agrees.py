"""The rules that judge one condition give one piece of advice.

``StringEquals`` on aws:PrincipalOrgPaths with ``o-…/r-…/ou-…/*`` gets three findings (BA022
path, BA023 multivalued key, BA024 wildcard under Equals). They used to advise
``ForAnyValue:StringEquals`` and ``StringLike`` — each half right, and following either one
alone still matches no account. Each now names the operator that works,
``ForAnyValue:StringLike``
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgpaths,
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from backup_access.lint import lint_text

ROOT = Path(__file__).resolve().parents[2]
_OPERATOR = re.compile(r"\b(?:(?:ForAnyValue|ForAllValues):)?(?:String|Arn)\w*")


def _policy(operator: str, key: str, values: list[str], effect: str = "Allow") -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": effect,
                    "Principal": "*",
                    "Action": "backup:CopyIntoBackupVault",
                    "Resource": "*",
                    "Condition": {operator: {key: values}},
                }
            ],
        }
    )


def _advice(text: str) -> dict[str, set[str]]:
    """Each rule's advised operators: those its message names, other than the written one."""
    findings = lint_text(text, file="policy.json")
    out: dict[str, set[str]] = {}
    for finding in findings:
        if finding.rule in ("BA022", "BA023", "BA024", "BA037"):
            written = finding.pointer.split("/")[4]
            named = set(_OPERATOR.findall(finding.message)) - {written}
            out.setdefault(finding.rule, set()).update(named)
    return out


def test_the_example_vault_policy_gets_one_advice_from_three_rules() -> None:
    text = (ROOT / "examples" / "lint" / "vault-policy.json").read_text()
    advice = _advice(text)
    assert set(advice) == {"BA022", "BA023", "BA024"}
    # BA023 names ForAnyValue only: ForAllValues in this Allow would admit every principal
    # outside an organization (BA037).
    assert advice["BA022"] == advice["BA023"] == advice["BA024"] == {"ForAnyValue:StringLike"}


@pytest.mark.parametrize(
    ("operator", "key", "values", "wanted"),
    [
        # A set prefix already written is kept where it is safe (aws:TagKeys, see BA037);
        # only the base changes.
        ("ForAllValues:StringEquals", "aws:TagKeys", ["team-*"], {"ForAllValues:StringLike"}),
        # A negated ForAllValues keeps its prefix: ForAnyValue would change what it means
        # (BA037 asks for a Null check instead).
        (
            "ForAllValues:StringNotEquals",
            "aws:PrincipalOrgPaths",
            ["o-a1b2c3d4e5/*"],
            {"ForAllValues:StringNotLike"},
        ),
        # A single-valued key gets no set prefix.
        ("StringEquals", "aws:PrincipalTag/team", ["backup-*"], {"StringLike"}),
        ("StringNotEqualsIfExists", "aws:PrincipalTag/team", ["b?"], {"StringNotLikeIfExists"}),
    ],
)
def test_the_wildcard_advice_keeps_or_adds_the_right_set_prefix(
    operator: str, key: str, values: list[str], wanted: set[str]
) -> None:
    assert _advice(_policy(operator, key, values))["BA024"] == wanted


def test_without_a_wildcard_the_multivalued_advice_keeps_the_equals_base() -> None:
    advice = _advice(
        _policy("StringEquals", "aws:PrincipalOrgPaths", ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"])
    )
    assert advice == {"BA023": {"ForAnyValue:StringEquals"}}


def test_forallvalues_on_org_paths_in_an_allow_gets_forany_from_every_rule() -> None:
    """ForAllValues is true when the request has no aws:PrincipalOrgPaths, so in an Allow the
    four rules on the condition all advise ForAnyValue:StringLike; in a Deny (where it denies
    more, not less) the written ForAllValues is kept."""
    path = ["o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"]
    allow = _advice(_policy("ForAllValues:StringEquals", "aws:PrincipalOrgPaths", path))
    assert allow == {rule: {"ForAnyValue:StringLike"} for rule in ("BA022", "BA024", "BA037")}
    deny = _advice(_policy("ForAllValues:StringEquals", "aws:PrincipalOrgPaths", path, "Deny"))
    assert deny == {rule: {"ForAllValues:StringLike"} for rule in ("BA022", "BA024")}
