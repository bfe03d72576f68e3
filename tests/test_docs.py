"""The docs stay true: every command is documented, every documented command line parses."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest

from sheets_sync.cli import cli

ROOT = Path(__file__).parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "jobs" / "README.md"]


def command_lines() -> list[tuple[str, str]]:
    """Every `$ sheets-sync ...` line of the docs, as (file, line)."""
    found = []
    for doc in DOCS:
        for line in doc.read_text(encoding="utf-8").splitlines():
            match = re.match(r"^\s*\$ (sheets-sync .*)$", line)
            if match:
                found.append((doc.name, match.group(1)))
    return found


def test_every_command_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [name for name in cli.commands if f"sheets-sync {name}" not in readme] == []


@pytest.mark.parametrize("doc, line", command_lines(), ids=[f"{d}: {l[:60]}" for d, l in command_lines()])
def test_every_documented_command_line_parses(doc, line):
    text = line.split(" #")[0].replace("<the key it printed>", "KEY").replace("1AbC...", "1AbC")
    args = shlex.split(text)[1:]
    command = cli.commands[args[0]]
    with command.make_context(args[0], args[1:]) as ctx:  # parses every option and argument, runs nothing
        assert ctx.command is command
    assert isinstance(command, click.Command)
