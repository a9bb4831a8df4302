"""Markdown for pasting into notes: one table per report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from xiaomi_check.models import Report
from xiaomi_check.render.console import (
    UNVERIFIED_MARK,
    UNVERIFIED_NOTE,
    conflict_lines,
    format_value,
    metric_status,
    metric_value,
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def write_markdown(reports: Sequence[Report], stream: TextIO) -> None:
    for report in reports:
        stream.write(f"## {_cell(report.file)}\n\n")
        conflicts = conflict_lines(report.metrics)
        if conflicts:
            stream.write("".join(f"> **{_cell(line.strip())}**\n" if i == 0 else f"> - {_cell(line.strip())}\n"
                                 for i, line in enumerate(conflicts)) + "\n")
        stream.write("| statement | item | segment / region | period | value | unit | page | row as printed |\n")
        stream.write("|---|---|---|---|---:|---|---:|---|\n")
        for f in report.figures:
            where = f.segment or f.region or ""
            stream.write(f"| {f.statement.value} | {f.item} | {where} | {f.period.label} | {format_value(f)} | "
                         f"{f.unit.label} | {f.source.page} | {_cell(f.source.row_label)} |\n")
        _metrics(report, stream)
        for warning in report.warnings:
            stream.write(f"\n> warning: {_cell(warning)}\n")
        stream.write("\n")


def _metrics(report: Report, stream: TextIO) -> None:
    if report.metrics:
        stream.write("\n| metric | period | value | status | verdict / reason | pages |\n|---|---|---:|---|---|---|\n")
        for m in report.metrics:
            value = metric_value(m)
            pages = ",".join(str(p) for p in sorted({f.source.page for f in m.inputs}))
            stream.write(f"| {_cell(m.label)} | {m.period or ''} | {value} | {_cell(metric_status(m))} | "
                         f"{_cell(m.verdict or m.reason or '')} | {pages} |\n")
        if any(metric_status(m).endswith(UNVERIFIED_MARK) for m in report.metrics):
            stream.write("\n\\" + _cell(UNVERIFIED_NOTE) + "\n")  # "\*": a note, not a list item
    failed = [c for c in report.checks if c.status.value != "pass"]
    passed = len(report.checks) - len(failed)
    stream.write(f"\nCross-checks: {passed} pass, {len(failed)} fail or not checkable.\n")
    for c in failed:
        stream.write(f"- {c.status.value}: {_cell(c.detail)}\n")
