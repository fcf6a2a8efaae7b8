"""FX-ORG-POLICY asks whether a level's SCP/RCP allows the action. Its action patterns come
from the world's policies, so matching must stay linear on patterns such as ``*?*?…X``: a
regex translation (``.*``) backtracks on them: against
``backup:PutBackupVaultLockConfiguration``, ``backup:`` followed by 10, 12 and 14 ``*?`` pairs
and ``X`` took 1.2 s, 5.8 s and 15 s. The IAM wildcard rules are policy.wildcard's
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from backup_access.fix.generators.org_policy import _level_allows
from backup_access.policy.layer import Layer
from backup_access.policy.parse import parse_policy
from backup_access.world import Organization
from backup_access.world.model import OrgPolicy, OrgUnit

ACTION = "backup:CopyIntoBackupVault"
LONG_ACTION = "backup:PutBackupVaultLockConfiguration"


def _organization(*actions: str) -> Organization:
    document = parse_policy(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": list(actions), "Resource": "*"}],
        }
    )
    policy = OrgPolicy("AllowList", Layer.SCP, document)
    root = OrgUnit("r-a1b2", "Root", ("AllowList",), ("111111111111",), ())
    return Organization("o-a1b2c3d4e5", None, None, {"AllowList": policy}, root)


@pytest.mark.parametrize(
    ("pattern", "allows"),
    [
        ("*", True),
        ("backup:*", True),
        ("BACKUP:copyinto*", True),  # actions are case-insensitive
        ("backup:Copy?ntoBackupVault", True),
        ("backup:*Vault", True),
        ("backup:Copy", False),
        ("backup:*X", False),
        ("kms:*", False),
        ("backup:*?*?*?X", False),
        ("backup:*?*?*?t", True),
    ],
)
def test_a_level_allows_the_action_its_patterns_match(pattern: str, allows: bool) -> None:
    assert _level_allows(_organization(pattern), ("AllowList",), ACTION, "scp") is allows


def test_hostile_action_patterns_do_not_hang() -> None:
    """In a child process with a time limit, so a regression fails instead of hanging."""
    code = textwrap.dedent(
        """
        from tests.fix.test_org_policy_actions import _organization, LONG_ACTION
        from backup_access.fix.generators.org_policy import _level_allows
        for pairs in (12, 16, 24, 40):
            pattern = "backup:" + "*?" * pairs + "X"
            assert not _level_allows(_organization(pattern), ("AllowList",), LONG_ACTION, "scp")
        print("done")
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.stdout.strip() == "done", done.stderr
