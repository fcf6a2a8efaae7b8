"""The KMS keys that vaults and recovery points use, as a world's ``kms`` section.

Per key: DescribeKey (key manager), GetKeyPolicy (policy name ``default``, the only one),
ListGrants, ListAliases, ListResourceTags
(https://docs.aws.amazon.com/kms/latest/APIReference/API_Operations.html). A key whose policy
or grants cannot be read (a policy text that writes a key twice included) is still written,
its policy left out (which the world reads as unknown) and its ARN marked unknown in the
manifest, so no question treats it as open.
"""

from __future__ import annotations

from typing import Any

from backup_access.collect.calls import MISSING, Gap, Missing, Reader
from backup_access.collect.policy_text import POLICY_TEXT, decode_policy
from backup_access.errors import InputError
from backup_access.fields import policy as check_policy
from backup_access.policy.layer import Layer

_CONSTRAINTS = {
    "EncryptionContextEquals": "encryption_context_equals",
    "EncryptionContextSubset": "encryption_context_subset",
}


def _grant(item: dict[str, Any]) -> dict[str, Any]:
    grant: dict[str, Any] = {
        "grantee": item["GranteePrincipal"],
        "operations": list(item.get("Operations") or []),
    }
    if item.get("Name"):
        grant["name"] = item["Name"]
    if item.get("RetiringPrincipal"):
        grant["retiring_principal"] = item["RetiringPrincipal"]
    constraints = {
        ours: dict(item["Constraints"][theirs])
        for theirs, ours in _CONSTRAINTS.items()
        if (item.get("Constraints") or {}).get(theirs)
    }
    if constraints:
        grant["constraints"] = constraints
    return grant


def read_key(reader: Reader, region: str, key_arn: str) -> tuple[str, dict[str, Any]] | None:
    """(key id, the key's world entry), or None when the key cannot even be described."""
    client = reader.client("kms", region)
    part = f"KMS key {key_arn}"
    described = reader.call(
        client, "describe_key", part=part, region=region, unknown=key_arn, KeyId=key_arn
    )
    if described is None or described is MISSING:
        return None
    meta = described["KeyMetadata"]
    key_id = meta["KeyId"]
    key: dict[str, Any] = {"manager": "aws" if meta.get("KeyManager") == "AWS" else "customer"}
    answer = reader.call(
        client,
        "get_key_policy",
        part=f"key policy of {key_arn}",
        region=region,
        unknown=key_arn,
        KeyId=key_id,
        PolicyName="default",
    )
    if answer is not None and answer is not MISSING:
        try:
            doc = decode_policy(answer.get("Policy"), source=POLICY_TEXT)
            check_policy(doc, "", Layer.RESOURCE)
            key["policy"] = doc
        except InputError as error:
            reader.log.add_gap(Gap(reader.account, region, part, "(parse)", str(error), key_arn))
    grants = reader.pages(
        client,
        "list_grants",
        "Grants",
        part=f"grants of {key_arn}",
        region=region,
        unknown=key_arn,
        KeyId=key_id,
    )
    if not isinstance(grants, Missing):
        key["grants"] = [_grant(g) for g in grants]
    aliases = reader.pages(
        client, "list_aliases", "Aliases", part=f"aliases of {key_arn}", region=region, KeyId=key_id
    )
    if not isinstance(aliases, Missing):
        key["aliases"] = sorted(a["AliasName"] for a in aliases)
    if key["manager"] == "customer":
        tags = reader.pages(
            client,
            "list_resource_tags",
            "Tags",
            part=f"tags of {key_arn}",
            region=region,
            unknown=key_arn,
            KeyId=key_id,
        )
        if not isinstance(tags, Missing) and tags:
            key["tags"] = {t["TagKey"]: t["TagValue"] for t in tags}
    return key_id, key
