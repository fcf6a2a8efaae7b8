"""Apply changes to the world JSON (a copy: the caller's is never modified)."""

from __future__ import annotations

from typing import Any

from backup_access.fix.merge import Merged, merge
from backup_access.fix.model import DocumentEdit, FixKind, SettingChange
from backup_access.fix.raw import find, put, tokens


def apply_edit(world: dict[str, Any], edit: DocumentEdit) -> Merged:
    """Merge ``edit`` into the document it targets, in place in ``world``."""
    target = edit.target
    previous = find(world, target.pointer)
    merged = merge(previous, edit.add, edit.exceptions, edit.joins)
    if target.kind.is_organization_policy and previous is None:
        # A new organization policy: its entry holds a type and the document.
        holder = target.pointer.rsplit("/document", 1)[0]
        put(world, holder, {"type": target.kind.value, "document": merged.document})
        name = tokens(holder)[-1]
        for pointer in target.attach_to:
            attached = list(find(world, pointer) or [])
            if not attached and pointer.split("/")[-2] == "account_policies":
                # An account without attachments has AWS's default; keep it attached.
                attached = ["FullAWSAccess" if target.kind is FixKind.SCP else "RCPFullAWSAccess"]
            if name not in attached:
                attached.append(name)
            put(world, pointer, attached)
    else:
        put(world, target.pointer, merged.document)
    return merged


def apply_setting(world: dict[str, Any], setting: SettingChange) -> None:
    if setting.append:
        values = list(find(world, setting.pointer) or [])
        if setting.value not in values:
            values.append(setting.value)
        put(world, setting.pointer, values)
    else:
        put(world, setting.pointer, setting.value)
