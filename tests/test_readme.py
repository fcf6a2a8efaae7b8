"""The README, the example READMEs and the guides in docs/ stay true: every `backup-access`
command in their ``sh`` blocks runs, with the exit code and the output they claim.

Conventions the documents follow (and this test enforces):

- a command exits 0 unless its line ends with ``# exits N``;
- an ``explain``, ``simulate`` or ``fix`` command states its verdict: with ``--expect``, with
  ``# exits N``, or with a ``text`` block right after its ``sh`` block quoting the output (each
  non-empty line of the quote must appear in what the command prints; "…" stands for any
  text within a line);
- ``<!-- file: PATH -->`` right before a code block writes that block to PATH first (a guide
  builds its files step by step), in a scratch directory where ``examples/`` is the
  repository's.
"""

from __future__ import annotations

import glob
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.cli import main

ROOT = Path(__file__).parents[1]
DOCUMENTS = sorted(
    {
        ROOT / "README.md",
        *ROOT.glob("examples/**/README.md"),
        *ROOT.glob("docs/*.md"),
    }
)
_BLOCK = re.compile(r"(?:<!-- file: (?P<file>\S+) -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)```", re.S)
_VERDICT_COMMANDS = ("explain", "simulate", "fix")


@dataclass(frozen=True)
class Command:
    line: str
    args: list[str]
    exit_code: int
    quote: str | None  # the text block that follows, if any


@dataclass(frozen=True)
class FileWrite:
    path: str
    text: str


def _commands(body: str, quote: str | None) -> list[Command]:
    out = []
    joined = body.replace("\\\n", " ")
    lines = [line.strip() for line in joined.splitlines() if "backup-access " in line]
    for index, line in enumerate(lines):
        command = line[line.rindex("backup-access ") :]
        exits = re.search(r"#\s*exits\s+(\d+)\s*$", command)
        args = shlex.split(command, comments=True)[1:]
        last = index == len(lines) - 1
        out.append(
            Command(line, args, int(exits.group(1)) if exits else 0, quote if last else None)
        )
    return out


def steps(document: Path) -> list[Command | FileWrite]:
    """The document's file writes and commands, in order."""
    text = document.read_text(encoding="utf-8")
    blocks = list(_BLOCK.finditer(text))
    out: list[Command | FileWrite] = []
    for index, block in enumerate(blocks):
        if block.group("file"):
            out.append(FileWrite(block.group("file"), block.group("body")))
            continue
        if block.group("lang") != "sh":
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        quote = None
        if following is not None and following.group("lang") == "text":
            between = text[block.end() : following.start()]
            if not between.strip():
                quote = following.group("body")
        out.extend(_commands(block.group("body"), quote))
    return out


def _run(command: Command) -> str:
    args = list(command.args)
    target = None
    if ">" in args:
        at = args.index(">")
        target, args = args[at + 1], args[:at]
    expanded: list[str] = []
    for arg in args:
        matches = sorted(glob.glob(arg)) if any(c in arg for c in "*?[") else []
        expanded.extend(matches or [arg])
    result = CliRunner().invoke(main, expanded)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        command.line,
        result.output,
    )
    assert result.exit_code == command.exit_code, (command.line, result.output)
    if target is not None:
        Path(target).write_text(result.stdout, encoding="utf-8")
    return result.output


def _quoted(line: str, output: str) -> bool:
    """Whether ``output`` has the quoted line; "…" in a quote stands for any text (a count
    that changes with the catalogue, say) within that line."""
    if "…" not in line:
        return line in output
    pattern = "[^\n]*?".join(re.escape(part) for part in line.split("…"))
    return re.search(pattern, output) is not None


def _states_its_verdict(command: Command) -> bool:
    if not command.args or command.args[0] not in _VERDICT_COMMANDS:
        return True
    if any(a in ("--help", "-h", "--list-rules") for a in command.args):
        return True
    return "--expect" in command.args or command.quote is not None or command.exit_code != 0


def _first_line_answers(command: Command, output: str) -> None:
    """explain's first line is a one-line answer: URLs and commands to run come below it,
    and no parentheses sit inside parentheses."""
    if command.args[:1] != ["explain"] or "--format" in command.args:
        return
    first = next((line for line in output.splitlines() if line[:1] in "✔✘?"), "")
    assert "http" not in first and "(aws " not in first, (command.line, first)
    depth = 0
    for char in first.split(" — ", 1)[0]:  # the title: "op (API)", never "op (API (…))"
        depth += {"(": 1, ")": -1}.get(char, 0)
        assert depth <= 1, (command.line, first)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_command_runs_as_documented(
    document: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    for step in steps(document):
        if isinstance(step, FileWrite):
            Path(step.path).parent.mkdir(parents=True, exist_ok=True)
            Path(step.path).write_text(step.text, encoding="utf-8")
            continue
        assert _states_its_verdict(step), f"{document}: say what this prints: {step.line}"
        output = _run(step)
        _first_line_answers(step, output)
        if step.quote is not None:
            for line in step.quote.splitlines():
                assert _quoted(line.strip(), output), (step.line, line, output)


def test_the_documents_have_commands() -> None:
    """A change to the conventions above that silently matched nothing would pass."""
    counts = {
        str(d.relative_to(ROOT)): sum(isinstance(s, Command) for s in steps(d)) for d in DOCUMENTS
    }
    assert counts["README.md"] >= 8, counts
    assert counts["docs/writing-a-world.md"] >= 6, counts
    assert sum(counts.values()) >= 35, counts


def test_nothing_points_outside_the_repository() -> None:
    """The repository stands alone: no links to a shared design folder or a machine path."""
    offenders = []
    for path in [*DOCUMENTS, *ROOT.glob("src/**/*.py"), *ROOT.glob("tests/**/*.py")]:
        if path == Path(__file__):
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("../shared", "shared/DESIGN", "DESIGN.md", "/work/"):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert not offenders, offenders


def test_an_elided_quote_still_pins_the_rest_of_the_line() -> None:
    output = "✔ ALLOWED copy — all 18 checks pass (9 not applicable)\nnext"
    assert _quoted("✔ ALLOWED copy — all … checks pass (… not applicable)", output)
    assert not _quoted("✘ DENIED copy — all … checks pass", output)
    assert not _quoted("all … next", output)  # "…" does not cross lines


def test_the_readme_lists_every_operation_in_catalogue_order() -> None:
    from backup_access.catalogue import operation_names

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    bullet = " ".join(text.split("- Operations (", 1)[1].split("What each needs", 1)[0].split())
    listed = re.findall(r"`([a-z-]+)`", bullet)
    assert listed == list(operation_names())


def test_explain_help_lists_every_operation() -> None:
    from backup_access.catalogue import operation_names

    result = CliRunner().invoke(main, ["explain", "--help"], terminal_width=200)
    commands = result.output.split("Commands:", 1)[1]
    listed = [line.split()[0] for line in commands.splitlines() if line.startswith("  ")]
    assert listed == list(operation_names())


@pytest.mark.parametrize("document", ["README.md", "docs/output.md"])
def test_exit_code_4_is_listed_with_the_others(document: str) -> None:
    text = " ".join((ROOT / document).read_text(encoding="utf-8").split())
    section = text.split("xit codes", 1)[1][:900]
    for code in ("0 ", "1 ", "2 ", "3 ", "4 AWS could not be read"):
        assert code in section, code
