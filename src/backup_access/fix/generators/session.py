"""FX-SESSION: a session policy blocks the request.

Session policies are passed when the session is created (``sts:AssumeRole`` ``Policy`` /
``PolicyArns``) and limit it; a world holds none, and they cannot be edited afterwards
(https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session).
The alternative: start a new session whose session policy allows the action.
"""

from __future__ import annotations

from backup_access.fix.context import FixContext
from backup_access.fix.model import Alternative, Failure, Proposal
from backup_access.fix.registry import Generator

ID = "FX-SESSION"


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    check = failure.check
    if failure.layer != "session":
        return None
    denies = [s.location for s in check.statements if s.layer == "session" and s.effect == "Deny"]
    why = f"statement {', '.join(denies)} denies it" if denies else "no session policy allows it"
    return Proposal(
        ID,
        failure,
        alternative=Alternative(
            target=check.principal or "the caller's session",
            text=(
                f"the caller's session policy limits {check.principal}: {why}. A session "
                "policy cannot be changed once the session exists: start a new session "
                f"(sts:AssumeRole) whose Policy / PolicyArns allow {check.action} on "
                f"{check.resource}, or none at all."
            ),
        ),
    )


GENERATOR = Generator(
    id=ID,
    title="Start a session whose session policy allows the action",
    source="https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session",
    propose=propose,
)
