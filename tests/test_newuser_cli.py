"""Findings of a new user's trial in explain's usage checks and text (each test names its
finding): what the tool says must be true and name the option the user typed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from backup_access.cli import main

WORLD = "examples/worlds/cross-account-copy"
SNAPSHOT = "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001"
SOURCE = "arn:aws:backup:us-east-1:111111111111:backup-vault:prod"
DESTINATION = "arn:aws:backup:us-east-1:222222222222:backup-vault:by-ou"
SNAPSHOT_KEY = "arn:aws:kms:us-east-1:111111111111:key/1111aaaa-0000-4000-8000-000000000001"


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    monkeypatch.chdir(request.config.rootpath)


def copy(*extra: str, **overrides: str) -> list[str]:
    options = {
        "--caller": "arn:aws:iam::111111111111:role/BackupOperator",
        "--role": "arn:aws:iam::111111111111:role/service-role/BackupCopyRole",
        "--recovery-point": SNAPSHOT,
        "--source-vault": SOURCE,
        "--destination-vault": DESTINATION,
        **overrides,
    }
    args = ["explain", "--world", WORLD, *extra, "copy"]
    for option, value in options.items():
        if value:
            args += [option, value]
    return args


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


# --- finding 3: a key taken from the world's record is said to be so ----------------------


def test_the_snapshot_key_recorded_in_the_world_is_used_and_said() -> None:
    code, out = run(copy())
    assert code == 0
    assert out.startswith("✔ ALLOWED copy (StartCopyJob)")
    notes = out.split("\nNotes\n", 1)[1]
    assert (
        "--key not given: taken from the key the world records for the recovery point in "
        f"--source-vault, {SNAPSHOT_KEY}"
    ) in notes
    # the "not applicable" reason no longer reads as if no key were known
    line = next(ln for ln in out.splitlines() if "copy.aws-managed-key-own-account" in ln)
    assert "its value comes from the world" in line


def test_a_key_given_on_the_command_line_gets_no_such_note() -> None:
    code, out = run(copy(**{"--key": SNAPSHOT_KEY}))
    assert code == 0
    assert "--key not given" not in out


def test_a_snapshot_the_world_does_not_record_leaves_the_key_unknown() -> None:
    code, out = run(
        copy(
            **{
                "--recovery-point": SNAPSHOT.replace("60001", "69999"),
                "--resource-type": "EBS",
            }
        )
    )
    assert code == 0
    assert out.startswith("? UNKNOWN copy (StartCopyJob)")
    assert "--key not given" not in out
    assert "the world does not record for it: give --key" in out


def test_the_default_key_is_in_the_json_notes_too() -> None:
    code, out = run(copy("--format", "json"))
    assert code == 0
    notes = json.loads(out)["notes"]
    assert any(n.startswith("--key not given: taken from") for n in notes), notes


# --- findings 7, 14, 15, 16: an ARN of the wrong shape is a usage error with the fix -------


def usage_error(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    return " ".join(result.output.split())


def test_an_account_id_of_eleven_digits_names_the_option_and_the_world_s_arn() -> None:
    bad = DESTINATION.replace("222222222222", "22222222222")
    out = usage_error(copy(**{"--destination-vault": bad}))
    assert f"--destination-vault: '{bad}' has the account id '22222222222'" in out
    assert "not 12 digits" in out
    assert f"did you mean `{DESTINATION}` (in the world)?" in out
    assert "<input>" not in out


def test_a_region_typo_is_a_usage_error_with_botocore_s_nearest_region() -> None:
    out = usage_error(copy(**{"--destination-vault": DESTINATION.replace("us-east-1", "us-east1")}))
    assert "--destination-vault: 'us-east1' in" in out
    assert "is not an AWS Region" in out
    assert f"did you mean `{DESTINATION}`?" in out


def test_a_region_typo_in_the_source_vault_is_caught_too() -> None:
    out = usage_error(copy(**{"--source-vault": SOURCE.replace("us-east-1", "us-est-1")}))
    # the same suggestion lint's BA015 makes for this value
    assert "--source-vault: 'us-est-1' in" in out
    assert "did you mean `arn:aws:backup:us-west-1:111111111111:backup-vault:prod`?" in out


def test_a_real_region_the_world_lacks_is_not_a_usage_error() -> None:
    # eu-west-1 exists: the vault there is simply not in the world (the diagnosis says so)
    code, out = run(
        copy("-q", **{"--destination-vault": DESTINATION.replace("us-east-1", "eu-west-1")})
    )
    assert code == 0
    assert "✘ DENIED copy (StartCopyJob) — a setting blocks it: vault" in out
    assert "is not an AWS Region" not in out


def test_vault_for_backup_vault_says_which_word_to_change() -> None:
    out = usage_error(copy(**{"--source-vault": SOURCE.replace("backup-vault:", "vault:")}))
    assert "--source-vault: `vault` should be `backup-vault`" in out
    assert f"did you mean `{SOURCE}`?" in out
    assert "is a backup vault" not in out


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("arn:aws:s3:::bucket", "is an S3 bucket"),
        ("arn:aws:ec2:us-east-1::snapshot/snap-1", "is an EC2 snapshot"),
        ("arn:aws:iam::111111111111:role/BackupOperator", "is a role"),
    ],
)
def test_an_arn_of_another_kind_is_named_in_words(value: str, words: str) -> None:
    out = usage_error(copy(**{"--destination-vault": value}))
    assert "--destination-vault takes a vault ARN" in out
    assert f"'{value}' {words}" in out


# --- finding 8: a caller the world lacks is named as the --caller, and is not "blocked" ----

TYPO_CALLER = "arn:aws:iam::111111111111:role/BackupOperatr"


def test_a_caller_typo_is_missing_as_the_caller_not_as_the_role() -> None:
    code, out = run(copy(**{"--caller": TYPO_CALLER, "--recovery-point": ""}))
    assert code == 0
    assert "? UNKNOWN copy (StartCopyJob)" in out
    assert "missing: role BackupOperatr of account 111111111111 (--caller)" in out
    headline = next(line for line in out.splitlines() if line.startswith("? UNKNOWN"))
    assert "the world lacks role BackupOperatr of account 111111111111 (--caller)" in headline
    assert "--role BackupOperatr" not in out
    assert "(--role)" not in out


def test_an_unknown_check_is_not_said_to_be_blocked() -> None:
    code, out = run(copy(**{"--caller": TYPO_CALLER, "--recovery-point": ""}))
    assert code == 0
    start = out.index("? copy.start-copy-job")
    block = out[start : out.index("\n\n", start)]
    assert "unknown at: the identity policies" in block
    assert "blocked by" not in block


def test_a_denied_check_is_still_blocked_by_its_layer() -> None:
    code, out = run(copy(**{"--destination-vault": DESTINATION.replace("by-ou", "wrong-org")}))
    assert code == 0
    assert "    blocked by: the destination vault's access policy" in out


def test_markdown_says_unknown_at_for_an_unknown_check() -> None:
    args = copy("--format", "markdown", **{"--caller": TYPO_CALLER, "--recovery-point": ""})
    code, out = run(args)
    assert code == 0
    assert "Unknown at: **the identity policies**" in out
    assert "Blocked by: **the identity policies**" not in out


def test_the_english_word_role_is_not_taken_for_the_option() -> None:
    from backup_access.report.words import humanise

    names = ["role", "key", "source_vault"]
    assert humanise("role X of account 1: its policies are unknown", names).startswith("role X")
    assert humanise("key was not given", names) == "--key was not given"
    assert humanise("key arn:aws:kms:r:1:key/k is an AWS managed key", names).startswith("--key ")


# --- findings 11 and 13: what a world directory is made of -------------------------------

ACCOUNT_FILE = """\
accounts:
  "111111111111":
    iam:
      roles:
        VaultAdmin:
          inline:
            CreateVaults:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: [backup:CreateBackupVault, backup-storage:MountCapsule]
                  Resource: "*"
"""
CREATE = [
    "create-vault",
    "--caller",
    "arn:aws:iam::111111111111:role/VaultAdmin",
    "--vault",
    "arn:aws:backup:us-east-1:111111111111:backup-vault:new",
    "-q",
]


def test_hidden_venv_and_package_directories_are_not_read(tmp_path: Path) -> None:
    (tmp_path / "account.yaml").write_text(ACCOUNT_FILE)
    broken = "name: not a world\n"
    for folder in (
        ".git",
        ".venv/lib",
        "venv/lib/python3.11/site-packages/pkg",
        "node_modules/pkg",
        "tools/site-packages",
    ):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "data.yaml").write_text(broken)
    (tmp_path / "venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "venv" / "data.yaml").write_text(broken)  # beside pyvenv.cfg: skipped too
    code, out = run(["explain", "--world", str(tmp_path), *CREATE])
    assert code == 0, out
    assert out.startswith("✔ ALLOWED create-vault")


def test_an_ordinary_subdirectory_is_still_part_of_the_world(tmp_path: Path) -> None:
    (tmp_path / "accounts").mkdir()
    (tmp_path / "accounts" / "account.yaml").write_text(ACCOUNT_FILE)
    (tmp_path / "accounts" / "broken.yaml").write_text("name: x\n")
    result = CliRunner().invoke(main, ["explain", "--world", str(tmp_path), *CREATE])
    assert result.exit_code == 3
    assert "broken.yaml" in result.output


def test_the_same_account_twice_is_accepted_when_identical_and_named_when_not(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.yaml").write_text(ACCOUNT_FILE)
    (tmp_path / "b.yaml").write_text(ACCOUNT_FILE)
    code, out = run(["explain", "--world", str(tmp_path), *CREATE])
    assert code == 0 and out.startswith("✔ ALLOWED"), out
    (tmp_path / "b.yaml").write_text(ACCOUNT_FILE.replace("VaultAdmin", "Other"))
    result = CliRunner().invoke(main, ["explain", "--world", str(tmp_path), *CREATE])
    assert result.exit_code == 3
    assert "account 111111111111 is defined differently in" in result.output
    assert "a.yaml" in result.output and "b.yaml" in result.output


def test_docs_world_md_states_both_rules() -> None:
    text = " ".join(Path("docs/world.md").read_text().split())
    assert "identical copies are accepted" in text
    assert "if they differ it is an error that names both places" in text
    assert "pyvenv.cfg" in text and "node_modules" in text and "hidden" in text


# --- finding 33: a vault that does not exist is reported as such --------------------------

# DeleteBackupVault fails with ResourceNotFoundException for a vault that is not there:
# https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DeleteBackupVault.html
DELETE_PAGE = "https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DeleteBackupVault.html"


def delete_vault(name: str) -> list[str]:
    return [
        "explain",
        "--world",
        "examples/worlds/restore-and-delete",
        "delete-vault",
        "--caller",
        "arn:aws:iam::111111111111:role/BackupOperator",
        "--vault",
        f"arn:aws:backup:us-east-1:111111111111:backup-vault:{name}",
    ]


def test_deleting_a_vault_that_does_not_exist_names_the_existence_check() -> None:
    code, out = run([*delete_vault("nonexistent"), "-v"])
    assert code == 0
    first = next(line for line in out.splitlines() if line.startswith("✘ DENIED"))
    assert "does not exist in account 111111111111 (per the world)" in first
    assert first.endswith("(delete-vault.vault-exists) (+2 more)")
    block = out[out.index("✘ delete-vault.vault-exists") :]
    assert "The vault exists" in block.splitlines()[0]
    assert DELETE_PAGE in block.split("\n\n", 1)[0]


def test_an_existing_empty_vault_passes_the_existence_check() -> None:
    code, out = run(delete_vault("retired"))
    assert code == 0
    assert out.startswith("✔ ALLOWED delete-vault (DeleteBackupVault)")
    assert "✔ delete-vault.vault-exists [setting] — The vault exists" in out


# --- finding 19: the first line is a one-line answer --------------------------------------


def test_a_setting_s_url_and_command_go_below_the_first_line() -> None:
    from backup_access.report.words import first_clause

    reason = (
        "account 6 is not a delegated administrator (registered: 5); register it from the "
        "management account (aws organizations register-delegated-administrator --account-id 6 "
        "--service-principal backup.amazonaws.com) (https://docs.aws.amazon.com/x.html)"
    )
    assert first_clause(reason) == ("account 6 is not a delegated administrator (registered: 5)")
    lock = "vault v is locked: AWS refuses it; remove the lock first (https://docs.aws.amazon.com/l.html)"
    assert first_clause(lock) == "vault v is locked: AWS refuses it"


def test_a_title_with_a_remark_keeps_one_level_of_parentheses() -> None:
    from backup_access.diagnose.model import Explanation, Verdict
    from backup_access.report.words import headline

    explanation = Explanation("org-backup-policy", Verdict.ALLOWED, ())
    line = headline(explanation, "org-backup-policy (Organizations backup policy (remark))")
    assert line.startswith("✔ ALLOWED org-backup-policy (Organizations backup policy) — ")
