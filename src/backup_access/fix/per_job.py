"""Resources AWS Backup makes for every job, and an Allow that also covers the next jobs'.

A backup plan's jobs all run with its service role, and every job makes new recovery points:
a new EBS snapshot, AMI, RDS snapshot or recovery point ARN each night. An Allow of the one
ARN of the failing request would leave the next job failing the same way. So for a request
of the service role (the catalogue's actor ``service_role``) on such a resource, the fix
covers what AWS Backup makes, scoped as AWS's managed policy for that role scopes the same
actions — AWSBackupServiceRolePolicyForBackup, shipped copy v30
(https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html):

- EBS snapshots and AMIs: statement ``EC2ModifyPermissions`` allows ec2:ModifySnapshotAttribute
  and ec2:ModifyImageAttribute on ``*`` only with ``{"Null": {"aws:ResourceTag/aws:backup:
  source-resource": "false"}}``: AWS Backup tags the snapshots and AMIs it makes with
  ``aws:backup:source-resource``. The fix keeps that condition and narrows the Resource to the
  Region of the request (``arn:aws:ec2:REGION::snapshot/*``). It needs the request to carry
  the tag (the catalogue's check does; a pasted error does not): otherwise the exact ARN stays,
  with a note, since letting the role change the sharing of every snapshot in the Region
  (ModifySnapshotAttribute can make one public) is not a change to propose unasked.
- RDS and Aurora snapshots, which AWS Backup names ``awsbackup:job-…``: statements
  ``RDSBackupPermissions`` and ``RDSClusterModifyPermissions`` allow on
  ``arn:aws:rds:*:*:snapshot:awsbackup:*`` (``cluster-snapshot:awsbackup:*``); the fix: the
  same names in the request's account and Region.
- recovery points (backup:CopyFromBackupVault): statement ``BackupVaultCopyPermissions``
  allows on ``*``; the fix: the recovery points of the request's account and Region
  (``…:recovery-point:*``, or for a snapshot-backed one the snapshot or AMI pattern above).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from backup_access.diagnose.model import CheckResult
from backup_access.policy.arn import Arn

MANAGED_POLICY = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
SOURCE = (
    "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/"
    "AWSBackupServiceRolePolicyForBackup.html"
)
BACKUP_TAG = "aws:ResourceTag/aws:backup:source-resource"
# The actions the managed policy allows only on resources carrying AWS Backup's tag.
_TAGGED_ACTIONS = frozenset({"ec2:modifysnapshotattribute", "ec2:modifyimageattribute"})
_EC2_TYPES = frozenset({"snapshot", "image"})
_RDS_TYPES = frozenset({"snapshot", "cluster-snapshot"})
_RDS_BACKUP_PREFIX = "awsbackup:"


class PerJobScope(NamedTuple):
    """How a fix's Allow is scoped so that the next jobs' resources are covered too."""

    resource: str
    condition: dict[str, Any] | None
    notes: tuple[str, ...]


def per_job_pattern(resource: str) -> str | None:
    """The ARN pattern of the resources of ``resource``'s kind that AWS Backup makes in its
    account and Region, or None when ``resource`` is not one AWS Backup makes per job."""
    arn = Arn.parse(resource)
    if arn is None:
        return None
    head = f"arn:{arn.partition}:{arn.service}:{arn.region}:{arn.account}:"
    kind = arn.resource_type
    if arn.service == "backup" and kind == "recovery-point":
        return f"{head}recovery-point:*"
    if arn.service == "ec2" and kind in _EC2_TYPES and "/" in arn.resource:
        return f"{head}{kind}/*"
    name = arn.resource.split(":", 1)[1] if ":" in arn.resource else ""
    if arn.service == "rds" and kind in _RDS_TYPES and name.startswith(_RDS_BACKUP_PREFIX):
        return f"{head}{kind}:{_RDS_BACKUP_PREFIX}*"
    return None


def _why(check: CheckResult, pattern: str, *, tagged: bool = False) -> str:
    tag = f" that carry AWS Backup's tag ({BACKUP_TAG})" if tagged else ""
    return (
        f"{check.resource} is one of the resources AWS Backup makes anew for every job: the "
        f"statement allows {check.action} on {pattern}{tag}, so the plan's next jobs are "
        f"allowed too, scoped as AWS's managed policy {MANAGED_POLICY} scopes it ({SOURCE}); "
        "attaching that managed policy to the role instead grants the same"
    )


def per_job_scope(check: CheckResult) -> PerJobScope | None:
    """The scope of a service role's Allow on a per-job resource (module docstring), or None
    to allow the exact resource."""
    resource, action = check.resource or "", (check.action or "").lower()
    pattern = per_job_pattern(resource)
    if pattern is None:
        return None
    if action not in _TAGGED_ACTIONS:
        return PerJobScope(pattern, None, (_why(check, pattern),))
    if not check.context_values(BACKUP_TAG):
        return PerJobScope(
            resource,
            None,
            (
                f"{check.action} is allowed on this one resource: the request carries no "
                f"{BACKUP_TAG}, so a statement for the next jobs' resources cannot be checked. "
                f"AWS Backup tags what it makes with it; to cover the next jobs, allow "
                f'{check.action} on {pattern} with {{"Null": {{"{BACKUP_TAG}": "false"}}}}, '
                f"as {MANAGED_POLICY} does ({SOURCE})",
            ),
        )
    condition = {"Null": {BACKUP_TAG: "false"}}
    return PerJobScope(pattern, condition, (_why(check, pattern, tagged=True),))
