"""What a resolution collects besides policies: assumptions made and data the world lacks.

An assumption is a note that stands in for data the world does not hold (for a hand-written
world only); it starts with ``ASSUMPTION`` so that reports can list assumptions apart and
next to the verdict they support (JSON ``assumptions``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

ASSUMPTION = "assumption: "


def is_assumption(note: str) -> bool:
    """Whether a note records an assumption (see ``Findings.assume``)."""
    return note.startswith(ASSUMPTION)


@dataclass(slots=True)
class Findings:
    """Mutable collector used while resolving; frozen into ``Resolution`` at the end."""

    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def assume(self, text: str) -> None:
        """Record that the answer rests on ``text`` rather than on data in the world."""
        self.note(ASSUMPTION + text)

    def lack(self, text: str) -> None:
        if text not in self.missing:
            self.missing.append(text)
