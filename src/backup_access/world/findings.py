"""What a resolution collects besides policies: assumptions made and data the world lacks.

An assumption is a note that stands in for data the world does not hold (for a hand-written
world only); it starts with ``ASSUMPTION`` so that reports can list assumptions apart and
next to the verdict they support (JSON ``assumptions``).

Missing data is of two sorts. Most of it (an identity policy, a resource policy, a trust
policy) can grant as well as deny, so a decision made without it may go either way. Unread
SCPs and RCPs are guardrails: they never grant
(https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html,
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html),
so they can only turn an allow into a deny; ``Findings.lack_guardrail`` records them apart
(``GuardrailGap``) for the diagnosis to weigh.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backup_access.policy.layer import Layer

ASSUMPTION = "assumption: "


def is_assumption(note: str) -> bool:
    """Whether a note records an assumption (see ``Findings.assume``)."""
    return note.startswith(ASSUMPTION)


@dataclass(frozen=True, slots=True)
class GuardrailGap:
    """A missing entry (as ``Resolution.missing`` words it) that stands for SCPs or RCPs the
    world lacks: ``layers`` are those it may hold; ``hidden_keys`` are condition keys AWS
    would set from the same unread data (the organization's id and paths), whose absence
    from the request is not a fact."""

    missing: str
    layers: tuple[Layer, ...]
    hidden_keys: tuple[str, ...] = ()


@dataclass(slots=True)
class Findings:
    """Mutable collector used while resolving; frozen into ``Resolution`` at the end."""

    notes: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    guardrails: list[GuardrailGap] = field(default_factory=list)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def assume(self, text: str) -> None:
        """Record that the answer rests on ``text`` rather than on data in the world."""
        self.note(ASSUMPTION + text)

    def lack(self, text: str) -> None:
        if text not in self.missing:
            self.missing.append(text)

    def lack_guardrail(
        self, text: str, layers: tuple[Layer, ...], hidden_keys: tuple[str, ...] = ()
    ) -> None:
        """Record missing SCPs or RCPs (``layers``): data that can only restrict."""
        if text in self.missing:
            return
        self.lack(text)
        self.guardrails.append(GuardrailGap(text, layers, hidden_keys))
