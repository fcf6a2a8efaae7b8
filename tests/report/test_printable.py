"""The one escaping of outside text (``report.printable``) and the places that apply it once
for every report: the text renderer, the Markdown helpers, JSON text and the standard
streams of the command line."""

from __future__ import annotations

import io
import json
import sys

import pytest

from backup_access.cli import _escape_unencodable
from backup_access.report.json_text import json_text
from backup_access.report.markdown import document, escape, fenced, inline_code
from backup_access.report.printable import printable
from backup_access.report.text import OutputOptions, Style, TextReport


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("\x00", "\\x00"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),  # OSC: sets the terminal's title
        ("\x1b[2J", "\\x1b[2J"),  # CSI: clears the screen
        ("\x9b", "\\x9b"),  # C1 control
        ("\u202e", "\\u202e"),  # right-to-left override
        ("\u2066", "\\u2066"),  # left-to-right isolate
        ("\u200b", "\\u200b"),  # zero-width space
        ("\ud800", "\\ud800"),  # lone surrogate
        ("\U000e0001", "\\U000e0001"),  # language tag
        ("\n\t", "\\n\\t"),
    ],
)
def test_each_unsafe_character_is_its_python_escape(raw: str, shown: str) -> None:
    assert printable(f"a{raw}b") == f"a{shown}b"


def test_printable_text_is_left_alone_and_escaping_twice_changes_nothing() -> None:
    text = "arn:aws:iam::111111111111:role/Ops ✔ → é 日本 \\x1b"
    assert printable(text) == text
    once = printable("a\x1b[31mb\u202e\ud800")
    assert printable(once) == once


def test_kept_characters_stay_raw() -> None:
    assert printable("a\nb\x1bc", keep="\n") == "a\nb\\x1bc"


def test_json_text_writes_a_lone_surrogate_as_its_json_escape() -> None:
    document = {"name": "v\ud800", "big": 2**80, "ctl": "\x1b\u202e"}
    text = json_text(document)
    text.encode("utf-8")  # writable as UTF-8
    assert '"v\\ud800"' in text
    assert json.loads(text) == document  # lossless


def test_json_text_keeps_what_json_allows_raw() -> None:
    text = json_text({"ctl": "\x1b\u202e"})
    assert '"\\u001b\u202e"' in text  # C0 escaped by JSON, the override raw (valid JSON)


def test_the_text_report_escapes_content_and_keeps_its_own_colours() -> None:
    report = TextReport(OutputOptions(color=True))
    report.add(("bad\x1b[2J", Style.RED), " tail\u202e")
    report.block('{\n  "Sid": "\\u001b\u202e"\n}', Style.DIM)
    out = report.render()
    assert out.splitlines()[0] == "\x1b[1;31mbad\\x1b[2J\x1b[0m tail\\u202e"
    assert '"Sid": "\\u001b\\u202e"' in out
    assert out.count("\x1b[") == 2 + 3 * 2  # the report's own codes only


def test_the_text_report_escapes_before_wrapping() -> None:
    report = TextReport(OutputOptions(width=30))
    report.add("word " * 10 + "\x1b[2J", prose=True)
    assert "\x1b" not in report.render() and "\\x1b[2J" in report.render()


def test_markdown_helpers_escape_what_they_quote() -> None:
    assert escape("a\x1b_b") == "a\\\\x1b\\_b"  # renders as a\x1b_b
    assert inline_code("v\u202e") == "`v\\u202e`"
    assert fenced("{\n\x00\n}") == "```\n{\n\\x00\n}\n```"
    assert document("# t\x1b]0;x\x07\n\ntext\ud800\n") == "# t\\x1b]0;x\\x07\n\ntext\\ud800\n"


def test_the_command_line_streams_write_a_lone_surrogate_escaped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="surrogateescape")
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    _escape_unencodable()
    out.write("a\ud800b")
    err.write("c\ud800d")
    out.flush()
    err.flush()
    assert out.buffer.getvalue() == b"a\\ud800b"  # type: ignore[attr-defined]
    assert err.buffer.getvalue() == b"c\\ud800d"  # type: ignore[attr-defined]
