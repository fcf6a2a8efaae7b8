"""JSON pointers (RFC 6901) into policy documents, for errors, traces and lint findings.

Parsed statements and conditions do not store their pointers: a batch parses hundreds of
thousands of them and reads a few pointers. They keep where their statement sits and build
the pointer when asked.
"""

from __future__ import annotations


def escape_pointer_token(token: str | int) -> str:
    text = str(token)
    if "~" in text or "/" in text:
        return text.replace("~", "~0").replace("/", "~1")
    return text


def statement_pointer(container: str, position: int | None) -> str:
    """A statement's pointer: its policy's Statement element (``container``), then its
    index when that element is a list (``position``; None for a lone statement)."""
    return container if position is None else f"{container}/{position}"
