"""The project configuration file, the way ``.cfnlintrc`` or checkov's config work.

``.backup-access.toml`` (its keys at the top level), or a ``[tool.backup-access]`` table in
``pyproject.toml``, found in the current directory or the nearest parent that has one
(``.backup-access.toml`` first)::

    world = "infra/world"            # explain's (and fix's) default --world
    [lint]                           # [tool.backup-access.lint] in pyproject.toml
    disable = ["BA020"]
    fail-on = "warning"
    [lint.disable-for]
    "examples/*" = ["BA020"]
    [lint.kind-for]
    "scps/*.json" = "scp"

Paths are relative to the file. Command-line options win: ``--world`` replaces the default
world, ``--fail-on`` and ``--kind`` replace the file's, rule lists add up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backup_access.errors import InputError

CONFIG_NAME = ".backup-access.toml"
_KEYS = frozenset({"world", "lint"})


@dataclass(frozen=True, slots=True)
class ProjectConfig:
    """What the configuration file says, and where it is (``source``)."""

    source: Path | None = None
    world: Path | None = None
    lint: Mapping[str, Any] = field(default_factory=dict)


def _table(path: Path) -> Mapping[str, Any] | None:
    import tomllib  # only when a configuration file is there to read

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read the configuration file: {error}", file=str(path)) from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"not valid TOML: {error}", file=str(path)) from None
    if path.name == CONFIG_NAME:
        return data
    tool = data.get("tool", {})
    table = tool.get("backup-access") if isinstance(tool, dict) else None
    return table if isinstance(table, dict) else None


def find_config(start: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The nearest configuration at or above ``start``."""
    for folder in (start, *start.parents):
        for name in (CONFIG_NAME, "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                table = _table(candidate)
                if table is not None:
                    return candidate, table
    return None


def parse_config(path: Path, table: Mapping[str, Any]) -> ProjectConfig:
    where = f"{path} [tool.backup-access]" if path.name == "pyproject.toml" else str(path)
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise InputError(
            f"unknown setting(s) {', '.join(unknown)} (expected: {', '.join(sorted(_KEYS))})",
            file=where,
        )
    world = table.get("world")
    if world is not None and (not isinstance(world, str) or not world):
        raise InputError("world: expected a path (a world file or directory)", file=where)
    lint = table.get("lint", {})
    if not isinstance(lint, dict):
        raise InputError("lint: expected a table of lint settings", file=where)
    return ProjectConfig(path, (path.parent / world) if world else None, lint)


def project_config() -> ProjectConfig:
    """The configuration for the current directory (a small file, read when asked)."""
    found = find_config(Path.cwd().resolve())
    return ProjectConfig() if found is None else parse_config(*found)


def default_world() -> Path | None:
    """The configured default ``--world``, if any."""
    return project_config().world
