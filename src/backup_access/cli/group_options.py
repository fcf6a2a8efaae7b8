"""Options of ``explain`` and ``fix`` themselves, accepted after the operation too.

``explain copy --caller … --live`` reads naturally, but click parses an option after the
subcommand's name as the subcommand's, and the operations do not take ``--live``,
``--live-max-age``, ``--profile`` (explain), ``--error`` or ``--cloudtrail``: those decide
what the group does before any operation runs. So the group moves them, with their values,
in front of the operation's name before parsing, where they mean what they mean there.
Options both take (``--world``, ``--format``, ``-v`` …) stay where they are.
"""

from __future__ import annotations

import click


def _takes_value(command: click.Command) -> dict[str, bool]:
    """Every option name of ``command`` (long and short, flags' secondary names too) and
    whether it takes a value."""
    found: dict[str, bool] = {}
    for param in command.params:
        if isinstance(param, click.Option):
            for name in (*param.opts, *param.secondary_opts):
                found[name] = not param.is_flag and not param.count
    return found


def _operation_index(args: list[str], group_options: dict[str, bool]) -> int | None:
    """Where the operation's name is in ``args``: the first word that is neither an option
    nor an option's value; None when there is none (or ``--`` comes first)."""
    index = 0
    while index < len(args):
        word = args[index]
        if word == "--":
            return None
        if not word.startswith("-") or word == "-":
            return index
        name = word.split("=", 1)[0]
        index += 2 if group_options.get(name) and "=" not in word else 1
    return None


def hoist_group_options(group: click.Group, ctx: click.Context, args: list[str]) -> list[str]:
    """``args`` with the group's own options that follow the operation's name (and that
    the operation does not take) moved in front of it, values and order kept."""
    group_options = _takes_value(group)
    at = _operation_index(args, group_options)
    if at is None:
        return args
    operation = group.get_command(ctx, args[at])
    if operation is None:
        return args
    own = _takes_value(operation)
    moved: list[str] = []
    kept: list[str] = []
    tail = args[at + 1 :]
    index = 0
    while index < len(tail):
        word = tail[index]
        if word == "--":
            kept += tail[index:]
            break
        name = word.split("=", 1)[0]
        if name in group_options and name not in own:
            takes = group_options[name] and "=" not in word
            if takes and index + 1 == len(tail):
                # moved without its value, it would take the operation's name for one
                raise click.BadOptionUsage(name, f"Option '{name}' requires an argument.")
            moved += tail[index : index + (2 if takes else 1)]
            index += 2 if takes else 1
            continue
        kept.append(word)
        if own.get(name) and "=" not in word and index + 1 < len(tail):
            kept.append(tail[index + 1])  # an operation option's value is never moved
            index += 1
        index += 1
    if not moved:
        return args
    return [*args[:at], *moved, args[at], *kept]
