"""With the organization's SCPs unread (a member account's credentials), a check the
identity policy denies is still denied, so ``fix`` proposes the change; it is not verified,
since the unread SCPs may still refuse the request once the identity policy allows it
(review finding M1, s23; SCPs never grant:
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from backup_access.cli import main
from tests.diagnose.fixtures.worlds import OPERATOR, SNAPSHOT, SOURCE_VAULT, collected_with


def no_organization(data: dict[str, Any]) -> None:
    del data["organization"]


def test_a_fix_is_proposed_for_a_denial_made_with_unread_scps(tmp_path: Path) -> None:
    collected_with(tmp_path, {"organization": "SCPs and RCPs were not collected"}, no_organization)
    args = ["--caller", OPERATOR, "--recovery-point", SNAPSHOT, "--vault", SOURCE_VAULT]
    result = CliRunner().invoke(
        main,
        [
            "fix",
            "--world",
            str(tmp_path / "collected"),
            "--format",
            "json",
            "delete-recovery-point",
            *args,
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verdict"] == "denied"
    (fix,) = data["fixes"]
    assert fix["generator"] == "FX-IDENTITY"
    assert fix["checks"] == ["delete-recovery-point.delete-snapshot"]
    assert fix["verified"] is False
    assert "the unread SCPs apply to this request" in fix["verification"]
