"""The collector's own least-privilege IAM policy, shipped as package data.

Every action in it is one the collector calls and nothing more (a test runs the collector
and evaluates each call it made against this document with backup-access's own engine).
With ``--org`` the same policy is needed in each member account, on the role ``--role-name``
names; ``sts:AssumeRole`` is scoped to AWS's default ``OrganizationAccountAccessRole`` and must
be changed when another role name is used.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

POLICY_FILE = "collector-policy.json"


def collector_policy() -> dict[str, Any]:
    """The policy document (a fresh copy)."""
    text = resources.files("backup_access.collect").joinpath("data", POLICY_FILE).read_text()
    document: dict[str, Any] = json.loads(text)
    return document
