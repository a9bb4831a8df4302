"""Rich renderables for the terminal report; `cli` decides where they are printed."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from xiaomi_check.models import (
    Answer,
    CheckResult,
    Comparison,
    Figure,
    MetricResult,
    Report,
    SeriesCell,
    Status,
    TableChoice,
    UnitKind,
)


def format_value(figure: Figure) -> str:
    if figure.value is None:
        return "n/a"
    if figure.note and figure.note.startswith("nil"):
        return "–"
    if figure.unit.kind is UnitKind.PERCENT:
        return f"{figure.value:,.1f}%"
    text = f"{abs(figure.value):,}"
    return f"({text})" if figure.value < 0 else text


def _line_name(figure: Figure) -> str:
    where = figure.segment or figure.region
    return f"{figure.item} · {where}" if where else figure.item


def statement_table(statement: str, figures: Sequence[Figure]) -> Table:
    """One statement pivoted: a row per line item, a column per period, and the pages it came from."""
    periods = list(dict.fromkeys(f.period.label for f in figures))
    units = sorted({f.unit.label for f in figures if f.unit.kind is UnitKind.MONEY})
    table = Table(title=f"{statement.replace('_', ' ')} ({', '.join(units) or 'as printed'})",
                  title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False,
                  collapse_padding=True, padding=(0, 1))
    table.add_column("line item", no_wrap=True, max_width=30, overflow="ellipsis")
    for period in periods:
        table.add_column(period, justify="right", no_wrap=True)
    table.add_column("page", justify="right", no_wrap=True, min_width=4)
    rows: dict[str, dict[str, Figure]] = {}
    for figure in figures:
        rows.setdefault(_line_name(figure), {})[figure.period.label] = figure
    for name, by_period in rows.items():
        pages = sorted({f.source.page for f in by_period.values()})
        cells = [format_value(by_period[p]) if p in by_period else "" for p in periods]
        table.add_row(name, *cells, ",".join(map(str, pages)))
    return table


def figures_tables(figures: Sequence[Figure]) -> list[Table]:
    by_statement: dict[str, list[Figure]] = {}
    for figure in figures:
        by_statement.setdefault(figure.statement.value, []).append(figure)
    return [statement_table(name, group) for name, group in by_statement.items()]


def choices_table(choices: Sequence[TableChoice]) -> Table:
    table = Table(title="Tables found", title_justify="left", pad_edge=False)
    for name in ("table", "pages", "kind", "used", "why"):
        table.add_column(name, overflow="fold")
    for choice in choices:
        table.add_row(choice.table, ",".join(map(str, choice.pages)), choice.kind.value if choice.kind else "-",
                      "yes" if choice.used else "no", choice.reason)
    return table


_STATUS_STYLE = {"ok": "green", "breach": "bold red", "conflict": "bold red reverse", "n/a": "yellow",
                 "not requested": "dim", "not applicable": "dim", "pass": "green", "fail": "bold red",
                 "not-checkable": "yellow"}
UNVERIFIED_MARK = "*"
UNVERIFIED_NOTE = (f"{UNVERIFIED_MARK} an input is unverified: no identity of the filing confirms it yet "
                   "('xiaomi-check explain METRIC FILE' names it)")


def metric_value(metric: MetricResult) -> str:
    if metric.value is None:
        return "n/a" if metric.status is Status.NOT_AVAILABLE else ""
    if metric.unit == "%":
        return f"{metric.value:,.2f}%"
    return f"{metric.value:,} {metric.unit}".strip()


def metric_status(metric: MetricResult) -> str:
    """The status as shown: `ok*` when an input is unverified."""
    return metric.status.value + (UNVERIFIED_MARK if metric.unverified and metric.value is not None else "")


def conflict_lines(metrics: Sequence[MetricResult]) -> list[str]:
    """The report's first words when a metric rests on contradicted figures: which, and what disagrees."""
    conflicts = [m for m in metrics if m.status is Status.CONFLICT]
    if not conflicts:
        return []
    lines = [f"CONFLICT: {len(conflicts)} metric(s) rest on figures the filing's own arithmetic contradicts; "
             "their values are shown but are not ok:"]
    for m in conflicts:
        lines.append(f"  {m.label} {m.period or ''}: {metric_value(m)}".rstrip())
        lines.extend(f"    {said}" for said in m.conflicts)
    return lines


def metrics_table(metrics: Sequence[MetricResult]) -> Table:
    table = Table(title="Analyst checks", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False,
                  collapse_padding=True, padding=(0, 1))
    table.add_column("metric", max_width=30, overflow="fold")  # wrapped, not cut: EV rows differ at the end
    table.add_column("period", no_wrap=True)
    table.add_column("value", justify="right", max_width=16, overflow="fold")
    table.add_column("status", max_width=10)  # "not requested" on two lines
    table.add_column("verdict / reason", min_width=28, overflow="fold")
    for m in metrics:
        status = Text(metric_status(m), style=_STATUS_STYLE[m.status.value])
        table.add_row(m.label, m.period or "", metric_value(m), status, m.verdict or m.reason or "")
    if any(metric_status(m).endswith(UNVERIFIED_MARK) for m in metrics):
        table.caption, table.caption_justify = UNVERIFIED_NOTE, "left"
    return table


def checks_table(checks: Sequence[CheckResult]) -> Table:
    table = Table(title="Cross-checks", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False,
                  collapse_padding=True, padding=(0, 1))
    table.add_column("check", max_width=40, overflow="ellipsis", no_wrap=True)
    table.add_column("period", no_wrap=True)
    table.add_column("status", no_wrap=True)
    table.add_column("pages", no_wrap=True)
    for c in checks:
        pages = ",".join(str(p) for p in sorted({f.source.page for f in c.figures}))
        table.add_row(c.label, c.period or "", Text(c.status.value, style=_STATUS_STYLE[c.status.value]), pages)
    return table


def answers_table(answers: Sequence[Answer]) -> Table:
    table = Table(title="The prospectus questions", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                  show_edge=False, collapse_padding=True, padding=(0, 1))
    table.add_column("question", max_width=30, overflow="fold")
    table.add_column("answer (from the filing)", overflow="fold")
    table.add_column("pages", max_width=14, overflow="fold")
    for a in answers:
        table.add_row(a.question, Text(a.answer[:240], style="" if a.found else "yellow"), ",".join(map(str, a.pages)))
    return table


def _checks_summary(checks: Sequence[CheckResult]) -> Text:
    counts = {s: sum(1 for c in checks if c.status.value == s) for s in ("pass", "fail", "not-checkable")}
    return Text.assemble("Cross-checks: ", (f"{counts['pass']} pass", "green"), ", ",
                         (f"{counts['fail']} fail", "bold red" if counts["fail"] else ""), ", ",
                         f"{counts['not-checkable']} not checkable")


def report_header(report: Report) -> Text:
    """Company, document, periods, currency and unit, and how much was read."""
    pages = f"{report.page_count} page(s), {len(report.pages_examined)} opened" if report.document_type == "pdf" \
        else "HTML"
    periods = list(dict.fromkeys(f.period.label for f in report.figures if f.unit.kind is UnitKind.MONEY))
    units = sorted({f.unit.label for f in report.figures if f.unit.kind is UnitKind.MONEY})
    title = " · ".join(x for x in (report.company, report.document_kind) if x) or "company and document kind not found"
    return Text.assemble((report.file, "bold"), f"  {title}\n",
                         f"{report.document_type.upper()}, {pages}, {len(report.figures)} figures; ",
                         f"periods {', '.join(periods[:8])}{' …' if len(periods) > 8 else ''}; ",
                         f"units {', '.join(units)}")


def report_renderable(report: Report, show_tables: bool = False) -> RenderableType:
    header = report_header(report)
    banner = [Text(line, style="bold red") for line in conflict_lines(report.metrics)]
    parts: list[RenderableType] = [header, *banner, *figures_tables(report.figures)]
    if report.metrics:
        parts.append(metrics_table(report.metrics))
    if report.checks:
        parts.append(_checks_summary(report.checks))
        failed = [c for c in report.checks if c.status.value != "pass"]
        if failed:
            parts.append(checks_table(failed))
    if report.review:
        parts.append(Text("Review (figures touched by a failed check):", style="bold"))
        parts.extend(Text(f"  {line}") for line in report.review)
    if report.answers:
        parts.append(answers_table(report.answers))
    if show_tables:
        parts.append(choices_table(report.tables))
    parts.extend(Text(f"warning: {warning}", style="yellow") for warning in report.warnings)
    return Group(*parts)


def _series_value(cell: SeriesCell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    if cell.unit == "%":
        return f"{cell.value:,.1f}%"
    return f"({abs(cell.value):,})" if cell.value < 0 else f"{cell.value:,}"


def comparison_renderable(comparison: Comparison) -> RenderableType:
    units = sorted({c.unit for r in comparison.rows for c in r.cells.values() if c.unit != "%"})
    table = Table(title=f"Time series from {len(comparison.files)} filings ({', '.join(units)})", title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True, padding=(0, 1))
    table.add_column("line item", no_wrap=True, max_width=30, overflow="ellipsis")
    for period in comparison.periods:
        table.add_column(period, justify="right", no_wrap=True)
    for row in comparison.rows:
        name = f"{row.item} · {row.segment or row.region}" if row.segment or row.region else row.item
        table.add_row(name, *(_series_value(row.cells.get(p)) for p in comparison.periods))
    parts: list[RenderableType] = [table]
    for r in comparison.restatements:
        printed = "; ".join(f"{c.file} p{c.page}: {c.raw_text}" for c in r.printed)
        parts.append(Text(f"restated: {r.item} {r.segment or r.region or ''} {r.period}: {printed}", style="bold red"))
    return Group(*parts)


def explain_renderable(metric: MetricResult) -> RenderableType:
    """The formula, each input with its page, row, column and raw text, and the working."""
    head = Text.assemble((f"{metric.label}", "bold"), f"  {metric.period or ''}  = {metric_value(metric)}  ",
                         (metric_status(metric), _STATUS_STYLE[metric.status.value]))
    inputs = Table(title="inputs", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False,
                   collapse_padding=True, padding=(0, 1))
    for name in ("figure", "period", "printed", "unit", "page", "row as printed", "column as printed"):
        inputs.add_column(name, overflow="fold")
    for f in metric.inputs:
        where = f" · {f.segment or f.region}" if f.segment or f.region else ""
        inputs.add_row(f"{f.item}{where}", f.period.label, f.source.raw_text, f.unit.label, str(f.source.page),
                       f.source.row_label, f.source.column_header)
    working = Table(title="working", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False,
                    collapse_padding=True, padding=(0, 1))
    working.add_column("step", overflow="fold")
    working.add_column("value", justify="right", no_wrap=True)
    for line in metric.working:
        working.add_row(line.label, "n/a" if line.value is None else f"{line.value:,} {line.unit}".strip())
    parts: list[RenderableType] = [head, Text(f"formula: {metric.formula}")]
    if metric.reason:
        parts.append(Text(f"{metric.status.value}: {metric.reason}", style="yellow"))
    parts.extend(Text(f"conflict: {said}", style="bold red") for said in metric.conflicts)
    if metric.unverified:
        parts.append(Text(f"unverified inputs: {', '.join(metric.unverified)}", style="yellow"))
    if metric.verdict:
        parts.append(Text(f"verdict: {metric.verdict}"))
    if metric.inputs:
        parts.append(inputs)
    if metric.working:
        parts.append(working)
    return Group(*parts)
