"""Markdown for pasting into notes: per filing the headline, each statement with periods as columns, the metrics,
the cross-checks that did not pass and the prospectus questions; the same numbers as the terminal report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from xiaomi_check.models import (
    Comparison,
    Figure,
    MetricResult,
    Report,
    TableChoice,
    UnitKind,
    VerificationStatus,
)
from xiaomi_check.render.console import (
    CONTRADICTED_NOTE,
    UNVERIFIED_MARK,
    UNVERIFIED_NOTE,
    conflict_lines,
    format_value,
    humanise,
    line_label,
    metric_status,
    metric_value,
    series_text,
)
from xiaomi_check.render.headline import headline
from xiaomi_check.render.numbers import common_places, figure_places, quantity


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A GitHub table; columns in `right` are right-aligned (numbers)."""
    rule = ["---:" if i in right else "---" for i in range(len(headers))]
    lines = [headers, rule, *rows]
    return "".join("| " + " | ".join(_cell(c) for c in line) + " |\n" for line in lines)


def write_markdown(reports: Sequence[Report], stream: TextIO) -> None:
    for report in reports:
        stream.write(f"## {_cell(report.file)}\n\n")
        title = " · ".join(x for x in (report.company, report.document_kind) if x)
        stream.write(f"{_cell(title) + '; ' if title else ''}{len(report.figures)} figures.\n\n")
        conflicts = conflict_lines(report.metrics)
        if conflicts:
            stream.write("".join(f"> **{_cell(line.strip())}**\n" if i == 0 else f"> - {_cell(line.strip())}\n"
                                 for i, line in enumerate(conflicts)) + "\n")
        _headline(report, stream)
        _statements(report.figures, stream)
        _metrics(report.metrics, stream)
        _checks(report, stream)
        if report.answers:
            stream.write("### The prospectus questions\n\n")
            stream.write(table(("question", "answer (from the filing)", "pages"),
                               [(a.question, a.answer, ",".join(map(str, a.pages))) for a in report.answers]) + "\n")
        for warning in report.warnings:
            stream.write(f"> warning: {_cell(warning)}\n\n")


def _headline(report: Report, stream: TextIO) -> None:
    period, lines = headline(report)
    if not lines:
        return
    stream.write(f"### Headline{f' · {period}' if period else ''}\n\n")
    rows = [(line.topic, f"**{line.verdict}**", line.answer, ",".join(map(str, line.pages))) for line in lines]
    stream.write(table(("topic", "verdict", "answer", "pages"), rows) + "\n")


def _statements(figures: Sequence[Figure], stream: TextIO) -> None:
    by_statement: dict[str, list[Figure]] = {}
    for figure in figures:
        by_statement.setdefault(figure.statement.value, []).append(figure)
    marked = False
    for statement, group in by_statement.items():
        periods = list(dict.fromkeys(f.period.label for f in group))
        units = sorted({f.unit.label for f in group if f.unit.kind is UnitKind.MONEY})
        rows: dict[tuple[str, str | None, str | None], dict[str, Figure]] = {}
        for f in group:
            rows.setdefault((f.item, f.segment, f.region), {}).setdefault(f.period.label, f)
        body = []
        for key, cells in rows.items():
            decimals = figure_places(cells.values())
            body.append([line_label(*key), *(format_value(cells[p], decimals) if p in cells else "" for p in periods),
                         ",".join(str(p) for p in sorted({f.source.page for f in cells.values()}))])
        marked |= any(f.verification.status is VerificationStatus.CONTRADICTED for f in group)
        stream.write(f"### {humanise(statement)} ({', '.join(units) or 'as printed'})\n\n")
        stream.write(table(("line item", *periods, "page"), body, right=range(1, len(periods) + 2)) + "\n")
    if marked:
        stream.write(f"{_cell(CONTRADICTED_NOTE)}\n\n")


def _metrics(metrics: Sequence[MetricResult], stream: TextIO) -> None:
    if not metrics:
        return
    stream.write("### Analyst checks\n\n")
    rows = [(m.label, m.period or "", metric_value(m), metric_status(m), m.verdict or m.reason or "",
             ",".join(str(p) for p in sorted({f.source.page for f in m.inputs}))) for m in metrics]
    stream.write(table(("metric", "period", "value", "status", "verdict / reason", "pages"), rows, right=(2,)))
    if any(metric_status(m).endswith(UNVERIFIED_MARK) for m in metrics):
        stream.write("\n\\" + _cell(UNVERIFIED_NOTE) + "\n")  # "\*": a note, not a list item
    stream.write("\n")


def _checks(report: Report, stream: TextIO) -> None:
    if not report.checks:
        return
    failed = [c for c in report.checks if c.status.value != "pass"]
    stream.write(f"Cross-checks: {len(report.checks) - len(failed)} pass, {len(failed)} fail or not checkable.\n\n")
    stream.write("".join(f"- {c.status.value}: {_cell(c.detail)}\n" for c in failed) + ("\n" if failed else ""))


def write_metrics_markdown(metrics: Sequence[MetricResult], stream: TextIO) -> None:
    """`wvr`, `valuation`: the metrics table alone."""
    _metrics(metrics, stream)


def write_explain_markdown(metric: MetricResult, stream: TextIO) -> None:
    stream.write(f"### {_cell(metric.label)} {metric.period or ''}: {metric_value(metric)} ({metric_status(metric)})"
                 f"\n\nformula: {_cell(metric.formula)}\n\n")
    for said in (metric.reason, metric.verdict, *metric.conflicts):
        if said:
            stream.write(f"- {_cell(said)}\n")
    if metric.unverified:
        stream.write(f"- unverified inputs: {_cell(', '.join(metric.unverified))}\n")
    stream.write("\n")
    if metric.inputs:
        rows = [(line_label(f.item, f.segment, f.region), f.period.label, format_value(f), f.unit.label,
                 str(f.source.page), f.verification.status.value, f.source.row_label, f.source.column_header)
                for f in metric.inputs]
        stream.write(table(("figure", "period", "printed", "unit", "page", "verification", "row as printed",
                            "column as printed"), rows, right=(2, 4)) + "\n")
    if metric.working:
        stream.write(table(("step", "value"), [(w.label, quantity(w.value, w.unit)) for w in metric.working],
                           right=(1,)) + "\n")


def write_comparison_markdown(comparison: Comparison, stream: TextIO) -> None:
    units = sorted({c.unit for r in comparison.rows for c in r.cells.values() if c.unit != "%"})
    stream.write(f"### Time series from {len(comparison.files)} filings ({', '.join(units)})\n\n")
    rows = []
    for row in comparison.rows:
        decimals = common_places(c.value for c in row.cells.values())
        rows.append([line_label(row.item, row.segment, row.region),
                     *(series_text(row.cells.get(p), decimals) for p in comparison.periods)])
    stream.write(table(("line item", *comparison.periods), rows, right=range(1, len(comparison.periods) + 1)))
    for r in comparison.restatements:
        printed = "; ".join(f"{c.file} p{c.page}: {c.raw_text}" for c in r.printed)
        stream.write(f"\n- restated: {_cell(line_label(r.item, r.segment, r.region))} {r.period}: {_cell(printed)}")
    stream.write("\n")


def write_tables_markdown(file: str, pages: Sequence[int], choices: Sequence[TableChoice], stream: TextIO) -> None:
    stream.write(f"### {_cell(file)}: pages opened {', '.join(map(str, pages)) or '-'}\n\n")
    rows = [(c.table, ",".join(map(str, c.pages)), c.kind.value if c.kind else "-", "yes" if c.used else "no",
             c.reason) for c in choices]
    stream.write(table(("table", "pages", "kind", "used", "why"), rows))
