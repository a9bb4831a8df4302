"""What the analyst reads and what a spreadsheet or notebook takes: the terminal report at 80 and 120 columns
(numbers whole, the headline first), one value per pivot cell from the CSV and the DataFrames, and every
command × format either valid output or exit 2."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style

from conftest import FIXTURES, REAL_FILINGS, report_for
from fast_cli import run, use_cache
from xiaomi_check.financials import Financials
from xiaomi_check.frames import FIGURE_COLUMNS, used_figures
from xiaomi_check.models import Report, Verification, VerificationStatus
from xiaomi_check.questions import quoted_sentence as quoted
from xiaomi_check.render.console import format_value, headline_table, metric_status, report_renderable
from xiaomi_check.render.csvout import write_csv
from xiaomi_check.render.headline import TONE_STYLE, headline
from xiaomi_check.render.layout import Col, FitTable

Q3 = FIXTURES / "results_q3_2024.pdf"
PROSPECTUS = FIXTURES / "prospectus_2018.pdf"
FY2018 = FIXTURES / "results_fy2018_zh_hant.pdf"
APPLE = REAL_FILINGS / "us_apple_2023q3_10q.pdf"
FILINGS = [Q3, PROSPECTUS, FY2018, APPLE]


@pytest.fixture(autouse=True)
def _cached(monkeypatch: pytest.MonkeyPatch) -> None:
    use_cache(monkeypatch)


def rendered(report: Report, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, no_color=True, highlight=False)
    console.print(report_renderable(report))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(text, str)
    return text


# ------------------------------------------------------------------ the terminal report


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("path", FILINGS, ids=lambda p: p.stem)
def test_numbers_are_never_cut(path: Path, width: int) -> None:
    report = report_for(path)
    text = rendered(report, width)
    assert "…" not in text  # nothing is cut with an ellipsis, labels included
    assert max(len(line.rstrip()) for line in text.splitlines()) <= width
    tokens = set(text.split())
    for figure in report.figures:
        shown = format_value(figure)
        assert shown in tokens or any(shown in t for t in tokens), f"{figure.item} {figure.period.label}: {shown}"
    for status in {metric_status(m) for m in report.metrics}:
        assert status in text, status  # a status never wraps letter by letter ("not requested" on one line)


def test_a_statement_too_wide_stacks_its_periods() -> None:
    table = FitTable("wide", [Col("line item", "label"), *(Col(f"FY20{n}") for n in range(10, 20))],
                     [["revenue", *(f"({n},234,567,890)" for n in range(10))]])
    console = Console(file=io.StringIO(), width=60, no_color=True)
    console.print(table)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "wide (continued)" in text
    assert all(f"({n},234,567,890)" in text.split() for n in range(10))
    assert max(len(line.rstrip()) for line in text.splitlines()) <= 60


def test_headline_comes_first_and_answers() -> None:
    text = rendered(report_for(Q3), 120)
    lines = text.splitlines()
    assert lines[3].startswith("Headline · Q3 2024")
    assert text.index("Headline") < text.index("income statement") < text.index("Analyst checks")
    head = " ".join(text[:text.index("income statement")].split())
    for said in ("Hardware net margin within the cap 4,5,9,10 1.13% in Q3 2024: within the 5.0% cap; range 0.97% to "
                 "4.34% across methods",
                 "operating 6,041.2 → reported 5,340.3 → adjusted 6,252.0 RMB million",
                 "Internet services not an internet company", "9.14% of revenue, 33.11% of gross profit",
                 "Overseas share falling", "43.41% of revenue", "Smart EV gross profit", "238,691 RMB per vehicle",
                 "Cash as printed", "RMB 151.6 billion at 2024-09-30"):
        assert said in head, said


def test_headline_verdicts_are_in_words_and_colour() -> None:
    report = report_for(Q3)
    console = Console(file=io.StringIO(), force_terminal=True, color_system="standard", width=120)
    console.print(headline_table(report))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    lines = headline(report)[1]
    assert {line.tone for line in lines} >= {"good", "bad", "warn"}
    for line in lines:
        opening = Style.parse(TONE_STYLE[line.tone]).render("|", color_system=ColorSystem.STANDARD).split("|")[0]
        assert opening and f"{opening}{line.verdict}" in text, line.verdict


def test_a_long_answer_is_not_cut_mid_word() -> None:
    """Answers were cut at 240 characters mid-word; a quoted sentence over 300 characters now ends at a word,
    marked [...] (the prospectus's offer sentence read 'Stock code : 181' for 1810)."""
    answers = {a.question: a.answer for a in report_for(PROSPECTUS).answers}
    profit = answers["Is it profitable: operating vs reported vs adjusted profit?"]
    assert len(profit) > 240 and profit.endswith("adjusted profit 5,361.9 million)")
    offer = answers["What are the valuation inputs (offer price, offer size)?"]
    assert offer.endswith(" [...]'") and "181 [...]" not in offer and len(offer) <= 308
    assert quoted("a b " * 100).endswith("a b [...]'") and quoted("字" * 400) == f"'{'字' * 300} [...]'"


def test_headline_says_when_the_reported_result_is_non_cash() -> None:
    head = rendered(report_for(PROSPECTUS), 120).split("income statement")[0]
    head = " ".join(head.split())
    assert "Profit bridge mainly non-cash" in head
    assert "operating 12,215.5 → reported (43,889.1) → adjusted 5,361.9 RMB million in FY2017" in head
    head = " ".join(rendered(report_for(FY2018), 120).split("income statement")[0].split())
    assert "a gain of 12,514.1 million from fair-value changes of convertible redeemable preferred shares" in head


def test_rows_of_one_name_in_two_sections_stay_two_rows() -> None:
    text = rendered(report_for(APPLE), 120)
    sales = next(line for line in text.splitlines() if line.startswith("net sales / products"))
    cost = next(line for line in text.splitlines() if line.startswith("cost of sales / products"))
    assert "60,584" in sales and "39,136" in cost
    stream = io.StringIO()
    write_csv([report_for(APPLE)], stream)  # and two keys in the CSV: a pivot raises on a duplicate
    frame = pd.read_csv(io.StringIO(stream.getvalue()))
    table = frame[frame["used"]].pivot(index="line", columns="period", values="value")
    assert table.loc["line:net_sales/products", "Q2 2023"] == 60584
    assert table.loc["line:cost_of_sales/products", "Q2 2023"] == 39136


def test_a_contradicted_figure_is_marked_in_its_statement() -> None:
    report = report_for(Q3)
    mark = Verification(status=VerificationStatus.CONTRADICTED, contradictions=("revenue = Σ segments: off",))
    figures = tuple(f.model_copy(update={"verification": mark}) if f.source.raw_text == "92,506,518" else f
                    for f in report.figures)
    text = rendered(report.model_copy(update={"figures": figures}), 120)
    assert "92,506,518!" in text and "! contradicted" in text


def test_one_number_format() -> None:
    text = rendered(report_for(Q3), 120)
    assert re.search(r"\b\d{4,}\.\d", text) is None  # no 49251.0 beside 49,251.0
    compare = run(["compare", str(PROSPECTUS), str(FY2018), "-j", "1"], {"COLUMNS": "80"})[1]
    assert "…" not in compare and "(154,458.9" not in compare
    assert re.search(r"\(\d{1,3}(,\d{3})*\.\d\)", compare)


# ------------------------------------------------------------------ data for spreadsheets and notebooks


@pytest.mark.parametrize("path", FILINGS, ids=lambda p: p.stem)
def test_used_is_the_figure_the_metrics_read(path: Path) -> None:
    report = report_for(path)
    fin = Financials(report.figures, report.document_kind)
    expected = set()
    for figure in report.figures:
        chosen = fin.get(figure.item, figure.period, figure.segment, figure.region)
        if chosen is figure:
            expected.add(figure)
    used = {report.figures[i] for i in used_figures(report.figures)}
    assert used == expected


def test_csv_pivots_give_one_value_per_cell() -> None:
    stream = io.StringIO()
    write_csv([report_for(Q3)], stream)
    frame = pd.read_csv(io.StringIO(stream.getvalue()))
    assert list(frame.columns) == list(FIGURE_COLUMNS)
    assert frame["page"].dtype.kind == "i" and frame["used"].dtype == bool
    assert set(frame["statement"]) - {"metric"} == set(frame["statement"])  # metrics have their own rows (--rows)
    used = frame[frame["used"]]
    table = used.pivot(index="line", columns="period", values="value_millions")  # raises on a duplicate
    assert table.loc["gross_profit", "Q3 2024"] == pytest.approx(18880.307)  # not a mean of RMB '000 and millions
    assert table.loc["revenue · smartphones", "Q3 2024"] == pytest.approx(47452.3)
    order = used.sort_values(["period_end", "period_kind"])["period"].drop_duplicates().tolist()
    assert order.index("Q3 2023") < order.index("Q2 2024") < order.index("Q3 2024")
    assert used.groupby(["item", "segment", "region", "period"], dropna=False).size().max() == 1


def test_dataframes_give_one_value_per_cell() -> None:
    report = report_for(PROSPECTUS)
    figures = report.figures_frame()
    assert len(figures) == len(report.figures) and figures["value_millions"].dtype == "float64"
    wide = figures[figures["used"]].pivot(index="line", columns="period", values="value_millions")
    assert wide.loc["revenue", "FY2017"] == pytest.approx(114624.7)
    assert wide.loc["revenue_share · smartphones", "FY2017"] == pytest.approx(70.3) or pd.isna(
        wide.loc["revenue_share · smartphones", "FY2017"])
    metrics = report.metrics_frame()
    margin = metrics[metrics["id"] == "hardware_net_margin"].iloc[0]
    assert margin["value"] == pytest.approx(0.21) and margin["status"] == "ok"
    assert set(margin["inputs"].split(";")) <= set(figures["id"])
    checks = report.checks_frame()
    assert len(checks) == len(report.checks) and set(checks["status"]) <= {"pass", "fail", "not-checkable"}


def test_workbook_has_a_sheet_per_statement_with_periods_as_columns(tmp_path: Path) -> None:
    target = tmp_path / "q3.xlsx"
    code, out, err, _ = run([str(Q3), "-f", "xlsx", "-o", str(target)])
    assert (code, out, err) == (0, "", "")
    book = load_workbook(target)
    assert book.sheetnames == ["income_statement", "key_highlights", "segment_revenue", "segment_gross_profit",
                               "geography", "non_gaap_reconciliation", "operating_data", "metrics", "checks",
                               "sources"]
    sheet = book["income_statement"]
    assert [c.value for c in sheet[1]] == ["item", "segment", "region", "unit", "Q3 2024", "Q3 2023", "9M 2024",
                                           "9M 2023", "pages"]
    assert [c.value for c in sheet[2]][:6] == ["revenue", None, None, "RMB thousand", 92506518, 70894106]
    assert sheet["E3"].number_format == "#,##0;(#,##0)"
    assert [c.value for c in book["sources"][1]] == list(FIGURE_COLUMNS)


# ------------------------------------------------------------------ every command × format


FILE_ARGS = {
    "analyse": [str(Q3)],
    "tables": ["tables", str(Q3)],
    "compare": ["compare", str(PROSPECTUS), str(FY2018), "-j", "1"],
    "explain": ["explain", "hardware_net_margin", str(Q3)],
    "wvr": ["wvr", "--class-a-held", "4295187720", "--class-b-held", "2283106380", "--class-a-total", "6695187720",
            "--class-b-total", "17205959127"],
    "valuation": ["valuation", str(Q3), "--market-cap", "700000", "--fx", "0.92"],
}
ACCEPTED = {name: {"table", "json", "csv", "markdown"} for name in FILE_ARGS}
ACCEPTED["analyse"] |= {"jsonl", "xlsx"}
FORMATS = ("table", "json", "jsonl", "csv", "markdown", "xlsx", "yaml")


def _valid(fmt: str, out: str, data: bytes) -> None:
    if fmt == "json":
        assert json.loads(out)["schema_version"] == "1.0"
    elif fmt == "jsonl":
        assert all(json.loads(line)["schema_version"] == "1.0" for line in out.splitlines())
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(out)))
        assert len(rows) > 1 and all(len(r) == len(rows[0]) for r in rows)
    elif fmt == "markdown":
        assert out.lstrip().startswith(("#", "|")) and "| ---" in out
    elif fmt == "xlsx":
        assert load_workbook(io.BytesIO(data)).sheetnames[-1] == "sources"
    else:
        assert out.strip() and "…" not in out


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", sorted(FILE_ARGS))
def test_every_command_honours_or_refuses_each_format(command: str, fmt: str) -> None:
    code, out, err, data = run([*FILE_ARGS[command], "-f", fmt])
    if fmt in ACCEPTED[command]:
        assert (code, err) == (0, ""), err
        _valid(fmt, out, data)
    else:
        assert code == 2 and out == ""
        assert err.startswith("error: ") and err.count("\n") == 2 and "hint: " in err


def test_rows_other_than_figures_only_with_csv() -> None:
    code, out, err, _ = run([str(Q3), "-f", "csv", "--rows", "checks"])
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and rows[0]["figures"].startswith("f") and {r["status"] for r in rows} == {"pass"}
    code, out, err, _ = run([str(Q3), "-f", "json", "--rows", "metrics"])
    assert code == 2 and "applies to --format csv only" in err
    assert json.loads(out)["error"]["exit_code"] == 2  # with -f json the error is also a JSON object


def test_json_is_one_document_for_one_file_or_many() -> None:
    one = json.loads(run([str(Q3), "-f", "json"])[1])
    several = json.loads(run([str(Q3), str(FY2018), "-f", "json", "-j", "1"])[1])
    assert list(one) == list(several) == ["schema_version", "reports", "errors"]
    assert [r["file"] for r in several["reports"]] == [Q3.name, FY2018.name]
    lines = run([str(Q3), str(FY2018), "-f", "jsonl", "-j", "1"])[1].splitlines()
    assert [json.loads(line)["file"] for line in lines] == [Q3.name, FY2018.name]
    for args in (FILE_ARGS["wvr"], FILE_ARGS["valuation"], FILE_ARGS["explain"]):
        assert list(json.loads(run([*args, "-f", "json"])[1])) == ["schema_version", "file", "metrics"]


def test_a_workbook_is_not_written_to_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from xiaomi_check import cli
    from xiaomi_check.errors import UsageError

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(UsageError, match="binary"):
        cli._check_format(cli.OutputFormat.XLSX, cli.Rows.FIGURES, None, quiet=False)
    cli._check_format(cli.OutputFormat.XLSX, cli.Rows.FIGURES, Path("out.xlsx"), quiet=False)
