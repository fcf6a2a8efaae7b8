"""The version of the JSON outputs, and the JSON Schemas that describe them (package data
in ``backup_access/schemas``, copied to ``docs/schemas``).

``schema_version`` changes only when a field is removed or changes meaning; adding a field
does not change it.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

SCHEMA_VERSION = "1"

SCHEMA_NAMES = ("request", "world", "simulate", "explain", "lint")


def load_schema(name: str) -> dict[str, Any]:
    """The JSON Schema called ``name`` (one of ``SCHEMA_NAMES``)."""
    if name not in SCHEMA_NAMES:
        raise KeyError(name)
    text = resources.files("backup_access.schemas").joinpath(f"{name}.schema.json").read_text()
    loaded: dict[str, Any] = json.loads(text)
    return loaded
