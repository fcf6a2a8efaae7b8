"""The job a paste describes: the fields of a backup or copy job around AWS's status message.

People paste a job's status message with the job around it: ``aws backup describe-copy-job``
or ``describe-backup-job`` output (``DestinationBackupVaultArn``, ``IamRoleArn``,
``Lifecycle.DeleteAfterDays``), a CloudTrail record of the StartCopyJob / StartBackupJob call
(``destinationBackupVaultArn``, ``lifecycle.deleteAfterDays``), the AWS CLI call itself
(``--lifecycle DeleteAfterDays=30``) or a Terraform rule (``delete_after = 30``,
``cold_storage_after = 7``). These fields
name what a gate message does not (the target vault, the service role, the retention asked
for), so a world can check it. Field names are those of the AWS Backup API
(https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeCopyJob.html,
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeBackupJob.html,
https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Lifecycle.html).

One linear pass: a bounded pattern for ``NAME`` then ``:`` or ``=`` then a value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

# API field (any case, with or without underscores) -> the JobFields attribute it fills.
_FIELDS: dict[str, str] = {
    "destinationbackupvaultarn": "destination_vault",
    "destinationvaultarn": "destination_vault",
    "sourcebackupvaultarn": "source_vault",
    "sourcebackupvaultname": "source_vault",
    "backupvaultarn": "vault",
    "backupvaultname": "vault",
    "targetvaultname": "vault",
    "sourcerecoverypointarn": "recovery_point",
    "recoverypointarn": "recovery_point",
    "resourcearn": "resource",
    "iamrolearn": "role",
    "resourcetype": "resource_type",
    "deleteafterdays": "delete_after_days",
    "deleteafter": "delete_after_days",
    "movetocoldstorageafterdays": "cold_after_days",
    "coldstorageafter": "cold_after_days",
}
_FIELD = re.compile(
    r"(?<![\w-])[\"']?(?P<name>[A-Za-z_]{6,40})[\"']?\s{0,4}[:=]\s{0,4}"
    r"(?P<value>\"[^\"\n]{0,2048}\"|'[^'\n]{0,2048}'|[^\s\"',;)}\]]{1,2048})"
)


@dataclass(frozen=True, slots=True)
class JobFields:
    """What the paste says about the job, each None when it does not say: vaults as written
    (an ARN or a name), the recovery point, resource and role ARNs, the resource type as AWS
    Backup names it, and the lifecycle asked for (``DeleteAfterDays``,
    ``MoveToColdStorageAfterDays``)."""

    destination_vault: str | None = None
    source_vault: str | None = None
    vault: str | None = None
    recovery_point: str | None = None
    resource: str | None = None
    role: str | None = None
    resource_type: str | None = None
    delete_after_days: int | None = None
    cold_after_days: int | None = None

    @property
    def target_vault(self) -> str | None:
        """The vault the job writes into: a copy's destination, a backup's vault."""
        return self.destination_vault or self.vault

    @property
    def names_anything(self) -> bool:
        return any(getattr(self, name) is not None for name in self.__slots__)


@dataclass(frozen=True, slots=True)
class JobText:
    """The part of a paste that describes the job whose status message is read, and what to
    say about choosing it (None when the paste holds one job)."""

    text: str
    note: str | None = None


def job_in_paste(text: str) -> JobText:
    """A paste of several jobs (``list-copy-jobs`` output) narrowed to the first one with a
    StatusMessage (``statusMessage`` in an EventBridge event), the message read
    (diagnose.unwrap takes the first), so that its role, vaults and resource are not another
    job's; any other paste as it is."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        return JobText(text)
    jobs = list(_jobs(document))
    failed = [job for job in jobs if job.get("StatusMessage") or job.get("statusMessage")]
    if len(jobs) < 2 or not failed:
        return JobText(text)
    chosen = failed[0]
    name = next((str(v) for k, v in chosen.items() if k.endswith("JobId")), "?")
    return JobText(
        json.dumps(chosen),
        f"the paste holds {len(jobs)} jobs: the one read is {name}, the first with a StatusMessage",
    )


def _jobs(value: object) -> Iterator[dict[str, object]]:
    """Every job record in decoded JSON, in document order: an object with a …JobId."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if any(isinstance(k, str) and k.endswith("JobId") for k in item):
                yield item
                continue
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def read_job_fields(text: str) -> JobFields:
    """The job fields a paste names (the first value of each, an ARN before a name)."""
    found: dict[str, str] = {}
    for match in _FIELD.finditer(text):
        key = match.group("name").replace("_", "").lower()
        field = _FIELDS.get(key)
        if field is None:
            continue
        value = match.group("value").strip("\"'").strip()
        if not value or value.lower() in ("null", "none"):
            continue
        # the first value wins, except that an ARN beats a name (BackupVaultName comes first)
        if field not in found or (value.startswith("arn:") and not found[field].startswith("arn:")):
            found[field] = value
    days = _days(found.pop("delete_after_days", None))
    cold = _days(found.pop("cold_after_days", None))
    return JobFields(**found, delete_after_days=days, cold_after_days=cold)


def _days(text: str | None) -> int | None:
    """A number of days as written; None for anything else (-1, "keep forever", is not read)."""
    return int(text) if text is not None and text.isdigit() else None


__all__ = ["JobFields", "JobText", "job_in_paste", "read_job_fields"]
