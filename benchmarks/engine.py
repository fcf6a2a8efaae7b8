"""Engine throughput on a batch of varied requests, through simulate's code path.

    python benchmarks/engine.py [--requests N] [--policy-sets K] [--seed S] [--render]
                                [--clock wall|cpu] [--modes cold warm distinct]

A batch is a decoded Contract 1 request file (a list of items), handed to the same
``run_batch`` that ``simulate REQUEST_FILE`` runs (parse, then evaluate each item).
cold: every item carries its own copy of its policies, as a JSON request file does; equal
copies are recognised by content and parsed once (simulate/request_file.py).
warm: items that share a policy set hold the same object (a YAML anchor in a request file),
so it is parsed once and its per-action statement index is reused.
distinct: every item's policies differ from every other item's (each policy gets its own
``Id``, which does not change a decision), so nothing can be shared: each item's policies
are parsed, and planned, for its request alone.
Both build the request (derived context) and the trace; ``--render`` adds the JSON
rendering that ``simulate --format json`` does. Decoding YAML/JSON is not included.
"""

from __future__ import annotations

import argparse
import copy
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from backup_access.engine import evaluate
from backup_access.simulate.batch import cyclic_gc_paused, run_batch
from backup_access.simulate.request_file import parse_policies, parse_request

ACCOUNTS = ["111111111111", "222222222222", "333333333333"]
ACTIONS = [
    "backup:StartCopyJob",
    "backup:CopyIntoBackupVault",
    "backup:CreateBackupVault",
    "backup:DeleteBackupVault",
    "backup:StartBackupJob",
    "backup-storage:MountCapsule",
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:GenerateDataKey",
    "iam:PassRole",
]
ORG = "o-a1b2c3d4e5"


def _vault(rng: random.Random, account: str) -> str:
    region = rng.choice(["us-east-1", "eu-west-1"])
    return f"arn:aws:backup:{region}:{account}:backup-vault:v{rng.randrange(5)}"


def _condition(rng: random.Random) -> dict[str, Any] | None:
    return rng.choice(
        [
            None,
            None,
            {"StringEquals": {"aws:PrincipalOrgID": ORG}},
            {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": f"{ORG}/r-ab12/ou-ab12-1*/*"}},
            {"StringEqualsIfExists": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}},
            {"Bool": {"aws:SecureTransport": "true"}},
            {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Backup*"}},
            {"StringLike": {"aws:PrincipalTag/team": "${aws:PrincipalTag/team}"}},
        ]
    )


def _statement(rng: random.Random, effect: str, principal: bool) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "Effect": effect,
        "Action": rng.sample(
            [
                "backup:*",
                "backup:Copy*",
                "backup:Start*Job",
                "kms:*",
                "backup-storage:*",
                "iam:PassRole",
                "*",
            ],
            k=rng.randint(1, 3),
        ),
        "Resource": rng.choice(["*", "arn:aws:backup:*:*:backup-vault:*", "arn:aws:kms:*:*:key/*"]),
    }
    if principal:
        statement["Principal"] = rng.choice(
            [
                "*",
                {"AWS": rng.choice(ACCOUNTS)},
                {"AWS": f"arn:aws:iam::{rng.choice(ACCOUNTS)}:root"},
            ]
        )
    condition = _condition(rng)
    if condition:
        statement["Condition"] = condition
    return statement


def _policy(
    rng: random.Random, statements: int, principal: bool = False, deny: float = 0.15
) -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            _statement(rng, "Deny" if rng.random() < deny else "Allow", principal)
            for _ in range(statements)
        ],
    }


def policy_set(rng: random.Random) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "identity": [_policy(rng, rng.randint(2, 6)) for _ in range(rng.randint(1, 3))],
        "resource": _policy(rng, rng.randint(1, 4), principal=True),
        "scp": [
            {"level": "r-ab12", "policies": [_policy(rng, 1, deny=0)]},
            {"level": "ou-ab12-11111111", "policies": [_policy(rng, rng.randint(1, 3))]},
            {"level": ACCOUNTS[0], "policies": [_policy(rng, 1, deny=0)]},
        ],
    }
    if rng.random() < 0.5:
        raw["boundary"] = [_policy(rng, rng.randint(1, 3), deny=0)]
    return raw


def request(rng: random.Random) -> dict[str, Any]:
    source, destination = rng.choice(ACCOUNTS), rng.choice(ACCOUNTS)
    return {
        "principal": f"arn:aws:iam::{source}:role/{rng.choice(['Backup', 'Admin', 'Copy'])}",
        "action": rng.choice(ACTIONS),
        "resource": _vault(rng, destination),
        "context": {
            "aws:PrincipalOrgID": ORG,
            "aws:PrincipalOrgPaths": [
                f"{ORG}/r-ab12/ou-ab12-{rng.choice(['11111111', '22222222'])}/"
            ],
            "aws:SecureTransport": rng.choice(["true", "false"]),
            "aws:PrincipalTag/team": rng.choice(["backup", "platform"]),
        },
    }


MODES = ("cold", "warm", "distinct")


def batch_document(
    batch: list[tuple[int, dict[str, Any]]], sets: list[dict[str, Any]], *, mode: str
) -> list[dict[str, Any]]:
    """The request file: shared policy objects when warm, a copy per item when cold, a copy
    made unique per item when distinct."""
    if mode == "warm":
        return [{"request": raw_request, "policies": sets[i]} for i, raw_request in batch]
    document = [
        {"request": raw_request, "policies": copy.deepcopy(sets[i])} for i, raw_request in batch
    ]
    if mode == "distinct":
        for number, item in enumerate(document):
            for policy in _documents(item["policies"]):
                policy["Id"] = f"item-{number}"
    return document


def _documents(policies: dict[str, Any]) -> list[dict[str, Any]]:
    """Every policy document of a policy set."""
    found = [*policies["identity"], policies["resource"], *policies.get("boundary", [])]
    return found + [p for level in policies["scp"] for p in level["policies"]]


def run(document: list[dict[str, Any]], *, render: bool, clock: Callable[[], float]) -> float:
    """Requests per second through what ``simulate`` runs: the batch (and, with ``render``,
    its JSON rendering) with the cyclic collector paused and the survivors frozen, as
    cli/simulate.py does."""
    gc.unfreeze()  # each run starts from the same heap
    started = clock()
    with cyclic_gc_paused(freeze_survivors=True):
        evaluated, _ = run_batch(document, source="benchmark")
        if render:
            for _item, decision in evaluated:
                decision.to_dict()
    return len(evaluated) / (clock() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--policy-sets", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--render", action="store_true", help="also render each result to JSON")
    parser.add_argument(
        "--modes", nargs="+", choices=MODES, default=list(MODES), help="which batches to time"
    )
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall time, or this process's CPU time (steadier on a machine shared with others)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sets = [policy_set(rng) for _ in range(args.policy_sets)]
    batch = [(rng.randrange(len(sets)), request(rng)) for _ in range(args.requests)]
    decisions: dict[str, int] = {}
    for set_index, raw_request in batch[:2000]:
        value = evaluate(parse_request(raw_request)[0], parse_policies(sets[set_index])).value
        decisions[value] = decisions.get(value, 0) + 1
    mix = {str(k): v for k, v in sorted(decisions.items())}
    print(
        f"{args.requests} requests, {args.policy_sets} policy sets; decisions (first 2000): {mix}"
    )
    for mode in args.modes:
        rates = []
        for _ in range(args.repeat):
            document = batch_document(batch, sets, mode=mode)
            clock = time.perf_counter if args.clock == "wall" else time.process_time
            rates.append(run(document, render=args.render, clock=clock))
        median, best = statistics.median(rates), max(rates)
        print(f"{mode}: {median:,.0f} requests/s (median of {args.repeat}; best {best:,.0f})")


if __name__ == "__main__":
    main()
