"""The text reports as people see them: at 80 and 120 columns on a terminal, and piped.

Snapshots of a fixed explanation and a fixed simulation (built here, so that catalogue
changes do not move them) pin the layout; run with ``UPDATE_SNAPSHOTS=1`` to rewrite them
after a deliberate change, and read the diff. The properties below hold for any output:
machine text (ARNs, URLs, JSON pointers, quoted statement lines) is never broken.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.catalogue import CheckKind
from backup_access.cli import main
from backup_access.diagnose.model import (
    CheckDecision,
    CheckResult,
    Explanation,
    Skipped,
    StatementRef,
    Verdict,
)
from backup_access.report.explain import render_explanation
from backup_access.report.simulation import render_text
from backup_access.report.text import OutputOptions
from backup_access.simulate.batch import run_batch

SNAPSHOTS = Path(__file__).parent / "snapshots"
ROLE = "arn:aws:iam::111111111111:role/service-role/BackupCopyRole"
VAULT = "arn:aws:backup:us-east-1:222222222222:backup-vault:ou-path-stringequals"
POINTER = (
    "/accounts/222222222222/regions/us-east-1/backup/vaults/ou-path-stringequals/access_policy"
    "/Statement/0"
)
PAGE = "https://repost.aws/knowledge-center/backup-resolve-access-denied-error"
STATEMENT = {
    "Sid": "AllowCopyFromWorkloadsOU",
    "Effect": "Allow",
    "Principal": "*",
    "Action": "backup:CopyIntoBackupVault",
    "Resource": "*",
    "Condition": {
        "StringEquals": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-a1b2/ou-a1b2-11111111/*"}
    },
}
REF = StatementRef(
    layer="resource",
    level=None,
    policy="vault ou-path-stringequals access policy",
    index=0,
    sid="AllowCopyFromWorkloadsOU",
    effect="Allow",
    pointer=POINTER,
    source="examples/worlds/cross-account-copy/destination-222222222222.yaml",
    reason="Condition fails: StringEquals aws:PrincipalOrgPaths expects "
    "['o-a1b2c3d4e5/r-a1b2/ou-a1b2-11111111/*'], request has "
    "['o-a1b2c3d4e5/r-a1b2/ou-a1b2-11111111/'] (no value satisfies it)",
    quoted=STATEMENT,
)


def _check(check_id: str, decision: CheckDecision, **fields: object) -> CheckResult:
    base: dict[str, object] = {
        "id": check_id,
        "kind": CheckKind.PERMISSION,
        "title": f"The copy role may do {check_id}",
        "source": PAGE,
        "decision": decision,
        "reason": "allowed",
        "principal": ROLE,
        "action": "backup:CopyIntoBackupVault",
        "resource": VAULT,
    }
    base.update(fields)
    return CheckResult(**base)  # type: ignore[arg-type]


EXPLANATION = Explanation(
    operation="copy",
    verdict=Verdict.DENIED,
    checks=(
        _check("copy.start-copy-job", CheckDecision.ALLOWED),
        _check(
            "copy.copy-into-destination-vault",
            CheckDecision.IMPLICIT_DENY,
            title="The copy role may copy into the destination vault (backup:CopyIntoBackupVault), "
            "allowed by its own policy and, across accounts, by the destination vault's access "
            "policy",
            reason=f"implicit deny for {ROLE}: no resource-based policy allows "
            f"backup:CopyIntoBackupVault on {VAULT}; nearest: …",
            resource_policy="the destination vault's access policy",
            blocked_by=("resource",),
            statements=(REF,),
        ),
        _check(
            "copy.second-check-quoting-the-same-statement",
            CheckDecision.IMPLICIT_DENY,
            resource_policy="the destination vault's access policy",
            blocked_by=("resource",),
            reason="implicit deny",
            statements=(REF,),
        ),
        _check(
            "copy.cross-account-backup-enabled",
            CheckDecision.ALLOWED,
            kind=CheckKind.SETTING,
            principal=None,
            action=None,
            resource=None,
        ),
    ),
    parameters=(("destination_vault", VAULT), ("role", ROLE)),
    skipped=(Skipped("copy.aws-managed-key-own-account", "key was not given"),),
    notes=(
        "recovery point is in vault arn:aws:backup:us-east-1:111111111111:backup-vault:prod: "
        "its access policy applies",
    ),
)

MODES = {"80": OutputOptions(width=80), "120": OutputOptions(width=120), "piped": OutputOptions()}


def _match_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("UPDATE_SNAPSHOTS") or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{path} differs (UPDATE_SNAPSHOTS=1)"


def _machine_words(text: str) -> set[str]:
    return set(re.findall(r"(?:arn:aws:|https://|/accounts/)[^\s'\",\])]+", text))


@pytest.mark.parametrize("mode", MODES)
def test_explain_text_snapshot(mode: str) -> None:
    text = render_explanation(EXPLANATION, MODES[mode], title="copy (StartCopyJob)").render()
    _match_snapshot(f"explain-{mode}", text)
    # the headline wraps between words on a terminal: joined again, it is the one answer
    first = " ".join(row.strip() for row in text.split("\n\n", 1)[0].splitlines())
    assert first == (
        f"✘ DENIED copy (StartCopyJob) — the destination vault's access policy does not allow "
        f"backup:CopyIntoBackupVault for {ROLE} (statement AllowCopyFromWorkloadsOU) (+1 more)"
    )
    # ARNs, the URL and the JSON pointer appear whole on one line each, at every width
    for word in (ROLE, VAULT, PAGE, POINTER):
        assert any(word in line for line in text.splitlines()), word
    # the statement quoted for two checks is quoted once and referred to
    assert text.count('"Sid": "AllowCopyFromWorkloadsOU"') == 1
    assert "[1] resource › vault ou-path-stringequals access policy › statement 0 " in text
    assert "(AllowCopyFromWorkloadsOU) — quoted above" in text
    # passing checks are one line each; parameters as the options typed
    assert "  ✔ copy.start-copy-job — The copy role may do copy.start-copy-job" in text
    assert "--destination-vault" in text and "destination_vault" not in text
    assert "copy.aws-managed-key-own-account: --key was not given" in text


def test_piped_text_is_never_wrapped() -> None:
    text = render_explanation(EXPLANATION, MODES["piped"]).render()
    prose = [line for line in text.splitlines() if "no resource-based policy allows" in line]
    assert len(prose) == 1 and len(prose[0]) > 120


@pytest.mark.parametrize("width", [80, 120])
def test_terminal_wraps_prose_only_between_words(width: int) -> None:
    text = render_explanation(EXPLANATION, OutputOptions(width=width)).render()
    piped = render_explanation(EXPLANATION, OutputOptions()).render()
    assert _machine_words(text) == _machine_words(piped)
    for line in text.splitlines():
        if len(line) > width:  # only unbreakable machine text may run long
            longest = max(line.split(), key=len)
            # the headline and the passing checks' lines are prose too (newuser finding 18)
            assert len(longest) + 8 > width or line.lstrip().startswith(
                ("[", "-", "/", "arn", "examples", "AWS", "--", '"', "}")
            ), line


def test_quiet_is_the_first_line_and_verbose_shows_passing_checks_in_full() -> None:
    quiet = render_explanation(EXPLANATION, OutputOptions(verbosity=-1)).render()
    assert quiet.count("\n") == 1 and quiet.startswith("✘ DENIED")
    verbose = render_explanation(EXPLANATION, OutputOptions(verbosity=1)).render()
    assert "Passing checks" not in verbose
    assert verbose.count("AWS page:") == 4


def test_colour_only_when_asked() -> None:
    assert "\x1b[" not in render_explanation(EXPLANATION, OutputOptions()).render()
    assert "\x1b[" in render_explanation(EXPLANATION, OutputOptions(color=True)).render()


def test_plural_layers_take_a_plural_verb() -> None:
    from backup_access.report.layer_words import is_plural, layer_words

    assert is_plural(layer_words("rcp", level="r-c3d4"))
    assert not is_plural(layer_words("boundary"))


def test_same_account_wording() -> None:
    same = _check(
        "x.same",
        CheckDecision.IMPLICIT_DENY,
        resource="arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
        resource_policy="the vault's access policy",
        blocked_by=("identity", "resource"),
        reason="implicit deny",
    )
    report = render_explanation(Explanation("copy", Verdict.DENIED, (same,)), OutputOptions())
    assert "either the identity policy or the vault policy would allow it" in report.render()


def _simulation_decision():  # type: ignore[no-untyped-def]
    document = {
        "request": {"principal": ROLE, "action": "backup:CopyIntoBackupVault", "resource": VAULT},
        "policies": {"resource": {"Version": "2012-10-17", "Statement": [STATEMENT]}},
    }
    ((_, decision),), _ = run_batch(document, source="request.yaml")
    return decision


@pytest.mark.parametrize("mode", MODES)
def test_simulate_text_snapshot(mode: str) -> None:
    report = render_text(
        _simulation_decision(), MODES[mode], name=None, expect="denied", source="request.yaml"
    )
    text = report.render()
    _match_snapshot(f"simulate-{mode}", text)
    assert text.splitlines()[0].startswith("✘ IMPLICIT DENY — ")
    for word in (ROLE, VAULT):
        assert any(word in line for line in text.splitlines())


def test_cli_piped_output_keeps_every_arn_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the command line, off a terminal (CliRunner is not one): no wrapping, no colour,
    and NO_COLOR is respected even with a terminal-like width."""
    monkeypatch.chdir(Path(__file__).parents[1])
    monkeypatch.setenv("COLUMNS", "40")
    args = [
        "simulate", "--world", "examples/worlds/cross-account-copy", "--principal", ROLE,
        "--action", "backup:CopyIntoBackupVault", "--resource", VAULT,
    ]  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.output
    assert any(VAULT in line for line in result.output.splitlines())
    coloured = CliRunner().invoke(main, [*args, "--color", "always"])
    assert "\x1b[" in coloured.output


def test_terminal_colour_and_width_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal: colour unless NO_COLOR (``--color always`` wins), the terminal's width;
    off one: no colour, no width (never wrap)."""
    from backup_access.cli import common

    monkeypatch.setattr(common, "is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "97")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    on_terminal = common.resolve_output("auto")
    assert on_terminal.color and on_terminal.width == 97
    monkeypatch.setenv("NO_COLOR", "1")
    assert not common.resolve_output("auto").color
    assert common.resolve_output("always").color
    monkeypatch.setattr(common, "is_terminal", lambda: False)
    piped = common.resolve_output("auto")
    assert not piped.color and piped.width is None
    assert common.resolve_output("never", quiet=True).quiet


def test_an_allowed_cross_account_request_names_both_grants(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(Path(__file__).parents[1])
    result = CliRunner().invoke(
        main,
        ["simulate", "--world", "examples/worlds/cross-account-copy", "--principal", ROLE,
         "--action", "backup:CopyIntoBackupVault", "--resource",
         VAULT.replace("ou-path-stringequals", "by-ou"), "-q"],
    )  # fmt: skip
    first = result.output.splitlines()[0]
    assert first.startswith("✔ ALLOWED — allowed by identity › ")
    assert " and resource › vault by-ou access policy › statement 0" in first
    assert "scp @" not in first  # the SCPs let it through; they do not grant it
