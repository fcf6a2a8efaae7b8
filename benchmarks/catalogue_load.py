"""How long parsing the catalogue's package data takes, with each YAML loader PyYAML offers,
and how long one type-dependent ``explain copy`` takes once it is loaded.

    python benchmarks/catalogue_load.py [--repeat N]

The catalogue (``catalogue/data``) is parsed once per process, on the first ``explain``; the
loader falls back to the pure Python SafeLoader when PyYAML lacks libyaml.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from backup_access.catalogue.loader import YAML_LOADER, parse_catalogue  # noqa: E402
from backup_access.diagnose import explain_operation  # noqa: E402
from backup_access.world import load_world  # noqa: E402

COPY = {
    "caller": "arn:aws:iam::111111111111:role/BackupOperator",
    "role": "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
    "recovery_point": "arn:aws:ec2:us-east-1::snapshot/snap-0c0000000000000c1",
    "source_vault": "arn:aws:backup:us-east-1:111111111111:backup-vault:workloads",
    "destination_vault": "arn:aws:backup:us-east-1:333333333333:backup-vault:sandbox",
}


def _median_ms(action: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    loaders = {"SafeLoader": yaml.SafeLoader, YAML_LOADER.__name__: YAML_LOADER}
    for name, loader in loaders.items():
        ms = _median_ms(lambda loader=loader: parse_catalogue(loader), args.repeat)
        print(f"catalogue parse, {name}: {ms:.1f} ms")
    world = load_world(ROOT / "examples" / "worlds" / "copy-by-resource-type")
    explain_operation(world, "copy", COPY)  # warm the catalogue and the engine's caches
    ms = _median_ms(lambda: explain_operation(world, "copy", COPY), args.repeat * 5)
    print(f"explain copy (EBS snapshot, cross-account): {ms:.1f} ms")


if __name__ == "__main__":
    main()
