"""An account's S3 buckets and their versioning, which AWS Backup needs to back a bucket up
(https://docs.aws.amazon.com/aws-backup/latest/devguide/s3-backups.html).

ListBuckets, then GetBucketVersioning per bucket (its ``Status`` is ``Enabled``, ``Suspended``
or absent for a bucket that never had versioning:
https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetBucketVersioning.html). A bucket whose
versioning cannot be read is left out, which the world reads as unknown.
"""

from __future__ import annotations

from typing import Any

from backup_access.collect.calls import MISSING, Missing, Reader

_VERSIONING = {"Enabled": "enabled", "Suspended": "suspended"}


def read_buckets(reader: Reader, region: str) -> dict[str, Any] | None:
    """The ``s3`` section (``{"buckets": {NAME: {"versioning": …}}}``), or None if unknown."""
    client = reader.client("s3", region)
    buckets = reader.pages(client, "list_buckets", "Buckets", part="S3 buckets")
    if isinstance(buckets, Missing):
        return None
    out: dict[str, Any] = {}
    for bucket in sorted(buckets, key=lambda b: b["Name"]):
        name = bucket["Name"]
        answer = reader.call(
            client, "get_bucket_versioning", part=f"versioning of bucket {name}", Bucket=name
        )
        if answer is None or answer is MISSING:
            continue
        out[name] = {"versioning": _VERSIONING.get(answer.get("Status"), "disabled")}
    return {"buckets": out}
