"""Which condition keys a request may lack, and whether a statement makes sure it has one.

``ForAllValues:`` holds when the key is absent from the request, so in an Allow it grants
every request that lacks the key: with ``aws:PrincipalOrgPaths``, every principal outside an
organization. AWS's guidance is a ``Null`` check with ``false`` next to it
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html).
BA037 reports it; BA022, BA023 and BA024 advise ``ForAnyValue:`` there instead
(``condition_walks.advised_operator``).
"""

from __future__ import annotations

from backup_access.conditions.evaluate import Operator, SetOperator, evaluate_condition
from backup_access.policy.context import RequestContext
from backup_access.policy.model import Condition, Effect, Statement

# Global keys AWS includes in every request's context (the "Availability" line of each key on
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
# ForAllValues on them never meets an absent key.
_ALWAYS_PRESENT = frozenset(
    {
        "aws:currenttime",
        "aws:epochtime",
        "aws:securetransport",
        "aws:requestedregion",
        "aws:viaawsservice",
        "aws:principalisawsservice",
    }
)
# An Allow with ForAllValues on aws:TagKeys and no Null check is how the IAM User Guide
# writes "only these tag keys" (access_tags.html#access_tags_control-tag-keys), and IAM
# Access Analyzer raises nothing on it: a request that sets no tags has no key outside the
# list. Its "Use caution" note and the Null false guard are left to the author.
_ABSENCE_INTENDED = frozenset({"aws:tagkeys"})

# Who lacks the key, for the message (exact keys; a trailing "/" matches every tag key);
# the default is "every request without KEY".
_LACKING = {
    "aws:principalorgid": "every principal outside an AWS Organizations organization",
    "aws:principalorgpaths": "every principal outside an AWS Organizations organization",
    "aws:principaltag/": "every principal without that tag",
    "aws:resourceorgid": "every resource whose account is in no organization",
    "aws:resourceorgpaths": "every resource whose account is in no organization",
    "aws:resourcetag/": "every resource without that tag",
    "aws:requesttag/": "every request that does not set that tag",
    "aws:sourceaccount": "every request a service does not make on behalf of a resource",
    "aws:sourcearn": "every request a service does not make on behalf of a resource",
    "aws:sourceorgid": "every request a service does not make on behalf of a resource",
    "aws:sourceorgpaths": "every request a service does not make on behalf of a resource",
    "aws:sourcevpc": "every request that does not come through a VPC endpoint",
    "aws:sourcevpce": "every request that does not come through a VPC endpoint",
    "aws:vpceaccount": "every request that does not come through a VPC endpoint",
    "aws:vpceorgid": "every request that does not come through a VPC endpoint",
    "aws:vpceorgpaths": "every request that does not come through a VPC endpoint",
    "aws:calledvia": "every request made directly rather than through a service",
    "aws:calledviafirst": "every request made directly rather than through a service",
    "aws:calledvialast": "every request made directly rather than through a service",
}


def may_be_absent(key: str) -> bool:
    """Whether an Allow's ``ForAllValues:`` on ``key`` lets in requests that lack it.

    Only global (``aws:``) keys are judged: AWS documents when each is present. Whether a
    service key is in every request of an action is not in the Service Authorization
    Reference (it lists the keys an action *may* carry), so service keys are left alone.
    """
    lowered = key.lower()
    return (
        lowered.startswith("aws:")
        and "${" not in key
        and lowered not in _ALWAYS_PRESENT
        and lowered not in _ABSENCE_INTENDED
    )


def who_lacks(key: str) -> str:
    """The callers, requests or resources that have no value for ``key``, in words."""
    lowered = key.lower()
    tag_prefix = lowered.partition("/")[0] + "/" if "/" in lowered else lowered
    return _LACKING.get(lowered) or _LACKING.get(tag_prefix) or f"every request without {key}"


def requires_key(statement: Statement, condition: Condition) -> bool:
    """Whether another condition of the statement on the same key fails when the key is
    absent: a ``Null`` ``false`` check, a ``ForAnyValue:`` or a positive operator without
    IfExists. The engine decides, on a request that carries no key at all."""
    nothing = RequestContext()
    key = condition.key.lower()
    for other in statement.conditions:
        if other is condition or other.key.lower() != key:
            continue
        outcome = evaluate_condition(other, nothing, variables=False)
        if not outcome.matched and outcome.unsupported is None:
            return True
    return False


def opens_on_absence(statement: Statement, condition: Condition, operator: Operator) -> bool:
    """``ForAllValues:`` in an Allow, on a key the request may lack, with nothing else in the
    statement requiring the key: the statement then allows every request without it."""
    return (
        operator.set_operator is SetOperator.ALL
        and statement.effect is Effect.ALLOW
        and may_be_absent(condition.key)
        and not requires_key(statement, condition)
    )
