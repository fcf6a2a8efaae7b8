"""Read YAML or JSON input files safely, turning every failure into an ``InputError``.

YAML is read with a loader that keeps dates as strings (a condition value such as
``2026-01-01T00:00:00Z`` must stay text) and refuses anchors and aliases (a few lines of
nested aliases expand into gigabytes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from backup_access.errors import InputError

MAX_INPUT_BYTES = 50_000_000


class SafeLoader(yaml.SafeLoader):
    """SafeLoader without timestamps and without aliases."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases are not supported", event.start_mark
            )
        return super().compose_node(parent, index)


SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_text(text: str, *, source: str, json_only: bool = False) -> object:
    """Parse YAML (a superset of JSON) or, with ``json_only``, strict JSON."""
    if json_only:
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise InputError(
                f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}",
                file=source,
            ) from None
        except RecursionError:
            raise InputError("JSON nested too deeply", file=source) from None
    try:
        return yaml.load(text, Loader=SafeLoader)  # a SafeLoader subclass
    except (yaml.YAMLError, RecursionError) as error:
        raise yaml_input_error(error, source) from None


def yaml_input_error(error: Exception, source: str) -> InputError:
    """A YAML failure as an ``InputError`` naming the line and column."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = error.problem or error.context or "malformed YAML"
        return InputError(f"invalid YAML{where}: {problem}", file=source)
    return InputError(f"invalid YAML: {error}", file=source)


def load_document(path: str | Path) -> object:
    """Load one YAML or JSON file (JSON when the name ends in .json)."""
    file = Path(path)
    return parse_text(read_text(file), source=str(file), json_only=file.suffix.lower() == ".json")


def read_text(path: str | Path) -> str:
    """Read a UTF-8 input file of bounded size; every failure is an ``InputError``."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_INPUT_BYTES:
            raise InputError("file is larger than 50 MB", file=str(file))
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("file not found", file=str(file)) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", file=str(file)) from None
    except UnicodeDecodeError:
        raise InputError("file is not UTF-8 text", file=str(file)) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror}", file=str(file)) from None
    return text
