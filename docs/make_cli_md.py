"""Write docs/cli.md from the typer app: `python docs/make_cli_md.py`."""

from pathlib import Path

from xiaomi_check.cli import cli_reference

Path(__file__).with_name("cli.md").write_text(cli_reference(), encoding="utf-8")
