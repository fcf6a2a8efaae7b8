"""A permission check's decision as the diagnosis weighs it against what it cannot know."""

from __future__ import annotations

from typing import NamedTuple

from backup_access.diagnose.model import CheckDecision


class Judgement(NamedTuple):
    """A check's decision as it stands after what the request leaves unknown: its value, the
    reason said, and what is missing to decide it."""

    value: CheckDecision
    reason: str
    missing: tuple[str, ...]
