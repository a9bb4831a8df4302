"""docs/cli.md is generated from the typer app: this fails when a command or option changed without it."""

from __future__ import annotations

from conftest import ROOT
from xiaomi_check.cli import app, cli_reference


def test_cli_reference_is_current() -> None:
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == cli_reference(), "run: python docs/make_cli_md.py"


def test_every_command_is_documented() -> None:
    text = cli_reference()
    for command in app.registered_commands:
        assert f"## xiaomi-check {command.name}" in text
