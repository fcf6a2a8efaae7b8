"""What a gate handler returns, and the sentences every handler shares: what the message
means, and that nothing in it names what the world would need to check it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from backup_access.diagnose.disagreements import gate_disagreements
from backup_access.diagnose.messages import ParsedMessage
from backup_access.diagnose.model import CheckResult
from backup_access.diagnose.type_reading import fitted_family
from backup_access.world import World


@dataclass(frozen=True, slots=True)
class GateAnswer:
    """What the world says about a gate message; ``unevaluated`` says why nothing was checked
    when nothing was (the answer's first line)."""

    checks: tuple[CheckResult, ...] = ()
    notes: tuple[str, ...] = ()
    disagreements: tuple[str, ...] = ()
    unevaluated: str | None = None


Handler = Callable[[World, ParsedMessage], GateAnswer]


def checked(
    parsed: ParsedMessage, *results: CheckResult, notes: tuple[str, ...] = ()
) -> GateAnswer:
    """The results, each open gate said as a disagreement with the message."""
    said: list[str] = []
    for result in results:
        said.extend(gate_disagreements(parsed, result))
    return GateAnswer(tuple(results), notes, tuple(said))


def meaning(parsed: ParsedMessage) -> str:
    """What the message's family means for the paste's resource type, and what to do."""
    row = fitted_family(parsed).row
    text = row.meaning if row else "a message backup-access does not describe"
    if text[1:2].islower():  # "Not a …" → "not a …", but "AWS …" stays
        text = text[:1].lower() + text[1:]
    todo = f"; what to do: {row.todo}" if row and row.todo else ""
    return text + todo


def note_only(world: World, parsed: ParsedMessage) -> GateAnswer:
    del world
    if parsed.masked:
        fields = " and ".join(m.field for m in parsed.masked)
        why = f"the {fields} of the message {'are' if len(parsed.masked) > 1 else 'is'} masked"
        return GateAnswer(
            notes=(
                f"{meaning(parsed)}. {why[:1].upper()}{why[1:]}, so the world cannot evaluate "
                "it: give the message unmasked, or run `explain OPERATION` with the "
                "operation's parameters",
            ),
            unevaluated=why,
        )
    return GateAnswer(
        notes=(
            f"{meaning(parsed)}. The message names nothing the world can evaluate: run "
            "`explain OPERATION` with the operation's parameters to check it",
        ),
        unevaluated="the message names nothing the world can evaluate",
    )


def nothing_named(parsed: ParsedMessage, what: str, then: str) -> GateAnswer:
    """A message (and its wrapper) that names none of ``what``: said as it is, never guessed."""
    return GateAnswer(
        notes=(
            meaning(parsed),
            f"nothing in this message names {what}, so the world cannot check it: {then}",
        ),
        unevaluated=f"nothing in this message names {what}",
    )
