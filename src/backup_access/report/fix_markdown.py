"""``fix --format markdown``: the diagnosis as ``explain --format markdown`` writes it, then
each change as a unified diff, the commands that apply it and its proof (the diagnosis re-run
on the changed world) — a pull request or ticket description."""

from __future__ import annotations

from backup_access.fix import Fix, FixKind
from backup_access.fix.plan import FixPlan
from backup_access.report.explain_markdown import markdown_explanation
from backup_access.report.fix import unified_diff
from backup_access.report.markdown import document, escape, fenced, inline_code


def _change(fix: Fix, write_dir: str | None) -> list[str]:
    out = [f"#### {escape(fix.title)}", ""]
    where = f"{inline_code(fix.id)} · {fix.kind.value} · target {inline_code(fix.target)}"
    out += [where + (f" · account {inline_code(fix.account)}" if fix.account else ""), ""]
    out += [f"- ⚠ {escape(item)}" for item in fix.review]
    out += [f"- {escape(note)}" for note in fix.notes]
    if fix.review or fix.notes:
        out.append("")
    if fix.kind.is_document and fix.document is not None:
        out += [fenced("".join(unified_diff(fix)).rstrip("\n"), "diff"), ""]
    elif fix.kind is FixKind.SETTING and fix.setting is not None:
        out += [f"Set {escape(fix.setting.label)} to {inline_code(repr(fix.setting.value))}.", ""]
    if fix.cli:
        out += _commands(fix, write_dir)
    mark = "✔" if fix.verified else "✘"
    out += [f"{mark} {escape(fix.verification)} (AWS page: <{fix.source}>)", ""]
    return out


def _commands(fix: Fix, write_dir: str | None) -> list[str]:
    """The apply commands; their ``file://NAME`` exists only once ``--write DIR`` wrote it."""
    cli = list(fix.cli)
    named = fix.file is not None and any(f"file://{fix.file}" in c for c in cli)
    if named and write_dir is not None:
        path = f"file://{write_dir.rstrip('/')}/{fix.file}"
        cli = [c.replace(f"file://{fix.file}", path) for c in cli]
    head = "Apply with:"
    if named and write_dir is None:
        missing = inline_code(f"file://{fix.file}")
        option = inline_code("--write DIR")
        head = f"Apply with ({missing} does not exist yet: write it with {option}):"
    return [head, "", fenced("\n".join(cli), "sh"), ""]


def markdown_fix_plan(plan: FixPlan, *, title: str, write_dir: str | None = None) -> str:
    """One fix plan as Markdown (see the module docstring)."""
    out = [markdown_explanation(plan.before, title=title).rstrip(), ""]
    if plan.fixes:
        out += ["### Changes", ""]
        for fix in plan.fixes:
            out += _change(fix, write_dir)
    if plan.unfixed:
        out += ["**Not fixed**", ""]
        out += [
            f"- {inline_code(u.check)} ({escape(u.layer)}): {escape(u.why)}" for u in plan.unfixed
        ]
        out.append("")
    out += [f"**{escape(plan.summary)}**", ""]
    return document("\n".join(out))
