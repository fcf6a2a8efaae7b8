"""Wall time of what users run on a large batch: ``backup-access simulate FILE --format json``.

    python benchmarks/simulate_cli.py [--requests 10000] [--repeat 3] [--src DIR ...]

Writes a JSON request file of ``--requests`` items (benchmarks/engine.py's generator: 50
policy sets, each item carrying its own copy, as a JSON file must), then times the command
in a fresh process, start to finish (reading the file, evaluating, rendering, writing the
JSON to a pipe). ``--src`` times another checkout's ``src`` directory (for example one made
with ``git worktree add``) in the same sitting; the default is this checkout's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import batch_document, policy_set, request


def seconds(src: Path, request_file: Path) -> float:
    """One run of the command on ``request_file`` with ``src`` first on the path."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, "-m", "backup_access", "simulate", str(request_file)]
    command += ["--format", "json"]
    started = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    here = Path(__file__).resolve().parents[1] / "src"
    parser.add_argument("--src", type=Path, nargs="+", default=[here])
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sets = [policy_set(rng) for _ in range(50)]
    batch = [(rng.randrange(len(sets)), request(rng)) for _ in range(args.requests)]
    with tempfile.TemporaryDirectory() as directory:
        request_file = Path(directory) / "batch.json"
        request_file.write_text(json.dumps(batch_document(batch, sets, mode="cold")))
        size = request_file.stat().st_size
        times: dict[Path, list[float]] = {src: [] for src in args.src}
        for _ in range(args.repeat):  # alternate, so that a busy moment hits every tree
            for src in args.src:
                times[src].append(seconds(src, request_file))
    print(f"{args.requests} requests in one JSON file ({size / 2**20:.0f} MiB)")
    for src, measured in times.items():
        print(f"{src}: {statistics.median(measured):.2f} s (median of {args.repeat})")


if __name__ == "__main__":
    main()
