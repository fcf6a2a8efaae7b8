"""``fix --apply``: apply fixes to live AWS accounts."""

from __future__ import annotations

import click

from backup_access.fix import FixPlan


def apply_plans(plans: list[FixPlan], *, yes: bool, profile: str | None) -> None:
    raise click.UsageError("fix --apply is not available in this version")
