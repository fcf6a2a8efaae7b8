"""Render explanations (``backup-access explain``): JSON (Contract 3) and a text tree.

Text: one branch per check, ✔ allowed, ✘ denied, ? unknown; a denied permission check shows
the blocking layer(s), the reason and each responsible statement quoted with its location;
a denied setting shows the gate. Skipped checks, missing data and assumptions follow.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from backup_access.diagnose.model import (
    CheckDecision,
    CheckResult,
    Explanation,
    StatementRef,
    Verdict,
)

_VERDICT = {
    Verdict.ALLOWED: ("✔ ALLOWED", "bold green"),
    Verdict.DENIED: ("✘ DENIED", "bold red"),
    Verdict.UNKNOWN: ("? UNKNOWN", "bold magenta"),
}
_MARK = {
    CheckDecision.ALLOWED: ("✔", "green"),
    CheckDecision.IMPLICIT_DENY: ("✘", "yellow"),
    CheckDecision.EXPLICIT_DENY: ("✘", "red"),
    CheckDecision.DENIED: ("✘", "red"),
    CheckDecision.UNKNOWN: ("?", "magenta"),
}


def expectation_met(verdict: Verdict, expect: str | None) -> bool | None:
    """None when nothing was expected; an unknown verdict meets no expectation."""
    if expect is None:
        return None
    return verdict.value == expect


def explanation_to_dict(explanation: Explanation, *, expect: str | None = None) -> dict[str, Any]:
    out = explanation.to_dict()
    if expect is not None:
        out["expect"] = expect
        out["expectation_met"] = expectation_met(explanation.verdict, expect)
    return out


def to_json(items: Sequence[dict[str, Any]], *, batch: bool) -> str:
    return json.dumps(list(items) if batch else items[0], indent=2, ensure_ascii=False)


def _statement(branch: Tree, ref: StatementRef) -> None:
    where = f"{ref.source}#{ref.pointer}" if ref.source else ref.pointer
    node = branch.add(f"[cyan]{escape(ref.location)}[/]  [dim]{escape(where)}[/]")
    node.add(escape(ref.reason))
    quoted = json.dumps(ref.quoted, indent=2)
    node.add(f"[dim]{escape(quoted)}[/]")


def _check(tree: Tree, check: CheckResult) -> None:
    mark, style = _MARK[check.decision]
    kind = "" if check.kind.value == "permission" else " [dim]\\[setting][/]"
    branch = tree.add(
        f"[{style}]{mark}[/] [bold]{escape(check.id)}[/]{kind}  {escape(check.title)}"
    )
    if check.action is not None:
        branch.add(
            f"[dim]{escape(check.principal or '')} → {escape(check.action)} on "
            f"{escape(check.resource or '')}[/]"
        )
    if check.decision is CheckDecision.ALLOWED:
        return
    if check.blocked_by:
        branch.add(f"blocked by: [bold]{', '.join(check.blocked_by)}[/]")
    branch.add(escape(check.reason))
    for ref in check.statements:
        _statement(branch, ref)
    branch.add(f"[dim]source: {escape(check.source)}[/]")


def render_explanation(
    console: Console, explanation: Explanation, *, expect: str | None = None, title: str = ""
) -> None:
    label, style = _VERDICT[explanation.verdict]
    heading = f"[{style}]{label}[/]  [bold]{escape(title or explanation.operation)}[/]"
    tree = Tree(heading)
    if explanation.parameters:
        params = tree.add("[dim]parameters[/]")
        for name, value in explanation.parameters:
            params.add(f"[dim]{escape(name)} = {escape(value)}[/]")
    for check in explanation.checks:
        _check(tree, check)
    for title_text, items, item_style in (
        ("The world disagrees with the message", explanation.disagreements, "bold yellow"),
        ("Not applicable", [f"{s.id}: {s.why}" for s in explanation.skipped], "dim"),
        ("Missing from the world (collect it)", explanation.missing, "bold magenta"),
        ("Assumptions", explanation.notes, "dim"),
    ):
        if items:
            branch = tree.add(f"[{item_style}]{title_text}[/]")
            for item in items:
                branch.add(f"[{item_style}]{escape(item)}[/]")
    met = expectation_met(explanation.verdict, expect)
    if met is not None:
        tree.add(f"expected {expect}: " + ("[green]met[/]" if met else "[bold red]NOT MET[/]"))
    console.print(tree, soft_wrap=False)
