"""Placeholder until the message and CloudTrail parsers land."""

from __future__ import annotations

from pathlib import Path

from backup_access.diagnose.model import Explanation
from backup_access.errors import RequestError
from backup_access.world import World


def explain_error(world: World, text: str) -> Explanation:
    raise RequestError("--error is not available yet")


def explain_cloudtrail_file(world: World, path: Path) -> list[tuple[str, Explanation]]:
    raise RequestError("--cloudtrail is not available yet")
