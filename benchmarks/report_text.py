"""Cost of ``simulate``'s text report against its JSON, on one policy of N statements.

    python benchmarks/report_text.py [--sizes 1000,10000,50000] [--repeat 3]

Each size evaluates one request against an identity policy of N statements, none of which
allows it (an implicit deny: the report lists the statements of the blocking layer), then
times, after the trace is built, the text report (default and ``-v``, which lists every
statement) and the JSON rendering ``simulate --format json`` does. Medians of ``--repeat``
runs. The issue's bar: text costs the same order as JSON (ratio near 1, flat as N grows);
before this report was rebuilt, text took about 1 ms a statement (50,000: nearly a minute).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from backup_access.engine import Decision
from backup_access.report.simulation import render_text, result_to_dict, to_json
from backup_access.report.text import OutputOptions
from backup_access.simulate.batch import run_batch


def request_document(statements: int) -> dict[str, Any]:
    """One request and an identity policy of ``statements`` Allows on other vaults."""
    return {
        "request": {
            "principal": "arn:aws:iam::111111111111:role/Operator",
            "action": "backup:StartCopyJob",
            "resource": "arn:aws:backup:us-east-1:111111111111:backup-vault:target",
        },
        "policies": {
            "identity": [
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": f"S{i}",
                            "Effect": "Allow",
                            "Action": "backup:StartCopyJob",
                            "Resource": f"arn:aws:backup:us-east-1:111111111111:backup-vault:v{i}",
                        }
                        for i in range(statements)
                    ],
                }
            ]
        },
    }


def decision_of(statements: int) -> Decision:
    ((_, decision),), _ = run_batch(request_document(statements), source="bench.json")
    decision.trace  # noqa: B018 - built once here, as both renderings read it
    return decision


def renderers(decision: Decision) -> dict[str, Callable[[], str]]:
    def text(verbosity: int) -> Callable[[], str]:
        options = OutputOptions(verbosity=verbosity)
        return lambda: render_text(
            decision, options, name=None, expect=None, source="bench.json"
        ).render()

    return {
        "data": lambda: result_to_dict(decision, name=None, expect=None),
        "json": lambda: to_json([result_to_dict(decision, name=None, expect=None)], batch=False),
        "text": text(0),
        "text -v": text(1),
    }


def median_seconds(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'statements':>10} {'data s':>8} {'json s':>8} {'text s':>8} {'text -v s':>10} "
        f"{'text/data':>10} {'-v/data':>8}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        decision = decision_of(size)
        times = {k: median_seconds(f, args.repeat) for k, f in renderers(decision).items()}
        data = times["data"]
        print(
            f"{size:>10} {data:>8.3f} {times['json']:>8.3f} {times['text']:>8.3f} "
            f"{times['text -v']:>10.3f} {times['text'] / data:>10.2f} "
            f"{times['text -v'] / data:>8.2f}"
        )


if __name__ == "__main__":
    main()
