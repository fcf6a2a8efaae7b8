"""Scenario tests: every example world under ``examples/worlds`` with its expected answers.

Each ``tests/scenarios/*.yaml`` file is a list of scenarios::

    - name: copy into a vault whose policy names another organization is denied
      world: cross-account-copy            # a directory under examples/worlds
      operation: copy                      # an `explain` subcommand; omit with `error`
      options: {caller: ARN, role: ARN, …} # the subcommand's options, without the dashes
      error: "User: … is not authorized …" # instead of operation/options: explain --error
      session_policy: examples/session-policies/read-only.json  # optional: --session-policy
                                           # (a path from the repository root)
      expect:
        verdict: denied                    # allowed | denied | unknown
        failing_check: copy.copy-into-destination-vault   # the one check that does not
                                           # allow (or a list of them, in order); null: none
        layer: resource                    # the failing check's blocked_by (one layer or a
                                           # list); null: nothing blocks
        statement: AllowCopyFromOrg        # Sid of the statement the failing check quotes
                                           # in that layer; null: it quotes none
        disagreements: false               # optional (--error): whether the world disagrees
      known_bug: "…"                       # optional: the expectation is right but the tool
                                           # is not yet; the scenario is a strict xfail

Every scenario runs through the command line, exactly as a user would
(``backup-access explain --world W --format json --expect VERDICT …``), and is checked on
the Contract 3 JSON and the exit code.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from backup_access.cli import main

ROOT = Path(__file__).resolve().parent.parent
WORLDS = ROOT / "examples" / "worlds"
SCENARIOS = Path(__file__).resolve().parent / "scenarios"
EXPECT_KEYS = {"verdict", "failing_check", "layer", "statement"}
SCENARIO_KEYS = {
    "name",
    "world",
    "operation",
    "options",
    "error",
    "session_policy",
    "expect",
    "known_bug",
}


def _load() -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(SCENARIOS.glob("*.yaml")):
        items = yaml.safe_load(path.read_text())
        assert isinstance(items, list), f"{path}: a scenario file is a list of scenarios"
        for item in items:
            assert isinstance(item, dict), f"{path}: {item!r} is not a scenario"
            if "name" not in item:  # YAML anchors parked in a file's first entries
                continue
            out.append((f"{path.stem}: {item['name']}", item))
    return out


ALL = _load()


def _args(scenario: dict[str, Any]) -> list[str]:
    world = WORLDS / scenario["world"]
    args = ["explain", "--world", str(world), "--format", "json"]
    verdict = scenario["expect"]["verdict"]
    if verdict in ("allowed", "denied"):
        args += ["--expect", verdict]
    if "session_policy" in scenario:
        args += ["--session-policy", str(ROOT / scenario["session_policy"])]
    if "error" in scenario:
        assert "operation" not in scenario, "a scenario gives an operation or an error"
        return [*args, "--error", scenario["error"]]
    args.append(scenario["operation"])
    for key, value in (scenario.get("options") or {}).items():
        args += ["--" + key.replace("_", "-"), str(value)]
    return args


def _layers(value: str | list[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def test_there_are_enough_scenarios() -> None:
    assert len(ALL) >= 40
    names = [name for name, _ in ALL]
    assert len(names) == len(set(names)), "scenario names are unique within a file"


def test_every_example_world_has_a_readme_and_scenarios() -> None:
    worlds = sorted(p.name for p in WORLDS.iterdir() if p.is_dir())
    assert worlds
    used = {scenario["world"] for _, scenario in ALL}
    for world in worlds:
        assert (WORLDS / world / "README.md").is_file(), f"{world} has no README.md"
        assert world in used, f"no scenario uses example world {world}"
    assert used <= set(worlds), f"scenarios name unknown worlds: {sorted(used - set(worlds))}"


def _readme_commands(readme: Path) -> list[list[str]]:
    """The `backup-access …` commands of a README's ```sh blocks."""
    commands: list[list[str]] = []
    block: list[str] | None = None
    for line in readme.read_text().splitlines():
        if line.strip().startswith("```"):
            block = [] if block is None and line.strip() == "```sh" else None
            continue
        if block is not None:
            block.append(line)
            joined = "\n".join(block).replace("\\\n", " ")
            if not line.endswith("\\"):
                if joined.strip().startswith("backup-access "):
                    commands.append(shlex.split(joined)[1:])
                block.clear()
    return commands


@pytest.mark.parametrize(
    "world", sorted(p.name for p in WORLDS.iterdir() if p.is_dir()) if WORLDS.is_dir() else []
)
def test_readme_commands_run(world: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    commands = _readme_commands(WORLDS / world / "README.md")
    assert commands, f"{world}/README.md shows no backup-access command"
    for args in commands:
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, f"{shlex.join(args)}\n{result.output}"


def _params() -> list[Any]:
    return [
        pytest.param(
            scenario,
            id=name,
            marks=[pytest.mark.xfail(strict=True, reason=scenario["known_bug"])]
            if scenario.get("known_bug")
            else [],
        )
        for name, scenario in ALL
    ]


@pytest.mark.parametrize("scenario", _params())
def test_scenario(scenario: dict[str, Any]) -> None:
    assert set(scenario) <= SCENARIO_KEYS, sorted(set(scenario) - SCENARIO_KEYS)
    expect = scenario["expect"]
    assert set(expect) >= EXPECT_KEYS, f"expect needs {sorted(EXPECT_KEYS - set(expect))}"
    assert set(expect) <= EXPECT_KEYS | {"disagreements"}, sorted(set(expect) - EXPECT_KEYS)
    result = CliRunner().invoke(main, _args(scenario))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    data = json.loads(result.stdout)
    summary = [(c["id"], c["decision"], c["blocked_by"]) for c in data["checks"]]

    assert data["verdict"] == expect["verdict"], summary
    assert result.exit_code == 0, result.output

    failing = [c for c in data["checks"] if c["decision"] != "allowed"]
    wanted = expect["failing_check"]
    wanted_ids = [] if wanted is None else [wanted] if isinstance(wanted, str) else list(wanted)
    assert [c["id"] for c in failing] == wanted_ids, summary

    first = failing[0] if failing else None
    layers = _layers(expect["layer"])
    assert (first["blocked_by"] if first else []) == layers, summary

    sid = expect["statement"]
    if first is None:
        assert sid is None
    elif sid is None:
        quoted = [s for s in first["statements"] if s["layer"] in layers]
        assert quoted == [], [(s["layer"], s["sid"]) for s in quoted]
    else:
        quoted = [(s["layer"], s["sid"]) for s in first["statements"]]
        assert any(s_sid == sid and s_layer in layers for s_layer, s_sid in quoted), quoted

    if "disagreements" in expect:
        assert bool(data["disagreements"]) == expect["disagreements"], data["disagreements"]
