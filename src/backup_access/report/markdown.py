"""Markdown for tickets and pull requests (``--format markdown``): the verdict line, the
failing checks with their statements quoted, and a Mermaid flowchart of the request's path
through the policy layers with the blocking node marked (GitHub and most wikis draw it).

The small helpers (``fenced``, ``inline_code``, ``statement_block``, ``mermaid_path``) are
meant for every report that writes Markdown, ``fix`` included.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from backup_access.diagnose.model import CheckDecision, CheckResult, Explanation, StatementRef
from backup_access.report.words import (
    CHECK_MARK,
    VERDICT_LABEL,
    first_blocking,
    headline,
    layer_name,
    shown_parameters,
)


def inline_code(text: str) -> str:
    """``text`` as inline code, with enough backticks around it to hold its own."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fenced(text: str, language: str = "") -> str:
    """A fenced code block that no backtick run inside ``text`` can close."""
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def escape(text: str) -> str:
    """Markdown's inline specials escaped, for prose that may hold ``*`` or ``_``."""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", text)


def statement_block(ref: StatementRef) -> str:
    """A quoted statement: where it is, why it counts, and the statement itself."""
    where = f"{ref.source}#{ref.pointer}" if ref.source else ref.pointer
    return "\n".join(
        [
            f"{inline_code(ref.location)} in {inline_code(where)}: {escape(ref.reason)}",
            "",
            fenced(json.dumps(ref.quoted, indent=2, ensure_ascii=False), "json"),
        ]
    )


@dataclass(frozen=True, slots=True)
class PathNode:
    """One step of a request's path: a policy layer or a setting, and whether it blocks."""

    label: str
    blocks: bool


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def mermaid_path(start: str, nodes: Sequence[PathNode], end: str) -> str:
    """A left-to-right flowchart ``start → node → … → end``, blocking nodes in red."""
    lines = ["flowchart LR", f'  n0["{_mermaid_text(start)}"]']
    for index, node in enumerate(nodes, start=1):
        mark = "✘ " if node.blocks else ""
        lines.append(f'  n{index - 1} --> n{index}["{mark}{_mermaid_text(node.label)}"]')
        if node.blocks:
            lines.append(f"  class n{index} blocked")
    last = len(nodes) + 1
    arrow = "-. denied .->" if any(n.blocks for n in nodes) else "-->"
    lines.append(f'  n{last - 1} {arrow} n{last}["{_mermaid_text(end)}"]')
    lines.append("  classDef blocked fill:#fdd,stroke:#c00,stroke-width:2px")
    return fenced("\n".join(lines), "mermaid")


_ORDER = ("scp", "rcp", "endpoint", "identity", "boundary", "session", "resource")


def _scp_nodes(check: CheckResult, layer: str) -> list[PathNode]:
    """Organization policies level by level (root → OUs → account) when the statements say
    which levels they sit at; one node otherwise."""
    levels = list(dict.fromkeys(r.level for r in check.statements if r.layer == layer and r.level))
    blocked = layer in check.blocked_by
    if not levels:
        return [PathNode(layer_name(layer), blocked)]
    short = layer.upper()
    return [PathNode(f"{short} at {level}", blocked) for level in levels]


def check_path(check: CheckResult, settings: Iterable[CheckResult] = ()) -> str:
    """The flowchart of one permission check's request, then the settings it depends on."""
    present = set(check.blocked_by) | {r.layer for r in check.statements}
    present |= {"identity"} if check.principal and check.principal.startswith("arn:") else set()
    if check.resource_policy:
        present.add("resource")
    nodes: list[PathNode] = []
    for layer in _ORDER:
        if layer not in present:
            continue
        if layer in ("scp", "rcp"):
            nodes.extend(_scp_nodes(check, layer))
        else:
            nodes.append(PathNode(layer_name(layer, check), layer in check.blocked_by))
    for setting in settings:
        nodes.append(PathNode(f"setting: {setting.title}", setting.decision.denies))
    start = check.principal or "caller"
    end = f"{check.action} on {check.resource}" if check.action else check.title
    return mermaid_path(start, nodes, end)


def _check_section(check: CheckResult, quoted: set[tuple[str | None, str, str]]) -> list[str]:
    out = [f"#### {CHECK_MARK[check.decision]} {inline_code(check.id)} — {escape(check.title)}"]
    out.append("")
    if check.action:
        out.append(
            f"{inline_code(check.principal or '')} → {inline_code(check.action)} on "
            f"{inline_code(check.resource or '')}"
        )
        out.append("")
    if check.blocked_by:
        layers = ", ".join(layer_name(layer, check) for layer in check.blocked_by)
        out.append(f"Blocked by: **{escape(layers)}**")
        out.append("")
    reason = check.reason.split("; nearest: ", 1)[0] if check.statements else check.reason
    out.append(escape(reason))
    out.append("")
    for ref in check.statements:
        key = (ref.source, ref.policy, ref.pointer)
        if key in quoted:
            out.append(f"{inline_code(ref.location)}: {escape(ref.reason)} (quoted above)")
        else:
            quoted.add(key)
            out.append(statement_block(ref))
        out.append("")
    out.append(f"AWS page: <{check.source}>")
    out.append("")
    return out


def markdown_explanation(explanation: Explanation, *, title: str = "") -> str:
    """An explanation as Markdown (see the module docstring)."""
    label = VERDICT_LABEL[explanation.verdict]
    out = [f"### {label} {escape(title or explanation.operation)}", ""]
    answer = headline(explanation, title).split(" — ", 1)[-1]
    out += [f"**{escape(answer)}**", ""]
    failing = [c for c in explanation.checks if c.decision is not CheckDecision.ALLOWED]
    quoted: set[tuple[str | None, str, str]] = set()
    for check in failing:
        out += _check_section(check, quoted)
    blocking = first_blocking(explanation)
    permission = blocking if blocking is not None and blocking.action else None
    if permission is None:
        permission = next((c for c in explanation.checks if c.action), None)
    if permission is not None:
        settings = [c for c in explanation.checks if c.kind.value == "setting"]
        out += ["#### Path of the request", "", check_path(permission, settings), ""]
    passing = [c for c in explanation.checks if c.decision is CheckDecision.ALLOWED]
    if passing:
        out += [f"<details><summary>Passing checks ({len(passing)})</summary>", ""]
        out += [f"- ✔ {inline_code(c.id)} — {escape(c.title)}" for c in passing]
        out += ["", "</details>", ""]
    extra: list[tuple[str, list[str]]] = [
        ("Not applicable", [f"{s.id}: {s.why}" for s in explanation.skipped]),
        ("Missing from the world", list(explanation.missing)),
        ("Assumptions", list(explanation.notes)),
        ("The world disagrees with the message", list(explanation.disagreements)),
    ]
    for heading, items in extra:
        if items:
            out += [f"**{heading}**", ""] + [f"- {escape(i)}" for i in items] + [""]
    parameters = shown_parameters(explanation)
    if parameters:
        out += ["**Request**", ""]
        out += [f"- {inline_code(k)} {inline_code(v)}" for k, v in parameters] + [""]
    return "\n".join(out).rstrip() + "\n"


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A pipe table; cells are escaped."""
    lines = ["| " + " | ".join(escape(h) for h in header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(escape(str(c)) for c in row) + " |" for row in rows]
    return "\n".join(lines)
