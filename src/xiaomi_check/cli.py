"""The typer app: parses options, calls the library once per file, renders, maps errors to exit codes.

`xiaomi-check FILE ...` is short for `xiaomi-check analyse FILE ...`.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from rich.console import Console

from xiaomi_check import __version__
from xiaomi_check.errors import ExitCode, UsageError, XiaomiCheckError, unexpected
from xiaomi_check.ingest import MAX_BYTES

if TYPE_CHECKING:  # imported lazily at run time, so --version and --help stay fast
    from xiaomi_check.analysis import Options

EXIT_CODES_HELP = ("Exit codes: 0 ok; 1 findings; 2 usage error; 3 input unreadable (missing, empty, encrypted, "
                   "damaged, scanned, not PDF/HTML); 4 nothing extracted.")

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help=f"Figures with provenance from HKEX / IFRS / US GAAP filings. {EXIT_CODES_HELP}")


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


FilesArg = Annotated[list[Path], typer.Argument(help="Filings to analyse (PDF or HTML, detected from content).",
                                                show_default=False)]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", help="Write here (atomically) instead of stdout.")]
PagesOpt = Annotated[str | None, typer.Option("--pages", help="Only these 1-based pages, e.g. '12-15,40'.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Re-raise errors with a traceback.")]
MaxPagesOpt = Annotated[int, typer.Option("--max-pages", min=1, help="Read at most this many pages "
                                          "(docs/limits.md).")]
MaxBytesOpt = Annotated[int, typer.Option("--max-bytes", min=1, help="Largest file, and largest decompressed PDF "
                                          "stream, read; HTML may be an eighth of it (docs/limits.md).")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"xiaomi-check {__version__}")
        raise typer.Exit()


@app.callback()
def root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Show the version and exit.")] = False) -> None:
    """Figures with provenance from HKEX / IFRS / US GAAP filings."""


def parse_pages(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    pages: set[int] = set()
    try:
        for part in text.split(","):
            start, _, end = part.strip().partition("-")
            pages.update(range(int(start), int(end or start) + 1))
    except ValueError:
        raise UsageError(f"--pages '{text}' is not a page list.", "Write pages like '12-15,40'.") from None
    if not pages or min(pages) < 1:
        raise UsageError(f"--pages '{text}' has no valid page.", "Pages start at 1.")
    return tuple(sorted(pages))


def _err_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(error: XiaomiCheckError, name: str | None = None, fmt: OutputFormat | None = None) -> int:
    """Two lines on stderr, what happened and what to try; with --format json also an error object on stdout
    (never in --output). The exit code from the error's class."""
    return _say_failure(name, error.message, error.hint, int(error.exit_code), fmt)


def _say_failure(name: str | None, message: str, hint: str, code: int, fmt: OutputFormat | None) -> int:
    where = f"{name}: " if name else ""
    message, hint = _one_line(message), _one_line(hint)
    console = _err_console()
    console.print(f"error: {where}{message}", markup=False, highlight=False)
    if hint:
        console.print(f"hint: {hint}", markup=False, highlight=False)
    if fmt is OutputFormat.JSON:
        _write_error_object(name, message, hint, code)
    return code


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _write_error_object(name: str | None, message: str, hint: str, code: int) -> None:
    from xiaomi_check.models import SCHEMA_VERSION

    error = {"file": name, "message": message, "hint": hint, "exit_code": code}
    sys.stdout.write(json.dumps({"schema_version": SCHEMA_VERSION, "error": error}, ensure_ascii=False) + "\n")


def _unexpected(error: Exception, name: str, fmt: OutputFormat | None = None) -> int:
    """A failure no adapter anticipated: still two lines and exit 3, never a traceback (--debug shows it)."""
    return _fail(unexpected(error), name, fmt)


def write_atomically(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write to a temporary file beside `path`, then rename over it; nothing is left behind on failure."""
    directory = path.parent if str(path.parent) else Path(".")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            write(stream)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


ProfileOpt = Annotated[Path | None, typer.Option("--profile", help="TOML profile: segment roles and thresholds "
                                                 "(default: the shipped Xiaomi profile; docs/metrics.md).")]
MarketCapOpt = Annotated[float | None, typer.Option("--market-cap", help="Market value, in millions of --currency, "
                                                    "for P/E and P/S.")]
CurrencyOpt = Annotated[str, typer.Option("--currency", help="Currency of --market-cap.")]
FxOpt = Annotated[float | None, typer.Option("--fx", help="Reporting currency per unit of --currency "
                                             "(e.g. 0.92 RMB per HKD).")]
JobsOpt = Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Processes for several files "
                                             "(default: the number of cores).")]
CacheOpt = Annotated[Path | None, typer.Option("--cache", help="Cache folder: reuse results for unchanged files "
                                               "(keyed by SHA-256, version and options). Off by default.")]
StrictOpt = Annotated[bool, typer.Option("--strict", help="Exit 1 when a metric is in conflict (an input is "
                                         "contradicted), a cross-check fails or a metric is n/a; 'not requested' "
                                         "and 'not applicable' do not count.")]
FailOnOpt = Annotated[str | None, typer.Option("--fail-on", help="'breach': exit 1 when a threshold is breached "
                                               "(the hardware margin cap).")]


def _options(pages: str | None, max_pages: int, max_bytes: int, profile: Path | None = None,
             market_cap: float | None = None, currency: str = "HKD", fx: float | None = None) -> Options:
    from decimal import Decimal

    from xiaomi_check.analysis import Options
    from xiaomi_check.metrics import UserInputs

    user = UserInputs(market_cap_millions=Decimal(str(market_cap)) if market_cap is not None else None,
                      market_currency=currency, fx_to_report=Decimal(str(fx)) if fx is not None else None)
    if profile is not None:
        from xiaomi_check.profile import load_profile

        load_profile(profile)  # a bad profile is a usage error before any file is read
    return Options(pages=parse_pages(pages), max_pages=max_pages, max_bytes=max_bytes, profile=profile, user=user)


def _run(files: Sequence[Path], options: Options, jobs: int | None, cache: Path | None, debug: bool,
         fmt: OutputFormat, quiet: bool, errors: list[dict[str, object]] | None = None) -> tuple[list[object], int]:
    """Reports in input order and the worst exit code; failures are reported on stderr (and in `errors`)."""
    from xiaomi_check import analysis
    from xiaomi_check.batch import analyse_many

    if debug:  # serial, in process, so the traceback is the real one
        return [analysis.analyse(path, options) for path in files], 0
    with _progress(f"analysing {len(files)} file(s)", quiet):
        outcomes = analyse_many(files, options, jobs=jobs, cache_dir=cache)
    reports: list[object] = []
    code = 0
    for outcome in outcomes:
        if outcome.report is not None:
            reports.append(outcome.report)
        elif outcome.failure is not None:
            failure = outcome.failure
            if errors is not None:
                errors.append({"file": outcome.path.name, "message": _one_line(failure.message),
                               "hint": _one_line(failure.hint), "exit_code": failure.exit_code})
            code = max(code, _say_failure(outcome.path.name, failure.message, failure.hint, failure.exit_code,
                                          fmt if len(files) == 1 else None))
    return reports, code


def _progress(label: str, quiet: bool) -> AbstractContextManager[object]:
    """A spinner on stderr while documents are analysed, only on a terminal."""
    if quiet or not sys.stderr.isatty():
        return nullcontext()
    return _err_console().status(label)


def _findings(reports: Sequence[object], strict: bool, fail_on: str | None) -> int:
    """Exit 1 for findings: a breached threshold with --fail-on breach; with --strict, a metric in conflict, a
    failed check or an n/a metric (a metric not requested or not applicable is no finding)."""
    from xiaomi_check.models import CheckStatus, Report, Status

    typed = [r for r in reports if isinstance(r, Report)]
    breach = fail_on == "breach" and any(m.status is Status.BREACH for r in typed for m in r.metrics)
    failed = any(c.status is CheckStatus.FAIL for r in typed for c in r.checks)
    unsound = any(m.status in (Status.CONFLICT, Status.NOT_AVAILABLE) for r in typed for m in r.metrics)
    return int(ExitCode.FINDINGS) if breach or (strict and (failed or unsound)) else 0


@app.command("analyse")
def analyse_command(files: FilesArg, fmt: FormatOpt = OutputFormat.TABLE, output: OutputOpt = None,
                    pages: PagesOpt = None, profile: ProfileOpt = None, market_cap: MarketCapOpt = None,
                    currency: CurrencyOpt = "HKD", fx: FxOpt = None, jobs: JobsOpt = None, cache: CacheOpt = None,
                    strict: StrictOpt = False, fail_on: FailOnOpt = None, quiet: QuietOpt = False,
                    debug: DebugOpt = False, max_pages: MaxPagesOpt = 5000, max_bytes: MaxBytesOpt = MAX_BYTES) -> None:
    """Extract every figure with its page, compute the analyst metrics and cross-checks; print a table, JSON,
    CSV or Markdown."""
    try:
        if fail_on not in (None, "breach"):
            raise UsageError(f"--fail-on '{fail_on}' is not known.", "The only value is 'breach'.")
        options = _options(pages, max_pages, max_bytes, profile, market_cap, currency, fx)
    except XiaomiCheckError as error:
        raise typer.Exit(_fail(error, fmt=fmt)) from None
    several = len(files) > 1 and fmt is OutputFormat.JSON
    errors: list[dict[str, object]] = []
    try:
        reports, code = _run(files, options, jobs, cache, debug, fmt, quiet, errors if several else None)
    except XiaomiCheckError as error:  # only with --debug, which runs in process
        raise typer.Exit(_fail(error, files[0].name, fmt)) from None
    if several and not reports:  # every file failed: the error list still goes to stdout as one JSON document
        _json_errors(errors)
    elif reports and (not quiet or output is not None):
        _emit(reports, fmt, output, errors if several else None)
    raise typer.Exit(max(code, _findings(reports, strict, fail_on)))


def _json_errors(errors: list[dict[str, object]]) -> None:
    from xiaomi_check.render import jsonout

    jsonout.write_json([], sys.stdout, errors)


def _emit(reports: Sequence[object], fmt: OutputFormat, output: Path | None,
          errors: list[dict[str, object]] | None = None) -> None:
    writer = _writer(fmt, reports, errors)
    if output is not None:
        write_atomically(output, writer)
    else:
        writer(sys.stdout)


def _writer(fmt: OutputFormat, reports: Sequence[object], errors: list[dict[str, object]] | None = None
            ) -> Callable[[TextIO], None]:
    from xiaomi_check.models import Report
    from xiaomi_check.render import csvout, jsonout, markdown

    typed = [r for r in reports if isinstance(r, Report)]
    if fmt is OutputFormat.JSON:
        return lambda stream: jsonout.write_json(typed, stream, errors)
    if fmt is OutputFormat.CSV:
        return lambda stream: csvout.write_csv(typed, stream)
    if fmt is OutputFormat.MARKDOWN:
        return lambda stream: markdown.write_markdown(typed, stream)
    return lambda stream: _print(stream, *_report_renderables(typed))


def _report_renderables(reports: Sequence[object]) -> list[object]:
    from xiaomi_check.render.console import report_renderable

    return [report_renderable(r) for r in reports]  # type: ignore[arg-type]


def _print(stream: TextIO, *renderables: object) -> None:
    """Rich output: colour only on a terminal without NO_COLOR; a fixed 100 columns when not a terminal."""
    to_terminal = stream is sys.stdout and sys.stdout.isatty()
    console = Console(file=None if to_terminal else stream, width=None if to_terminal else 100,
                      no_color=not to_terminal or bool(os.environ.get("NO_COLOR")), highlight=False,
                      force_terminal=to_terminal, soft_wrap=False)
    for renderable in renderables:
        console.print(renderable)


def _single(file: Path, options: Options, debug: bool, fmt: OutputFormat | None = None) -> object:
    """One report, or the documented exit for its error."""
    from xiaomi_check import analysis

    try:
        return analysis.analyse(file, options)
    except XiaomiCheckError as error:
        if debug:
            raise
        raise typer.Exit(_fail(error, file.name, fmt)) from None
    except Exception as error:
        if debug:
            raise
        raise typer.Exit(_unexpected(error, file.name, fmt)) from None


@app.command("tables")
def tables_command(file: Annotated[Path, typer.Argument(help="A filing (PDF or HTML).")],
                   pages: PagesOpt = None, debug: DebugOpt = False, max_pages: MaxPagesOpt = 5000,
                   max_bytes: MaxBytesOpt = MAX_BYTES) -> None:
    """What the extractor saw: the pages opened, each table found, whether it was used and why."""
    from xiaomi_check.models import Report
    from xiaomi_check.render.console import choices_table

    try:
        options = _options(pages, max_pages, max_bytes)
    except XiaomiCheckError as error:
        raise typer.Exit(_fail(error)) from None
    report = _single(file, options, debug)
    assert isinstance(report, Report)
    opened = ", ".join(map(str, report.pages_examined)) or "-"
    _print(sys.stdout, f"{report.file}: pages opened {opened}", choices_table(report.tables))


@app.command("compare")
def compare_command(files: FilesArg, fmt: FormatOpt = OutputFormat.TABLE, output: OutputOpt = None,
                    jobs: JobsOpt = None, quiet: QuietOpt = False, debug: DebugOpt = False,
                    max_pages: MaxPagesOpt = 5000, max_bytes: MaxBytesOpt = MAX_BYTES) -> None:
    """Align several filings by period into one time series; flag restated figures (same period, other value)."""
    from xiaomi_check.compare import compare_reports
    from xiaomi_check.models import Report
    from xiaomi_check.render import console, csvout, jsonout

    options = _options(None, max_pages, max_bytes)
    reports, code = _run(files, options, jobs, None, debug, fmt, quiet)
    if not reports:
        raise typer.Exit(code or int(ExitCode.NOTHING_EXTRACTED))
    comparison = compare_reports([r for r in reports if isinstance(r, Report)])
    def writer(stream: TextIO) -> None:
        if fmt is OutputFormat.JSON:
            jsonout.write_model(comparison, stream)
        elif fmt is OutputFormat.CSV:
            csvout.write_comparison_csv(comparison, stream)
        else:
            _print(stream, console.comparison_renderable(comparison))

    if not quiet or output is not None:
        if output is not None:
            write_atomically(output, writer)
        else:
            writer(sys.stdout)
    raise typer.Exit(code)


@app.command("explain")
def explain_command(metric: Annotated[str, typer.Argument(help="Metric id, e.g. hardware_net_margin (see --list).")],
                    file: Annotated[Path, typer.Argument(help="A filing (PDF or HTML).")],
                    period: Annotated[str | None, typer.Option("--period", help="e.g. FY2017, Q3 2024.")] = None,
                    fmt: FormatOpt = OutputFormat.TABLE, profile: ProfileOpt = None,
                    market_cap: MarketCapOpt = None, currency: CurrencyOpt = "HKD", fx: FxOpt = None,
                    debug: DebugOpt = False) -> None:
    """The formula, each input with its page, row and raw text, and the arithmetic of one metric."""
    from xiaomi_check.models import Report
    from xiaomi_check.render import console, jsonout

    try:
        options = _options(None, 5000, MAX_BYTES, profile, market_cap, currency, fx)
    except XiaomiCheckError as error:
        raise typer.Exit(_fail(error, fmt=fmt)) from None
    report = _single(file, options, debug, fmt)
    assert isinstance(report, Report)
    found = [m for m in report.metrics if m.id == metric and (period is None or m.period == period)]
    if not found:
        known = ", ".join(sorted({m.id for m in report.metrics}))
        raise typer.Exit(_fail(UsageError(f"No metric '{metric}'{f' for {period}' if period else ''} in this report.",
                                          f"Known metrics: {known}."), file.name, fmt))
    if fmt is OutputFormat.JSON:
        jsonout.write_model(found[0], sys.stdout)
    else:
        _print(sys.stdout, console.explain_renderable(found[0]))


def _calculator(results: Sequence[object], fmt: OutputFormat) -> None:
    from xiaomi_check.models import MetricResult
    from xiaomi_check.render import console, jsonout

    typed = [r for r in results if isinstance(r, MetricResult)]
    if fmt is OutputFormat.JSON:
        for result in typed:
            jsonout.write_model(result, sys.stdout)
    else:
        _print(sys.stdout, console.metrics_table(typed))


@app.command("wvr")
def wvr_command(votes: Annotated[int, typer.Option("--votes-per-a-share", min=1, help="Votes per Class A share.")] = 10,
                a_held: Annotated[float | None, typer.Option("--class-a-held", help="Holder's Class A shares.")] = None,
                b_held: Annotated[float | None, typer.Option("--class-b-held", help="Holder's Class B shares.")] = None,
                a_total: Annotated[float | None, typer.Option("--class-a-total", help="Class A outstanding.")] = None,
                b_total: Annotated[float | None, typer.Option("--class-b-total", help="Class B outstanding.")] = None,
                fmt: FormatOpt = OutputFormat.TABLE) -> None:
    """Weighted voting rights: the smallest stake with a voting majority, and a holder's share of the votes."""
    from decimal import Decimal

    from xiaomi_check.financials import Financials
    from xiaomi_check.metrics import UserInputs, control
    from xiaomi_check.profile import load_profile

    def dec(value: float | None) -> Decimal | None:
        return None if value is None else Decimal(str(value))

    profile = load_profile()
    profile = profile.model_copy(update={"thresholds": profile.thresholds.model_copy(
        update={"votes_per_class_a_share": votes})})
    user = UserInputs(class_a_held=dec(a_held), class_b_held=dec(b_held), class_a_total=dec(a_total),
                      class_b_total=dec(b_total))
    _calculator(list(control(Financials(()), profile, user)), fmt)


@app.command("valuation")
def valuation_command(file: Annotated[Path, typer.Argument(help="A filing (PDF or HTML).")],
                      market_cap: Annotated[float, typer.Option("--market-cap", help="Market value, in millions "
                                                                "of --currency.")],
                      fx: Annotated[float, typer.Option("--fx", help="Reporting currency per unit of --currency.")],
                      currency: CurrencyOpt = "HKD", fmt: FormatOpt = OutputFormat.TABLE,
                      debug: DebugOpt = False) -> None:
    """P/E (reported and adjusted, annualised) and P/S for a market value you supply."""
    from xiaomi_check.models import Report

    options = _options(None, 5000, MAX_BYTES, None, market_cap, currency, fx)
    report = _single(file, options, debug, fmt)
    assert isinstance(report, Report)
    _calculator([m for m in report.metrics if m.id in ("pe_reported", "pe_adjusted", "ps")], fmt)


_COMMANDS = {"analyse", "tables", "compare", "explain", "wvr", "valuation", "--help", "-h", "--version"}


def normalise_argv(args: Sequence[str]) -> list[str]:
    """A bare `xiaomi-check FILE ...` means `xiaomi-check analyse FILE ...`."""
    return ["analyse", *args] if args and args[0] not in _COMMANDS else list(args)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    app(args=normalise_argv(sys.argv[1:] if argv is None else argv), prog_name="xiaomi-check")


def cli_reference() -> str:
    """docs/cli.md: every command's --help, from the app itself (tests/test_cli_docs.py keeps it current)."""
    group = typer.main.get_command(app)
    parts = ["# Command-line reference", "",
             "Generated from the typer app by `python docs/make_cli_md.py`; a test fails when it is stale.", "",
             "`xiaomi-check FILE ...` is short for `xiaomi-check analyse FILE ...`.", ""]
    with group.make_context("xiaomi-check", [], resilient_parsing=True, terminal_width=100,
                            max_content_width=100) as context:
        parts += ["## xiaomi-check", "", "```", group.get_help(context).rstrip(), "```", ""]
        for name in group.list_commands(context):  # type: ignore[attr-defined]
            command = group.get_command(context, name)  # type: ignore[attr-defined]
            with command.make_context(name, [], parent=context, resilient_parsing=True) as sub:
                parts += [f"## xiaomi-check {name}", "", "```", command.get_help(sub).rstrip(), "```", ""]
    return "\n".join(parts)
