"""``--format markdown``: the answer as one would paste it into a ticket, with a Mermaid
flowchart of the request's path and the blocking node marked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.report.markdown import PathNode, fenced, inline_code, mermaid_path

ROOT = Path(__file__).parents[1]
COPY = [
    "explain", "--world", "examples/worlds/cross-account-copy", "--format", "markdown", "copy",
    "--caller", "arn:aws:iam::111111111111:role/BackupOperator",
    "--role", "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
    "--recovery-point", "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001",
    "--source-vault", "arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
    "--destination-vault",
    "arn:aws:backup:us-east-1:222222222222:backup-vault:ou-path-stringequals",
    "--key", "arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000001",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_explain_markdown_has_the_verdict_the_statement_and_the_path() -> None:
    result = CliRunner().invoke(main, COPY)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("### ✘ DENIED copy (StartCopyJob)\n")
    assert "**the destination vault's access policy does not allow" in out
    assert "#### ✘ `copy.copy-into-destination-vault`" in out
    assert '```json\n{\n  "Sid": "AllowCopyFromWorkloadsOU"' in out
    mermaid = re.search(r"```mermaid\n(.*?)```", out, re.S)
    assert mermaid, out
    chart = mermaid.group(1)
    assert chart.startswith("flowchart LR")
    blocked = re.findall(r'(n\d+)\["✘ ([^"]+)"\]', chart)
    assert [label for _, label in blocked] == ["the destination vault's access policy"]
    assert f"class {blocked[0][0]} blocked" in chart
    assert "-. denied .->" in chart
    assert "<summary>Passing checks (" in out
    # words from the code do not reach the reader
    assert "destination_vault" not in out and "--destination-vault" in out


def test_simulate_markdown_marks_the_blocking_layer() -> None:
    result = CliRunner().invoke(
        main,
        ["simulate", "--world", "examples/worlds/cross-account-copy", "--format", "markdown",
         "--principal", "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
         "--action", "backup:CopyIntoBackupVault",
         "--resource", "arn:aws:backup:us-east-1:222222222222:backup-vault:wrong-org"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("### ✘ IMPLICIT DENY\n")
    chart = re.search(r"```mermaid\n(.*?)```", out, re.S)
    assert chart
    # SCP levels are their own nodes (root, OU, account), then identity, then the resource
    assert "SCPs) at r-a1b2" in chart.group(1) and "at ou-a1b2-11111111" in chart.group(1)
    assert '["✘ the resource policy"]' in chart.group(1)


def test_fences_and_code_spans_hold_their_own_backticks() -> None:
    assert fenced("a\n```\nb", "json").startswith("````json\n")
    assert fenced("plain") == "```\nplain\n```"
    assert inline_code("a`b") == "``a`b``"
    assert inline_code("`x") == "`` `x ``"


def test_mermaid_labels_are_quoted() -> None:
    chart = mermaid_path('say "hi"', [PathNode("SCP", True), PathNode("identity", False)], "end")
    assert "#quot;hi#quot;" in chart
    assert "class n1 blocked" in chart and "class n2 blocked" not in chart


def test_fix_markdown_adds_the_changes_as_diffs_with_their_proof() -> None:
    args = ["fix", *COPY[1:]]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("### ✘ DENIED copy (StartCopyJob)\n")
    assert "```mermaid" in out
    changes = out.split("### Changes", 1)
    assert len(changes) == 2, out
    assert "```diff\n--- /accounts/222222222222/" in changes[1]
    assert "```sh\n" in changes[1] and "put-backup-vault-access-policy" in changes[1]
    assert "✔ verified" in changes[1]


def _explain_chart(caller: str, account: str) -> list[tuple[str, bool]]:
    """The nodes of explain's create-vault chart, each with whether it is marked blocking."""
    result = CliRunner().invoke(
        main,
        ["explain", "--world", "examples/worlds/create-vault", "--format", "markdown",
         "create-vault", "--caller", f"arn:aws:iam::{account}:role/{caller}",
         "--vault", f"arn:aws:backup:us-east-1:{account}:backup-vault:v1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    chart = re.search(r"```mermaid\n(.*?)```", result.output, re.S)
    assert chart, result.output
    nodes = re.findall(r'(n\d+)\["(✘ )?([^"]+)"\]', chart.group(1))
    for name, mark, _ in nodes:  # the mark and the class go together
        assert (f"class {name} blocked" in chart.group(1)) == bool(mark)
    return [(label, bool(mark)) for _, mark, label in nodes]


SCP = "the service control policies (SCPs) at "


def test_explain_markdown_draws_every_scp_level_of_an_implicit_deny() -> None:
    # SandboxAllowList (on OU Sandbox and the account) lists no backup-storage action: no SCP
    # there allows MountCapsule, the root's FullAWSAccess does. Every level must allow
    # (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html),
    # so the two levels without an allow are marked, the root is drawn but not marked.
    nodes = _explain_chart("SandboxAdmin", "666666666666")
    levels = [(label.removeprefix(SCP), blocks) for label, blocks in nodes if label.startswith(SCP)]
    assert levels == [("r-d4e5", False), ("ou-d4e5-66666666", True), ("666666666666", True)]
    assert nodes[-1] == ("backup-storage:MountCapsule on *", False)


def test_explain_markdown_marks_only_the_level_of_an_explicit_scp_deny() -> None:
    # OnlyPipelineCreatesVaults denies CreateBackupVault at OU Platform; root and account allow.
    nodes = _explain_chart("PlatformAdmin", "777777777777")
    levels = [(label.removeprefix(SCP), blocks) for label, blocks in nodes if label.startswith(SCP)]
    assert levels == [("r-d4e5", False), ("ou-d4e5-77777777", True), ("777777777777", False)]


def test_explain_markdown_draws_the_scp_levels_that_allow() -> None:
    # Nothing blocks in the Workloads OU: the levels are still drawn, none marked, and the
    # same levels in the same order as simulate's chart of that request.
    nodes = _explain_chart("VaultAdmin", "111111111111")
    levels = [(label.removeprefix(SCP), blocks) for label, blocks in nodes if label.startswith(SCP)]
    assert levels == [("r-d4e5", False), ("ou-d4e5-11111111", False), ("111111111111", False)]
    simulated = CliRunner().invoke(
        main,
        ["simulate", "--world", "examples/worlds/create-vault", "--format", "markdown",
         "--principal", "arn:aws:iam::111111111111:role/VaultAdmin",
         "--action", "backup:CreateBackupVault",
         "--resource", "arn:aws:backup:us-east-1:111111111111:backup-vault:v1"],
    )  # fmt: skip
    assert [f"{SCP}{level}" for level, _ in levels] == re.findall(
        rf'\["({re.escape(SCP)}[^"]+)"\]', simulated.output
    )


def test_explain_markdown_draws_the_rcp_levels_of_the_resource_account() -> None:
    # RCPs apply along the resource's account path: KmsIdentityPerimeter at the root denies
    # kms:* to principals outside the organization
    # (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_evaluation.html).
    result = CliRunner().invoke(
        main,
        ["explain", "--world", "examples/worlds/kms-perimeter", "--format", "markdown",
         "create-vault", "--caller", "arn:aws:iam::333333333333:role/PartnerBackupAdmin",
         "--vault", "arn:aws:backup:us-east-1:333333333333:backup-vault:partner",
         "--key", "arn:aws:kms:us-east-1:555555555555:alias/shared-backup"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    chart = re.search(r"```mermaid\n(.*?)```", result.output, re.S)
    assert chart, result.output
    rcp = "the resource control policies (RCPs) at "
    levels = re.findall(rf'\["(✘ )?{re.escape(rcp)}([^"]+)"\]', chart.group(1))
    assert [(level, bool(mark)) for mark, level in levels] == [
        ("r-c3d4", True),
        ("ou-c3d4-55555555", False),
        ("555555555555", False),
    ]


def test_an_unknown_check_draws_its_undecided_layer_unknown_not_denied() -> None:
    """A caller the world lacks: its identity policies are unknown ("Unknown at"), which
    the chart showed as "✘ … blocked" and "denied" (new-user finding L5)."""
    result = CliRunner().invoke(
        main,
        [
            "explain",
            "--world",
            str(ROOT / "examples" / "worlds" / "create-vault"),
            "--format",
            "markdown",
            "create-vault",
            "--caller",
            "arn:aws:iam::111111111111:role/NotInTheWorld",
            "--vault",
            "arn:aws:backup:us-east-1:111111111111:backup-vault:prod",
        ],
    )
    assert result.exit_code == 0, result.output
    chart = re.search(r"```mermaid\n(.*?)```", result.stdout, re.S)
    assert chart, result.stdout
    text = chart.group(1)
    assert '["? the identity policies"]' in text
    assert re.search(r"class n\d+ unknown", text)
    assert "✘" not in text and "denied" not in text and not re.search(r"class n\d+ blocked", text)
    assert "-. unknown .->" in text
