"""How long ``fix`` takes to plan and prove its changes, on the example worlds' denied
scenarios (tests/scenarios/*.yaml with an operation), and how that splits between the
diagnosis runs and the rest.

    python benchmarks/fix.py [--repeat N]

For each scenario: the median wall time of ``plan_fixes`` over N runs (the world is read
once; each run re-parses every patched world it tries and re-runs the diagnosis), the
number of diagnoses one plan makes, and the median of one diagnosis. Printed: per world,
the median plan time and diagnoses per plan; overall, the median and the slowest.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from backup_access.diagnose import Explanation, explain_operation  # noqa: E402
from backup_access.documents import load_document  # noqa: E402
from backup_access.fix import merge_documents, plan_fixes, world_from_json  # noqa: E402
from backup_access.world import World  # noqa: E402
from backup_access.world.loader import world_files  # noqa: E402


def scenarios() -> list[tuple[str, str, dict[str, str]]]:
    out = []
    for path in sorted((ROOT / "tests" / "scenarios").glob("*.yaml")):
        for item in yaml.safe_load(path.read_text()):
            if "name" in item and "operation" in item and item["expect"]["verdict"] == "denied":
                options = {k: str(v) for k, v in (item.get("options") or {}).items()}
                out.append((item["world"], item["operation"], options))
    return out


def measure(world: str, operation: str, options: dict[str, str], repeat: int) -> dict[str, Any]:
    raw = merge_documents(load_document(f) for f in world_files(ROOT / "examples/worlds" / world))
    calls: list[float] = []

    def diagnose(candidate: World) -> Explanation:
        start = time.perf_counter()
        try:
            return explain_operation(candidate, operation, options)
        finally:
            calls.append(time.perf_counter() - start)

    before = diagnose(world_from_json(raw))
    plans = []
    for _ in range(repeat):
        calls.clear()
        start = time.perf_counter()
        plan_fixes(raw, before, diagnose)
        plans.append(time.perf_counter() - start)
    return {
        "plan": statistics.median(plans),
        "diagnoses": len(calls),
        "diagnosis": statistics.median(calls) if calls else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    by_world: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for world, operation, options in scenarios():
        try:
            by_world[world].append(measure(world, operation, options, args.repeat))
        except Exception as error:  # a scenario the current catalogue refuses
            print(f"skipped {world} {operation}: {error}", file=sys.stderr)
    everything = [m for items in by_world.values() for m in items]
    for world, items in sorted(by_world.items()):
        plan = statistics.median(m["plan"] for m in items) * 1000
        diagnoses = statistics.median(m["diagnoses"] for m in items)
        print(
            f"{world:32} {len(items):3} scenarios  plan {plan:7.1f} ms  diagnoses {diagnoses:4.0f}"
        )
    plan_ms = [m["plan"] * 1000 for m in everything]
    one = statistics.median(m["diagnosis"] for m in everything) * 1000
    print(
        f"all: {len(everything)} scenarios, plan median {statistics.median(plan_ms):.1f} ms, "
        f"slowest {max(plan_ms):.1f} ms; one diagnosis (parse + explain) median {one:.1f} ms"
    )


if __name__ == "__main__":
    main()
