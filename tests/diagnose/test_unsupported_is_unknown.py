"""A check the engine denies implicitly beside a statement it cannot evaluate is unknown, not
denied: an Allow it cannot evaluate may grant (review s23 H3). The statement here is one whose
Bool value is written padded ("true "); AWS's condition-operators page does not say whether
IAM trims it, so the engine marks it "cannot evaluate" (engine/trace.py Outcome.UNSUPPORTED)
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backup_access.diagnose import CheckDecision, Verdict, explain_operation
from tests.diagnose.fixtures.worlds import COPY, PROD, keys, world_with

CHECK = "copy.destination-slr-create-grant-source-key"
SOURCE_KEY_ID = "aaaa1111-0000-0000-0000-000000000001"


def _grant_condition(value: str) -> Any:
    def patch(data: dict[str, Any]) -> None:
        for statement in keys(data, PROD)[SOURCE_KEY_ID]["policy"]["Statement"]:
            if statement.get("Sid") == "AllowCentralGrants":
                statement["Condition"]["Bool"]["kms:GrantIsForAWSResource"] = value

    return patch


def test_a_padded_allow_leaves_the_check_unknown(tmp_path: Path) -> None:
    result = explain_operation(world_with(tmp_path, _grant_condition("true ")), "copy", COPY)
    grant = next(c for c in result.checks if c.id == CHECK)
    assert grant.decision is CheckDecision.UNKNOWN
    assert "cannot be evaluated" in grant.reason
    assert "kms:GrantIsForAWSResource" in grant.reason
    assert result.verdict is Verdict.UNKNOWN  # never a confident DENIED on a guess


def test_the_same_allow_written_plainly_allows(tmp_path: Path) -> None:
    result = explain_operation(world_with(tmp_path, _grant_condition("true")), "copy", COPY)
    grant = next(c for c in result.checks if c.id == CHECK)
    assert grant.decision is CheckDecision.ALLOWED
