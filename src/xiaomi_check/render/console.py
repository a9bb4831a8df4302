"""Rich renderables for the terminal report; `cli` decides where they are printed."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from xiaomi_check.models import Figure, Report, TableChoice, UnitKind


def format_value(figure: Figure) -> str:
    if figure.value is None:
        return "n/a"
    if figure.unit.kind is UnitKind.PERCENT:
        return f"{figure.value:,.1f}%"
    text = f"{abs(figure.value):,}"
    return f"({text})" if figure.value < 0 else text


def _where(figure: Figure) -> str:
    return figure.segment or figure.region or ""


def figures_table(figures: Sequence[Figure]) -> Table:
    table = Table(title="Figures", title_justify="left", expand=False, show_lines=False, pad_edge=False)
    for name, justify in (("statement", "left"), ("item", "left"), ("segment / region", "left"),
                          ("period", "left"), ("value", "right"), ("unit", "left"), ("page", "right"),
                          ("row as printed", "left")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for figure in figures:
        page = str(figure.source.page) + (f" ({figure.source.printed_page})" if figure.source.printed_page else "")
        table.add_row(figure.statement.value, figure.item, _where(figure), figure.period.label, format_value(figure),
                      figure.unit.label, page, figure.source.row_label[:40])
    return table


def choices_table(choices: Sequence[TableChoice]) -> Table:
    table = Table(title="Tables found", title_justify="left", pad_edge=False)
    for name in ("table", "pages", "kind", "used", "why"):
        table.add_column(name, overflow="fold")
    for choice in choices:
        table.add_row(choice.table, ",".join(map(str, choice.pages)), choice.kind.value if choice.kind else "-",
                      "yes" if choice.used else "no", choice.reason)
    return table


def report_renderable(report: Report, show_tables: bool = False) -> RenderableType:
    pages = f"{report.page_count} page(s), {len(report.pages_examined)} opened" if report.document_type == "pdf" \
        else "HTML"
    header = Text.assemble((report.file, "bold"), f"  {report.document_type.upper()}, {pages}, ",
                           f"{len(report.figures)} figures")
    parts: list[RenderableType] = [header, figures_table(report.figures)]
    if show_tables:
        parts.append(choices_table(report.tables))
    parts.extend(Text(f"warning: {warning}", style="yellow") for warning in report.warnings)
    return Group(*parts)
