"""The answer to a pasted message without a world: what it means, which layer AWS blamed,
the operation's checks ranked by how likely each is the cause, and how to confirm each.

Ranking, most likely first:
1. an IAM message names the request and (in its current form) the layer: that request in
   that layer comes first, with the policy AWS named; without a layer (older form) the
   request is ranked in each layer in the order AWS evaluates and people hit them — identity,
   then the resource's policy when it is in another account, SCP, boundary, session, RCP,
   VPC endpoint (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
2. other messages follow their family's ranked causes (``diagnose.families``);
3. then the remaining checks of the operation behind the message (the catalogue), in
   catalogue order, when they could have produced the message: the message does not point
   at them, but the operation needs them too. A message that names its denied action or a
   gate cannot come from a check of another action (PassRole, a role's trust): those are
   listed apart, as the operation's other checks, not as causes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from backup_access.catalogue import Actor, Check, CheckKind, Gate, Operation, load_catalogue
from backup_access.diagnose import confirm, decoded
from backup_access.diagnose.binding import region_of
from backup_access.diagnose.confirm import Confirmation, Known
from backup_access.diagnose.families import (
    CheckRef,
    Confirm,
    Family,
    Hint,
    MessageFamily,
    MessageKind,
    family,
)
from backup_access.diagnose.job_retention import retention_source
from backup_access.diagnose.job_type import narrowing
from backup_access.diagnose.masking import account_mask, arn_account
from backup_access.diagnose.messages import ParsedMessage
from backup_access.diagnose.restore_gate import offline_restore_note
from backup_access.diagnose.type_reading import fitted_family, message_resource
from backup_access.engine.model import Layer
from backup_access.engine.services import rcp_not_applicable

# Whose policy each engine layer is, for the answer's sentences ("identity-based policy of
# the caller"); the layer's name is Layer.long_name.
_OWNERS = {
    Layer.IDENTITY: "the caller",
    Layer.BOUNDARY: "the caller",
    Layer.SESSION: "the caller's session",
    Layer.SCP: "the caller's account",
    Layer.RCP: "the resource's account",
    Layer.RESOURCE: "the resource",
}
LAYER_WORDS: dict[Layer, str] = {
    layer: f"{layer.long_name} of {_OWNERS[layer]}" if layer in _OWNERS else layer.long_name
    for layer in Layer
    if layer is not Layer.PROTECTED
}
# How the first line names the layer that denied (short: an answer's headline); the
# caller's identity policies are all of them together.
_LAYER_SHORT: dict[Layer, str] = {
    layer: "the caller's identity-based policies" if layer is Layer.IDENTITY else layer.short_phrase
    for layer in Layer
}
_UNKNOWN_LAYER_ORDER = (
    Layer.IDENTITY,
    Layer.RESOURCE,
    Layer.SCP,
    Layer.BOUNDARY,
    Layer.SESSION,
    Layer.RCP,
    Layer.ENDPOINT,
)


@dataclass(frozen=True, slots=True)
class Blame:
    """Which layer AWS blamed: explicit or implicit deny, the policy type in AWS's words, the
    engine's layer, the policy ARN when given, and all of it in one sentence."""

    says: str
    explicit: bool | None = None
    policy_type: str | None = None
    layer: str | None = None  # a Layer value, "setting", or None when AWS does not say
    policy_arn: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "says": self.says,
            "explicit": self.explicit,
            "policy_type": self.policy_type,
            "layer": self.layer,
            "policy_arn": self.policy_arn,
        }


@dataclass(frozen=True, slots=True)
class Cause:
    """One possible cause, ranked: the catalogue check it is (when one is), the layer to look
    at, why it is ranked here, and the read-only commands that confirm it."""

    rank: int
    title: str
    layer: str
    why: str
    confirm: tuple[Confirmation, ...]
    check: str | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "rank": self.rank,
            "check": self.check,
            "title": self.title,
            "layer": self.layer,
            "why": self.why,
            "source": self.source,
            "confirm": [c.to_dict() for c in self.confirm],
        }


@dataclass(frozen=True, slots=True)
class OfflineAnswer:
    """``explain --error`` without a world (JSON shape: ``to_dict``)."""

    message: ParsedMessage
    summary: str  # a few words for the first line
    meaning: str
    permission_problem: bool | None  # None: the message is not recognised, nobody can tell
    blame: Blame
    operation: str | None  # the catalogue operation behind the message, when known
    api: str | None
    causes: tuple[Cause, ...]
    todo: str
    sources: tuple[str, ...]
    notes: tuple[str, ...]
    # the operation's checks that cannot have produced this message (another action)
    other_checks: tuple[Cause, ...] = ()

    def to_dict(self) -> dict[str, object]:
        parsed = self.message
        return {
            "mode": "offline",
            "family": parsed.family.value,
            "kind": parsed.kind.value,
            "message": parsed.text,
            "matched_statements": [m.to_dict() for m in decoded.matched_statements(parsed)],
            "summary": self.summary,
            "meaning": self.meaning,
            "permission_problem": self.permission_problem,
            "blame": self.blame.to_dict(),
            "operation": self.operation,
            "api": self.api,
            "parameters": message_parameters(parsed),
            "causes": [c.to_dict() for c in self.causes],
            "other_checks": [c.to_dict() for c in self.other_checks],
            "todo": self.todo,
            "sources": list(self.sources),
            "notes": list(self.notes),
        }


def message_parameters(parsed: ParsedMessage) -> dict[str, object]:
    """What the message and its wrapper say, for JSON ``parameters``: only what was given."""
    evidence = parsed.evidence
    values: dict[str, object] = {
        "kind": parsed.kind.value,
        "family": parsed.family.value,
        "principal": parsed.principal,
        "action": parsed.action,
        "resource": parsed.resource,
        "explicit": parsed.explicit,
        "policy_type": parsed.policy_type,
        "layer": parsed.layer.value if parsed.layer else None,
        "policy_arn": parsed.policy_arn,
        "authorization_id": parsed.authorization_id,
        "gate": parsed.gate.value if parsed.gate else None,
        "role": parsed.role,
        "key": parsed.key,
        "sdk_operation": evidence.operation,
        "operation_from": evidence.operation_from,
        "error_code": evidence.error_code,
        "status_code": evidence.status_code,
        "request_id": evidence.request_id,
        "tool_resource": evidence.tool_resource,
        "resource_type": evidence.resource_type,
        "wrappers": list(evidence.wrappers) or None,
        "masked": [m.field for m in parsed.masked] or None,
        # a decoded authorization message's matched statements (Sid, effect, actions, resources)
        "matched_statements": [m.words for m in decoded.matched_statements(parsed)] or None,
    }
    job = parsed.job  # the job around a job message: job_destination_vault, job_role, …
    values.update({f"job_{name}": getattr(job, name) for name in job.__slots__})
    return {k: v for k, v in values.items() if v is not None}


def family_of(parsed: ParsedMessage) -> Family:
    """The paste's family, read for the resource type the paste shows (``type_reading``)."""
    return fitted_family(parsed).row


def _operation(parsed: ParsedMessage, row: Family) -> tuple[Operation | None, bool]:
    """The catalogue operation the message is about: the API the wrapper names, else the
    API of the denied action, else the family's, else the operation with a check on the
    denied action; and whether the message itself named it (the family's is a guess)."""
    catalogue = load_catalogue()
    by_api = {op.api.lower(): op for op in catalogue.operations.values()}
    for api in (parsed.operation, (parsed.action or ":").split(":", 1)[1]):
        if api and api.lower() in by_api:
            return by_api[api.lower()], True
    if parsed.operation and not parsed.action:
        return None, False  # the paste names an operation the catalogue does not describe
    if parsed.action:
        action = parsed.action.lower()
        having = [
            op
            for op in catalogue.operations.values()
            if any((c.action or "").lower() == action for c in op.checks)
        ]
        if len(having) == 1:  # several: the message does not say which, so none is guessed
            return having[0], True
    for name in row.operations:
        if name in catalogue.operations:
            return catalogue.operations[name], False
    return None, False


def _find(ref: CheckRef) -> Check | None:
    operation = load_catalogue().operations.get(ref.operation)
    if operation is None:
        return None
    for check in operation.checks:
        if ref.actor is not None and check.actor is not ref.actor:
            continue
        if ref.action and (check.action or "").lower() == ref.action.lower():
            return check
        if ref.gate is not None and check.gate is ref.gate:
            return check
    return None


def _check_layer(check: Check) -> str:
    if check.kind is CheckKind.SETTING:
        return "setting"
    return Layer.RESOURCE.value if check.resource_policy else Layer.IDENTITY.value


_TEMPLATE = re.compile(r"\{([a-z_]{1,40})(?:\.([a-z_]{1,20}))?\}")
_WHOLE = re.compile(r"\{([a-z_]{1,40})\}")


def vault_named_by_tool(parsed: ParsedMessage) -> str | None:
    """The vault a tool names around a vault call: Terraform's ``Backup Vault (NAME)`` for
    CreateBackupVault, DeleteBackupVault, PutBackupVaultAccessPolicy and the like."""
    operation = parsed.evidence.operation or ""
    name = parsed.evidence.tool_resource
    if not name or "BackupVault" not in operation or name.startswith("arn:"):
        return None
    return name


def _job_vault_arn(parsed: ParsedMessage) -> str | None:
    """The vault the pasted job writes into (a copy's destination, a backup's vault), as an
    ARN; a name only keeps its Region and account as placeholders."""
    vault = parsed.job.target_vault
    if vault is None or vault.startswith("arn:"):
        return vault
    return f"arn:aws:backup:REGION:ACCOUNT_ID:backup-vault:{vault}"


def _tool_vault_arn(parsed: ParsedMessage) -> str | None:
    """The tool's vault name as an ARN whose Region and account stay placeholders."""
    name = vault_named_by_tool(parsed)
    return f"arn:aws:backup:REGION:ACCOUNT_ID:backup-vault:{name}" if name else None


def _values(parsed: ParsedMessage, named: Check | None) -> dict[str, str]:
    """Operation parameters the message gives: the named check's principal and resource
    (``{caller}`` → the message's principal), the role and key it names, and the ARNs of the
    job printed around it (``IamRoleArn``, ``DestinationBackupVaultArn``, …)."""
    values: dict[str, str] = {}
    if named is not None:
        for template, value in (
            (named.principal, parsed.principal),
            (named.resource, parsed.resource),
        ):
            whole = _WHOLE.fullmatch(template or "")
            if whole and value:
                values[whole.group(1)] = value
    if parsed.role:
        values.setdefault("role", parsed.role)
    if parsed.key:
        values.setdefault("key", parsed.key)
    job = parsed.job  # the job printed around a job message names the operation's ARNs
    for name, value in (
        ("role", job.role),
        ("source_vault", job.source_vault),
        ("destination_vault", job.destination_vault),
        ("vault", job.vault),
        ("recovery_point", job.recovery_point),
        ("resource", job.resource),
    ):
        if value and value.startswith("arn:"):
            values.setdefault(name, value)
    for name, value in (
        ("destination_vault", job.destination_vault),
        ("source_vault", job.source_vault),
        ("vault", job.vault),
    ):
        if value and not value.startswith("arn:"):  # a name only: its ARN's other parts unknown
            values.setdefault(name, f"arn:aws:backup:REGION:ACCOUNT_ID:backup-vault:{value}")
    tool_vault = _tool_vault_arn(parsed)
    if tool_vault is not None:
        values.setdefault("vault", tool_vault)
    return values


def _fill(template: str | None, values: dict[str, str]) -> str | None:
    """A catalogue template with what the message gives; the rest as UPPER_CASE placeholders."""
    if template is None:
        return None

    def one(found: re.Match[str]) -> str:
        name, attr = found.group(1), found.group(2)
        value = values.get(name)
        parts = (value or "").split(":")
        if value and attr is None:
            return value
        if value and attr == "account" and len(parts) > 4 and parts[4]:
            return parts[4]
        if value and attr == "region" and len(parts) > 3 and parts[3]:
            return parts[3]
        words = f"{name}_{attr}" if attr else name
        return words.upper() + ("" if attr in ("account", "region") else "_ARN")

    return _TEMPLATE.sub(one, template)


def _check_confirm(check: Check, values: dict[str, str], known: Known) -> tuple[Confirmation, ...]:
    """Commands for a catalogue check, its principal and resource filled from the message."""
    if check.kind is CheckKind.SETTING and check.gate is not None:
        first = _fill("{" + check.args[0] + "}", values) if check.args else None
        key = _fill("{key}", values) if "key" in check.args else known.key
        return confirm.gate(check.gate, Known(resource=first, key=key, region=known.region))
    resource = _fill(check.resource, values)
    resource = None if resource == "*" else resource
    if resource is not None and ":assumed-role/" in resource:
        # The role a job's session belongs to (a message names the session): iam:PassRole
        # and a role's trust are authorized against the role's ARN.
        resource = confirm.role_of(resource)
    if check.actor is Actor.BACKUP_SERVICE:
        return confirm.role_trust(resource)
    principal = _fill(check.principal or "{caller}", values)
    simulated = _service_resource(check.action, resource)
    here = Known(principal, check.action, simulated, known.role, known.key, None, known.region)
    commands = confirm.caller_policies(here)
    if check.resource_policy:
        # the resource's policy is the layer such a check is listed under: its command first
        vault = _policy_vault(check.resource_policy, resource, values)
        named = confirm.resource_policy_named(check.resource_policy, resource, vault, here)
        commands = (*named, *commands)
    return commands


# What an EC2 or RDS action is authorized against: the snapshot or image behind a recovery
# point, never the recovery point's AWS Backup ARN (resource types of the Service
# Authorization Reference:
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html,
# https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonrds.html).
_SERVICE_RESOURCES = {
    "ec2:deletesnapshot": "arn:aws:ec2:{region}::snapshot/SNAPSHOT_ID",
    "ec2:modifysnapshotattribute": "arn:aws:ec2:{region}::snapshot/SNAPSHOT_ID",
    "ec2:deregisterimage": "arn:aws:ec2:{region}::image/AMI_ID",
    "ec2:modifyimageattribute": "arn:aws:ec2:{region}::image/AMI_ID",
    "rds:modifydbsnapshotattribute": "arn:aws:rds:{region}:{account}:snapshot:SNAPSHOT_NAME",
    "rds:modifydbclustersnapshotattribute": (
        "arn:aws:rds:{region}:{account}:cluster-snapshot:SNAPSHOT_NAME"
    ),
}


def _service_resource(action: str | None, resource: str | None) -> str | None:
    """``resource`` as ``action`` is authorized against it: an EC2/RDS action on a recovery
    point is simulated against the snapshot or image behind it."""
    template = _SERVICE_RESOURCES.get((action or "").lower())
    if template is None or resource is None:
        return resource
    service = template.split(":", 3)[2]
    parts = resource.split(":")
    if len(parts) > 5 and parts[2] == service:
        return resource  # already the snapshot's or image's own ARN
    region = parts[3] if len(parts) > 3 and parts[3] else "REGION"
    account = parts[4] if len(parts) > 4 and parts[4] else "ACCOUNT_ID"
    return template.format(region=region, account=account)


def _policy_vault(words: str, resource: str | None, values: dict[str, str]) -> str | None:
    """The vault whose access policy a check names: the source or destination vault of a
    copy, else the vault the request is on."""
    lowered = words.lower()
    for name in ("source_vault", "destination_vault"):
        if name.replace("_", " ") in lowered:
            return values.get(name)
    if resource and ":backup-vault:" in resource:
        return resource
    return values.get("vault")


def _known(parsed: ParsedMessage) -> Known:
    key = parsed.key or (
        parsed.resource if parsed.resource and ":kms:" in parsed.resource else None
    )
    role = parsed.role or (
        parsed.resource if parsed.resource and ":role/" in parsed.resource else None
    )
    return Known(
        principal=parsed.principal,
        action=parsed.action,
        resource=parsed.resource or _job_vault_arn(parsed) or _tool_vault_arn(parsed),
        role=role,
        key=key,
        policy_arn=parsed.policy_arn,
        encoded=parsed.encoded,
    )


def _summary(parsed: ParsedMessage, row: Family) -> str:
    """A few words for the first line: the layer and kind of deny an IAM message reports,
    else the family's own summary."""
    if not parsed.action or row.family not in (
        MessageFamily.IAM_NOT_AUTHORIZED,
        MessageFamily.DECODED_AUTHORIZATION,
    ):
        return row.summary
    deny = {True: "explicit deny", False: "implicit deny", None: None}[parsed.explicit]
    if parsed.layer is None:
        which = "AWS does not say which policy"
        sids = [m.sid for m in decoded.deciding_statements(parsed) if m.sid]
        if deny and sids and parsed.explicit:
            deny = f"{deny} by statement {', '.join(sids)}"
        return f"access denied ({deny}; {which})" if deny else f"access denied ({which})"
    words = (
        "the role's trust policy"
        if parsed.policy_type == "role trust"
        else _LAYER_SHORT[parsed.layer]
    )
    if parsed.explicit is False:
        return f"access denied: no allow in {words} (implicit deny)"
    return f"access denied by {words}" + (f" ({deny})" if deny else "")


def _blame(parsed: ParsedMessage, row: Family) -> Blame:
    if parsed.action:
        layer = parsed.layer.value if parsed.layer else None
        if parsed.explicit is None:
            says = "AWS does not say which policy type denied the request"
        else:
            kind = "an explicit deny" if parsed.explicit else "no allow"
            words = f" in {parsed.policy_type} policy" if parsed.policy_type else ""
            named = f" ({parsed.policy_arn})" if parsed.policy_arn else ""
            statements = decoded.deciding_statements(parsed)
            if statements:
                named += "; the decoded message names the statement(s) " + "; ".join(
                    m.words for m in statements
                )
                named += " but not the policy that holds them"
            says = f"AWS reports {kind}{words}{named}"
        return Blame(says, parsed.explicit, parsed.policy_type, layer, parsed.policy_arn)
    if row.permission_problem is None:
        return Blame("unknown: the text is not recognised", layer=None)
    if not row.permission_problem:
        return Blame("not a permission problem: AWS blamed no policy", layer=None)
    api = parsed.evidence.operation
    hint = next((h for h in row.hints if h.applies_to(api)), None)
    first = hint.layer if hint else None
    layer_words = {layer.value: text for layer, text in LAYER_WORDS.items()}
    if first is None or first == "none":  # the wording points nowhere (an encoded message)
        return Blame("AWS names no policy, and the message's wording points at none", layer=first)
    pointed = layer_words.get(
        first,
        "a cause outside policies (a setting, a missing resource)"
        if first == "setting"
        else "no policy",
    )
    actor = _hint_actor(parsed, hint)
    if actor is not None and first in _PRINCIPAL_LAYERS:
        pointed = f"{Layer(first).long_name} of {actor}"
    return Blame(
        f"AWS names no policy; the message's wording points first at {pointed}", layer=first
    )


# The layers that belong to whoever makes the request ("identity-based policy of …").
_PRINCIPAL_LAYERS = (Layer.IDENTITY.value, Layer.BOUNDARY.value, Layer.SESSION.value)


def _hint_actor(parsed: ParsedMessage, hint: Hint | None) -> str | None:
    """Who makes the request a family's first cause is about, when it is not the caller: the
    service role AWS Backup assumes for a job or selection, or the destination account's
    AWSServiceRoleForBackup; None for the caller (the default wording)."""
    if hint is None:
        return None
    actor = hint.check.actor if hint.check else None
    if actor is Actor.BACKUP_SLR:
        return "the destination account's AWSServiceRoleForBackup"
    if actor is Actor.SERVICE_ROLE or hint.confirm in (Confirm.ROLE_POLICIES, Confirm.ROLE_TRUST):
        named = f" ({parsed.role})" if parsed.role else ""
        if parsed.family is MessageFamily.SELECTION_TAG_GET_RESOURCES:
            return f"the selection's role{named}"
        return f"the job's service role{named}"
    return None


def _deny_verb(explicit: bool | None) -> str:
    """How a cause words the deny AWS reported: an explicit deny is a Deny statement to find,
    never a missing Allow."""
    if explicit is True:
        return "explicitly denies"
    if explicit is False:
        return "does not allow"
    return "does not allow (or explicitly denies)"


def _statement_commands(
    parsed: ParsedMessage, which: Layer, known: Known, commands: tuple[Confirmation, ...]
) -> tuple[tuple[Confirmation, ...], str]:
    """For a decoded message naming the statements that decided it: the layer's commands,
    each told which Sid to look for, and the commands that read the policies whole; and the
    words naming the statements (empty when it names none)."""
    statements = decoded.deciding_statements(parsed)
    sids = [m.sid for m in statements if m.sid]
    if not statements:
        return commands, ""
    named = "; ".join(m.words for m in statements)
    if not sids:
        return commands, named
    look = " or ".join(sids)
    told = tuple(
        c
        if " list-" in c.command  # a listing shows names, not statements
        else replace(c, shows=f"{c.shows}; look for the statement with Sid {look}")
        for c in commands
    )
    return (*told, *confirm.statement_search(which, known, look)), named


def _request_causes(parsed: ParsedMessage, known: Known, check: Check | None) -> list[Cause]:
    """The denied request itself, in the layer AWS named (or each plausible layer)."""
    target = f"{parsed.action} on {parsed.resource or 'the resource'}"
    kind = _deny_verb(parsed.explicit)
    check_id = check.id if check else "message.request"
    source = check.source if check else family(MessageFamily.IAM_NOT_AUTHORIZED).sources[0]
    if parsed.layer is not None:
        commands = (
            *confirm.policy(parsed.policy_arn),
            *confirm.layer(parsed.layer, known, explicit=parsed.explicit),
        )
        return [
            Cause(
                0,
                f"The {LAYER_WORDS[parsed.layer]} {kind} {target}",
                parsed.layer.value,
                "AWS named this layer in the message",
                commands,
                check_id,
                source,
            )
        ]
    caller_account = confirm.arn_account(parsed.principal or "")
    resource_account = confirm.arn_account(parsed.resource or "")
    cross = bool(resource_account) and resource_account != caller_account
    order = [
        layer
        for layer in _UNKNOWN_LAYER_ORDER
        # a resource policy allows only across accounts (or for a key), but its Deny denies in
        # the same account too (https://docs.aws.amazon.com/aws-backup/latest/devguide/create-a-vault-access-policy.html)
        if (
            layer is not Layer.RESOURCE
            or cross
            or parsed.explicit
            or (parsed.resource and ":kms:" in parsed.resource)
        )
        # RCPs restrict only the services AWS lists (engine/services.py)
        and not (layer is Layer.RCP and parsed.action and rcp_not_applicable(parsed.action))
    ]
    why = (
        "AWS does not say which layer; ranked by AWS's evaluation order and how often each "
        "layer is the cause" + (" (the resource is in another account)" if cross else "")
    )
    causes = []
    for layer in order:
        commands, named = _statement_commands(
            parsed, layer, known, confirm.layer(layer, known, explicit=parsed.explicit)
        )
        by = f" with statement {named}" if named and parsed.explicit else ""
        said = (
            f"; the decoded message names the statement that decided it, {named}, but not "
            "which policy holds it"
            if named
            else ""
        )
        causes.append(
            Cause(
                0,
                f"The {LAYER_WORDS[layer]} {kind} {target}{by}",
                layer.value,
                why + said,
                commands,
                check_id,
                source,
            )
        )
    return causes


_SERVICE_PREFIXES = {"backup": "backup", "awsbackup": "backup", "kms": "kms", "awskms": "kms"}


def _job_started(parsed: ParsedMessage) -> bool:
    """The paste is a job's failure (its status heading, or its record): the call that
    started the job succeeded, so neither it nor the caller's other checks for it
    (iam:PassRole) failed; what failed ran inside the job, with its service role."""
    return parsed.evidence.names_started_job


def _inferred_action(parsed: ParsedMessage) -> str | None:
    """The IAM action of the call the wrapper names (Terraform's and CloudFormation's are
    AWS Backup calls); none for a job's failure, whose starting call succeeded."""
    evidence = parsed.evidence
    if not evidence.operation or _job_started(parsed):
        return None
    if evidence.operation_from in ("terraform", "cloudformation"):
        return f"backup:{evidence.operation}"
    prefix = _SERVICE_PREFIXES.get((evidence.service or "").lower().replace(" ", ""))
    return f"{prefix}:{evidence.operation}" if prefix else None


def _call_action(parsed: ParsedMessage, operation: Operation | None) -> str | None:
    """The IAM action of the call the paste names, when the catalogue operation is that
    call (its check of the action named like the API: backup:DescribeBackupVault)."""
    api = parsed.evidence.operation
    if operation is None or not api or api.lower() != operation.api.lower():
        return None
    if _job_started(parsed):
        return None
    return next(
        (
            c.action
            for c in operation.checks
            if c.action and c.action.split(":", 1)[-1].lower() == api.lower()
        ),
        None,
    )


# A family's commands that read a vault: given the job's target vault when it names one.
_VAULT_CONFIRMS = (
    Confirm.VAULT_LOCK,
    Confirm.VAULT_EXISTS,
    Confirm.VAULT_POLICY,
    Confirm.VAULT_RECOVERY_POINTS,
)


def _hint_cause(hint: Hint, values: dict[str, str], known: Known, api: str | None) -> Cause:
    """A family's cause; its commands name the cause's own action when it has one (the
    message's, else the call the wrapper names), never an ACTION placeholder then."""
    check = _find(hint.check) if hint.check else None
    if check is not None:
        commands = _check_confirm(check, values, known)
    else:
        action = hint.action
        if action and "{operation}" in action:  # the call the paste names, when it names one
            action = action.replace("{operation}", api) if api else None
        here = replace(known, action=action or known.action)
        vault = values.get("destination_vault") or values.get("vault")
        if (
            hint.confirm in _VAULT_CONFIRMS
            and vault
            and ":backup-vault:" not in (here.resource or "")
        ):  # the job's vault, not the resource it backs up
            here = replace(here, resource=vault)
        commands = confirm.by_confirm(hint.confirm, here)
    return Cause(
        0,
        hint.title,
        hint.layer,
        hint.why,
        commands,
        check.id if check else None,
        check.source if check else None,
    )


def _message_causes(
    parsed: ParsedMessage, row: Family, operation: Operation | None, known: Known
) -> tuple[list[Cause], dict[str, str]]:
    """The causes the message itself points at, and the parameter values it gives."""
    named: Check | None = None
    if operation is not None and parsed.action:
        action = parsed.action.lower()
        named = next((c for c in operation.checks if (c.action or "").lower() == action), None)
    values = _values(parsed, named)
    if parsed.action:
        return _request_causes(parsed, known, named), values
    api = parsed.evidence.operation
    inferred = _inferred_action(parsed)
    called = replace(known, action=known.action or inferred or _call_action(parsed, operation))
    user = _key_user(parsed, operation)
    # who makes a failed job's requests, when the message is about a permission
    job_user = _job_user(parsed, operation) if user is None and row.permission_problem else None
    if user is not None or job_user is not None:  # AWS Backup acts in a job, with its role
        called = replace(called, principal=parsed.job.role or "IAM_ROLE_ARN")
    causes = [_hint_cause(h, values, called, api) for h in row.hints if h.applies_to(api)]
    if user is not None or job_user is not None:
        short, long = user or job_user or ("", "")
        what = "the key is used" if user is not None else "its requests are made"
        causes = [
            replace(
                c,
                title=_as_actor(c.title, short),
                why=f"{_as_actor(c.why, short)}; in a {operation.name if operation else 'job'} "
                f"{what} by {long}, not by whoever started it",
            )
            for c in causes
        ]
    if operation is None and inferred and row.kind is MessageKind.ACCESS_DENIED:
        # AWS named no request, but the wrapper named the call: rank that call's layers.
        request = replace(parsed, action=inferred)
        causes.extend(_request_causes(request, replace(known, action=inferred), None))
    return causes, values


# Who acts in a job AWS Backup runs (its requests, the KMS key it uses): the job's service
# role, and for a copy across accounts the destination account's AWSServiceRoleForBackup
# (https://docs.aws.amazon.com/aws-backup/latest/devguide/encryption.html#copy-encryption).
_JOB_ACTORS = {
    "copy": (
        "the copy role",
        "the copy role (IamRoleArn) and, across accounts, the destination account's "
        "AWSServiceRoleForBackup",
    ),
    "backup": ("the job's service role", "the backup job's service role (IamRoleArn)"),
    "restore": ("the job's service role", "the restore job's service role (IamRoleArn)"),
}


def _key_user(parsed: ParsedMessage, operation: Operation | None) -> tuple[str, str] | None:
    """Who uses the key a KMS message is about, when AWS Backup uses it in a job."""
    if parsed.family is not MessageFamily.KMS_CIPHERTEXT_KEY:
        return None
    name = operation.name if operation else ("copy" if parsed.job.destination_vault else None)
    return _JOB_ACTORS.get(name or "")


def _as_actor(text: str, actor: str) -> str:
    """A hint's words about "the caller" said of who really makes the request."""
    return (
        text.replace("The caller's", f"{actor[:1].upper()}{actor[1:]}'s")
        .replace("the caller's", f"{actor}'s")
        .replace("the caller", actor)
    )


def _job_user(parsed: ParsedMessage, operation: Operation | None) -> tuple[str, str] | None:
    """Who makes the requests of a job whose failure the paste is (``_job_started``)."""
    if operation is None or not _job_started(parsed):
        return None
    return _JOB_ACTORS.get(operation.name)


def _could_produce(parsed: ParsedMessage, row: Family, check: Check) -> bool:
    """Whether a check the message does not point at could still have produced it: a
    message naming its denied action comes from a permission check of that action, a gate
    message from its gate; an unspecific denial (an empty 403) from any check."""
    if parsed.action:
        return check.kind is CheckKind.PERMISSION and (
            (check.action or "").lower() == parsed.action.lower()
        )
    return row.kind is not MessageKind.GATE


def _other_checks(
    parsed: ParsedMessage,
    row: Family,
    operation: Operation,
    seen: set[str | None],
    values: dict[str, str],
    known: Known,
) -> tuple[list[Cause], list[Cause]]:
    """The operation's checks the message does not point at: those that could have
    produced the message (ranked as causes), and those that cannot (listed apart)."""
    causes: list[Cause] = []
    others: list[Cause] = []
    for check in operation.checks:
        if check.id in seen or (_job_started(parsed) and check.actor is Actor.CALLER):
            continue
        possible = _could_produce(parsed, row, check)
        why = (
            f"not named by the message; {operation.api} needs it too"
            if possible
            else f"cannot produce this message ({_differs(parsed, check)}); "
            f"{operation.api} needs it too"
        )
        cause = Cause(
            0,
            check.title,
            _check_layer(check),
            why,
            _check_confirm(check, values, known),
            check.id,
            check.source,
        )
        (causes if possible else others).append(cause)
    return causes, others


def _differs(parsed: ParsedMessage, check: Check) -> str:
    if not parsed.action:
        return "the message names another cause"
    if check.action:
        return f"it checks {check.action}, the message reports {parsed.action}"
    return f"a setting, and the message reports a denied {parsed.action}"


def _answer_notes(
    parsed: ParsedMessage, operation: Operation | None, named_by_message: bool
) -> tuple[str, ...]:
    """The parser's notes, and what the ranking had to assume or could not do."""
    notes = list(parsed.notes)
    if operation is not None and _job_started(parsed):
        notes.append(
            f"the job started, so {operation.api} itself and the caller's other checks for it "
            "(iam:PassRole) passed: only the checks made while the job runs are listed"
        )
    if operation is not None and not named_by_message:
        notes.append(
            f"the paste names no operation: the causes are ranked as for {operation.api}, the "
            "operation this message is known from; give the API operation if it was another"
        )
    if operation is None and parsed.action:
        action = parsed.action.lower()
        having = sorted(
            op.name
            for op in load_catalogue().operations.values()
            if any((c.action or "").lower() == action for c in op.checks)
        )
        if len(having) > 1:
            notes.append(
                f"{parsed.action} is needed by several operations ({', '.join(having)}) and the "
                "paste does not say which was called: run `explain OPERATION` for the one it was"
            )
    if parsed.evidence.operation and operation is None:
        notes.append(
            f"{parsed.evidence.operation} is not an operation the catalogue describes: only the "
            "message's own request is ranked"
        )
    return tuple(notes)


def answer_offline(parsed: ParsedMessage) -> OfflineAnswer:
    """What a message means and how to confirm its likely causes, without a world."""
    fitted = fitted_family(parsed)
    row = fitted.row
    known = _known(parsed)
    operation, named_by_message = _operation(parsed, row)
    causes, values = _message_causes(parsed, row, operation, known)
    others: list[Cause] = []
    if operation is not None and row.permission_problem:
        seen = {c.check for c in causes}
        possible, others = _other_checks(parsed, row, operation, seen, values, known)
        causes.extend(possible)
    narrowed = (
        narrowing(parsed.job, operation, message_resource(parsed))
        if operation is not None
        else None
    )
    if narrowed is not None:  # the job's resource type: leave out other types' checks
        causes = [c for c in causes if c.check not in narrowed.left_out]
        others = [c for c in others if c.check not in narrowed.left_out]
    summary, meaning = _reading(parsed, row, _summary(parsed, row), row.meaning)
    if row.family is MessageFamily.SOURCE_AMI_NOT_FOUND:
        causes = [_with_ami_commands(c, parsed) for c in causes]
    if row.family is MessageFamily.RETENTION_OUT_OF_RANGE:  # the job's own Lifecycle, or where
        said = retention_source(parsed.job, parsed.evidence.operation)
        causes = [replace(c, why=f"{c.why}; {said}") for c in causes]
    return OfflineAnswer(
        message=parsed,
        summary=summary,
        meaning=meaning,
        permission_problem=row.permission_problem,
        blame=_blame(parsed, row),
        operation=operation.name if operation else None,
        api=(operation.api if operation and named_by_message else parsed.evidence.operation),
        causes=_with_decode_command(_ranked(causes), parsed, known),
        todo=row.todo,
        sources=row.sources,
        notes=(
            *_answer_notes(parsed, operation, named_by_message),
            *((fitted.note,) if fitted.note is not None else ()),
            *((narrowed.note,) if narrowed is not None else ()),
            *((restore,) if (restore := offline_restore_note(parsed)) is not None else ()),
        ),
        other_checks=_ranked(others),
    )


# Families whose reading is about a cross-account copy: said as a condition unless the paste
# shows the copy's two accounts (the job's source and destination vaults).
_CROSS_ACCOUNT_READINGS = (
    MessageFamily.SOURCE_AMI_NOT_FOUND,
    MessageFamily.BACKUP_SERVICE_ACCESS_DENIED,
)
_JOB_KIND = re.compile(r"\b(backup|copy|restore) job\b", re.IGNORECASE)
_AMI = re.compile(r"(?<![\w-])ami-[0-9a-f]{8,17}(?![\w-])")
_REGION = re.compile(r"\b[a-z]{2}(?:-[a-z]{1,10}){1,2}-\d{1,2}\b")


def _copy_crosses_accounts(parsed: ParsedMessage) -> bool | None:
    """Whether the pasted job's source and destination vaults are in two accounts; None when
    the paste does not name both (or an account is masked)."""
    job = parsed.job
    source = arn_account(job.source_vault or "")
    destination = arn_account(job.destination_vault or "")
    if not source or not destination or account_mask(source) or account_mask(destination):
        return None
    return source != destination


def _reading(parsed: ParsedMessage, row: Family, summary: str, meaning: str) -> tuple[str, str]:
    """The summary and meaning, said as a condition when the family's reading assumes a
    cross-account copy the paste does not show (a guess is not stated as fact)."""
    if row.family not in _CROSS_ACCOUNT_READINGS:
        return summary, meaning
    crosses = _copy_crosses_accounts(parsed)
    if crosses:
        return summary, meaning
    said = _JOB_KIND.search(parsed.text)
    kind = said.group(1).lower() if said else None
    if crosses is False:
        return (
            f"{summary} — but the pasted copy stays in one account, which this reading does "
            "not fit",
            f"The pasted job's source and destination vaults are in the same account, so the "
            f"usual reading of this message does not fit; it reads: {meaning}",
        )
    job = (
        f"; the paste says a {kind} job, so this applies to the copy the {kind} job's rule "
        "makes to another account's vault"
        if kind in ("backup", "restore")
        else ""
    )
    reading = meaning.removeprefix("Not a permission problem: ")  # said on its own line
    return (
        f"if this was a cross-account copy: {summary}",
        f"If this was a cross-account copy (nothing in the paste says so{job}): "
        f"{reading[:1].lower()}{reading[1:]}",
    )


def _with_ami_commands(cause: Cause, parsed: ParsedMessage) -> Cause:
    """The Allowed AMIs commands, with the paste's AMI and Regions (the destination vault's
    for the setting, the recovery point's for the AMI), for the Allowed AMIs check and any
    Source AMI cause the family gives no command for."""
    if cause.confirm and cause.check != _allowed_images_check():
        return cause
    job = parsed.job
    ami = _AMI.search(f"{parsed.text} {job.recovery_point or ''}")
    said = _REGION.search(parsed.text)
    region = region_of(job.destination_vault or "") or (said.group(0) if said else None)
    source = region_of(job.recovery_point or "") or (said.group(0) if said else None)
    return replace(
        cause,
        confirm=confirm.allowed_images(region, ami.group(0) if ami else None, source),
    )


def _allowed_images_check() -> str | None:
    """The id of the copy's EC2 Allowed AMIs check (the catalogue's)."""
    check = _find(CheckRef("copy", gate=Gate.ALLOWED_IMAGES))
    return check.id if check is not None else None


def _with_decode_command(
    causes: tuple[Cause, ...], parsed: ParsedMessage, known: Known
) -> tuple[Cause, ...]:
    """A readable message that also carries its encoded form (EC2's): the first cause gets
    the command that decodes it, which names the statement that matched
    (https://docs.aws.amazon.com/STS/latest/APIReference/API_DecodeAuthorizationMessage.html)."""
    if not causes or parsed.encoded is None or parsed.family is MessageFamily.ENCODED_AUTHORIZATION:
        return causes
    first = causes[0]
    decode = confirm.by_confirm(Confirm.DECODE, known)
    return (replace(first, confirm=(*first.confirm, *decode)), *causes[1:])


def _ranked(causes: list[Cause]) -> tuple[Cause, ...]:
    return tuple(replace(c, rank=i) for i, c in enumerate(causes, start=1))


__all__ = [
    "LAYER_WORDS",
    "Blame",
    "Cause",
    "OfflineAnswer",
    "answer_offline",
    "message_parameters",
    "vault_named_by_tool",
]
