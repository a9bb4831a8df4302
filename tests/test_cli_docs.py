"""docs/cli.md is generated from the typer app: this fails when a command or option changed without it. The
README keeps what a first run needs (issue 13, point 14)."""

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


def test_readme_says_what_a_first_run_needs_and_what_the_fixtures_are() -> None:
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert "Python 3.11 or later" in text and "externally-managed-environment" in text
    assert "python3 -m venv .venv && . .venv/bin/activate" in text
    assert "python3 -m pip install -e . && xiaomi-check fixtures/results_q3_2024.pdf" in text
    assert "### The fixtures are not Xiaomi's filings" in text and "**constructed**" in text
    assert "Never quote a fixture's result as Xiaomi's" in text
