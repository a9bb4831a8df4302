"""Rich renderables for the terminal report; `cli` decides where they are printed.

The report reads top down: what the document is, any conflict, the headline (the answers), the statements with
periods as columns, then every metric, the cross-checks, the prospectus questions and warnings. Tables are
`FitTable`s: at any width a number is whole, labels fold and columns stack (render/layout.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
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
    VerificationStatus,
)
from xiaomi_check.render.headline import TONE_STYLE, headline
from xiaomi_check.render.layout import Col, FitTable
from xiaomi_check.render.numbers import common_places, figure_places, figure_text, metric_text, number, quantity

_STATUS_STYLE = {"ok": "", "breach": "bold red", "conflict": "bold red reverse", "n/a": "yellow",
                 "not requested": "dim", "not applicable": "dim", "pass": "green", "fail": "bold red",
                 "not-checkable": "yellow"}
UNVERIFIED_MARK = "*"
UNVERIFIED_NOTE = (f"{UNVERIFIED_MARK} an input is unverified: no identity of the filing confirms it yet "
                   "('xiaomi-check explain METRIC FILE' names it)")
CONTRADICTED_MARK = "!"
CONTRADICTED_NOTE = (f"{CONTRADICTED_MARK} contradicted: the filing's own arithmetic disagrees with this figure "
                     "(the JSON's `verification` says how); no ok metric rests on it")


def humanise(name: str) -> str:
    """`line:net_sales/products` → `net sales / products`; `revenue_share` → `revenue share`."""
    return name.removeprefix("line:").replace("_", " ").replace("/", " / ")


def line_label(item: str, segment: str | None, region: str | None) -> str:
    where = segment or region
    return f"{humanise(item)} · {humanise(where)}" if where else humanise(item)


def format_value(figure: Figure, decimals: int | None = None) -> str:
    """A figure as the statements show it, with `!` when it is contradicted."""
    text = figure_text(figure, decimals)
    return text + CONTRADICTED_MARK if figure.verification.status is VerificationStatus.CONTRADICTED else text


def statement_table(statement: str, figures: Sequence[Figure]) -> FitTable:
    """One statement pivoted: a row per line item, a column per period, and the pages it came from. Rows are
    keyed by item and segment or region, so rows printed under one name in two sections stay two rows."""
    periods = list(dict.fromkeys(f.period.label for f in figures))
    units = sorted({f.unit.label for f in figures if f.unit.kind is UnitKind.MONEY})
    rows: dict[tuple[str, str | None, str | None], dict[str, Figure]] = {}
    for figure in figures:
        rows.setdefault((figure.item, figure.segment, figure.region), {}).setdefault(figure.period.label, figure)
    body: list[list[str | Text]] = []
    contradicted = False
    for (item, segment, region), by_period in rows.items():
        decimals = figure_places(by_period.values())
        cells: list[str | Text] = [line_label(item, segment, region)]
        for period in periods:
            cell = by_period.get(period)
            text = format_value(cell, decimals) if cell is not None else ""
            bad = cell is not None and cell.verification.status is VerificationStatus.CONTRADICTED
            contradicted |= bad
            cells.append(Text(text, style="bold red") if bad else text)
        cells.append(",".join(str(p) for p in sorted({f.source.page for f in by_period.values()})))
        body.append(cells)
    columns = [Col("line item", "label"), *(Col(p) for p in periods), Col("page")]
    title = f"{humanise(statement)} ({', '.join(units) or 'as printed'})"
    return FitTable(title, columns, body, caption=CONTRADICTED_NOTE if contradicted else None)


def figures_tables(figures: Sequence[Figure]) -> list[FitTable]:
    by_statement: dict[str, list[Figure]] = {}
    for figure in figures:
        by_statement.setdefault(figure.statement.value, []).append(figure)
    return [statement_table(name, group) for name, group in by_statement.items()]


def choices_table(choices: Sequence[TableChoice]) -> FitTable:
    rows: list[list[str | Text]] = [[choice.table, ",".join(map(str, choice.pages)),
                                     choice.kind.value if choice.kind else "-",
             "yes" if choice.used else "no", choice.reason] for choice in choices]
    columns = [Col("table", "label"), Col("pages", justify="left"), Col("kind", justify="left"),
               Col("used", justify="left"), Col("why", "text")]
    return FitTable("Tables found", columns, rows)


def metric_value(metric: MetricResult) -> str:
    return metric_text(metric)


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


def metrics_table(metrics: Sequence[MetricResult], title: str = "Analyst checks", show_ids: bool = False
                  ) -> FitTable:
    """Every metric result; with `show_ids`, its id first (`explain --list`)."""
    rows: list[list[str | Text]] = [[*([m.id] if show_ids else []), m.label, m.period or "", metric_value(m),
             Text(metric_status(m), style=_STATUS_STYLE[m.status.value]), m.verdict or m.reason or ""]
            for m in metrics]
    columns = [*([Col("id", "label")] if show_ids else []), Col("metric", "label"), Col("period", justify="left"),
               Col("value"), Col("status", justify="left"), Col("verdict / reason", "text")]
    caption = UNVERIFIED_NOTE if any(metric_status(m).endswith(UNVERIFIED_MARK) for m in metrics) else None
    return FitTable(title, columns, rows, caption=caption)


def _pages(figures: Sequence[Figure]) -> str:
    return ",".join(str(p) for p in sorted({f.source.page for f in figures}))


def checks_table(checks: Sequence[CheckResult]) -> FitTable:
    rows: list[list[str | Text]] = [[c.label, c.period or "", Text(c.status.value, style=_STATUS_STYLE[c.status.value]),
                                     _pages(c.figures),
             c.detail] for c in checks]
    columns = [Col("check", "label"), Col("period", justify="left"), Col("status", justify="left"), Col("pages"),
               Col("detail", "text")]
    return FitTable("Cross-checks not passed", columns, rows)


def answers_table(answers: Sequence[Answer]) -> FitTable:
    rows: list[list[str | Text]] = [[a.question, ",".join(map(str, a.pages)),
                                     Text(a.answer, style="" if a.found else "yellow")] for a in answers]
    return FitTable("The prospectus questions", [Col("question", "label"), Col("pages"), Col("answer", "text")],
                    rows)


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
                         f"periods {', '.join(periods)}; units {', '.join(units)}")


def headline_table(report: Report) -> FitTable | None:
    """The answers first: one line per press question, its verdict in words and colour, and its pages."""
    period, lines = headline(report)
    if not lines:
        return None
    rows: list[list[str | Text]] = [[line.topic, Text(line.verdict, style=TONE_STYLE[line.tone]),
                                     ",".join(map(str, line.pages)),
             line.answer] for line in lines]
    columns = [Col("", "label"), Col("verdict", justify="left"), Col("pages"), Col("answer", "text", floor=40)]
    return FitTable(f"Headline{f' · {period}' if period else ''}", columns, rows, title_style="bold underline")


def report_renderable(report: Report, show_tables: bool = False) -> RenderableType:
    parts: list[RenderableType] = [report_header(report)]
    parts += [Text(line, style="bold red") for line in conflict_lines(report.metrics)]
    top = headline_table(report)
    if top is not None:
        parts.append(top)
    parts += figures_tables(report.figures)
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


def series_text(cell: SeriesCell | None, decimals: int | None = None) -> str:
    if cell is None or cell.value is None:
        return ""
    return number(cell.value, decimals, "%" if cell.unit == "%" else "")


def comparison_renderable(comparison: Comparison) -> RenderableType:
    units = sorted({c.unit for r in comparison.rows for c in r.cells.values() if c.unit != "%"})
    rows: list[list[str | Text]] = []
    for row in comparison.rows:
        decimals = common_places(c.value for c in row.cells.values())
        rows.append([line_label(row.item, row.segment, row.region),
                     *(series_text(row.cells.get(p), decimals) for p in comparison.periods)])
    columns = [Col("line item", "label"), *(Col(p) for p in comparison.periods)]
    title = f"Time series from {len(comparison.files)} filings ({', '.join(units)})"
    parts: list[RenderableType] = [FitTable(title, columns, rows)]
    for r in comparison.restatements:
        printed = "; ".join(f"{c.file} p{c.page}: {c.raw_text}" for c in r.printed)
        parts.append(Text(f"restated: {line_label(r.item, r.segment, r.region)} {r.period}: {printed}",
                          style="bold red"))
    return Group(*parts)


def explain_renderable(metric: MetricResult) -> RenderableType:
    """The formula, each input with its page, row, column and raw text, and the working."""
    head = Text.assemble((f"{metric.label}", "bold"), f"  {metric.period or ''}  = {metric_value(metric)}  ",
                         (metric_status(metric), _STATUS_STYLE[metric.status.value]))
    inputs: list[list[str | Text]] = [[line_label(f.item, f.segment, f.region), f.period.label, format_value(f),
                                       f.unit.label,
               str(f.source.page), f.verification.status.value, f"{f.source.row_label} | {f.source.column_header}"]
              for f in metric.inputs]
    input_columns = [Col("figure", "label"), Col("period", justify="left"), Col("printed"),
                     Col("unit", justify="left"), Col("page"), Col("verification", justify="left"),
                     Col("row | column as printed", "text")]
    working: list[list[str | Text]] = [[line.label, quantity(line.value, line.unit)] for line in metric.working]
    parts: list[RenderableType] = [head, Text(f"formula: {metric.formula}")]
    if metric.reason:
        parts.append(Text(f"{metric.status.value}: {metric.reason}", style="yellow"))
    parts.extend(Text(f"conflict: {said}", style="bold red") for said in metric.conflicts)
    if metric.unverified:
        parts.append(Text(f"unverified inputs: {', '.join(metric.unverified)}", style="yellow"))
    if metric.verdict:
        parts.append(Text(f"verdict: {metric.verdict}"))
    if metric.inputs:
        parts.append(FitTable("inputs", input_columns, inputs))
    if metric.working:
        parts.append(FitTable("working", [Col("step", "label"), Col("value")], working))
    return Group(*parts)

