"""``{param}`` and ``{param.attr}`` placeholders in catalogue templates.

Attributes: ``account``, ``region``, ``service`` (of an ARN or principal), ``key`` (the KMS key
ARN of a vault, from the world), ``backup_slr`` (the AWSServiceRoleForBackup of the
parameter's account), ``point_key`` (of a vault: the key protecting the recovery point the
operation handles: the vault's key for a fully managed type, the resource's own key recorded
for the point otherwise), ``org_path`` (the ``o-…/r-…/ou-…/`` path of the parameter's
account, as ``backup:CopyTargetOrgPaths`` carries it).
"""

from __future__ import annotations

import re

ATTRIBUTES = frozenset(
    {"account", "region", "service", "key", "backup_slr", "point_key", "org_path"}
)
PLACEHOLDER = re.compile(r"\{([a-z_]+)(?:\.([a-z_]+))?\}")


def placeholders(template: str) -> list[tuple[str, str | None]]:
    """The (parameter, attribute) pairs a template refers to, in order."""
    return [(m.group(1), m.group(2)) for m in PLACEHOLDER.finditer(template)]
