"""The command reference in the README, generated from the click commands themselves
(`cog -r README.md`; CI runs `cog --check`), so a new option cannot go undocumented."""

from __future__ import annotations

from collections.abc import Iterator

import click


def _walk(group: click.Group, ctx: click.Context) -> Iterator[tuple[click.Command, click.Context]]:
    from prep.cli.base import PrepGroup

    commands = group.ordered_commands(ctx) if isinstance(group, PrepGroup) else group.commands.items()
    for name, cmd in commands:
        sub = click.Context(cmd, info_name=name, parent=ctx)
        if isinstance(cmd, click.Group):
            yield from _walk(cmd, sub)
        else:
            yield cmd, sub


def _summary(cmd: click.Command) -> str:
    """The docstring's first paragraph, on one line."""
    first = (cmd.help or "").split("\n\n")[0]
    return " ".join(first.split())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def commands_markdown(group: click.Group | None = None) -> str:
    """One table row per command: its usage, its options and what it does."""
    if group is None:
        from prep.cli import cli

        group = cli
    root = click.Context(group, info_name="prep")
    rows = ["| command | options | what it does |", "|---|---|---|"]
    for cmd, ctx in _walk(group, root):
        args = " ".join(p.make_metavar(ctx) for p in cmd.params if isinstance(p, click.Argument))
        usage = " ".join(x for x in (ctx.command_path, args) if x)
        options = []
        for p in cmd.params:
            record = p.get_help_record(ctx) if isinstance(p, click.Option) else None
            if record:
                options.append(f"`{record[0]}`")
        rows.append(f"| `{_cell(usage)}` | {_cell(' '.join(options))} | {_cell(_summary(cmd))} |")
    options = [f"`{r[0]}`" for p in group.params if isinstance(p, click.Option) and (r := p.get_help_record(root))]
    rows += ["", "Global options (before the command): " + _cell(" ".join(options)) + "."]
    return "\n".join(rows) + "\n"
