"""The moto fixture gives each test a clean, reachable endpoint."""

from __future__ import annotations

from backup_access.collect.session import make_client, make_session
from tests.aws.server import MotoEndpoint


def test_clients_reach_the_local_endpoint_and_start_clean(aws: MotoEndpoint) -> None:
    iam = make_client(make_session(), "iam")
    assert iam.meta.endpoint_url == aws.url
    iam.create_role(RoleName="Probe", AssumeRolePolicyDocument="{}")
    assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["Probe"]
    aws.reset()
    assert iam.list_roles()["Roles"] == []
