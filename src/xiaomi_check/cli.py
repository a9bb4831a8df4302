"""The typer app: parses options, calls the library once per file, renders, maps errors to exit codes.

`xiaomi-check FILE ...` is short for `xiaomi-check analyse FILE ...`.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console

from xiaomi_check import __version__
from xiaomi_check.errors import InputError, UsageError, XiaomiCheckError
from xiaomi_check.ingest import MAX_BYTES

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
    where = f"{name}: " if name else ""
    message, hint = _one_line(error.message), _one_line(error.hint)
    console = _err_console()
    console.print(f"error: {where}{message}", markup=False, highlight=False)
    if hint:
        console.print(f"hint: {hint}", markup=False, highlight=False)
    if fmt is OutputFormat.JSON:
        _write_error_object(name, message, hint, int(error.exit_code))
    return int(error.exit_code)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _write_error_object(name: str | None, message: str, hint: str, code: int) -> None:
    from xiaomi_check.models import SCHEMA_VERSION

    error = {"file": name, "message": message, "hint": hint, "exit_code": code}
    sys.stdout.write(json.dumps({"schema_version": SCHEMA_VERSION, "error": error}, ensure_ascii=False) + "\n")


def _unexpected(error: Exception, name: str, fmt: OutputFormat | None = None) -> int:
    """A failure no adapter anticipated: still two lines and exit 3, never a traceback (--debug shows it)."""
    detail = _one_line(str(error))[:200]
    wrapped = InputError(f"could not process the file ({type(error).__name__}{': ' + detail if detail else ''}); "
                         "it may be damaged.",
                         "Rerun with --debug for the traceback, and report it if the file is sound.")
    return _fail(wrapped, name, fmt)


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


@app.command("analyse")
def analyse_command(files: FilesArg, fmt: FormatOpt = OutputFormat.TABLE, output: OutputOpt = None,
                    pages: PagesOpt = None, quiet: QuietOpt = False, debug: DebugOpt = False,
                    max_pages: MaxPagesOpt = 5000, max_bytes: MaxBytesOpt = MAX_BYTES) -> None:
    """Extract every figure with its page; print a table, JSON, CSV or Markdown."""
    from xiaomi_check.analysis import Options, analyse

    try:
        options = Options(pages=parse_pages(pages), max_pages=max_pages, max_bytes=max_bytes)
    except XiaomiCheckError as error:
        raise typer.Exit(_fail(error, fmt=fmt)) from None
    reports, code = [], 0
    for path in files:
        try:
            reports.append(analyse(path, options))
        except XiaomiCheckError as error:
            if debug:
                raise
            code = max(code, _fail(error, path.name, fmt))
        except Exception as error:
            if debug:
                raise
            code = max(code, _unexpected(error, path.name, fmt))
    if (reports and not quiet) or (reports and output is not None):
        _emit(reports, fmt, output)
    raise typer.Exit(code)


def _emit(reports: Sequence[object], fmt: OutputFormat, output: Path | None) -> None:
    from xiaomi_check.models import Report

    typed = [r for r in reports if isinstance(r, Report)]
    writer = _writer(fmt, typed)
    if output is not None:
        write_atomically(output, writer)
    else:
        writer(sys.stdout)


def _writer(fmt: OutputFormat, reports: Sequence[object]) -> Callable[[TextIO], None]:
    from xiaomi_check.models import Report
    from xiaomi_check.render import csvout, jsonout, markdown

    typed = [r for r in reports if isinstance(r, Report)]
    if fmt is OutputFormat.JSON:
        return lambda stream: jsonout.write_json(typed, stream)
    if fmt is OutputFormat.CSV:
        return lambda stream: csvout.write_csv(typed, stream)
    if fmt is OutputFormat.MARKDOWN:
        return lambda stream: markdown.write_markdown(typed, stream)
    return lambda stream: _write_table(typed, stream)


def _write_table(reports: Sequence[object], stream: TextIO) -> None:
    from xiaomi_check.models import Report
    from xiaomi_check.render.console import report_renderable

    to_terminal = stream is sys.stdout and sys.stdout.isatty()
    console = Console(file=stream if not to_terminal else None, width=None if to_terminal else 100,
                      no_color=not to_terminal or bool(os.environ.get("NO_COLOR")), highlight=False,
                      force_terminal=to_terminal, soft_wrap=False)
    for report in reports:
        if isinstance(report, Report):
            console.print(report_renderable(report))


@app.command("tables")
def tables_command(file: Annotated[Path, typer.Argument(help="A filing (PDF or HTML).")],
                   pages: PagesOpt = None, debug: DebugOpt = False, max_pages: MaxPagesOpt = 5000,
                   max_bytes: MaxBytesOpt = MAX_BYTES) -> None:
    """What the extractor saw: the pages opened, each table found, whether it was used and why."""
    from xiaomi_check.analysis import Options, analyse
    from xiaomi_check.render.console import choices_table

    try:
        report = analyse(file, Options(pages=parse_pages(pages), max_pages=max_pages, max_bytes=max_bytes))
    except XiaomiCheckError as error:
        if debug:
            raise
        raise typer.Exit(_fail(error, file.name)) from None
    except Exception as error:
        if debug:
            raise
        raise typer.Exit(_unexpected(error, file.name)) from None
    console = Console(width=100 if not sys.stdout.isatty() else None, highlight=False)
    console.print(f"{report.file}: pages opened {', '.join(map(str, report.pages_examined)) or '-'}")
    console.print(choices_table(report.tables))


_COMMANDS = {"analyse", "tables", "--help", "-h", "--version"}


def normalise_argv(args: Sequence[str]) -> list[str]:
    """A bare `xiaomi-check FILE ...` means `xiaomi-check analyse FILE ...`."""
    return ["analyse", *args] if args and args[0] not in _COMMANDS else list(args)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    app(args=normalise_argv(sys.argv[1:] if argv is None else argv), prog_name="xiaomi-check")
