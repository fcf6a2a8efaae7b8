"""Instructions one request costs in the engine benchmark, counted by valgrind's callgrind.

    python benchmarks/instructions.py [--mode cold|warm|distinct] [--render]
                                      [--requests N] [--src DIR]

Why: on a shared machine, wall and CPU clocks drift by a factor of two between sittings, so
small changes drown. Callgrind counts the instructions executed, which are the same for the
same code and input whatever else the machine runs. They stand in for time; they are not
time (cache misses and allocation differ), so compare like with like.

How: the batch is benchmarks/engine.py's (same seed, same modes), pickled so that the sharing
of warm policy sets survives. Two processes run it under callgrind, one once and one twice;
the difference over the batch size is what one more run costs a request (imports, setup and
first-run caches cancel out), as in engine.py's repeated runs. The cyclic garbage collector
is off in both. ``--src`` measures another revision's ``src`` directory (a git worktree) on
the very same batch, provided it has ``simulate.batch.run_batch``.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve()
_COLLECTED = re.compile(r"Collected : (\d+)")


def _child(batch_file: str, runs: int, src: str, render: bool) -> None:
    """Run the pickled batch ``runs`` times against ``src`` (inside callgrind)."""
    sys.path.insert(0, src)
    from backup_access.simulate.batch import run_batch

    document = pickle.loads(Path(batch_file).read_bytes())
    gc.disable()
    for _ in range(runs):
        evaluated, _batch = run_batch(document, source="benchmark")
        if render:
            for _item, decision in evaluated:
                decision.to_dict()


def _batch(requests: int, mode: str) -> object:
    """engine.py's batch for ``mode`` (loaded by path: it puts this tree's src first)."""
    spec = importlib.util.spec_from_file_location("engine_benchmark", HERE.parent / "engine.py")
    assert spec is not None and spec.loader is not None
    engine = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(engine)
    import random

    rng = random.Random(7)
    sets = [engine.policy_set(rng) for _ in range(50)]
    batch = [(rng.randrange(len(sets)), engine.request(rng)) for _ in range(requests)]
    return engine.batch_document(batch, sets, mode=mode)


def _instructions(batch_file: Path, runs: int, src: str, render: bool) -> int:
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        str(HERE),
        "--child",
        str(batch_file),
        str(runs),
        src,
        "1" if render else "0",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    found = _COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        sys.exit(f"callgrind run failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        _child(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("cold", "warm", "distinct"), default="warm")
    parser.add_argument("--render", action="store_true", help="also build Decision.to_dict")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--src", default=str(HERE.parents[1] / "src"), help="src to measure")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (Debian: apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as scratch:
        batch_file = Path(scratch) / "batch.pickle"
        batch_file.write_bytes(pickle.dumps(_batch(args.requests, args.mode)))
        once = _instructions(batch_file, 1, args.src, args.render)
        twice = _instructions(batch_file, 2, args.src, args.render)
    what = "evaluation and rendering" if args.render else "evaluation"
    print(
        f"{args.mode}, {what}, {args.requests} requests, src {args.src}: "
        f"{(twice - once) / args.requests:,.0f} instructions a request"
    )


if __name__ == "__main__":
    main()
