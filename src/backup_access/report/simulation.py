"""Render simulation results (``backup-access simulate``): JSON (stable fields), text for
people and Markdown.

Text, like ``explain``'s: the first line answers (the decision and what decided it); then
the statements that decide it, each quoted once; then one line per layer. By default an
implicit deny lists at most ``NEAREST`` of the statements that did not match (a policy of
thousands would bury the answer) and says how many more ``-v`` shows; ``-v`` adds every
statement considered, ``-q`` prints the first line only.

Cost: every line is built as plain data and written once (``report.text``), so a report of
N statements costs the same order as its JSON (``benchmarks/report_text.py``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from backup_access.engine import Decision, DecisionValue, LayerTrace, Outcome, StatementTrace
from backup_access.policy.render import statement_to_json
from backup_access.report.json_text import json_text
from backup_access.report.layer_words import is_plural
from backup_access.report.layer_words import layer_words as layer_name
from backup_access.report.markdown import (
    PathNode,
    document,
    escape,
    fenced,
    inline_code,
    mermaid_path,
)
from backup_access.report.schema import SCHEMA_VERSION
from backup_access.report.text import OutputOptions, Style, TextReport
from backup_access.world.findings import ASSUMPTION

NEAREST = 5

_LABEL = {
    DecisionValue.ALLOWED: ("✔ ALLOWED", Style.GREEN),
    DecisionValue.IMPLICIT_DENY: ("✘ IMPLICIT DENY", Style.YELLOW),
    DecisionValue.EXPLICIT_DENY: ("✘ EXPLICIT DENY", Style.RED),
}


def expectation_met(decision: Decision, expect: str | None) -> bool | None:
    """``denied`` accepts either kind of deny; None when nothing was expected."""
    if expect is None:
        return None
    if expect == "denied":
        return decision.value is not DecisionValue.ALLOWED
    return bool(decision.value.value == expect)


def result_to_dict(decision: Decision, *, name: str | None, expect: str | None) -> dict[str, Any]:
    out = decision.to_dict()
    if name is not None:
        out["name"] = name
    if expect is not None:
        out["expect"] = expect
        out["expectation_met"] = expectation_met(decision, expect)
    out["schema_version"] = SCHEMA_VERSION
    return out


def to_json(results: list[dict[str, Any]], *, batch: bool) -> str:
    return json_text(results if batch else results[0])


def _statements(decision: Decision) -> list[StatementTrace]:
    return [e for e in decision.trace if isinstance(e, StatementTrace)]


def deciding_statements(decision: Decision) -> list[StatementTrace]:
    """The statements that explain the decision: the matching Denies of an explicit deny,
    the matching Allows of an allow, and for an implicit deny the Allows (and unsupported
    statements) of the blocking layers, none of which matched."""
    statements = _statements(decision)
    if decision.value is DecisionValue.EXPLICIT_DENY:
        return [s for s in statements if s.matched and s.effect == "Deny"]
    if decision.value is DecisionValue.ALLOWED:
        # the grants first; the SCP/RCP Allows that merely let them through after
        allows = [s for s in statements if s.matched and s.effect == "Allow"]
        return sorted(allows, key=lambda s: s.layer.value in ("scp", "rcp"))
    blocking = set(decision.blocked_by)
    return [
        s
        for s in statements
        if s.layer in blocking and (s.outcome is Outcome.UNSUPPORTED or s.effect == "Allow")
    ]


def location(entry: StatementTrace) -> str:
    level = f" @ {entry.level}" if entry.level else ""
    sid = f" ({entry.sid})" if entry.sid else ""
    return f"{entry.layer.value}{level} › {entry.policy} › statement {entry.statement}{sid}"


def summary(decision: Decision, deciding: list[StatementTrace]) -> str:
    """What decided, in one clause."""
    request = decision.request
    subject = f"{request.action} for {request.principal.arn} on {request.resource}"
    if decision.value is DecisionValue.ALLOWED:
        # The grants (one per granting layer: across accounts both sides), not the SCP/RCP
        # Allows that merely let them through.
        firsts: dict[str, StatementTrace] = {}
        for entry in deciding:
            if entry.layer.value not in ("scp", "rcp"):
                firsts.setdefault(entry.layer.value, entry)
        grants = list(firsts.values()) or deciding[:1]
        if not grants:
            return f"{subject} is allowed"
        return "allowed by " + " and ".join(location(g) for g in grants)
    layers = [b.value for b in decision.blocked_by]
    if decision.value is DecisionValue.EXPLICIT_DENY:
        first = deciding[0] if deciding else None
        by = f" ({location(first)})" if first else ""
        name = layer_name(layers[0]) if layers else "a policy"
        return f"{name} {'deny' if is_plural(name) else 'denies'} {subject}{by}"
    cannot = [s for s in deciding if s.outcome is Outcome.UNSUPPORTED]
    deny = next((s for s in cannot if s.effect == "Deny"), None)
    if deny is not None:  # counted as blocking only because its outcome cannot be told
        return f"a Deny statement that cannot be evaluated blocks {subject} ({location(deny)})"
    names = " nor ".join(layer_name(layer) for layer in layers) or "no policy"
    if len(layers) > 1:
        said = f"neither {names} allows {subject}"
    else:
        said = f"{names} {'do' if is_plural(names) else 'does'} not allow {subject}"
    if cannot:
        said += f"; an Allow statement that cannot be evaluated might ({location(cannot[0])})"
    return said


def _headline(decision: Decision, name: str | None, deciding: list[StatementTrace]) -> str:
    label, _ = _LABEL[decision.value]
    title = f" {name}" if name else ""
    return f"{label}{title} — {summary(decision, deciding)}"


# Where the policies came from: one request file, or per policy name the world file that
# holds it (``diagnose.reasons.policy_sources``, as explain names them).
Source = str | Mapping[str, str] | None


def _where(entry: StatementTrace, source: Source) -> str:
    """``FILE#POINTER``, or the pointer alone when the file is not known."""
    file = source if source is None or isinstance(source, str) else source.get(entry.policy)
    return f"{file}#{entry.pointer}" if file else entry.pointer


def _quote(
    report: TextReport, entry: StatementTrace, source: Source, *, compact: bool = False
) -> None:
    """A statement with where it is and why it counts; ``compact`` quotes it on one line
    (``-v`` past the first few of thousands)."""
    where = _where(entry, source)
    report.add((location(entry), Style.CYAN), indent=2)
    report.add((where, Style.DIM), indent=6)
    report.add(entry.reason, indent=6, prose=True)
    if entry.quoted is not None:
        document = statement_to_json(entry.quoted)
        if compact:
            report.add((json.dumps(document), Style.DIM), indent=6)
        else:
            report.block(json.dumps(document, indent=2), Style.DIM, indent=6)


def render_text(
    decision: Decision,
    options: OutputOptions,
    *,
    name: str | None,
    expect: str | None,
    source: Source = None,
    report: TextReport | None = None,
    incomplete: bool = False,
    assumptions: Sequence[str] = (),
) -> TextReport:
    """Add the text report of one decision to ``report`` (a new one by default);
    ``incomplete`` when the world lacks data the decision depends on; ``assumptions`` the
    decision rests on are shown right under it."""
    report = report if report is not None else TextReport(options)
    deciding = deciding_statements(decision)
    _, style = _LABEL[decision.value]
    warning = " — ⚠ INCOMPLETE: the world lacks data this depends on" if incomplete else ""
    report.add((_headline(decision, name, deciding) + warning, style))
    for assumption in assumptions:
        report.add(("  assuming ", Style.YELLOW), assumption.removeprefix(ASSUMPTION), prose=True)
    if options.quiet:
        return report
    request = decision.request
    report.add(
        f"  {request.principal.arn} → ", (request.action, Style.BOLD), f" on {request.resource}"
    )
    if decision.blocked_by:
        layers = ", ".join(b.value for b in decision.blocked_by)
        report.add("  blocked by: ", (layers, Style.BOLD))
    met = expectation_met(decision, expect)
    if met is not None:
        outcome = ("met", Style.GREEN) if met else ("NOT MET", Style.RED)
        report.add(f"  expected {expect}: ", outcome)
    shown = deciding
    if decision.value is DecisionValue.IMPLICIT_DENY and not options.verbose:
        shown = deciding[:NEAREST]
    if deciding:
        heading = (
            "Statements in the blocking layers (none matches)"
            if decision.value is DecisionValue.IMPLICIT_DENY
            else "Deciding statements"
        )
        report.add((f"  {heading}", Style.BOLD))
    elif decision.blocked_by:
        report.add(
            "  No statement in the blocking layer(s) mentions this request: nothing allows it "
            "there.",
            prose=True,
        )
    for index, entry in enumerate(shown):
        _quote(report, entry, source, compact=index >= NEAREST)
    if len(shown) < len(deciding):
        more = len(deciding) - len(shown)
        report.add((f"  … and {more:,} more that do not match (-v shows them)", Style.DIM))
    if options.verbose:
        shown_ids = {id(s) for s in shown}
        others = [s for s in _statements(decision) if id(s) not in shown_ids]
        if others:
            report.add(("  Every other statement considered", Style.BOLD))
        for entry in others:
            report.add(f"    {location(entry)}: {entry.outcome.value} — {entry.reason}")
    layers_trace = [e for e in decision.trace if isinstance(e, LayerTrace)]
    if layers_trace:
        report.add(("  Layers", Style.BOLD))
    for layer_entry in layers_trace:
        at = layer_entry.layer.value + (f" @ {layer_entry.level}" if layer_entry.level else "")
        report.add(f"    {at:<28} {layer_entry.outcome.value:<15} {layer_entry.reason}")
    for problem in decision.unsupported:
        report.add(("  unsupported: ", Style.MAGENTA), problem, prose=True)
    return report


def markdown_decision(decision: Decision, *, name: str | None, source: Source) -> str:
    """One decision as Markdown: the answer, the deciding statements quoted, the path."""
    deciding = deciding_statements(decision)
    label, _ = _LABEL[decision.value]
    title = f" {escape(name)}" if name else ""
    out = [f"### {label}{title}", "", f"**{escape(summary(decision, deciding))}**", ""]
    shown = deciding[:NEAREST] if decision.value is DecisionValue.IMPLICIT_DENY else deciding
    for entry in shown:
        where = _where(entry, source)
        out.append(
            f"{inline_code(location(entry))} in {inline_code(where)}: {escape(entry.reason)}"
        )
        out.append("")
        if entry.quoted is not None:
            out += [fenced(json.dumps(statement_to_json(entry.quoted), indent=2), "json"), ""]
    if len(shown) < len(deciding):
        out += [f"… and {len(deciding) - len(shown):,} more statements that do not match.", ""]
    blocked = {b.value for b in decision.blocked_by}
    nodes: list[PathNode] = []
    for step in decision.trace:
        if isinstance(step, LayerTrace):
            label_text = layer_name(step.layer.value, level=step.level)
            nodes.append(
                PathNode(
                    label_text, step.layer.value in blocked and step.outcome.value != "allowed"
                )
            )
    request = decision.request
    out += ["#### Path of the request", ""]
    out.append(
        mermaid_path(request.principal.arn, nodes, f"{request.action} on {request.resource}")
    )
    for problem in decision.unsupported:
        out += ["", f"- unsupported: {escape(problem)}"]
    return document("\n".join(out).rstrip() + "\n")
