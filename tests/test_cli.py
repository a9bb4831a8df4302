"""The CLI in process: exit codes, one-line errors with a hint, atomic output, every format."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pytest
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas
from rich.console import Console
from typer.testing import CliRunner

from conftest import FIXTURES, REAL_FILINGS, real_page
from xiaomi_check import __version__
from xiaomi_check.cli import app, normalise_argv
from xiaomi_check.errors import ExitCode

RI_YING = REAL_FILINGS / "hk1741_ri_ying_annual_report_FY2021.pdf"
STATEMENT = real_page(RI_YING.name, 67)  # the income statement: p67 of the original (printed "66"), in an excerpt
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, normalise_argv(list(args)))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def prose_pdf(path: Path, lines: list[str], encrypt: StandardEncryption | None = None) -> Path:
    pdf = canvas.Canvas(str(path), invariant=1, encrypt=encrypt)
    for i, text in enumerate(lines):
        pdf.drawString(72, 720 - 14 * i, text)
    pdf.save()
    return path


def test_version_and_bare_file_argument() -> None:
    assert normalise_argv(["a.pdf"]) == ["analyse", "a.pdf"]
    assert normalise_argv(["tables", "a.pdf"]) == ["tables", "a.pdf"]
    code, out, _ = invoke("--version")
    assert (code, out.strip()) == (0, f"xiaomi-check {__version__}")


def test_help_lists_exit_codes() -> None:
    code, out, _ = invoke("--help")
    assert code == 0 and "Exit codes: 0 ok" in " ".join(out.split())


def test_table_output_names_page_and_value() -> None:
    code, out, _ = invoke(str(RI_YING))
    assert code == ExitCode.OK
    assert "223,076" in out and "(23,853)" in out and "HKD thousand" in out


def test_json_output(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out, _ = invoke(str(RI_YING), "--format", "json", "--output", str(target))
    assert code == ExitCode.OK and out == ""
    payload = json.loads(target.read_text(encoding="utf-8"))
    assert payload["schema_version"] == "1.0"
    figures = payload["reports"][0]["figures"]
    revenue = next(f for f in figures if f["item"] == "revenue" and f["period"]["label"] == "FY2021")
    assert revenue["value"] == 223076  # Decimal is written as a JSON number
    assert revenue["source"]["page"] == STATEMENT and revenue["source"]["printed_page"] == "66"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left behind


def test_output_follows_the_umask_and_a_rewritten_file_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    previous = os.umask(0o027)
    try:
        code, out, _ = invoke(str(RI_YING), "-f", "csv", "-o", str(target))
    finally:
        os.umask(previous)
    assert (code, out) == (0, "") and stat.S_IMODE(target.stat().st_mode) == 0o640  # not the temporary's 0600
    target.chmod(0o664)
    code, _, _ = invoke(str(RI_YING), "-f", "csv", "-o", str(target))
    assert code == 0 and stat.S_IMODE(target.stat().st_mode) == 0o664


def test_csv_is_long_format() -> None:
    code, out, _ = invoke(str(RI_YING), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    row = next(r for r in rows if r["item"] == "profit_for_period" and r["period"] == "FY2021")
    assert (row["value"], row["value_millions"], row["page"], row["raw_text"]) == ("-23853", "-23.853", str(STATEMENT),
                                                                                   "(23,853)")
    # Ri Ying's year ends on 30 September ("For the year ended 30 September 2021", above the statement)
    assert (row["currency"], row["period_kind"], row["period_end"], row["used"]) == ("HKD", "year", "2021-09-30",
                                                                                     "true")


def test_markdown_output() -> None:
    code, out, _ = invoke(str(RI_YING), "-f", "markdown", "--pages", str(STATEMENT))
    assert code == 0 and "### income statement (HKD thousand)" in out and "| revenue | 223,076 |" in out


def test_tables_command_says_what_was_used() -> None:
    code, out, _ = invoke("tables", str(RI_YING), "--pages", str(STATEMENT))
    assert code == 0 and f"p{STATEMENT}-t1" in out and "income_statement" in out and "yes" in out


def _bad(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    if name == "empty.pdf":
        path.write_bytes(b"")
    elif name == "random.pdf":
        path.write_bytes(bytes(range(256)) * 40)
    elif name == "truncated.pdf":
        path.write_bytes(RI_YING.read_bytes()[:50_000])
    elif name == "encrypted.pdf":
        prose_pdf(path, ["Revenue 1,234"], StandardEncryption("secret", "owner"))
    elif name == "prose.pdf":
        prose_pdf(path, ["This document discusses the weather in Hong Kong in some detail."] * 30)
    elif name == "scanned.pdf":
        from PIL import Image

        image = tmp_path / "scan.png"
        Image.new("RGB", (400, 300), "white").save(image)
        pdf = canvas.Canvas(str(path), invariant=1)
        pdf.drawImage(str(image), 50, 400, 400, 300)
        pdf.save()
    return path


@pytest.mark.parametrize(("name", "code", "message"), [
    ("empty.pdf", ExitCode.UNREADABLE_INPUT, "is empty"),
    ("random.pdf", ExitCode.UNREADABLE_INPUT, "neither a PDF nor an HTML"),
    ("truncated.pdf", ExitCode.UNREADABLE_INPUT, "damaged or truncated"),
    ("encrypted.pdf", ExitCode.UNREADABLE_INPUT, "encrypted with a password"),
    ("scanned.pdf", ExitCode.UNREADABLE_INPUT, "needs OCR"),
    ("prose.pdf", ExitCode.NOTHING_EXTRACTED, "No financial statement was found"),
    ("missing.pdf", ExitCode.UNREADABLE_INPUT, "does not exist"),
])
def test_bad_input_is_one_clear_line_and_nothing_written(tmp_path: Path, name: str, code: int, message: str) -> None:
    path = _bad(tmp_path, name)
    before = path.read_bytes() if path.exists() else None
    target = tmp_path / "out.json"
    exit_code, _, err = invoke(str(path), "--format", "json", "--output", str(target))
    assert exit_code == code
    assert message in err and "hint:" in err and "Traceback" not in err
    assert err.count("\n") == 2  # one line for what happened, one for what to try
    assert not target.exists()
    assert (path.read_bytes() if path.exists() else None) == before


def test_empty_user_password_opens(tmp_path: Path) -> None:
    path = prose_pdf(tmp_path / "owner-only.pdf", ["Nothing financial here at all, only words."] * 3,
                     StandardEncryption("", "owner"))
    code, _, err = invoke(str(path))
    assert code == ExitCode.NOTHING_EXTRACTED and "encrypted" not in err


def test_directory_and_bad_pages_option(tmp_path: Path) -> None:
    assert invoke(str(tmp_path))[0] == ExitCode.UNREADABLE_INPUT
    code, _, err = invoke(str(RI_YING), "--pages", "x-y")
    assert code == ExitCode.USAGE and "not a page list" in err
    code, _, err = invoke(str(RI_YING), "--pages", "999")
    assert code == ExitCode.UNREADABLE_INPUT and "outside the document" in err


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    code, out, err = invoke(str(_bad(tmp_path, "empty.pdf")), str(RI_YING), "-f", "csv")
    assert code == ExitCode.UNREADABLE_INPUT
    assert "223076" in out and "empty.pdf" in err


@pytest.mark.parametrize(("trap", "code", "message"), [
    ("trap_scanned.pdf", ExitCode.UNREADABLE_INPUT, "needs OCR"),
    ("trap_no_financial_tables.pdf", ExitCode.NOTHING_EXTRACTED, "No financial statement was found"),
])
def test_fixture_traps_without_figures(trap: str, code: int, message: str) -> None:
    exit_code, out, err = invoke(str(FIXTURES / "traps" / trap))
    assert (exit_code, out) == (code, "")
    assert message in err


def test_several_files_in_json_are_one_document_with_their_errors(tmp_path: Path) -> None:
    empty = _bad(tmp_path, "empty.pdf")
    code, out, err = invoke(str(empty), str(RI_YING), "-f", "json")
    payload = json.loads(out)  # stdout is one JSON document
    assert code == ExitCode.UNREADABLE_INPUT and "empty.pdf" in err
    assert [r["file"] for r in payload["reports"]] == [RI_YING.name]
    assert payload["errors"] == [{"file": "empty.pdf", "message": "empty.pdf is empty.",
                                  "hint": "Download the filing again.", "exit_code": 3}]
    code, out, _ = invoke(str(empty), str(empty), "-f", "json")
    assert code == ExitCode.UNREADABLE_INPUT and len(json.loads(out)["errors"]) == 2


def test_short_options_and_the_file_form_in_help() -> None:
    code, out, _ = invoke("-h")
    assert code == 0 and "'xiaomi-check FILE [FILE ...]' is short for 'xiaomi-check analyse" in " ".join(out.split())
    assert invoke("-V")[1].strip() == f"xiaomi-check {__version__}"
    code, out, _ = invoke("analyse", "-h")
    assert code == 0 and "FILE..." in out and "{files}" not in out and "<list[Path]>" not in out


def test_a_mistyped_command_is_suggested_not_analysed() -> None:
    code, out, err = invoke("tabels", str(RI_YING))
    assert (code, out) == (ExitCode.USAGE, "")
    assert err == f"error: No command or file 'tabels'.\nhint: Did you mean 'xiaomi-check tables {RI_YING}'?\n"


def test_a_missing_option_is_two_lines() -> None:
    code, out, err = invoke("valuation", str(RI_YING), "--fx", "1")
    assert (code, out) == (ExitCode.USAGE, "")
    assert err == "error: Missing option '--market-cap'.\nhint: Run 'xiaomi-check valuation --help' to see the usage.\n"


def test_tables_shows_what_was_found_when_nothing_was_extracted() -> None:
    code, out, err = invoke("tables", str(FIXTURES / "traps" / "trap_no_financial_tables.pdf"), "--pages", "1",
                            "-f", "json")
    payload = json.loads(out)
    assert (code, err) == (0, "")
    assert (payload["file"], payload["figures"], payload["pages_examined"]) == ("trap_no_financial_tables.pdf", 0,
                                                                               [1])


def test_explain_lists_ids_takes_a_bare_year_and_says_which_periods_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    from fast_cli import use_cache

    use_cache(monkeypatch)
    prospectus = str(FIXTURES / "prospectus_2018.pdf")
    code, out, _ = invoke("explain", "--list", prospectus, "-f", "csv")
    ids = {row["id"] for row in csv.DictReader(io.StringIO(out))}
    assert code == 0 and {"hardware_net_margin", "profit_bridge", "internet_company"} <= ids
    code, out, _ = invoke("explain", "hardware_net_margin", prospectus, "--period", "2016", "-f", "json")
    assert code == 0 and json.loads(out)["metrics"][0]["period"] == "FY2016"
    code, _, err = invoke("explain", "hardware_net_margin", prospectus, "--period", "2014")
    assert code == ExitCode.USAGE and err.splitlines()[1] == "hint: It has: FY2017, FY2016, FY2015."
    code, _, err = invoke("explain", "hardware_margin", prospectus)
    assert code == ExitCode.USAGE and max(len(line) for line in err.splitlines()) < 120
    assert "explain --list" in err


def test_a_filing_from_standard_input() -> None:
    result = runner.invoke(app, ["analyse", "-", "-f", "csv", "--pages", str(STATEMENT)], input=RI_YING.read_bytes())
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.exit_code == 0 and {r["file"] for r in rows} == {"stdin"}
    assert any(r["item"] == "revenue" and r["value"] == "223076" for r in rows)


def test_progress_counts_files_and_their_pages() -> None:
    """`analyse_many` tells its callback of each file as it is done, whatever the outcome; `Outcome.pages` is
    the report's page count, 0 for a file that could not be opened."""
    from xiaomi_check.batch import analyse_many

    done: list[int] = []
    outcomes = analyse_many([RI_YING, RI_YING.with_name("missing.pdf")], jobs=1,
                            progress=lambda outcome: done.append(outcome.pages))
    assert outcomes[0].report is not None and outcomes[1].failure is not None
    assert done == [outcomes[0].report.page_count, 0] and done[0] > 0


def test_progress_on_a_terminal_shows_files_pages_and_time_left() -> None:
    from xiaomi_check.render.progress import file_progress

    screen = io.StringIO()
    with file_progress(Console(file=screen, force_terminal=True, width=120), 3) as advance:
        assert advance is not None
        advance(12)
        advance(600)
    shown = screen.getvalue()
    assert "2/3" in shown and "612 pages" in shown and "pages/s" in shown and "left" in shown


@pytest.mark.parametrize("count", [1, 3])
def test_progress_is_quiet_when_not_a_terminal(count: int) -> None:
    from xiaomi_check.render.progress import file_progress

    piped = io.StringIO()
    with file_progress(Console(file=piped, force_terminal=False, width=120), count) as advance:
        assert advance is None
    assert piped.getvalue() == ""


def test_the_run_feeds_each_files_pages_to_the_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's wiring, on a stderr that claims to be a terminal: files done and the pages of the one read."""
    from xiaomi_check import cli
    from xiaomi_check.analysis import Options
    from xiaomi_check.models import Report

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = io.StringIO()
    monkeypatch.setattr("sys.stderr", Terminal())
    monkeypatch.setattr(cli, "_err_console", lambda: Console(file=screen, force_terminal=True, width=120))
    reports, code = cli._run([RI_YING, RI_YING.with_name("missing.pdf")], Options(), 1, None, False,
                             cli.OutputFormat.CSV, False)
    [report] = reports
    assert isinstance(report, Report) and code == ExitCode.UNREADABLE_INPUT
    assert "2/2" in screen.getvalue() and f"{report.page_count} pages" in screen.getvalue()


def test_several_files_piped_show_no_progress(tmp_path: Path) -> None:
    code, out, err = invoke(str(_bad(tmp_path, "empty.pdf")), str(RI_YING), "-f", "csv")
    assert code == ExitCode.UNREADABLE_INPUT and out
    assert err == "error: empty.pdf: empty.pdf is empty.\nhint: Download the filing again.\n"
