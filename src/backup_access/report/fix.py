"""Render fix plans (``backup-access fix``): text with a coloured unified diff per document,
the AWS CLI commands that apply it and its verification; JSON as Contract 3 (explain's
fields, ``fixes`` filled, and ``fix_plan`` with the verdict after every fix is applied).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import replace
from typing import Any

import click

from backup_access.diagnose.model import Explanation
from backup_access.fix import Audience, Fix, FixKind, FixPlan
from backup_access.report.explain import explanation_to_dict


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
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


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
        text = line.rstrip("\n")
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


def _style(text: str, color: bool, **style: Any) -> str:
    return click.style(text, **style) if color else text


def render_fix(fix: Fix, *, color: bool) -> list[str]:
    lines = []
    who = {
        Audience.ACCOUNT: f"account {fix.account}" if fix.account else "the account",
        Audience.ORGANIZATION: "FOR THE ORGANIZATION'S ADMINISTRATORS (management account "
        f"{fix.account})",
        Audience.NOBODY: "no policy change: an alternative",
    }[fix.audience]
    lines.append(_style(f"● {fix.title}", color, bold=True))
    lines.append(f"  {fix.id} · {' + '.join(fix.generators)} · {fix.kind.value} · {who}")
    lines.append(f"  target: {fix.target}")
    lines.append(f"  checks: {', '.join(fix.checks)}")
    lines.append(_style(f"  source: {fix.source}", color, dim=True))
    for item in fix.review:
        lines.append(
            _style(
                f"  ⚠ {item.upper() if 'review' in item else item}", color, fg="yellow", bold=True
            )
        )
    for note in fix.notes:
        lines.append(f"  {note}")
    if fix.limit is not None:
        lines.append(_style(f"  ⚠ size: {fix.limit.message}", color, fg="yellow"))
    if fix.kind.is_document:
        lines.extend("  " + line for line in _diff_lines(fix, color))
    elif fix.kind is FixKind.SETTING and fix.setting is not None:
        lines.append(f"  set {fix.setting.label}: {fix.setting.pointer} → {fix.setting.value!r}")
    if fix.cli:
        lines.append("  apply with:")
        lines.extend(f"    {command}" for command in fix.cli)
    if fix.newly_allows:
        lines.append("  newly allows:")
        lines.extend(f"    - {item}" for item in fix.newly_allows)
    style = {"fg": "green"} if fix.verified else {"fg": "red"}
    lines.append(_style(f"  {fix.verification}", color, **style))
    return lines


def render_plan(plan: FixPlan, *, title: str, color: bool) -> str:
    lines = []
    verdict = plan.before.verdict.value.upper()
    lines.append(_style(f"{verdict}  {title}", color, bold=True))
    if not plan.fixes and not plan.unfixed:
        lines.append("nothing to fix" if plan.before.verdict.value == "allowed" else "no fix found")
    for fix in plan.fixes:
        lines.append("")
        lines.extend(render_fix(fix, color=color))
    if plan.unfixed:
        lines.append("")
        lines.append(_style("Not fixed:", color, bold=True, fg="red"))
        lines.extend(f"  - {u.check} ({u.layer}): {u.why}" for u in plan.unfixed)
    for note in plan.notes:
        lines.append(_style(f"note: {note}", color, dim=True))
    lines.append("")
    style = {"fg": "green", "bold": True} if plan.verified else {"fg": "red", "bold": True}
    lines.append(_style(plan.summary, color, **style))
    for check in plan.remaining():
        layers = ", ".join(check.blocked_by) or check.decision.value
        lines.append(f"  still {check.decision.value}: {check.id} ({layers}): {check.reason}")
    return "\n".join(lines) + "\n"
