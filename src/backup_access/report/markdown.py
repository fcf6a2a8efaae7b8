"""Markdown building blocks for every report that writes ``--format markdown`` (explain,
simulate, fix): code spans and fences that their content cannot close, escaped prose, a
quoted statement, a pipe table and a Mermaid flowchart of a request's path through the policy
layers with the blocking nodes marked (GitHub and most wikis draw it as a picture).

Each helper escapes control, format and surrogate characters (``printable``) in the text it
is given, so a name, a value or a paste can neither reach the reader's terminal as an escape
sequence nor break the document's lines; ``document`` does the same for a whole document,
keeping its line breaks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from backup_access.report.printable import printable

if TYPE_CHECKING:
    from backup_access.diagnose.model import StatementRef


def document(text: str) -> str:
    """A whole Markdown document made safe to print: what the helpers below did not quote is
    escaped too (its line breaks are its structure, and kept)."""
    return printable(text, keep="\n")


def inline_code(text: str) -> str:
    """``text`` as inline code, with enough backticks around it to hold its own."""
    text = printable(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fenced(text: str, language: str = "") -> str:
    """A fenced code block that no backtick run inside ``text`` can close."""
    text = printable(text, keep="\n")
    longest = max((len(run) for run in re.findall(r"`{3,}", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def escape(text: str) -> str:
    """Markdown's inline specials escaped, for prose that may hold ``*`` or ``_``."""
    return re.sub(r"([\\`*_\[\]<>|])", r"\\\1", printable(text))


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
    """One step of a request's path: a policy layer or a setting, and whether it blocks,
    or may block (``unknown``: what it decides is not known, so it is not drawn denied)."""

    label: str
    blocks: bool
    unknown: bool = False


def _mermaid_text(text: str) -> str:
    return printable(text).replace('"', "#quot;")


def mermaid_path(start: str, nodes: Sequence[PathNode], end: str) -> str:
    """A left-to-right flowchart ``start → node → … → end``, blocking nodes in red."""
    lines = ["flowchart LR", f'  n0["{_mermaid_text(start)}"]']
    for index, node in enumerate(nodes, start=1):
        mark = "✘ " if node.blocks else "? " if node.unknown else ""
        lines.append(f'  n{index - 1} --> n{index}["{mark}{_mermaid_text(node.label)}"]')
        if node.blocks:
            lines.append(f"  class n{index} blocked")
        elif node.unknown:
            lines.append(f"  class n{index} unknown")
    last = len(nodes) + 1
    if any(n.blocks for n in nodes):
        arrow = "-. denied .->"
    elif any(n.unknown for n in nodes):
        arrow = "-. unknown .->"
    else:
        arrow = "-->"
    lines.append(f'  n{last - 1} {arrow} n{last}["{_mermaid_text(end)}"]')
    lines.append("  classDef blocked fill:#fdd,stroke:#c00,stroke-width:2px")
    lines.append("  classDef unknown fill:#ffd,stroke:#b80,stroke-width:2px,stroke-dasharray:4")
    return fenced("\n".join(lines), "mermaid")


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A pipe table; cells are escaped."""
    lines = ["| " + " | ".join(escape(h) for h in header) + " |"]
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(escape(str(c)) for c in row) + " |" for row in rows]
    return "\n".join(lines)
