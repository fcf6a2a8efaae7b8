"""Render the catalogue as the Markdown table in ``docs/catalogue.md`` (kept in sync by a test)."""

from __future__ import annotations

from backup_access.catalogue.loader import load_catalogue
from backup_access.catalogue.model import Check, CheckKind

HEADER = """# Catalogue: what each AWS Backup operation needs

Generated from `src/backup_access/catalogue/data` by
`python -c 'import backup_access.catalogue.markdown as m; print(m.render_markdown(), end="")'
> docs/catalogue.md`; do not edit by hand.
Check ids are stable: scenario tests and reports refer to them.

`explain` evaluates each applicable check: a **permission** check with the policy engine
(who → action on resource, in the world), a **setting** check from the world model (a
non-policy gate; when closed its `blocked_by` is `["setting"]`).
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _what(check: Check) -> str:
    if check.kind is CheckKind.PERMISSION:
        via = f" via {check.via_service}" if check.via_service else ""
        return f"`{check.principal}` → `{check.action}` on `{check.resource}`{via}"
    args = ", ".join(check.args)
    return f"gate `{check.gate}`({args})"


def _when(check: Check) -> str:
    if not check.when:
        return "always"
    return "; ".join(f"{c.predicate}({', '.join(c.args)})" for c in check.when)


def render_markdown() -> str:
    catalogue = load_catalogue()
    lines = [HEADER]
    for name in sorted(catalogue.operations):
        operation = catalogue.operations[name]
        lines.append(f"## `{name}` — {operation.title} ({operation.api})\n")
        lines.append(f"{operation.description}\n")
        options = ", ".join(
            f"`{p.option}`" + ("" if p.required else " (optional)") for p in operation.parameters
        )
        lines.append(f"Options: {options}. Source: <{operation.source}>\n")
        lines.append("| id | kind | check | applies when | source |")
        lines.append("|---|---|---|---|---|")
        for check in operation.checks:
            lines.append(
                f"| `{check.id}` | {check.kind} | {_cell(check.title)}<br>{_cell(_what(check))} "
                f"| {_cell(_when(check))} | [AWS]({check.source}) |"
            )
        lines.append("")
    return "\n".join(lines)
