"""How long reading a pasted error message takes: the message corpus (median per message,
parse and offline answer), and adversarial text of growing size (the ratio shows the growth;
the old empty-403 pattern grew quadratically).

    python benchmarks/error_messages.py [--repeat N]
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

from backup_access.diagnose.messages import parse_error_message  # noqa: E402
from backup_access.diagnose.offline import answer_offline  # noqa: E402

CORPUS = ROOT / "tests" / "diagnose" / "messages"
SHAPES = {"punctuation": "!", "dashes then a letter": "-", "User: repeated": "User: "}


def _texts() -> list[str]:
    return [
        entry["text"]
        for path in sorted(CORPUS.glob("*.yaml"))
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]


def _median_us(function: object, texts: list[str], repeat: int) -> float:
    timings = []
    for text in texts:
        start = time.perf_counter()
        for _ in range(repeat):
            function(text)  # type: ignore[operator]
        timings.append((time.perf_counter() - start) / repeat * 1e6)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    texts = _texts()
    answer_offline(parse_error_message(texts[0]))  # load the catalogue and the families once
    print(f"corpus: {len(texts)} messages")
    parse = _median_us(parse_error_message, texts, args.repeat)
    print(f"  parse:           median {parse:8.1f} us")
    offline = lambda text: answer_offline(parse_error_message(text))  # noqa: E731
    print(f"  offline answer:  median {_median_us(offline, texts, args.repeat):8.1f} us")
    for name, unit in SHAPES.items():
        sizes = (2_500, 5_000, 10_000, 20_000)
        times = []
        for size in sizes:
            text = (unit * size)[:size] + "a"
            times.append(_median_us(parse_error_message, [text], max(1, args.repeat // 4)))
        row = "  ".join(f"{s:>6}: {t / 1000:6.2f} ms" for s, t in zip(sizes, times, strict=True))
        print(f"{name:>22}  {row}  (20,000 / 2,500 = {times[-1] / times[0]:.1f}x)")


if __name__ == "__main__":
    main()
