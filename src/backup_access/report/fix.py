"""Render fix plans (``backup-access fix``): text with a coloured unified diff per document,
the AWS CLI commands that apply it and its verification; JSON as Contract 3 (explain's
fields, ``fixes`` filled, and ``fix_plan`` with the verdict after every fix is applied).
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from typing import Any

import click

from backup_access.diagnose.model import Explanation, Verdict
from backup_access.fix import Audience, Fix, FixKind, FixPlan
from backup_access.report.explain import explanation_to_dict
from backup_access.report.json_text import json_text
from backup_access.report.printable import printable
from backup_access.report.words import VERDICT_LABEL, headline


def plan_to_dict(
    explanation: Explanation, plan: FixPlan, *, expect: str | None = None
) -> dict[str, Any]:
    """explain's JSON for the diagnosis (same fields, same schema), with ``fixes`` filled and
    ``fix_plan``: the verdict after every fix is applied and what still blocks."""
    with_fixes = replace(explanation, fixes=tuple(f.to_dict() for f in plan.fixes))
    out = explanation_to_dict(with_fixes, expect=expect)
    out["fix_plan"] = plan.to_dict()
    return out


def pretty(document: Any) -> str:
    return json_text(document) + "\n"


def unified_diff(fix: Fix) -> list[str]:
    before = [] if fix.previous is None else pretty(fix.previous).splitlines(keepends=True)
    after = pretty(fix.document).splitlines(keepends=True)
    name = fix.pointer or fix.target
    return list(
        difflib.unified_diff(
            before,
            after,
            fromfile=f"{name} (now)" if fix.previous is not None else "/dev/null (new)",
            tofile=f"{name} (fixed)",
        )
    )


def _diff_lines(fix: Fix, color: bool) -> list[str]:
    out = []
    for line in unified_diff(fix):
        text = printable(line.rstrip("\n"))
        if not color:
            out.append(text)
        elif text.startswith(("+++", "---")):
            out.append(click.style(text, bold=True))
        elif text.startswith("+"):
            out.append(click.style(text, fg="green"))
        elif text.startswith("-"):
            out.append(click.style(text, fg="red"))
        elif text.startswith("@@"):
            out.append(click.style(text, fg="cyan"))
        else:
            out.append(text)
    return out


def _style(text: str, color: bool = False, **style: Any) -> str:
    """One line of the plan, its text escaped (``printable``: a target, a note or a reason
    can quote a world's names), then coloured when asked for."""
    text = printable(text)
    return click.style(text, **style) if color and style else text


def _commands(fix: Fix, write_dir: str | None) -> list[str]:
    """The apply commands; their ``file://NAME`` exists only once ``--write DIR`` wrote it."""
    if not fix.cli:
        return []
    if fix.file is None or f"file://{fix.file}" not in " ".join(fix.cli):
        return ["  apply with:", *(_style(f"    {command}") for command in fix.cli)]
    if write_dir is None:
        head = f"  apply with (file://{fix.file} does not exist yet: write it with --write DIR):"
        return [_style(head), *(_style(f"    {command}") for command in fix.cli)]
    path = f"file://{write_dir.rstrip('/')}/{fix.file}"
    commands = (c.replace(f"file://{fix.file}", path) for c in fix.cli)
    return ["  apply with:", *(_style(f"    {command}") for command in commands)]


def render_fix(fix: Fix, *, color: bool, write_dir: str | None = None) -> list[str]:
    lines = []
    who = {
        Audience.ACCOUNT: f"account {fix.account}" if fix.account else "the account",
        Audience.ORGANIZATION: "FOR THE ORGANIZATION'S ADMINISTRATORS (management account "
        f"{fix.account})",
        Audience.NOBODY: "no policy change: an alternative",
    }[fix.audience]
    lines.append(_style(f"● {fix.title}", color, bold=True))
    lines.append(_style(f"  {fix.id} · {' + '.join(fix.generators)} · {fix.kind.value} · {who}"))
    lines.append(_style(f"  target: {fix.target}"))
    lines.append(_style(f"  checks: {', '.join(fix.checks)}"))
    lines.append(_style(f"  source: {fix.source}", color, dim=True))
    for item in fix.review:
        lines.append(
            _style(
                f"  ⚠ {item.upper() if 'review' in item else item}", color, fg="yellow", bold=True
            )
        )
    for note in fix.notes:
        lines.append(_style(f"  {note}"))
    if fix.limit is not None:
        lines.append(_style(f"  ⚠ size: {fix.limit.message}", color, fg="yellow"))
    if fix.kind.is_document:
        lines.extend("  " + line for line in _diff_lines(fix, color))
    elif fix.kind is FixKind.SETTING and fix.setting is not None:
        setting = fix.setting
        lines.append(_style(f"  set {setting.label}: {setting.pointer} → {setting.value!r}"))
    lines.extend(_commands(fix, write_dir))
    if fix.newly_allows:
        lines.append("  newly allows:")
        lines.extend(_style(f"    - {item}") for item in fix.newly_allows)
    style = {"fg": "green"} if fix.verified else {"fg": "red"}
    lines.append(_style(f"  {fix.verification}", color, **style))
    return lines


def plan_headline(plan: FixPlan, title: str) -> str:
    """One line, in explain's style: the verdict now, how many changes, and the verdict after
    them — so that "DENIED" is never read as "still denied"."""
    head = f"{VERDICT_LABEL[plan.before.verdict]} {title}"
    if plan.before.verdict is Verdict.ALLOWED:
        return f"{head} — allowed already: nothing to fix"
    changes = [f for f in plan.fixes if f.kind is not FixKind.ALTERNATIVE]
    alternatives = len(plan.fixes) - len(changes)
    parts = []
    if changes:
        parts.append(f"{len(changes)} change{'s' if len(changes) != 1 else ''} proposed")
    if alternatives:
        parts.append(f"{alternatives} alternative{'s' if alternatives != 1 else ''}")
    if not parts:
        parts.append("no fix found")
    them = "it" if len(changes) == 1 else "them"
    if changes and plan.verified:
        parts.append(f"verified: allowed after {them}")
    else:
        still = f"still {plan.after.verdict.value}" + (f" after {them}" if changes else "")
        reason = headline(plan.after).partition(" — ")[2]
        parts.append(f"{still}: {reason}" if reason else still)
    return f"{head} — {', '.join(parts)}"


def render_plan(
    plan: FixPlan,
    *,
    title: str,
    color: bool,
    quiet: bool = False,
    write_dir: str | None = None,
) -> str:
    """The plan as text; ``quiet``: the headline only (as ``explain -q``); ``write_dir``: where
    ``--write`` puts the documents the commands read."""
    good = plan.verified or plan.before.verdict is Verdict.ALLOWED
    lines = [_style(plan_headline(plan, title), color, bold=True, fg="green" if good else "red")]
    if quiet:
        return lines[0] + "\n"
    for fix in plan.fixes:
        lines.append("")
        lines.extend(render_fix(fix, color=color, write_dir=write_dir))
    if plan.unfixed:
        lines.append("")
        lines.append(_style("Not fixed:", color, bold=True, fg="red"))
        lines.extend(_style(f"  - {u.check} ({u.layer}): {u.why}") for u in plan.unfixed)
    for note in plan.notes:
        lines.append(_style(f"note: {note}", color, dim=True))
    lines.append("")
    style = {"fg": "green", "bold": True} if plan.verified else {"fg": "red", "bold": True}
    lines.append(_style(plan.summary, color, **style))
    for check in plan.remaining():
        layers = ", ".join(check.blocked_by) or check.decision.value
        decision = check.decision.value
        lines.append(_style(f"  still {decision}: {check.id} ({layers}): {check.reason}"))
    return "\n".join(lines) + "\n"
