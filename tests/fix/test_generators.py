"""Each generator on the example world that shows its cause, and the framework's rules:
generators are found by walking their package with unique ids and an AWS source page;
merging never duplicates a statement and keeps Sids unique; size limits are reported with
the page that states them and a proposed split."""

from __future__ import annotations

import json
import types
from typing import Any

import pytest
from click.testing import CliRunner

from backup_access.cli import main
from backup_access.fix import DuplicateGeneratorError, generators
from backup_access.fix.limits import KEY_POLICY, MANAGED, ROLE_INLINE, exceeded, measure
from backup_access.fix.merge import merge
from backup_access.fix.model import DenyException
from backup_access.fix.registry import discover
from tests.fix.test_example_worlds import _source_args
from tests.test_scenarios import ALL, WORLDS

SCENARIOS = dict(ALL)


def _fix(scenario_name: str, *extra: str) -> dict[str, Any]:
    name = next(n for n in SCENARIOS if n.endswith(scenario_name))
    scenario = SCENARIOS[name]
    args = ["fix", "--world", str(WORLDS / scenario["world"]), "--format", "json", *extra]
    result = CliRunner().invoke(main, args + _source_args(scenario))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _by_generator(fixed: dict[str, Any], generator: str) -> list[dict[str, Any]]:
    return [f for f in fixed["fixes"] if generator in f["generators"]]


def test_generators_have_unique_ids_titles_and_aws_sources() -> None:
    found = generators()
    ids = [g.id for g in found]
    assert len(ids) == len(set(ids)) >= 15
    for generator in found:
        assert generator.id.startswith("FX-")
        assert generator.title
        assert generator.source.startswith("https://docs.aws.amazon.com/"), generator.id


def test_a_duplicate_generator_id_fails_at_discovery(monkeypatch: pytest.MonkeyPatch) -> None:
    first = generators()[0]
    package = types.ModuleType("fake_generators")
    package.__path__ = []  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "fake_generators", package)
    for name in ("a", "b"):
        module = types.ModuleType(f"fake_generators.{name}")
        module.GENERATOR = first  # type: ignore[attr-defined]
        monkeypatch.setitem(__import__("sys").modules, f"fake_generators.{name}", module)
    monkeypatch.setattr(
        "pkgutil.iter_modules",
        lambda path: [types.SimpleNamespace(name="a"), types.SimpleNamespace(name="b")],
    )
    with pytest.raises(DuplicateGeneratorError, match=first.id):
        discover("fake_generators")


def test_merge_never_duplicates_and_keeps_sids_unique() -> None:
    existing = {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "Same", "Effect": "Allow", "Action": "a:B", "Resource": "*"}],
    }
    duplicate = {"Sid": "Other", "Effect": "Allow", "Action": "a:B", "Resource": "*"}
    clash = {"Sid": "Same", "Effect": "Allow", "Action": "a:C", "Resource": "*"}
    merged = merge(existing, [duplicate, clash])
    assert merged.document["Statement"][0] == existing["Statement"][0]
    assert [s["Sid"] for s in merged.document["Statement"]] == ["Same", "Same2"]
    assert merged.skipped and "already there" in merged.skipped[0]
    assert existing["Statement"] == [existing["Statement"][0]]  # the input is not modified


def test_merge_combines_new_statements_that_differ_only_in_actions() -> None:
    new = [
        {"Sid": "X", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"},
        {"Sid": "Y", "Effect": "Allow", "Action": "kms:DescribeKey", "Resource": "*"},
    ]
    merged = merge(None, new)
    assert merged.document["Statement"] == [
        {
            "Sid": "X",
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:DescribeKey"],
            "Resource": "*",
        }
    ]


def test_deny_exception_adds_to_an_existing_condition_list() -> None:
    deny = {
        "Sid": "D",
        "Effect": "Deny",
        "Action": "*",
        "Resource": "*",
        "Condition": {"ArnNotEquals": {"aws:PrincipalARN": ["arn:aws:iam::1:role/A"]}},
    }
    merged = merge({"Statement": [deny]}, [], [DenyException(0, "arn:aws:iam::1:role/B", "D")])
    [edited] = merged.edited
    assert edited["Condition"] == {
        "ArnNotEquals": {"aws:PrincipalARN": ["arn:aws:iam::1:role/A", "arn:aws:iam::1:role/B"]}
    }
    assert merge({"Statement": [deny]}, [], [DenyException(0, "x", None)]).document != deny
    allow = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    kept = merge({"Statement": [allow]}, [], [DenyException(0, "arn:aws:iam::1:role/B", None)])
    assert kept.document["Statement"] == [allow] and kept.skipped == ("statement 0 is not a Deny",)


def test_size_limits_name_the_limit_the_page_and_a_split() -> None:
    # IAM counts no white space; KMS counts bytes.
    small = {"Statement": [{"Effect": "Allow", "Action": "a:B", "Resource": "*"}]}
    assert measure([small], MANAGED) == len(json.dumps(small, separators=(",", ":")))
    assert exceeded(MANAGED, [small]) is None
    big = {"Statement": [{"Effect": "Allow", "Action": "a:B", "Resource": "x" * 6200}]}
    found = exceeded(MANAGED, [big])
    assert found is not None and found.limit == 6144 and "reference_iam-quotas" in found.source
    assert "second customer managed policy" in found.message
    halves = [{"Statement": [{"Resource": "x" * 5200}]}] * 2  # inline policies add up per role
    assert exceeded(ROLE_INLINE, halves) is not None
    assert exceeded(KEY_POLICY, [{"Statement": [{"Resource": "é" * 16400}]}]) is not None


def test_cross_account_setting_names_the_command_and_the_management_account() -> None:
    fixed = _fix("cross-account copy is denied by the disabled organization setting")
    [fix] = _by_generator(fixed, "FX-SETTING-CROSS-ACCOUNT")
    assert fix["kind"] == "setting" and fix["audience"] == "organization"
    assert (
        "aws backup update-global-settings --global-settings isCrossAccountBackupEnabled=true"
        in fix["cli"]
    )
    assert fix["cli"][0].startswith("# in account ")
    assert fix["verified"] is True
    assert fixed["fix_plan"]["verdict_after"] == "allowed"


def test_lag_vault_is_shared_with_exactly_the_restoring_account(tmp_path: Any) -> None:
    patched = tmp_path / "world.json"
    fixed = _fix(
        "restore from a LAG vault not shared with the restoring account",
        "--patched-world",
        str(patched),
    )
    [fix] = _by_generator(fixed, "FX-SETTING-LAG-SHARE")
    assert any(
        "aws ram create-resource-share" in c and "--principals 111111111111" in c
        for c in fix["cli"]
    )
    world = json.loads(patched.read_text())
    vault = world["accounts"]["222222222222"]["regions"]["us-east-1"]["backup"]["vaults"]
    assert "111111111111" in vault["airgap-unshared"]["shared_with"]


def test_scp_deny_gets_an_exception_for_the_organization_administrators() -> None:
    fixed = _fix("SCP explicit Deny on CreateBackupVault outside the pipeline role")
    [fix] = _by_generator(fixed, "FX-ORG-POLICY")
    assert fix["kind"] == "scp" and fix["audience"] == "organization" and fix["edits_existing"]
    assert any("organization's administrators" in r for r in fix["review"])
    assert any("is attached at: ou-" in r for r in fix["review"])  # where it is attached
    assert any(
        r.startswith("statement ") and "DenyVaultChangesOutsidePipeline" in r for r in fix["review"]
    )
    assert "aws organizations update-policy" in fix["cli"][1]
    statement = next(
        s for s in fix["document"]["Statement"] if s.get("Sid") == "DenyVaultChangesOutsidePipeline"
    )
    assert "arn:aws:iam::777777777777:role/PlatformAdmin" in json.dumps(statement["Condition"])


def test_scp_allow_list_gets_one_more_statement_where_it_lacks() -> None:
    # The allow-list attached at both levels that lack the action (the OU and the account) is
    # extended once; a new SCP would use one of the 5 SCP attachments of each target
    # (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html).
    fixed = _fix("SCP allow-list without backup-storage is an implicit SCP deny")
    [fix] = _by_generator(fixed, "FX-ORG-POLICY")
    assert fix["kind"] == "scp" and fix["target"] == "SandboxAllowList"
    before, after = fix["previous"]["Statement"], fix["document"]["Statement"]
    assert after[: len(before)] == before  # the existing statements, untouched
    assert [s["Action"] for s in after[len(before) :]] == ["backup-storage:MountCapsule"]
    assert not fix["edits_existing"]
    assert "aws organizations update-policy" in fix["cli"][1]
    assert not any("attach-policy" in c or "create-policy" in c for c in fix["cli"])
    assert any("attached at: ou-d4e5-66666666, 666666666666" in r for r in fix["review"])
    assert fixed["fix_plan"]["verdict_after"] == "allowed"


def test_aws_managed_key_gets_a_concrete_alternative_not_a_policy() -> None:
    fixed = _fix("EBS snapshot under the AWS managed aws/ebs key cannot be shared")
    alternatives = _by_generator(fixed, "FX-ALT-KEY")
    assert alternatives and alternatives[0]["kind"] == "alternative"
    assert alternatives[0]["document"] is None and alternatives[0]["verified"] is False
    assert "two steps" in alternatives[0]["notes"][0]


def test_source_key_policy_names_the_destination_backup_slr() -> None:
    fixed = _fix("source key policy without the destination account blocks the destination SLR")
    [fix] = _by_generator(fixed, "FX-KEY-POLICY")
    added = fix["document"]["Statement"][len(fix["previous"]["Statement"]) :]
    slr = (
        "arn:aws:iam::222222222222:role/aws-service-role/backup.amazonaws.com/"
        "AWSServiceRoleForBackup"
    )
    assert {json.dumps(s["Principal"]) for s in added} == {json.dumps({"AWS": slr})}
    actions = {
        a for s in added for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }
    assert {"kms:DescribeKey", "kms:CreateGrant", "kms:ReEncryptFrom"} <= actions
    grant = next(s for s in added if "kms:CreateGrant" in json.dumps(s["Action"]))
    assert grant["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}


def test_boundary_gets_the_exact_action() -> None:
    fixed = _fix("permissions boundary without backup-storage blocks MountCapsule")
    [fix] = _by_generator(fixed, "FX-BOUNDARY")
    assert fix["kind"] == "boundary_policy"
    added = fix["document"]["Statement"][len(fix["previous"]["Statement"]) :]
    assert [(s["Action"], s["Resource"]) for s in added] == [("backup-storage:MountCapsule", "*")]
    assert "create-policy-version" in fix["cli"][-1]
    assert "grants nothing by itself" in fix["newly_allows"][0]


def test_trust_and_passrole_fixes_are_exact() -> None:
    fixed = _fix("service role trusting ec2.amazonaws.com instead of AWS Backup")
    [trust] = _by_generator(fixed, "FX-TRUST")
    added = trust["document"]["Statement"][-1]
    assert added["Principal"] == {"Service": "backup.amazonaws.com"}
    assert added["Action"] == "sts:AssumeRole"
    fixed = _fix("PassRole conditioned on the wrong iam:PassedToService")
    [identity] = _by_generator(fixed, "FX-IDENTITY")
    [statement] = identity["document"]["Statement"]
    assert statement["Action"] == "iam:PassRole" and statement["Resource"].startswith(
        "arn:aws:iam::"
    )
    assert statement["Condition"] == {
        "StringEquals": {"iam:PassedToService": "backup.amazonaws.com"}
    }


def test_protected_role_is_never_changed_the_resource_policy_is() -> None:
    sso = "AWSReservedSSO_Admin_0123456789abcdef"
    world = {
        "accounts": {
            "111111111111": {
                "iam": {"roles": {sso: {"path": "/aws-reserved/sso.amazonaws.com/"}}},
                "regions": {"us-east-1": {"backup": {"vaults": {"v": {}}}}},
            }
        }
    }
    from backup_access.diagnose import explain_operation
    from backup_access.fix import plan_fixes, world_from_json

    parameters = {
        "caller": f"arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/{sso}",
        "vault": "arn:aws:backup:us-east-1:111111111111:backup-vault:v",
    }

    def diagnose(candidate: Any) -> Any:
        return explain_operation(candidate, "delete-vault", parameters)

    plan = plan_fixes(world, diagnose(world_from_json(world)), diagnose)
    kinds = {f.kind.value for f in plan.fixes}
    assert "identity_policy" not in kinds
    assert "vault_access_policy" in kinds
    [fix] = [f for f in plan.fixes if f.kind.value == "vault_access_policy"]
    assert fix.generators == ("FX-PROTECTED",)


def test_a_gate_without_its_own_generator_gets_the_diagnosis_remedy() -> None:
    fixed = _fix("a compliance-mode lock past its lock date cannot be removed")
    [fix] = _by_generator(fixed, "FX-ALT-GATE")
    assert fix["kind"] == "alternative" and fix["verified"] is False
    assert "immutable" in fix["notes"][0]
    assert not fixed["fix_plan"]["unfixed"]
    assert fixed["fix_plan"]["verdict_after"] == "denied"


def test_a_specific_alternative_takes_precedence_over_the_gate_remedy() -> None:
    fixed = _fix("EBS snapshot under the AWS managed aws/ebs key cannot be shared")
    generators_used = {g for f in fixed["fixes"] for g in f["generators"]}
    assert "FX-ALT-KEY" in generators_used
    checks = [c for f in fixed["fixes"] if f["generator"] == "FX-ALT-GATE" for c in f["checks"]]
    assert "copy.source-key-customer-managed" not in checks


def test_resource_type_opt_in_is_set_in_the_vaults_account_and_region(tmp_path: Any) -> None:
    patched = tmp_path / "world.json"
    fixed = _fix(
        "S3 not opted in to AWS Backup in the Region creates no job",
        "--patched-world",
        str(patched),
    )
    [fix] = _by_generator(fixed, "FX-SETTING-OPT-IN")
    assert any(
        "update-region-settings --resource-type-opt-in-preference S3=true" in c for c in fix["cli"]
    )
    assert fix["verified"] is True
    world = json.loads(patched.read_text())
    account = fix["account"]
    assert world["accounts"][account]["regions"][fix["region"]]["backup"]["opt_in"]["S3"] is True
