"""What a resolution collects besides policies: assumptions made and data the world lacks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Findings:
    """Mutable collector used while resolving; frozen into ``Resolution`` at the end."""

    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def lack(self, text: str) -> None:
        if text not in self.missing:
            self.missing.append(text)
