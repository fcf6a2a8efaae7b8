"""An organization built through boto3 on moto's server, as the collector's tests read it.

Root → OU Workloads (SCP DenyVaultDelete) → OU Prod (account "prod"); OU Security (RCP
DenyKmsOutsideOrg) holds account "vault". In "prod": a role with a path, trust policy, tags,
an inline policy, a customer managed policy and a permissions boundary; a user in a group; a
KMS key with a policy, an alias and a grant; a vault encrypted with it and under Vault Lock;
a versioned bucket and an unversioned one.
Trusted access for AWS Backup is on (moto 5.2.6 refuses backup.amazonaws.com as a delegated
administrator's service, so none is registered here).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import boto3

REGION = "us-east-1"
ROLE_PATH = "/ops/"
DENY_VAULT_DELETE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "NoVaultDelete",
            "Effect": "Deny",
            "Action": "backup:DeleteBackupVault",
            "Resource": "*",
        }
    ],
}
DENY_KMS_OUTSIDE = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "OrgOnly",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "kms:*",
            "Resource": "*",
            "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-placeholder"}},
        }
    ],
}
TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "backup.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}
OPERATOR = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["backup:*", "kms:*"], "Resource": "*"}],
}
BOUNDARY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": ["backup:*", "kms:*", "iam:Get*"], "Resource": "*"}
    ],
}
INLINE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "backup:ListBackupVaults", "Resource": "*"}],
}
GROUP_INLINE = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "backup:Describe*", "Resource": "*"}],
}


@dataclass(frozen=True, slots=True)
class Built:
    """Ids of what was created, to compare the collected world with."""

    organization: str
    root: str
    workloads: str
    prod_ou: str
    security: str
    management: str
    prod: str
    vault_account: str
    scp_id: str
    key_id: str
    key_policy: dict[str, Any]
    grant_grantee: str
    vault_arn: str


def member_session(sts: Any, account: str) -> Any:
    answer = sts.assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/OrganizationAccountAccessRole",
        RoleSessionName="test-setup",
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=answer["AccessKeyId"],
        aws_secret_access_key=answer["SecretAccessKey"],
        aws_session_token=answer["SessionToken"],
        region_name=REGION,
    )


def _build_prod(session: Any, account: str) -> tuple[str, dict[str, Any], str, str]:
    iam = session.client("iam")
    operator = iam.create_policy(PolicyName="BackupOperator", PolicyDocument=json.dumps(OPERATOR))
    boundary = iam.create_policy(PolicyName="Boundary", PolicyDocument=json.dumps(BOUNDARY))
    iam.create_role(
        RoleName="BackupAdmin",
        Path=ROLE_PATH,
        AssumeRolePolicyDocument=json.dumps(TRUST),
        PermissionsBoundary=boundary["Policy"]["Arn"],
        Tags=[{"Key": "team", "Value": "backup"}],
    )
    iam.attach_role_policy(RoleName="BackupAdmin", PolicyArn=operator["Policy"]["Arn"])
    iam.put_role_policy(
        RoleName="BackupAdmin", PolicyName="List", PolicyDocument=json.dumps(INLINE)
    )
    iam.create_group(GroupName="admins")
    iam.put_group_policy(
        GroupName="admins", PolicyName="Describe", PolicyDocument=json.dumps(GROUP_INLINE)
    )
    iam.attach_group_policy(GroupName="admins", PolicyArn=operator["Policy"]["Arn"])
    iam.create_user(UserName="alice", Tags=[{"Key": "team", "Value": "ops"}])
    iam.add_user_to_group(GroupName="admins", UserName="alice")
    kms = session.client("kms", region_name=REGION)
    key_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Root",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }
        ],
    }
    key = kms.create_key(Description="backup", Policy=json.dumps(key_policy))["KeyMetadata"]
    kms.create_alias(AliasName="alias/backup", TargetKeyId=key["KeyId"])
    grantee = f"arn:aws:iam::{account}:role{ROLE_PATH}BackupAdmin"
    kms.create_grant(KeyId=key["KeyId"], GranteePrincipal=grantee, Operations=["Decrypt"])
    s3 = session.client("s3", region_name=REGION)
    for bucket, status in (("prod-data", "Enabled"), ("prod-logs", None)):
        s3.create_bucket(Bucket=bucket)
        if status:
            s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": status})
    backup = session.client("backup", region_name=REGION)
    vault = backup.create_backup_vault(BackupVaultName="central", EncryptionKeyArn=key["Arn"])
    backup.put_backup_vault_lock_configuration(BackupVaultName="central", MinRetentionDays=7)
    return key["KeyId"], key_policy, grantee, vault["BackupVaultArn"]


def build_organization() -> Built:
    """Create the organization on the endpoint ``AWS_ENDPOINT_URL`` points at."""
    org = boto3.client("organizations", region_name=REGION)
    organization = org.create_organization(FeatureSet="ALL")["Organization"]
    root = org.list_roots()["Roots"][0]["Id"]
    for kind in ("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"):
        org.enable_policy_type(RootId=root, PolicyType=kind)
    workloads = org.create_organizational_unit(ParentId=root, Name="Workloads")
    prod_ou = org.create_organizational_unit(
        ParentId=workloads["OrganizationalUnit"]["Id"], Name="Prod"
    )
    security = org.create_organizational_unit(ParentId=root, Name="Security")
    accounts = {}
    for name, parent in (
        ("prod", prod_ou["OrganizationalUnit"]["Id"]),
        ("vault", security["OrganizationalUnit"]["Id"]),
    ):
        status = org.create_account(Email=f"{name}@example.com", AccountName=name)
        account = status["CreateAccountStatus"]["AccountId"]
        org.move_account(AccountId=account, SourceParentId=root, DestinationParentId=parent)
        accounts[name] = account
    scp = org.create_policy(
        Content=json.dumps(DENY_VAULT_DELETE),
        Description="no vault deletion",
        Name="DenyVaultDelete",
        Type="SERVICE_CONTROL_POLICY",
    )["Policy"]["PolicySummary"]
    org.attach_policy(PolicyId=scp["Id"], TargetId=workloads["OrganizationalUnit"]["Id"])
    rcp = org.create_policy(
        Content=json.dumps(DENY_KMS_OUTSIDE),
        Description="keys stay in the organization",
        Name="DenyKmsOutsideOrg",
        Type="RESOURCE_CONTROL_POLICY",
    )["Policy"]["PolicySummary"]
    org.attach_policy(PolicyId=rcp["Id"], TargetId=security["OrganizationalUnit"]["Id"])
    org.enable_aws_service_access(ServicePrincipal="backup.amazonaws.com")
    sts = boto3.client("sts", region_name=REGION)
    key_id, key_policy, grantee, vault_arn = _build_prod(
        member_session(sts, accounts["prod"]), accounts["prod"]
    )
    return Built(
        organization=organization["Id"],
        root=root,
        workloads=workloads["OrganizationalUnit"]["Id"],
        prod_ou=prod_ou["OrganizationalUnit"]["Id"],
        security=security["OrganizationalUnit"]["Id"],
        management=organization["MasterAccountId"],
        prod=accounts["prod"],
        vault_account=accounts["vault"],
        scp_id=scp["Id"],
        key_id=key_id,
        key_policy=key_policy,
        grant_grantee=grantee,
        vault_arn=vault_arn,
    )
