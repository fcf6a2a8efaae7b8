"""Plain text for people, built line by line and written once.

Why not print each line through rich: a console call costs about a millisecond, which made a
50,000-statement report take a minute; here a report is a list of lines joined once, with
ANSI colour added only when wanted.

Wrapping rules (the issue's "never hard-wrap machine text"): with no width (stdout is not a
terminal) nothing is wrapped; with a width only lines marked as prose are wrapped, at spaces,
and a word is never split — an ARN, URL or JSON pointer has no spaces, so it runs long
instead of breaking. Quoted policy lines and locations are never wrapped; headlines and
one-line check summaries are prose.

Every piece of text is escaped as it is rendered (``report.printable``): a control, format
or surrogate character from a policy, a world or a paste prints as ``\\x1b``, ``\\u202e``,
``\\ud800``; the only escape sequences written are the report's own colours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from backup_access.report.printable import printable


class Style(StrEnum):
    PLAIN = ""
    BOLD = "1"
    DIM = "2"
    RED = "1;31"
    GREEN = "1;32"
    YELLOW = "33"
    MAGENTA = "35"
    CYAN = "36"


Segment = tuple[str, Style]
Part = str | Segment


@dataclass(frozen=True, slots=True)
class OutputOptions:
    """How text is written: ``width`` None means never wrap (not a terminal); verbosity
    -1 is ``-q`` (the verdict line only), 0 the default, 1 ``-v`` (every check's trace)."""

    color: bool = False
    width: int | None = None
    verbosity: int = 0

    @property
    def quiet(self) -> bool:
        return self.verbosity < 0

    @property
    def verbose(self) -> bool:
        return self.verbosity > 0


class Line(NamedTuple):
    """One line of a report, or with ``block`` a run of lines (quoted JSON) sharing one
    indent and style."""

    indent: int
    segments: tuple[Segment, ...]
    prose: bool
    block: bool = False


@dataclass(slots=True)
class TextReport:
    """Lines of a report; ``render`` joins them for the given options."""

    options: OutputOptions
    lines: list[Line] = field(default_factory=list)

    def add(self, *parts: Part, indent: int = 0, prose: bool = False) -> None:
        """One line; its text is printed with control characters escaped (``printable``)."""
        segments = tuple((p, Style.PLAIN) if isinstance(p, str) else p for p in parts)
        self.lines.append(Line(indent, segments, prose))

    def block(self, text: str, style: Style = Style.PLAIN, *, indent: int = 0) -> None:
        """Several lines at once (a quoted policy statement): never wrapped; each line is
        printed with control characters escaped."""
        self.lines.append(Line(indent, ((text, style),), False, True))

    def blank(self) -> None:
        self.lines.append(Line(0, (), False))

    def render(self) -> str:
        out: list[str] = []
        width = self.options.width
        color = self.options.color
        for line in self.lines:
            if line.block:
                pad = " " * line.indent
                text, style = line.segments[0]
                rows_text = printable(text, keep="\n").split("\n")
                out.extend(pad + _join(((row, style),), color=color) for row in rows_text)
                continue
            segments = _printable(line.segments)
            rows = (
                _wrap(segments, width - line.indent)
                if line.prose and width is not None
                else [segments]
            )
            for number, row in enumerate(rows):
                pad = " " * (line.indent + (2 if number else 0))
                out.append(pad + _join(row, color=self.options.color))
        return "\n".join(out) + ("\n" if out else "")


def _printable(segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
    """The segments' text escaped before colour codes are added around it: text from a
    policy, a world or a paste can hold a NUL, a terminal escape or a right-to-left override,
    and only the report's own styles may reach the terminal as escape sequences."""
    for text, _ in segments:  # a loop, not all(): this runs for every line of a report
        if not text.isprintable():
            return tuple((printable(text), style) for text, style in segments)
    return segments


def _join(segments: tuple[Segment, ...], *, color: bool) -> str:
    if not color:
        return "".join(text for text, _ in segments)
    return "".join(
        f"\x1b[{style}m{text}\x1b[0m" if style else text for text, style in segments if text
    )


def _wrap(segments: tuple[Segment, ...], width: int) -> list[tuple[Segment, ...]]:
    """Greedy wrap at spaces, keeping each word's style; words are never split."""
    width = max(width, 20)
    words: list[Segment] = []
    for text, style in segments:
        pieces = text.split(" ")
        for index, piece in enumerate(pieces):
            if index and words:
                words.append((" ", style))
            if piece:
                words.append((piece, style))
    rows: list[list[Segment]] = [[]]
    used = 0
    for word in words:
        if word[0] == " ":
            if used:
                rows[-1].append(word)
                used += 1
            continue
        limit = width if len(rows) == 1 else width - 2
        if used and used + len(word[0]) > limit:
            while rows[-1] and rows[-1][-1][0] == " ":
                rows[-1].pop()
            rows.append([])
            used = 0
        rows[-1].append(word)
        used += len(word[0])
    return [_merge(row) for row in rows]


def _merge(row: list[Segment]) -> tuple[Segment, ...]:
    """Neighbouring pieces of one style as one segment (one colour code per run)."""
    merged: list[Segment] = []
    for text, style in row:
        if merged and merged[-1][1] == style:
            merged[-1] = (merged[-1][0] + text, style)
        else:
            merged.append((text, style))
    return tuple(merged)
