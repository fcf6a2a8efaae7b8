"""Every example world whose verdict is denied: ``fix`` proposes changes, and ``explain`` on
the patched world it writes says allowed — or the fix honestly says why it cannot be: each
check still failing has an alternative (no policy can fix it) or an entry under ``unfixed``
with the reason.

The scenarios are those of ``tests/scenarios/*.yaml`` (the commands each world's README
gives), run through the command line like a user would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from tests.fix.test_request_conditions import own_condition_failures
from tests.test_scenarios import ALL, ROOT, WORLDS

DENIED = [
    (name, s) for name, s in ALL if s["expect"]["verdict"] == "denied" and "known_bug" not in s
]


def _source_args(scenario: dict[str, Any]) -> list[str]:
    args: list[str] = []
    if "session_policy" in scenario:
        args += ["--session-policy", str(ROOT / scenario["session_policy"])]
    if "error" in scenario:
        return ["--error", scenario["error"], *args]
    args.append(scenario["operation"])
    for key, value in (scenario.get("options") or {}).items():
        args += ["--" + key.replace("_", "-"), str(value)]
    return args


def _run(args: list[str]) -> dict[str, Any]:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("name", "scenario"), DENIED, ids=[n for n, _ in DENIED])
def test_fix_makes_denied_example_allowed_or_says_why(
    name: str, scenario: dict[str, Any], tmp_path: Path
) -> None:
    world = str(WORLDS / scenario["world"])
    patched = tmp_path / "patched.json"
    fixed = _run(
        [
            "fix",
            "--world",
            world,
            "--format",
            "json",
            "--patched-world",
            str(patched),
            *_source_args(scenario),
        ]
    )
    if fixed["verdict"] != "denied":  # tests/test_scenarios.py pins the verdict itself
        pytest.skip(f"the scenario's verdict is now {fixed['verdict']}")
    # never unfixed by a condition the fix wrote itself (see test_request_conditions.py)
    assert not own_condition_failures(fixed), own_condition_failures(fixed)
    assert fixed["fixes"] or fixed["fix_plan"]["unfixed"], "fix proposed nothing"
    explain = ["explain", "--world", str(patched), "--format", "json", *_source_args(scenario)]
    refused = CliRunner().invoke(main, explain)
    if refused.exit_code == 2 and "is not in the world" in refused.output:
        # explain refuses to answer for a vault that does not exist; the fix says what to do
        assert any(f["generator"] == "FX-ALT-VAULT" for f in fixed["fixes"])
        return
    after = _run(explain)
    assert after["verdict"] == fixed["fix_plan"]["verdict_after"]
    if after["verdict"] == "allowed":
        assert fixed["fix_plan"]["summary"].startswith("verified: allowed after the change")
        assert all(f["verified"] for f in fixed["fixes"] if f["kind"] != "alternative")
        return
    explained = {c for f in fixed["fixes"] if f["kind"] == "alternative" for c in f["checks"]}
    explained |= {u["check"] for u in fixed["fix_plan"]["unfixed"]}
    still = [c for c in after["checks"] if c["decision"] not in ("allowed", "unknown")]
    if not still:  # every deny is fixed; what is left depends on data the world lacks
        assert after["verdict"] == "unknown"
        assert all(c["missing"] for c in after["checks"] if c["decision"] == "unknown")
        disagrees = after.get("disagreements") or [""]
        if all(c["decision"] == "allowed" for c in after["checks"]) and disagrees[0].startswith(
            ("AWS denied this but the world allows it", "AWS refused this but the world allows it")
        ):
            # a pasted error: the patched world allows what the message says AWS denied
            assert fixed["fix_plan"]["summary"].startswith("verified: allowed after the change")
        else:
            assert fixed["fix_plan"]["summary"] == (
                "not verified: the operation is still unknown after the changes"
            )
    for check in still:
        assert check["id"] in explained, f"{check['id']} still fails and the fix does not say why"
