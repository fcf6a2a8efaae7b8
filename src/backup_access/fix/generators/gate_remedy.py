"""FX-ALT-GATE: a closed gate no other generator knows (Vault Lock, bucket versioning, a
resource type's copy support, a missing role, delegated administration…): no policy change
fixes it, and the diagnosis already names the remedy and the AWS page it comes from. The
fix repeats them as the alternative, so that no failing gate goes unanswered; a more
specific generator's answer takes precedence.
"""

from __future__ import annotations

from backup_access.fix.context import FixContext
from backup_access.fix.model import Alternative, Failure, Proposal
from backup_access.fix.registry import Generator

ID = "FX-ALT-GATE"


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    if failure.layer != "setting":
        return None
    check = failure.check
    text = (
        f"{check.title}: {check.reason}. No policy change fixes this; do what the diagnosis "
        f"says (source: {check.source})."
    )
    return Proposal(ID, failure, alternative=Alternative(check.id, text))


GENERATOR = Generator(
    id=ID,
    title="Follow the gate's own remedy (no policy change can fix it)",
    source="https://docs.aws.amazon.com/aws-backup/latest/devguide/troubleshooting.html",
    propose=propose,
)
