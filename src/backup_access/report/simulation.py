"""Render simulation results: JSON (stable fields) and text for a terminal."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Console
from rich.markup import escape

from backup_access.engine import Decision, DecisionValue, LayerTrace, Outcome, StatementTrace
from backup_access.policy.render import statement_to_json

_STYLE = {
    DecisionValue.ALLOWED: ("✔ ALLOWED", "bold green"),
    DecisionValue.IMPLICIT_DENY: ("✘ IMPLICIT DENY", "bold yellow"),
    DecisionValue.EXPLICIT_DENY: ("✘ EXPLICIT DENY", "bold red"),
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
    return out


def to_json(results: list[dict[str, Any]], *, batch: bool) -> str:
    return json.dumps(results if batch else results[0], indent=2, sort_keys=False)


def _deciding(decision: Decision) -> list[StatementTrace]:
    """The statements that explain the decision."""
    statements = [e for e in decision.trace if isinstance(e, StatementTrace)]
    if decision.value is DecisionValue.EXPLICIT_DENY:
        return [s for s in statements if s.matched and s.effect == "Deny"]
    if decision.value is DecisionValue.ALLOWED:
        return [s for s in statements if s.matched and s.effect == "Allow"]
    blocking = set(decision.blocked_by)
    return [
        s
        for s in statements
        if s.layer in blocking and (s.outcome is Outcome.UNSUPPORTED or s.effect == "Allow")
    ]


def _location(entry: StatementTrace) -> str:
    level = f" @ {entry.level}" if entry.level else ""
    sid = f" ({entry.sid})" if entry.sid else ""
    return f"{entry.layer.value}{level} › {entry.policy} › statement {entry.statement}{sid}"


def render_text(
    console: Console,
    decision: Decision,
    *,
    name: str | None,
    expect: str | None,
    source: str | None = None,
) -> None:
    label, style = _STYLE[decision.value]
    request = decision.request
    title = f"[{style}]{label}[/]"
    if name:
        title += f"  [bold]{escape(name)}[/]"
    console.print(title)
    console.print(
        f"  {escape(request.principal.arn)} → [bold]{escape(request.action)}[/] on "
        f"{escape(request.resource)}"
    )
    if decision.blocked_by:
        console.print(f"  blocked by: [bold]{', '.join(b.value for b in decision.blocked_by)}[/]")
    met = expectation_met(decision, expect)
    if met is not None:
        console.print(
            f"  expected {expect}: " + ("[green]met[/]" if met else "[bold red]NOT MET[/]")
        )
    deciding = _deciding(decision)
    if deciding:
        console.print("  [bold]Deciding statements[/]")
    elif decision.blocked_by:
        console.print(
            "  No statement in the blocking layer(s) mentions this request: "
            "nothing allows it there."
        )
    for entry in deciding:
        where = f"{source}#{entry.pointer}" if source else entry.pointer
        console.print(f"    [cyan]{escape(_location(entry))}[/]  [dim]{escape(where)}[/]")
        console.print(f"      {escape(entry.reason)}")
        if entry.quoted is not None:
            quoted = json.dumps(statement_to_json(entry.quoted), indent=2)
            for line in quoted.splitlines():
                console.print(f"      [dim]{escape(line)}[/]")
    layers = [e for e in decision.trace if isinstance(e, LayerTrace)]
    if layers:
        console.print("  [bold]Layers[/]")
    for layer_entry in layers:
        label = layer_entry.layer.value + (f" @ {layer_entry.level}" if layer_entry.level else "")
        outcome = layer_entry.outcome.value
        console.print(f"    {label:<28} {outcome:<15} {escape(layer_entry.reason)}")
    for problem in decision.unsupported:
        console.print(f"  [bold magenta]unsupported:[/] {escape(problem)}")
