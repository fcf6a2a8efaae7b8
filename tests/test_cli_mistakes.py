"""Mistakes on the command line are usage errors (exit 2) that say how to fix them, never a
denial: each mistake of issue 18 and its suggestion."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from backup_access.cli import main

WORLD = "examples/worlds/cross-account-copy"
SOURCE = "arn:aws:backup:us-east-1:111111111111:backup-vault:prod"
DESTINATION = "arn:aws:backup:us-east-1:222222222222:backup-vault:by-ou"
ROLE = "arn:aws:iam::111111111111:role/service-role/BackupCopyRole"
CALLER = "arn:aws:iam::111111111111:role/BackupOperator"


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    monkeypatch.chdir(request.config.rootpath)


def copy(**overrides: str) -> list[str]:
    options = {
        "--caller": CALLER,
        "--role": ROLE,
        "--recovery-point": "arn:aws:ec2:us-east-1::snapshot/snap-0a1b2c3d4e5f60001",
        "--source-vault": SOURCE,
        "--destination-vault": DESTINATION,
        **overrides,
    }
    args = ["explain", "--world", WORLD, "copy"]
    for option, value in options.items():
        if value:
            args += [option, value]
    return args


def mistake(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output


def test_a_typo_in_an_action_suggests_the_action() -> None:
    out = mistake(
        ["simulate", "--world", WORLD, "--principal", ROLE, "--action",
         "backup:CopyIntoBackupVualt", "--resource", DESTINATION]
    )  # fmt: skip
    assert "AWS has no action 'backup:CopyIntoBackupVualt'" in out
    assert "did you mean one of `backup:CopyIntoBackupVault`" in out


def test_a_typo_in_a_service_prefix_suggests_the_service() -> None:
    out = mistake(
        ["simulate", "--world", WORLD, "--principal", ROLE, "--action",
         "bakup:CopyIntoBackupVault", "--resource", DESTINATION]
    )  # fmt: skip
    assert "did you mean `backup:CopyIntoBackupVault`" in out


def test_a_slash_where_a_vault_arn_has_a_colon() -> None:
    out = mistake(copy(**{"--destination-vault": DESTINATION.replace("vault:by", "vault/by")}))
    assert f"did you mean `{DESTINATION}`" in out


def test_a_role_where_a_vault_is_expected() -> None:
    out = mistake(copy(**{"--destination-vault": ROLE}))
    assert "--destination-vault takes a vault ARN" in out
    assert "is a role" in out


def test_a_vault_where_a_role_is_expected() -> None:
    out = mistake(copy(**{"--role": SOURCE}))
    assert "--role takes a role ARN" in out and "is a vault" in out


def test_a_bare_vault_name_gets_the_world_arn() -> None:
    out = mistake(copy(**{"--destination-vault": "by-ou"}))
    assert "not the bare name 'by-ou'" in out
    assert f"did you mean `{DESTINATION}` (in the world)?" in out


def test_a_bare_role_name_gets_the_world_arn() -> None:
    out = mistake(copy(**{"--role": "BackupCopyRole"}))
    assert f"did you mean `{ROLE}` (in the world)?" in out


def warned(args: list[str]) -> str:
    """A name the world lacks, with a near one there: answered (the diagnosis reports the
    missing vault or role), with the closest names on standard error."""
    result = CliRunner().invoke(main, [*args, "-q"])
    assert result.exit_code == 0, result.output
    assert "warning: " in result.stderr
    return result.stderr


def test_a_vault_not_in_the_world_gets_the_closest_names() -> None:
    err = warned(copy(**{"--destination-vault": DESTINATION.replace("by-ou", "by-uo")}))
    assert "is not in the world" in err
    assert f"`{DESTINATION}`" in err


def test_a_principal_not_in_the_world_gets_the_closest_names() -> None:
    err = warned(copy(**{"--caller": CALLER.replace("Operator", "Operater")}))
    assert f"did you mean `{CALLER}` (in the world)?" in err
    err = warned(
        ["simulate", "--world", WORLD, "--principal", ROLE.replace("Copy", "Cpoy"),
         "--action", "backup:CopyIntoBackupVault", "--resource", DESTINATION]
    )  # fmt: skip
    assert f"`{ROLE}`" in err


def test_a_name_with_no_near_match_is_left_to_the_diagnosis() -> None:
    """A role the world lacks entirely is an unknown, not a mistake (the world may be partial)."""
    result = CliRunner().invoke(
        main, copy(**{"--caller": "arn:aws:iam::111111111111:role/Zzzzzzzz"})
    )
    assert result.exit_code == 0, result.output


def test_an_unknown_operation_lists_the_operations() -> None:
    out = mistake(["explain", "--world", WORLD, "cpoy"])
    assert "no operation 'cpoy'" in out
    assert "create-vault" in out and "restore" in out
    assert "did you mean `copy`?" in out


def test_fix_takes_the_same_operations_and_says_so() -> None:
    out = mistake(["fix", "--world", WORLD, "cpoy"])
    assert "did you mean `copy`?" in out
    out = mistake(["fix", "--world", WORLD, "copy", "--caller", CALLER])
    assert "copy needs --role, --source-vault, --destination-vault" in out


def test_every_missing_required_option_at_once() -> None:
    out = mistake(["explain", "--world", WORLD, "copy", "--caller", CALLER])
    assert "copy needs --role, --source-vault, --destination-vault" in out
    out = mistake(["simulate", "--world", WORLD, "--action", "backup:CopyIntoBackupVault"])
    assert "--world needs --principal, --resource" in out


def test_an_option_of_another_operation_names_the_operations_that_take_it() -> None:
    out = mistake([*copy(), "--vault", SOURCE])
    assert "copy takes no --vault" in out
    assert "--vault is an option of" in out and "create-vault" in out


def test_world_given_twice_is_an_error_not_the_last_one() -> None:
    out = mistake(["explain", "--world", WORLD, "--world", "examples/worlds/lag-vault", "copy"])
    assert "given 2 times" in out and "one directory" in out
    out = mistake([*copy(), "--world", "examples/worlds/lag-vault"])
    assert "--world given twice" in out
    out = mistake(
        ["simulate", "--world", WORLD, "--world", WORLD, "--principal", ROLE,
         "--action", "backup:CopyIntoBackupVault", "--resource", DESTINATION]
    )  # fmt: skip
    assert "given 2 times" in out


def test_a_service_principal_and_anonymous_are_not_mistakes() -> None:
    for principal in ("backup.amazonaws.com", "anonymous"):
        result = CliRunner().invoke(
            main,
            ["simulate", "--world", WORLD, "--principal", principal, "--action",
             "backup:CopyIntoBackupVault", "--resource", DESTINATION],
        )  # fmt: skip
        assert result.exit_code == 0, result.output


def test_create_vault_does_not_ask_for_the_vault_it_creates() -> None:
    result = CliRunner().invoke(
        main,
        ["explain", "--world", "examples/worlds/create-vault", "create-vault", "--caller",
         "arn:aws:iam::111111111111:role/VaultAdmin", "--vault",
         "arn:aws:backup:us-east-1:111111111111:backup-vault:prod-vaultt"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output


CREATE_WORLD = "examples/worlds/create-vault"
NEW_VAULT = "arn:aws:backup:us-east-1:111111111111:backup-vault:new-vault"


@pytest.mark.parametrize(
    ("role", "verdict"), [("BackupOperator", "denied"), ("VaultAdmin", "allowed")]
)
def test_error_for_create_vault_agrees_with_explain_create_vault(role: str, verdict: str) -> None:
    """The vault a CreateBackupVault message names does not exist yet: the world is not
    asked for it, and the answer is the one ``explain create-vault`` gives."""
    message = (
        f"User: arn:aws:sts::111111111111:assumed-role/{role}/jo is not authorized to perform: "
        f"backup:CreateBackupVault on resource: {NEW_VAULT} because no identity-based policy "
        "allows the backup:CreateBackupVault action"
    )
    import json

    from_error = CliRunner().invoke(
        main, ["explain", "--world", CREATE_WORLD, "--format", "json", "--error", message]
    )
    operation = CliRunner().invoke(
        main,
        ["explain", "--world", CREATE_WORLD, "--format", "json", "create-vault", "--caller",
         f"arn:aws:iam::111111111111:role/{role}", "--vault", NEW_VAULT],
    )  # fmt: skip
    error_report, operation_report = json.loads(from_error.stdout), json.loads(operation.stdout)
    assert not any("new-vault" in item for item in error_report["missing"]), error_report
    assert operation_report["verdict"] == verdict
    # The message's request is the operation's CreateBackupVault check: same decision. (When
    # the world allows what AWS denied, the --error verdict also says the two disagree.)
    (request,) = [c for c in error_report["checks"] if c["id"] == "message.request"]
    (create,) = [c for c in operation_report["checks"] if c["action"] == "backup:CreateBackupVault"]
    assert request["decision"] == create["decision"]
    assert (request["decision"] == "allowed") == (verdict == "allowed")
    if verdict == "denied":
        assert error_report["verdict"] == "denied"
    else:
        assert error_report["verdict"] != "denied" and not request["missing"]
