"""Start-up and per-command latency: what a user waits for before the first line.

    python benchmarks/startup.py [--runs K] [--as-is] [--imports N]

Each command runs K times as a fresh process, the commands taking turns so that a change
in the machine's load hits them alike. For each: the median wall time, the median CPU time
of the process (user + system; on a shared machine wall time also counts waiting for a
core, CPU time does not), and both less those of ``python -c pass`` (the interpreter's own
start). The commands:

- ``python -c pass`` and ``python -c "import click"`` (the floor every command pays);
- ``backup-access --help`` (goal: under 0.15 s);
- the README's quick-start ``explain`` on the 3-account example world.

Python's bytecode cache is on (a private temporary ``PYTHONPYCACHEPREFIX``, filled by one
unmeasured run of each command), as for an installed package; ``--as-is`` keeps the calling
environment instead (with ``PYTHONDONTWRITEBYTECODE`` set, every project module is compiled
again on each run). ``--imports N`` also lists the N largest imports of ``explain`` (median
self time over the runs, from ``python -X importtime``).
"""

from __future__ import annotations

import argparse
import collections
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
WORLD = ROOT / "examples" / "worlds" / "cross-account-copy"
EXPLAIN = [
    "explain", "--world", str(WORLD), "copy",
    "--caller", "arn:aws:iam::111111111111:role/BackupOperator",
    "--role", "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
    "--recovery-point", "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001",
    "--source-vault", "arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
    "--destination-vault",
    "arn:aws:backup:us-east-1:222222222222:backup-vault:ou-path-stringequals",
    "--key", "arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000001",
]  # fmt: skip


class Sample(NamedTuple):
    wall: float
    cpu: float


class Figures(NamedTuple):
    name: str
    wall: float
    cpu: float


def _script() -> list[str]:
    """The installed ``backup-access`` script next to this interpreter, as a user runs it."""
    script = Path(sys.executable).with_name("backup-access")
    return [str(script)] if script.exists() else [sys.executable, "-m", "backup_access"]


def _run(command: list[str], env: dict[str, str]) -> Sample:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command[:3])} … exited {done.returncode}: {done.stderr.decode()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Sample(wall, cpu)


def _imports(args: list[str], env: dict[str, str], runs: int, top: int) -> list[str]:
    """The largest imports of ``backup-access ARGS`` by median self time (``-X importtime``),
    as report lines."""
    command = [sys.executable, "-X", "importtime", "-m", "backup_access", *args]
    per_run: list[collections.Counter[str]] = []
    for _ in range(runs):
        done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        selfs: collections.Counter[str] = collections.Counter()
        for line in done.stderr.splitlines():
            fields = line.removeprefix("import time:").split("|")
            if len(fields) == 3 and fields[0].strip().isdigit():
                selfs[fields[2].strip()] += int(fields[0])
        per_run.append(selfs)
    names = set().union(*per_run)
    medians = {name: statistics.median(r.get(name, 0) for r in per_run) for name in names}
    total = sum(medians.values())
    lines = [f"  all imports (sum of self times): {total / 1000:7.1f} ms"]
    for name, micros in sorted(medians.items(), key=lambda item: -item[1])[:top]:
        lines.append(f"  {micros / 1000:7.1f} ms  {name}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="runs of each command (median)")
    parser.add_argument("--as-is", action="store_true", help="keep the bytecode settings")
    parser.add_argument("--imports", type=int, default=0, metavar="N", help="top N imports")
    args = parser.parse_args()

    env = dict(os.environ)
    cache = None
    if not args.as_is:
        cache = tempfile.mkdtemp(prefix="backup-access-pycache-")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = cache
    script = _script()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import click'": [sys.executable, "-c", "import click"],
        "backup-access --help": [*script, "--help"],
        "backup-access explain (3-account world)": [*script, *EXPLAIN],
    }
    try:
        for command in commands.values():
            _run(command, env)  # fills the bytecode cache; not measured
        samples: dict[str, list[Sample]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                samples[name].append(_run(command, env))
        figures = [
            Figures(
                name,
                statistics.median(s.wall for s in runs),
                statistics.median(s.cpu for s in runs),
            )
            for name, runs in samples.items()
        ]
        imports = _imports(EXPLAIN, env, min(args.runs, 5), args.imports) if args.imports else []
    finally:
        if cache is not None:
            shutil.rmtree(cache, ignore_errors=True)

    base = figures[0]
    print(
        f"median of {args.runs} fresh processes each; bytecode cache "
        f"{'as the environment has it' if args.as_is else 'on'}; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'':42} {'wall':>8} {'- pass':>8} {'CPU':>8} {'- pass':>8}")
    for row in figures:
        print(
            f"{row.name:42} {row.wall * 1000:6.0f}ms {(row.wall - base.wall) * 1000:6.0f}ms "
            f"{row.cpu * 1000:6.0f}ms {(row.cpu - base.cpu) * 1000:6.0f}ms"
        )
    print("goal: backup-access --help under 150 ms")
    if imports:
        print(f"largest imports of explain (median self time of {min(args.runs, 5)} runs):")
        print("\n".join(imports))


if __name__ == "__main__":
    main()
