"""Recognise AWS managed policies, which users can read but never change.

A document is AWS managed when it is given with its ARN (``arn:aws:iam::aws:policy/…``, as
in ``iam get-policy`` records and the copies this package ships) or is identical to one of
the copies shipped in ``backup_access/data/managed_policies``. Findings about resource
scoping are then capped at ``info``: the fix is to attach a different policy, not to edit
this one (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

AWS_POLICY_PREFIX = "arn:aws:iam::aws:policy/"
_SHIPPED = "data/managed_policies"


def is_aws_managed_arn(text: Any) -> bool:
    return isinstance(text, str) and text.startswith(AWS_POLICY_PREFIX)


@cache
def _shipped() -> tuple[tuple[str, str], ...]:
    """(ARN, canonical JSON of the document) of every shipped AWS managed policy."""
    folder = resources.files("backup_access").joinpath(_SHIPPED)
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            record = json.loads(entry.read_text(encoding="utf-8"))
            found.append((str(record["arn"]), _canonical(record["document"])))
    return tuple(sorted(found))


def _canonical(document: Any) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def shipped_copy_arn(document: Any) -> str:
    """The ARN of the shipped AWS managed policy identical to ``document``, or ``""``."""
    try:
        text = _canonical(document)
    except (TypeError, ValueError, RecursionError):
        return ""
    return next((arn for arn, shipped in _shipped() if shipped == text), "")
