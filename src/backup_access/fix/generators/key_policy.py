"""FX-KEY-POLICY: the KMS key's policy does not allow the principal.

KMS trusts no one implicitly: IAM policies count only when the key policy allows the
account, and another account's principal needs the key policy to allow it
(https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html).
The statement names exactly the check's principal (the caller, the service role, another
account's role, the destination account's AWSServiceRoleForBackup), then, if that does not
verify, its account's root; ``kms:CreateGrant`` is first tried with
``kms:GrantIsForAWSResource`` when the check's request carries it (with the request's
value). In a key policy ``"Resource": "*"`` means this key. AWS
managed keys' policies cannot be changed: the key gate proposes a customer managed key.
Grants are not proposed: AWS Backup creates the grants it needs itself, with the
``kms:CreateGrant`` this statement allows.
"""

from __future__ import annotations

from typing import Any

from backup_access.fix.context import FixContext
from backup_access.fix.generators._common import denying, is_kms
from backup_access.fix.merge import sid_from
from backup_access.fix.model import DocumentEdit, Failure, Proposal
from backup_access.fix.registry import Generator
from backup_access.fix.statements import action_words, request_condition, resource_allow
from backup_access.fix.targets import account_of, key_at, key_target, principal_arn
from backup_access.world.model import KeyManager

ID = "FX-KEY-POLICY"


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    check = failure.check
    if failure.layer != "resource" or not is_kms(check) or denying(check, "resource"):
        return None
    if not (check.principal and check.action and check.resource):
        return None
    key = key_at(context.world, check.resource)
    if key is None or key.manager is not KeyManager.CUSTOMER or key.policy is None:
        return None
    who = principal_arn(context.world, check.principal)
    account = account_of(context.world, who)
    target = key_target(key)
    principals = [who]
    if account is not None and account != key.account and not who.endswith(":root"):
        principals.append(f"arn:aws:iam::{account}:root")
    candidates = []
    for principal in principals:
        sid = sid_from(
            "Allow", action_words(check.action), principal.rsplit("/", 1)[-1].split(":")[-1]
        )
        conditions: list[dict[str, Any] | None] = [None]
        narrowed = request_condition(check)
        if narrowed is not None:
            conditions.insert(0, narrowed)
        for condition in conditions:
            statement = resource_allow(principal, check.action, "*", sid=sid, condition=condition)
            candidates.append((DocumentEdit(target, (statement,)),))
    return Proposal(ID, failure, candidates=tuple(candidates))


GENERATOR = Generator(
    id=ID,
    title="Allow the principal in the KMS key's policy",
    source="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html",
    propose=propose,
)
