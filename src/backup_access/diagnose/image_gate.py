"""EC2 Allowed AMIs of a copy's destination account: whether it lets that account use the
AMI an EC2 recovery point is ("Source AMI not found in Region" when it does not).

AWS's pages this follows:
- only the ``enabled`` state applies the image criteria; ``audit-mode`` only reports which
  images would be refused, and ``disabled`` applies nothing
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_EnableAllowedImagesSettings.html,
  https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetAllowedImagesSettings.html);
- an account's own AMIs are never restricted (the same pages), so a copy between standard
  vaults of one account, cross-Region included, is not affected;
- an image provider is an account id (AMIs that account owns), ``amazon``,
  ``aws-marketplace``, ``aws-backup-vault`` or ``none`` (the account's own AMIs only)
  (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImageCriterion.html);
- AMIs in a logically air-gapped vault are ``aws-backup-vault``'s: without that provider a
  copy out of such a vault fails with "Source AMI … not found in Region"
  (https://docs.aws.amazon.com/aws-backup/latest/devguide/logicallyairgappedvault.html,
  https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-allowed-amis.html).

- a setting whose ``ManagedBy`` is ``declarative-policy`` cannot be changed by the account
  (the GetAllowedImagesSettings page; the Organizations page on declarative policies): the
  remedy is the organization's declarative policy, not a command run in the account.

Unclear on AWS's pages, so answered unknown: whether ``aws-backup-vault`` also covers the AMI
of a standard vault (the API reference says "AMIs created by AWS Backup", the user guide
"backup AMIs that reside in logically air-gapped AWS Backup vault accounts"), and which
Region's setting of the destination account applies when the copy also crosses Regions.
A setting the world does not record is unknown, never taken as disabled.
"""

from __future__ import annotations

from dataclasses import dataclass

from backup_access.diagnose.binding import Binding
from backup_access.diagnose.gate_outcome import (
    GateOutcome,
    gate_closed,
    gate_open,
    gate_unknown,
)
from backup_access.diagnose.model import CheckDecision
from backup_access.world import VaultType
from backup_access.world.model import AllowedImages

GET_SETTINGS = (
    "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_GetAllowedImagesSettings.html"
)
CRITERION = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_ImageCriterion.html"
USER_GUIDE = "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-allowed-amis.html"
DECLARATIVE_POLICIES = (
    "https://docs.aws.amazon.com/organizations/latest/userguide/"
    "orgs_manage_policies_declarative_syntax.html"
)
BACKUP_PROVIDER = "aws-backup-vault"
_UNCLEAR_PROVIDER = (
    f"AWS's pages disagree on whether {BACKUP_PROVIDER} covers it: the API reference "
    f'({CRITERION}) allows "AMIs created by AWS Backup", the user guide ({USER_GUIDE}) only '
    "backup AMIs in logically air-gapped vault accounts"
)


@dataclass(frozen=True, slots=True)
class Provider:
    """Whose AMI the copy reads, as Allowed AMIs names image providers."""

    name: str  # an account id, or aws-backup-vault
    words: str  # how the reason says it


@dataclass(frozen=True, slots=True)
class Reading:
    """One Region's setting against the provider."""

    region: str
    decision: CheckDecision
    reason: str


def _command(account: str, region: str, providers: tuple[str, ...], add: str) -> str:
    """How to add ``add`` to the providers (the command replaces every criterion, so the
    providers already there are given too)."""
    listed = ",".join(p for p in (*providers, add) if p != "none")
    return (
        f"add {add} to the image providers of account {account} in {region}: aws ec2 "
        f"replace-image-criteria-in-allowed-images-settings --region {region} --image-criteria "
        f"'ImageProviders=[{listed}]' (it replaces the whole criteria, so the providers "
        "already there are repeated)"
    )


def _declared(account: str, region: str, add: str, management: str | None) -> str:
    """Where to add ``add`` when a declarative policy manages the setting: the account cannot
    change it (GetAllowedImagesSettings, ManagedBy), its organization's declarative policy for
    EC2 can, from the management account (DECLARATIVE_POLICIES)."""
    where = f"management account {management}" if management else "management account"
    return (
        f"account {account}'s setting in {region} is managed by a declarative policy "
        f"(ManagedBy declarative-policy, {GET_SETTINGS}), so it cannot be changed in the "
        f"account: add {add} to the Allowed AMIs image providers of the organization's EC2 "
        f"declarative policy that applies to account {account} (ec2_attributes), from the "
        f"organization's {where} ({DECLARATIVE_POLICIES})"
    )


def _reading(
    images: AllowedImages | None,
    provider: Provider,
    account: str,
    region: str,
    management: str | None = None,
) -> Reading:
    if images is None:
        return Reading(
            region,
            CheckDecision.UNKNOWN,
            f"the world does not record account {account}'s EC2 Allowed AMIs in {region}",
        )
    listed = ", ".join(images.providers) or "none"
    if images.state != "enabled":
        return Reading(
            region,
            CheckDecision.ALLOWED,
            f"account {account}'s EC2 Allowed AMIs is {images.state} in {region}, which "
            "restricts no image (only enabled applies the criteria)",
        )
    if provider.name in images.providers:
        return Reading(
            region,
            CheckDecision.ALLOWED,
            f"account {account}'s EC2 Allowed AMIs (enabled in {region}) allows images of "
            f"{listed}, {provider.name} among them",
        )
    if provider.name != BACKUP_PROVIDER and BACKUP_PROVIDER in images.providers:
        return Reading(
            region,
            CheckDecision.UNKNOWN,
            f"account {account}'s EC2 Allowed AMIs (enabled in {region}) allows images of "
            f"{listed}: not {provider.name} by name, and {_UNCLEAR_PROVIDER}",
        )
    return Reading(
        region,
        CheckDecision.DENIED,
        f"account {account}'s EC2 Allowed AMIs is enabled in {region} and allows images of "
        f"{listed} only, not of {provider.name}, so the copied AMI is not found there; "
        + (
            _declared(account, region, provider.name, management)
            if images.managed_by == "declarative-policy"
            else _command(account, region, images.providers, provider.name)
        ),
    )


def _combined(readings: list[Reading], account: str, provider: Provider) -> GateOutcome:
    """One Region's reading, or two that agree; Regions that disagree are unknown (AWS's
    pages do not say which Region's setting a copy across accounts and Regions meets)."""
    decisions = {r.decision for r in readings}
    reason = "; ".join(r.reason for r in readings)
    regions = " and ".join(r.region for r in readings)
    unread = [r.region for r in readings if r.decision is CheckDecision.UNKNOWN]
    where = unread or [r.region for r in readings]
    collect = (
        f"account {account}'s EC2 Allowed AMIs in {' and '.join(where)} (aws ec2 "
        "get-allowed-images-settings: State, ImageCriteria) → "
        + ", ".join(f"regions.{r}.ec2.allowed_images" for r in where)
    )
    if decisions == {CheckDecision.ALLOWED}:
        return gate_open(f"the copied AMI is {provider.words}: {reason}")
    if decisions == {CheckDecision.DENIED}:
        return gate_closed(f"the copied AMI is {provider.words}: {reason}")
    if len(readings) > 1 and len(decisions) > 1:
        reason = (
            f"{reason}; AWS's pages do not say whether the destination account's setting in "
            f"the source Region or in the destination Region applies to a copy that crosses "
            f"both accounts and Regions ({regions})"
        )
    return gate_unknown(f"the copied AMI is {provider.words}: {reason}", collect)


def allowed_images(binding: Binding, destination: str, source: str) -> GateOutcome:
    """The destination account's EC2 Allowed AMIs against the copy's AMI: the source vault's
    account owns it, or ``aws-backup-vault`` for a logically air-gapped source vault."""
    account, owner = binding.account(destination), binding.account(source)
    region, source_region = binding.region(destination), binding.region(source)
    if account is None or owner is None or region is None:
        return gate_unknown(
            "the accounts and Regions of the source and destination vaults are not both known",
            "the full ARNs of the source and destination vaults",
        )
    vault = binding.vault(source)
    if vault is not None and vault.type is VaultType.LOGICALLY_AIR_GAPPED:
        provider = Provider(
            BACKUP_PROVIDER,
            f"an AMI of logically air-gapped vault {vault.name}, whose provider is "
            f"{BACKUP_PROVIDER}",
        )
    elif owner == account:
        return gate_open(
            f"the AMI belongs to account {account}, the destination account itself, and EC2 "
            "Allowed AMIs never restricts an account's own AMIs"
        )
    else:
        provider = Provider(owner, f"owned by account {owner} (the source vault's account)")
    holder = binding.world.accounts.get(account)
    regions = [region]
    if source_region is not None and source_region != region and owner != account:
        regions.append(source_region)
    organization = binding.world.organization
    management = organization.management_account if organization is not None else None
    readings = []
    for name in regions:
        settings = holder.regions.get(name) if holder is not None else None
        images = settings.allowed_images if settings is not None else None
        readings.append(_reading(images, provider, account, name, management))
    return _combined(readings, account, provider)


__all__ = ["BACKUP_PROVIDER", "GET_SETTINGS", "allowed_images"]
