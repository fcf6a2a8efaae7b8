"""Request building: principal kinds and the context keys AWS derives from the request
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from backup_access.engine import evaluate, make_request
from backup_access.errors import InputError, RequestError
from backup_access.policy.principal import PrincipalKind, parse_principal
from backup_access.simulate.request_file import parse_request_file

VAULT = "arn:aws:backup:us-east-1:222222222222:backup-vault:central"


@pytest.mark.parametrize(
    ("text", "kind", "account", "role_arn"),
    [
        ("arn:aws:iam::111111111111:root", PrincipalKind.ROOT, "111111111111", None),
        ("111111111111", PrincipalKind.ROOT, "111111111111", None),
        ("arn:aws:iam::111111111111:user/ops/alice", PrincipalKind.USER, "111111111111", None),
        (
            "arn:aws:iam::111111111111:role/service-role/Backup",
            PrincipalKind.ROLE,
            "111111111111",
            "arn:aws:iam::111111111111:role/service-role/Backup",
        ),
        (
            "arn:aws:sts::111111111111:assumed-role/Backup/job-1",
            PrincipalKind.ROLE_SESSION,
            "111111111111",
            "arn:aws:iam::111111111111:role/Backup",
        ),
        (
            "arn:aws:sts::111111111111:federated-user/bob",
            PrincipalKind.FEDERATED_USER,
            "111111111111",
            None,
        ),
        ("backup.amazonaws.com", PrincipalKind.SERVICE, None, None),
        ("anonymous", PrincipalKind.ANONYMOUS, None, None),
    ],
)
def test_principal_kinds(
    text: str, kind: PrincipalKind, account: str | None, role_arn: str | None
) -> None:
    principal = parse_principal(text)
    assert principal.kind is kind
    assert principal.account == account
    assert principal.role_arn == role_arn


def test_service_linked_roles_are_recognised_by_path_and_by_session_name() -> None:
    slr = (
        "arn:aws:iam::222222222222:role/aws-service-role/backup.amazonaws.com/"
        "AWSServiceRoleForBackup"
    )
    assert parse_principal(slr).service_linked
    assert parse_principal(
        "arn:aws:sts::222222222222:assumed-role/AWSServiceRoleForBackup/x"
    ).service_linked
    assert not parse_principal("arn:aws:iam::222222222222:role/Backup").service_linked


def test_principals_hash_by_value_like_the_dataclass_they_are() -> None:
    """Principals key the engine's caches with a hash computed once; equal principals must
    hash alike and unequal ones must not compare equal."""
    arn = "arn:aws:iam::111111111111:role/Backup"
    fresh = parse_principal.__wrapped__(arn, False)
    assert fresh == parse_principal(arn, False)
    assert hash(fresh) == hash(parse_principal(arn, False))
    linked = parse_principal.__wrapped__(arn, True)
    assert linked != fresh
    assert dataclasses.replace(fresh, service_linked=True) == linked
    assert hash(dataclasses.replace(fresh, service_linked=True)) == hash(linked)
    assert len({fresh, linked, parse_principal(arn, False)}) == 2


@pytest.mark.parametrize(
    "bad", ["", "not a principal", "arn:aws:iam::12:role/x", "arn:aws:s3:::bucket"]
)
def test_bad_principals_are_request_errors(bad: str) -> None:
    with pytest.raises(RequestError):
        parse_principal(bad)


def test_derived_context_for_a_role_session_cross_account() -> None:
    request = make_request(
        "arn:aws:sts::111111111111:assumed-role/Backup/job-1", "backup:CopyIntoBackupVault", VAULT
    )
    context = request.context.as_dict()
    assert context["aws:PrincipalArn"] == "arn:aws:iam::111111111111:role/Backup"
    assert context["aws:PrincipalAccount"] == "111111111111"
    assert context["aws:PrincipalType"] == "AssumedRole"
    assert context["aws:ResourceAccount"] == "222222222222"
    assert context["aws:PrincipalIsAWSService"] == "false"
    assert "aws:username" not in context
    assert request.resource_account == "222222222222"


def test_derived_context_for_users_and_services() -> None:
    user = make_request("arn:aws:iam::111111111111:user/alice", "backup:ListBackupVaults", "*")
    assert user.context.get_value("aws:username") == "alice"
    assert user.resource_account is None
    service = make_request(
        "backup.amazonaws.com", "sts:AssumeRole", "arn:aws:iam::111111111111:role/Backup"
    )
    assert service.context.get_value("aws:PrincipalServiceName") == "backup.amazonaws.com"
    assert service.context.get_value("aws:PrincipalIsAWSService") == "true"
    assert service.context.get_value("aws:PrincipalArn") is None


def test_given_context_wins_over_derived_keys_and_keys_are_case_insensitive() -> None:
    request = make_request(
        "arn:aws:iam::111111111111:role/Backup",
        "backup:StartBackupJob",
        VAULT,
        context={"aws:principalaccount": "999999999999"},
    )
    assert request.context.get_value("AWS:PrincipalAccount") == "999999999999"
    assert len([k for k in request.context if k.lower() == "aws:principalaccount"]) == 1


@pytest.mark.parametrize(
    ("action", "resource", "account"),
    [
        ("backup", VAULT, None),
        ("backup:", VAULT, None),
        ("backup:X", "", None),
        ("backup:X", "*", "12345"),
    ],
)
def test_bad_requests_are_request_errors(action: str, resource: str, account: str | None) -> None:
    with pytest.raises(RequestError):
        make_request(
            "arn:aws:iam::111111111111:role/Backup", action, resource, resource_account=account
        )


SHARED_BATCH = """
- name: copy allowed
  request: {principal: "arn:aws:iam::111111111111:role/Backup", action: backup:StartCopyJob,
            resource: "arn:aws:backup:us-east-1:111111111111:backup-vault:v"}
  policies: &prod
    identity:
      - {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "backup:*", Resource: "*"}]}
- name: same policies through the anchor
  request: {principal: "arn:aws:iam::111111111111:role/Backup", action: kms:Decrypt,
            resource: "*"}
  policies: *prod
- name: an equal copy written out again
  request: {principal: "arn:aws:iam::111111111111:role/Backup", action: backup:StartCopyJob,
            resource: "*", management_account: "111111111111"}
  policies: *prod
"""


def test_batch_items_sharing_a_yaml_anchor_share_one_parsed_policy_set() -> None:
    """A batch that reuses ``policies`` through an anchor parses it once (the warm path of
    benchmarks/engine.py); an item naming another management account gets its own set,
    since the management account is part of the policy set."""
    items, batch = parse_request_file(yaml.safe_load(SHARED_BATCH), source="batch.yaml")
    assert batch
    assert items[0].policies is items[1].policies
    assert items[2].policies is not items[0].policies
    assert items[2].policies.management_account == "111111111111"
    assert items[0].policies.management_account is None
    assert [evaluate(i.request, i.policies).value.value for i in items] == [
        "allowed",
        "implicit_deny",
        "allowed",
    ]
    # Each item's trace points into that item, though the parse is shared.
    pointers = [
        evaluate(i.request, i.policies, policies_pointer=i.policies_pointer).trace[0] for i in items
    ]
    assert [getattr(entry, "pointer", None) for entry in pointers] == [
        f"/{n}/policies/identity/0/Statement/0" for n in range(3)
    ]


def test_equal_policies_written_out_in_each_item_share_one_parse() -> None:
    """A JSON request file cannot use anchors, so it repeats the policies in every item:
    equal copies share one parse (and the engine's plans), while each item's trace and
    JSON keep pointing into that item."""
    import json

    from backup_access.simulate.batch import run_batch

    policies = {"identity": [{"Version": "2012-10-17", "Statement": [_ALLOW_BACKUP]}]}
    item = {
        "request": {
            "principal": "arn:aws:iam::111111111111:role/Backup",
            "action": "backup:StartCopyJob",
            "resource": "*",
        }
    }
    document = json.loads(json.dumps([{**item, "policies": policies} for _ in range(3)]))
    evaluated, _ = run_batch(document, source="batch.json")
    assert evaluated[0].item.policies is evaluated[2].item.policies
    for number, (_item, decision) in enumerate(evaluated):
        statement = decision.to_dict()["trace"][0]
        assert statement["pointer"] == f"/{number}/policies/identity/0/Statement/0"


@pytest.mark.parametrize(
    "change",
    [
        {"Resource": ["*"]},  # a list and a string are parsed the same, but not equal input
        {"Sid": "1"},
        {"Action": ["backup:*"]},
        {"Condition": {"Bool": {"aws:SecureTransport": True}}},
        {"Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    ],
)
def test_items_whose_policies_differ_in_any_way_are_parsed_each(change: dict[str, object]) -> None:
    plain = {"identity": [{"Version": "2012-10-17", "Statement": [_ALLOW_BACKUP]}]}
    changed = {"identity": [{"Version": "2012-10-17", "Statement": [{**_ALLOW_BACKUP, **change}]}]}
    request = {"principal": "arn:aws:iam::111111111111:role/Backup", "action": "backup:X"}
    request["resource"] = "*"
    items, _ = parse_request_file(
        [{"request": request, "policies": plain}, {"request": request, "policies": changed}],
        source="batch.json",
    )
    assert items[0].policies is not items[1].policies


def test_an_error_in_a_shared_policy_set_is_located_in_its_item() -> None:
    """Policy sets are parsed relative to their item; an error still names the item."""
    bad = {"identity": [{"Version": "2012-10-17", "Statement": [{"Effect": "Maybe"}]}]}
    request = {"principal": "arn:aws:iam::111111111111:role/Backup", "action": "backup:X"}
    request["resource"] = "*"
    good = {"identity": []}
    with pytest.raises(InputError) as raised:
        parse_request_file(
            [{"request": request, "policies": good}, {"request": request, "policies": bad}],
            source="batch.json",
        )
    assert raised.value.pointer == "/1/policies/identity/0/Statement/0/Effect"
    assert raised.value.file == "batch.json"


_ALLOW_BACKUP = {"Effect": "Allow", "Action": "backup:*", "Resource": "*"}


def test_request_file_grants_use_the_world_loaders_grant_parser() -> None:
    """One grant parser (grant_input.py) for request files and world files: the same
    checks, the same messages, pointers into the request file."""
    import pytest

    from backup_access.errors import InputError
    from backup_access.grant_input import parse_grant
    from backup_access.simulate.request_file import parse_policies

    good = {"grantee": "arn:aws:iam::111111111111:role/R", "operations": ["Decrypt"]}
    (grant,) = parse_policies({"grants": [good]}).grants
    assert grant == parse_grant(good, 0, "/x")
    for bad, pointer in (
        ({"operations": ["Decrypt"]}, "/policies/grants/0"),
        (
            {"grantee": "arn:aws:iam::111111111111:role/R", "operations": "Decrypt"},
            "/policies/grants/0/operations",
        ),
        (
            {**good, "constraints": {"encryption_context_like": {}}},
            "/policies/grants/0/constraints/encryption_context_like",
        ),
    ):
        with pytest.raises(InputError) as raised:
            parse_policies({"grants": [bad]})
        assert raised.value.pointer == pointer


MANAGEMENT = {
    "request": {
        "principal": "arn:aws:iam::111111111111:role/R",
        "action": "backup:DeleteBackupVault",
        "resource": "arn:aws:backup:us-east-1:111111111111:backup-vault:v",
    },
    "policies": {
        "identity": [{"Statement": [{"Effect": "Allow", "Action": "backup:*", "Resource": "*"}]}],
        "scp": [{"level": "r-a1b2", "policies": []}],
    },
}


@pytest.mark.parametrize(
    ("value", "decision"),
    [
        (None, "implicit_deny"),
        ("111111111111", "allowed"),
        (111111111111, "allowed"),
        ("222222222222", "implicit_deny"),
    ],
)
def test_management_account_is_the_management_accounts_id(value: object, decision: str) -> None:
    """SCPs do not apply to principals of the management account
    (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html):
    the request file names that account by id, since principal and resource may be in
    different accounts."""
    document = {**MANAGEMENT, "request": {**MANAGEMENT["request"], "management_account": value}}
    if value is None:
        del document["request"]["management_account"]
    (only,), _ = parse_request_file(document, source="m.yaml")
    assert only.policies.management_account == (None if value is None else str(value))
    assert evaluate(only.request, only.policies).value.value == decision


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        (True, "12-digit id of the organization's management account"),
        (False, "not false"),
        ("true", "'true' is not a 12-digit account id"),
        ("1111", "'1111' is not a 12-digit account id"),
        ("arn:aws:iam::111111111111:root", "is not a 12-digit account id"),
    ],
)
def test_management_account_that_is_not_an_account_id_is_refused(
    value: object, needle: str
) -> None:
    """The docs once said boolean; ``"true"`` was then silently taken as an account id and
    the SCP exemption silently did not apply."""
    document = {**MANAGEMENT, "request": {**MANAGEMENT["request"], "management_account": value}}
    with pytest.raises(RequestError) as raised:
        parse_request_file(document, source="m.yaml")
    assert raised.value.pointer == "/request/management_account"
    assert raised.value.file == "m.yaml"
    assert needle in raised.value.message
