"""FX-ALT-KEY: an AWS managed key stands in the way; no policy can fix it.

AWS managed keys' policies cannot be changed and serve only their own account
(https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key); a
recovery point encrypted with one cannot be copied to another account
(https://repost.aws/knowledge-center/backup-cross-account-copy-error). The alternative is a
customer managed key: for a copy, first copy within the account into a vault encrypted with
one (the copy is re-encrypted with the destination vault's key), then copy that across
accounts (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html).
"""

from __future__ import annotations

from backup_access.catalogue import Gate
from backup_access.fix.context import FixContext
from backup_access.fix.model import Alternative, Failure, Proposal
from backup_access.fix.registry import Generator

ID = "FX-ALT-KEY"
_GATES = (Gate.KEY_CUSTOMER_MANAGED, Gate.AWS_MANAGED_KEY_OWN_ACCOUNT)


def propose(context: FixContext, failure: Failure) -> Proposal | None:
    if failure.layer != "setting" or context.gate(failure.check) not in _GATES:
        return None
    key = context.argument(failure.check, 0) or "the AWS managed key"
    parameters = context.parameters
    source, destination = parameters.get("source_vault"), parameters.get("destination_vault")
    if source and destination:
        region = source.split(":")[3]
        account = source.split(":")[4]
        text = (
            f"{key} is an AWS managed key: no policy can let another account use it. Copy in "
            f"two steps: (1) in account {account}, create a vault encrypted with a customer "
            "managed key whose key policy allows the destination account's "
            "AWSServiceRoleForBackup, and copy the recovery point into it (a copy within the "
            "account is re-encrypted with that vault's key); (2) copy from that vault to "
            f"{destination}. Back up into that vault from now on."
        )
        commands: tuple[str, ...] = (
            f"aws kms create-key --description 'AWS Backup cross-account copies' --region {region}",
            "aws backup create-backup-vault --backup-vault-name VAULT_NAME "
            f"--encryption-key-arn NEW_KEY_ARN --region {region}",
            f"aws backup start-copy-job --source-backup-vault-name {source.rsplit(':', 1)[-1]} "
            "--recovery-point-arn RECOVERY_POINT_ARN --destination-backup-vault-arn "
            f"arn:aws:backup:{region}:{account}:backup-vault:VAULT_NAME --iam-role-arn ROLE_ARN "
            f"--region {region}",
        )
    else:
        text = (
            f"{key} is an AWS managed key: its key policy cannot be changed and it serves only "
            "principals of its own account. Use a customer managed key whose key policy allows "
            "the principals that need it (create it with aws kms create-key, and name it in the "
            "request or the vault)."
        )
        commands = ()
    return Proposal(ID, failure, alternative=Alternative(key, text, commands))


GENERATOR = Generator(
    id=ID,
    title="Use a customer managed key instead of an AWS managed key",
    source="https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key",
    propose=propose,
)
