"""Review of issue 13, finding 12: ``explain --error … --format markdown`` without a world gives
a Markdown answer (it printed the plain text before): headings, what AWS said fenced, every
confirming command in its own ``sh`` block, and the same causes in the same order as the text
answer."""

from __future__ import annotations

import re

from click.testing import CliRunner

from backup_access.cli import main
from tests.diagnose.test_message_corpus import BY_ID


def _explain(*args: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(main, ["explain", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return result.stdout


def _commands(text: str) -> list[str]:
    return [line.split("$ ", 1)[1] for line in text.splitlines() if line.startswith("       $ ")]


def test_markdown_offline_answer_has_headings_fences_and_the_text_answers_commands() -> None:
    paste = BY_ID["scp-explicit-with-policy-arn"]["text"]
    markdown = _explain("--error", "-", "--format", "markdown", stdin=paste)
    text = _explain("-v", "--error", "-", stdin=paste)  # -v: the other checks' commands too
    assert markdown != text
    assert markdown.startswith("## ? UNKNOWN (no world given)")
    assert "### Likely causes, most likely first" in markdown
    fenced = re.findall(r"```sh\n(.*?)\n```", markdown)
    assert fenced == _commands(text)  # every command, in order, each in its own block
    assert "\n       $ " not in markdown  # no unfenced command lines
    said = markdown.index("AWS said:")
    assert markdown[said:].split("\n", 3)[2] == "```"  # the paste is fenced


def test_markdown_fences_a_paste_holding_backticks() -> None:
    paste = "An error occurred (AccessDeniedException) when calling the X operation: a ``` b"
    markdown = _explain("--error", paste, "--format", "markdown")
    said = markdown.split("AWS said:\n\n", 1)[1]
    fence = said.split("\n", 1)[0]
    assert set(fence) == {"`"} and len(fence) > 3  # longer than any run inside the paste
    assert said.split("\n")[1] == "a ``` b"


def test_markdown_for_an_unrecognised_paste_says_so() -> None:
    markdown = _explain("--error", "something else went wrong", "--format", "markdown")
    assert "**Not recognised:**" in markdown
    assert "Likely causes" not in markdown
