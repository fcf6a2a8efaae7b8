"""The text report of ``simulate`` costs the same order as its JSON, at every size.

Ratios, not absolute times (the machine is shared): the text report with ``-v`` (every
statement quoted) against the JSON rendering, on one policy of N statements, for growing N.
Before the report was rebuilt, text took about 1 ms a statement through rich: some 250
times today's JSON, which orjson writes (report/json_text.py); the text with ``-v`` now
costs 7-14 times the JSON (about 25 us a statement), the default text a tenth of it."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))

from report_text import decision_of, renderers


def _best(function: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def test_text_costs_the_same_order_as_json_as_the_policy_grows() -> None:
    ratios = {}
    for size in (1_000, 8_000):
        render = renderers(decision_of(size))
        json_time = _best(render["json"])
        ratios[size] = (_best(render["text"]) / json_time, _best(render["text -v"]) / json_time)
    for size, (default, verbose) in ratios.items():
        assert default < 1, (size, ratios)  # at most a few statements are quoted
        assert verbose < 25, (size, ratios)
    # no worse than linear: eight times the statements, not much more than eight times the cost
    assert ratios[8_000][1] < 3 * ratios[1_000][1], ratios


def test_default_text_names_how_many_statements_it_left_out() -> None:
    render = renderers(decision_of(1_000))
    text = render["text"]()
    assert "… and 995 more that do not match (-v shows them)" in text
    assert text.count('"Effect": "Allow"') == 5
    verbose = render["text -v"]()
    assert verbose.count("statement 999 (S999)") == 1
