"""Help for people: no internal source tags or contract numbers, each operation's --help ends
with one worked example, and shell completion (click's) completes operations and options."""

from __future__ import annotations

import re

import pytest
import yaml
from click.testing import CliRunner

from backup_access.catalogue import operation_names
from backup_access.cli import main
from backup_access.cli.usage import with_pages

_TAG = re.compile(r"(?<![\w-])(?:SAR|DG|API|MP|KC|KMS|IAM|ORG|CT)-[A-Z0-9-]+(?![\w-])")


def _help(*args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("operation", operation_names())
def test_operation_help_names_pages_and_ends_with_an_example(operation: str) -> None:
    text = _help("explain", operation)
    assert not _TAG.search(text), _TAG.search(text)
    assert "Contract" not in text
    example = text.rstrip().rsplit("Example", 1)
    assert len(example) == 2, text
    assert f"backup-access explain --world WORLD {operation}" in example[1]


def test_simulate_and_explain_help() -> None:
    simulate = _help("simulate")
    assert simulate.rstrip().splitlines()[-1].strip().startswith("--resource arn:aws:backup:")
    for text in (simulate, _help("explain")):
        assert "Contract" not in text and not _TAG.search(text)


def test_with_pages_turns_a_source_name_into_its_page() -> None:
    assert with_pages("allow them too (KC-VAULT).") == (
        "allow them too (https://repost.aws/knowledge-center/backup-vault-access-denied)."
    )
    assert (
        with_pages("DG-VAULT-X and arn:aws:x:KC-VAULT/y") == "DG-VAULT-X and arn:aws:x:KC-VAULT/y"
    )


def _complete(words: str) -> list[str]:
    env = {
        "_BACKUP_ACCESS_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = CliRunner().invoke(main, [], env=env, prog_name="backup-access")
    return [line.split(",", 1)[1] for line in result.output.splitlines() if "," in line]


def test_shell_completion_completes_operations_and_options() -> None:
    assert "copy" in _complete("backup-access explain co")
    assert "create-vault" in _complete("backup-access explain cr")
    assert "--destination-vault" in _complete("backup-access explain copy --dest")
    assert set(_complete("backup-access explain --color ")) >= {"auto", "always", "never"}


def test_catalogue_descriptions_name_known_sources_only() -> None:
    """A tag that is not in sources.yaml would reach the help as is."""
    from importlib import resources

    sources = yaml.safe_load(
        resources.files("backup_access.catalogue").joinpath("data/sources.yaml").read_text()
    )
    for operation in operation_names():
        text = _help("explain", operation)
        for tag in _TAG.findall(text):
            assert tag in sources, tag
