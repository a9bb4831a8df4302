"""Markdown for pasting into notes: one table per report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from xiaomi_check.models import Report
from xiaomi_check.render.console import format_value


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def write_markdown(reports: Sequence[Report], stream: TextIO) -> None:
    for report in reports:
        stream.write(f"## {_cell(report.file)}\n\n")
        stream.write("| statement | item | segment / region | period | value | unit | page | row as printed |\n")
        stream.write("|---|---|---|---|---:|---|---:|---|\n")
        for f in report.figures:
            where = f.segment or f.region or ""
            stream.write(f"| {f.statement.value} | {f.item} | {where} | {f.period.label} | {format_value(f)} | "
                         f"{f.unit.label} | {f.source.page} | {_cell(f.source.row_label)} |\n")
        for warning in report.warnings:
            stream.write(f"\n> warning: {_cell(warning)}\n")
        stream.write("\n")
