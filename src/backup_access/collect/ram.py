"""Who a Region's vaults are shared with through AWS RAM (logically air-gapped vaults are
shared this way: https://docs.aws.amazon.com/aws-backup/latest/devguide/lag-vault-share.html).

GetResourceShares lists the account's own shares; GetResourceShareAssociations gives each
share's resources (vault ARNs) and principals (account ids, organization or OU ARNs)
(https://docs.aws.amazon.com/ram/latest/APIReference/API_GetResourceShareAssociations.html).
"""

from __future__ import annotations

from collections import defaultdict

from backup_access.collect.calls import Missing, Reader

_VAULT_MARK = ":backup-vault:"


def read_vault_shares(reader: Reader, region: str) -> dict[str, list[str]] | None:
    """Vault ARN -> principals it is shared with (associated only), or None when unknown."""
    client = reader.client("ram", region)
    shares = reader.pages(
        client,
        "get_resource_shares",
        "resourceShares",
        part="RAM resource shares",
        region=region,
        resourceOwner="SELF",
        resourceShareStatus="ACTIVE",
    )
    if isinstance(shares, Missing):
        return None
    out: dict[str, set[str]] = defaultdict(set)
    for share in shares:
        arn = share["resourceShareArn"]
        linked: dict[str, list[str]] = {}
        for kind in ("RESOURCE", "PRINCIPAL"):
            items = reader.pages(
                client,
                "get_resource_share_associations",
                "resourceShareAssociations",
                part=f"RAM share {share.get('name') or arn}",
                region=region,
                associationType=kind,
                resourceShareArns=[arn],
                associationStatus="ASSOCIATED",
            )
            if isinstance(items, Missing):
                return None
            linked[kind] = [item["associatedEntity"] for item in items]
        for resource in linked["RESOURCE"]:
            if _VAULT_MARK in resource:
                out[resource].update(linked["PRINCIPAL"])
    return {vault: sorted(principals) for vault, principals in out.items()}
