"""A world directory's ``manifest.json``: what the collector could not read (docs/collect.md).

The collector writes the manifest beside the world files; the loader takes from it only the
``unknown`` map (an account id, a resource ARN or ``organization`` → why it could not be
read), so that a question touching one of them is answered ``unknown`` with the reason,
never as if the part were empty. Everything else in the manifest is for people.
Files that belong to the collector but are not world files (the manifest itself and the
saved CloudTrail events) are recognised here so that the loader skips them.
"""

from __future__ import annotations

from pathlib import Path

from backup_access.documents import load_document
from backup_access.errors import InputError
from backup_access.fields import at, mapping, text

MANIFEST_NAME = "manifest.json"
CLOUDTRAIL_FOLDER = "cloudtrail"
ORGANIZATION_KEY = "organization"


def is_collector_file(directory: Path, file: Path) -> bool:
    """True for the manifest and saved CloudTrail events at the top of a world directory."""
    relative = file.relative_to(directory).parts
    return relative == (MANIFEST_NAME,) or (len(relative) > 1 and relative[0] == CLOUDTRAIL_FOLDER)


def read_unknown(directory: Path) -> dict[str, str]:
    """The manifest's ``unknown`` map, or an empty map when the directory has no manifest."""
    path = directory / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        data = mapping(load_document(path), "", "a manifest")
        pointer = "/unknown"
        return {
            key: text(reason, at(pointer, key), "a reason")
            for key, reason in sorted(mapping(data.get("unknown"), pointer, "unknown").items())
        }
    except InputError as error:
        raise error.located(file=error.file or str(path)) from None
