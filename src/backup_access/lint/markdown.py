"""Render the rule list as ``docs/lint.md``, kept in sync by a test. Regenerate with::

    python -c "from backup_access.lint.markdown import render_markdown as r; print(r(), end='')" \
        > docs/lint.md
"""

from __future__ import annotations

from backup_access.lint.rules import RULES


def render_markdown() -> str:
    lines = [
        "# Lint rules",
        "",
        "Generated from `backup_access.lint.rules` (do not edit by hand). Ids are stable: a rule",
        "that is withdrawn keeps its id unused. Severity is what `--fail-on` compares.",
        "",
        "| id | severity | title | applies to | source |",
        "|---|---|---|---|---|",
    ]
    for rule in RULES:
        kinds = ", ".join(sorted(k.value for k in rule.kinds)) or "every policy"
        lines.append(
            f"| {rule.id} | {rule.severity.value} | {rule.title} | {kinds} | [AWS]({rule.source}) |"
        )
    lines.append("")
    for rule in RULES:
        lines += [f"## {rule.id}: {rule.title}", "", rule.explanation, ""]
        if rule.example:
            lines += ["Flagged:", "", "```", rule.example, "```", ""]
        if rule.fix:
            lines += [f"Fix: {rule.fix}", ""]
        lines += [f"Source: {rule.source}", ""]
    return "\n".join(lines)
