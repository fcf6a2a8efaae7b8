"""Render explanations (``backup-access explain``): JSON (Contract 3) and text for people.

Text, short by default: the first line answers (verdict, first failing check, its layer and
statement or setting); then each failing or unknown check in full, with the statements that
decide it quoted once each (a statement quoted for several checks is referred to by number);
then one line per passing check; then what did not apply, what the world lacks and what was
assumed, each grouped once. ``-v`` shows every check in full, ``-q`` only the first line.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from backup_access.diagnose.model import (
    CheckDecision,
    CheckResult,
    Explanation,
    StatementRef,
    Verdict,
)
from backup_access.report.json_text import json_text
from backup_access.report.schema import SCHEMA_VERSION
from backup_access.report.text import OutputOptions, Style, TextReport
from backup_access.report.words import (
    CHECK_MARK,
    given_as,
    given_origins,
    headline,
    humanise,
    layer_name,
    parameter_names,
    parameters_heading,
    shown_parameters,
)
from backup_access.world.findings import ASSUMPTION, is_assumption

_VERDICT_STYLE = {
    Verdict.ALLOWED: Style.GREEN,
    Verdict.DENIED: Style.RED,
    Verdict.UNKNOWN: Style.MAGENTA,
}
_MARK_STYLE = {
    CheckDecision.ALLOWED: Style.GREEN,
    CheckDecision.IMPLICIT_DENY: Style.YELLOW,
    CheckDecision.EXPLICIT_DENY: Style.RED,
    CheckDecision.DENIED: Style.RED,
    CheckDecision.UNKNOWN: Style.MAGENTA,
}


EXPECTATIONS = ("allowed", "denied", "implicit_deny", "explicit_deny")


def expectation_met(verdict: Verdict | Explanation, expect: str | None) -> bool | None:
    """None when nothing was expected; an unknown verdict meets no expectation. The values
    are simulate's: ``denied`` is any denial; ``explicit_deny`` needs a check denied by an
    explicit Deny, ``implicit_deny`` a denial with none (given an Explanation)."""
    if expect is None:
        return None
    explanation = verdict if isinstance(verdict, Explanation) else None
    value = explanation.verdict if explanation is not None else verdict
    assert isinstance(value, Verdict)
    if expect in ("allowed", "denied"):
        return value.value == expect
    if value is not Verdict.DENIED:
        return False
    if explanation is None:
        return None
    explicit = any(c.decision is CheckDecision.EXPLICIT_DENY for c in explanation.checks)
    return explicit == (expect == "explicit_deny")


def explanation_to_dict(explanation: Explanation, *, expect: str | None = None) -> dict[str, Any]:
    out = {**explanation.to_dict(), "schema_version": SCHEMA_VERSION}
    if expect is not None:
        out["expect"] = expect
        out["expectation_met"] = expectation_met(explanation, expect)
    return out


def to_json(items: Sequence[dict[str, Any]], *, batch: bool) -> str:
    return json_text(list(items) if batch else items[0])


class _Quotes:
    """Numbers the statements quoted so far, so that a statement is quoted once; remembers
    why it counted the first time."""

    def __init__(self) -> None:
        self.numbers: dict[tuple[str | None, str, str], tuple[int, str]] = {}

    def number(self, ref: StatementRef) -> tuple[int, str | None]:
        """The statement's number, and the reason it was first quoted with (None: first)."""
        key = (ref.source, ref.policy, ref.pointer)
        if key in self.numbers:
            number, reason = self.numbers[key]
            return number, reason
        self.numbers[key] = (len(self.numbers) + 1, ref.reason)
        return len(self.numbers), None


def _statement(report: TextReport, ref: StatementRef, quotes: _Quotes, indent: int) -> None:
    number, earlier = quotes.number(ref)
    if earlier is not None:  # quoted above: one line, and why only if it differs
        report.add(
            (f"[{number}] ", Style.BOLD),
            (ref.location, Style.CYAN),
            (" — quoted above", Style.DIM),
            indent=indent,
        )
        if ref.reason != earlier:
            report.add(ref.reason, indent=indent + 4, prose=True)
        return
    where = f"{ref.source}#{ref.pointer}" if ref.source else ref.pointer
    report.add((f"[{number}] ", Style.BOLD), (ref.location, Style.CYAN), indent=indent)
    report.add((where, Style.DIM), indent=indent + 4)
    report.add(ref.reason, indent=indent + 4, prose=True)
    report.block(json.dumps(ref.quoted, indent=2, ensure_ascii=False), Style.DIM, indent=indent + 4)


def _check_line(check: CheckResult) -> tuple[tuple[str, Style], ...]:
    mark = CHECK_MARK[check.decision]
    setting = " [setting]" if check.kind.value == "setting" else ""
    return (
        (mark, _MARK_STYLE[check.decision]),
        " ",
        (check.id, Style.BOLD),
        (setting, Style.DIM),
        " — " + check.title,
    )  # type: ignore[return-value]


def _full_check(
    report: TextReport,
    check: CheckResult,
    quotes: _Quotes,
    names: Sequence[str] = (),
    origins: Sequence[tuple[str, str]] = (),
) -> None:
    report.add(*_check_line(check), prose=True)
    if check.action is not None:
        report.add(
            f"{check.principal or ''} → ",
            (check.action, Style.BOLD),
            f" on {check.resource or ''}",
            indent=4,
        )
    if check.decision is not CheckDecision.ALLOWED and check.blocked_by:
        layers = ", ".join(layer_name(layer, check) for layer in check.blocked_by)
        # an unknown check is not blocked: it is undecided at these layers
        label = "unknown at: " if check.decision is CheckDecision.UNKNOWN else "blocked by: "
        report.add(label, (layers, Style.BOLD), indent=4, prose=True)
    reason = check.reason
    if check.statements:
        # The quoted statements below say what "nearest" says; keep the reason short.
        reason = reason.split("; nearest: ", 1)[0]
    report.add(given_as(humanise(reason, names), origins), indent=4, prose=True)
    for ref in check.statements:
        _statement(report, ref, quotes, indent=4)
    for item in check.missing:
        item = given_as(humanise(item, names), origins)
        report.add(("missing: ", Style.MAGENTA), item, indent=4, prose=True)
    report.add(("AWS page: ", Style.DIM), (check.source, Style.DIM), indent=4)


def render_explanation(
    explanation: Explanation,
    options: OutputOptions,
    *,
    expect: str | None = None,
    title: str = "",
) -> TextReport:
    """The text report of one explanation (see the module docstring)."""
    report = TextReport(options)
    # prose: on a terminal the answer wraps between words (piped, it stays one line)
    report.add((headline(explanation, title), _VERDICT_STYLE[explanation.verdict]), prose=True)
    for assumption in explanation.assumptions:  # the verdict rests on these: beside it
        report.add(
            ("assuming ", Style.YELLOW), assumption.removeprefix(ASSUMPTION), indent=2, prose=True
        )
    met = expectation_met(explanation, expect)
    if options.quiet:
        return report
    if explanation.disagreements:
        report.blank()
        report.add(("The world disagrees with the message", Style.YELLOW))
        for item in explanation.disagreements:
            report.add("- " + item, indent=2, prose=True)
    quotes = _Quotes()
    names = parameter_names(explanation)
    origins = given_origins(explanation)
    passing = [c for c in explanation.checks if c.decision is CheckDecision.ALLOWED]
    others = [c for c in explanation.checks if c.decision is not CheckDecision.ALLOWED]
    for check in [*others, *passing] if options.verbose else others:
        report.blank()
        _full_check(report, check, quotes, names, origins)
    if passing and not options.verbose:
        report.blank()
        report.add((f"Passing checks ({len(passing)})", Style.BOLD))
        for check in passing:
            report.add(*_check_line(check), indent=2, prose=True)
    groups = (
        ("Not applicable", [f"{s.id}: {humanise(s.why, names)}" for s in explanation.skipped]),
        (
            "Missing from the world (collect it)",
            [given_as(humanise(m, names), origins) for m in explanation.missing],
        ),
        ("Notes", [n for n in explanation.notes if not is_assumption(n)]),
    )
    for heading, items in groups:
        if items:
            report.blank()
            report.add((heading, Style.BOLD))
            for item in items:
                report.add("- " + item, indent=2, prose=True)
    parameters = shown_parameters(explanation)
    if parameters:
        report.blank()
        report.add((parameters_heading(explanation), Style.BOLD))
        for label, value in parameters:
            report.add((label, Style.DIM), " " + value, indent=2)
    if met is not None:
        report.blank()
        outcome = ("met", Style.GREEN) if met else ("NOT MET", Style.RED)
        report.add(f"expected {expect}: ", outcome)
    return report
