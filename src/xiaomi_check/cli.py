"""The typer app: parses options, calls the library once per file, renders, maps errors to exit codes.

`xiaomi-check FILE ...` is short for `xiaomi-check analyse FILE ...`.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console
from typer._click.core import Context as ClickContext
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from xiaomi_check import __version__
from xiaomi_check.errors import (
    SIGNAL_EXIT_BASE,
    ExitCode,
    OutputError,
    UsageError,
    XiaomiCheckError,
    printable,
    unexpected,
)
from xiaomi_check.ingest import MAX_BYTES

if TYPE_CHECKING:  # imported lazily at run time, so --version and --help stay fast

    from xiaomi_check.analysis import Options

EXIT_CODES_HELP = ("Exit codes: 0 ok; 1 findings; 2 usage error; 3 input unreadable (missing, empty, encrypted, "
                   "damaged, scanned, not PDF/HTML); 4 nothing extracted; 70 a bug in the tool; 73 output cannot be "
                   "written. Several "
                   "files: the highest code of any file.")

class _Group(TyperGroup):
    """Usage errors (a missing option, an unknown command) as the documented two lines on stderr, exit 2."""

    def make_context(self, info_name: str | None, args: list[str], parent: ClickContext | None = None,
                     **extra: Any) -> ClickContext:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except ClickUsageError as error:
            raise typer.Exit(_usage_failure(error)) from None

    def invoke(self, ctx: ClickContext) -> Any:
        try:
            return super().invoke(ctx)
        except ClickUsageError as error:
            raise typer.Exit(_usage_failure(error)) from None


def _usage_failure(error: ClickUsageError) -> int:
    path = error.ctx.command_path.split()[1:] if error.ctx is not None else []
    command = " ".join(["xiaomi-check", *path])
    return _say_failure(None, error.format_message(), f"Run '{command} --help' to see the usage.",
                        int(ExitCode.USAGE), None)


class _PlainHelp(typer.core.TyperCommand):
    """--help with arguments as their metavar (`FILE...`), not typer's `{files}...` and `<list[Path]>`."""

    def get_help(self, ctx: ClickContext) -> str:
        return _plain_arguments(super().get_help(ctx))


_BRACED = re.compile(r"\{([^{}]+)\}(\.\.\.)?")
_TYPED = re.compile(r"^(  [A-Z\[][^ ]*(?: [A-Z]+)?)( <[^>]+>)", re.MULTILINE)


def _plain_arguments(text: str) -> str:
    def usage(match: re.Match[str]) -> str:
        name, repeat = match.group(1), match.group(2) or ""
        return name if name.endswith("...") or " " in name else name + repeat

    text = _BRACED.sub(usage, text)
    # spaces in place of the type, so the help column stays aligned
    return _TYPED.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)


app = typer.Typer(cls=_Group, add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  context_settings={"help_option_names": ["-h", "--help"]},
                  help="Figures with provenance from HKEX / IFRS / US GAAP filings. 'xiaomi-check FILE [FILE ...]' "
                       f"is short for 'xiaomi-check analyse FILE [FILE ...]'. {EXIT_CODES_HELP}")


class FilesCommand(_PlainHelp):
    """A command that takes file names: when an unknown option is a file's name (it starts with '-'), the
    error says to put it after '--'."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        given = list(args)  # the parser consumes the list it is given
        try:
            return super().parse_args(ctx, args)
        except Exception as error:
            dashed = next((a for a in given if a.startswith("-") and a != "--" and _names_a_file(a)), None)
            if hasattr(error, "option_name") and dashed is not None:  # click's NoSuchOption
                error.message = (f"{getattr(error, 'message', error)}. To read a file whose name starts with '-', "  # type: ignore[attr-defined]
                                 f"put it after '--': xiaomi-check -- {printable(dashed)}")
            raise


def _names_a_file(arg: str) -> bool:
    return Path(arg).suffix.lower() in (".pdf", ".htm", ".html") or os.path.lexists(arg)


class OutputFormat(StrEnum):
    """Every format; `analyse` writes them all, the other commands the `ListingFormat`s."""

    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    MARKDOWN = "markdown"
    XLSX = "xlsx"


class ListingFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class Rows(StrEnum):
    FIGURES = "figures"
    METRICS = "metrics"
    CHECKS = "checks"


FilesArg = Annotated[list[Path], typer.Argument(help="Filings to analyse (PDF or HTML, detected from content).",
                                                readable=False,  # the reader says why a file cannot be read
                                                show_default=False, metavar="FILE...")]
FileArg = Annotated[Path, typer.Argument(help="A filing (PDF or HTML).", readable=False, show_default=False,
                                         metavar="FILE")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format: the terminal report, one "
                                                 "JSON document, JSON Lines (a report a line), CSV (see --rows), "
                                                 "Markdown, or an Excel workbook (with --output).")]
ListingFormatOpt = Annotated[ListingFormat, typer.Option("--format", "-f", help="Output format.")]
RowsOpt = Annotated[Rows, typer.Option("--rows", help="With --format csv: one row per figure (with 'used' marking "
                                       "the one per item and period the report reads), per metric, or per check.")]
OutputOpt = Annotated[Path | None, typer.Option("--output", "-o", readable=False,
                                                help="Write here (atomically) instead of stdout.")]
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
def root(version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                               help="Show the version and exit.")] = False) -> None:
    """Figures with provenance from HKEX / IFRS / US GAAP filings."""


MAX_PAGE_LIST = 100_000  # pages --pages may name, whatever --max-pages says


def parse_pages(text: str | None, max_pages: int = 5000) -> tuple[int, ...] | None:
    """The 1-based pages of `--pages`, each range checked against the page limit before it is expanded."""
    if text is None:
        return None
    pages: set[int] = set()
    try:
        for part in text.split(","):
            start, _, end = part.strip().partition("-")
            first, last = int(start), int(end or start)
            if max(first, last) > max_pages:
                raise UsageError(f"--pages '{_shorten(text)}' names page {max(first, last):,}, past the "
                                 f"{max_pages:,} pages read.", "Name pages within the limit, or raise --max-pages.")
            if len(pages) + max(0, last - first + 1) > MAX_PAGE_LIST:
                raise UsageError(f"--pages '{_shorten(text)}' names more than {MAX_PAGE_LIST:,} pages.",
                                 "Name fewer pages.")
            pages.update(range(first, last + 1))
    except ValueError:
        raise UsageError(f"--pages '{_shorten(text)}' is not a page list.", "Write pages like '12-15,40'.") from None
    if not pages or min(pages) < 1:
        raise UsageError(f"--pages '{_shorten(text)}' has no valid page.", "Pages start at 1.")
    return tuple(sorted(pages))


def _shorten(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[:size] + "..."


def _err_console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _fail(error: XiaomiCheckError, name: str | None = None, fmt: OutputFormat | None = None) -> int:
    """Two lines on stderr, what happened and what to try; with --format json also an error object on stdout
    (never in --output). The exit code from the error's class."""
    return _say_failure(name, error.message, error.hint, int(error.exit_code), fmt)


def _say_failure(name: str | None, message: str, hint: str, code: int, fmt: OutputFormat | None) -> int:
    """File names and messages are escaped (control characters, bytes that are not UTF-8) before they reach the
    terminal or the JSON."""
    name = printable(name) if name is not None else None
    where = f"{name}: " if name else ""
    message, hint = _one_line(message), _one_line(hint)
    console = _err_console()
    console.print(f"error: {where}{message}", markup=False, highlight=False)
    if hint:
        console.print(f"hint: {hint}", markup=False, highlight=False)
    if fmt in (OutputFormat.JSON, OutputFormat.JSONL):
        _write_error_object(name, message, hint, code)
    return code


def _one_line(text: str) -> str:
    return printable(" ".join(text.split()))


def _write_error_object(name: str | None, message: str, hint: str, code: int) -> None:
    from xiaomi_check.models import SCHEMA_VERSION

    error = {"file": name, "message": message, "hint": hint, "exit_code": code}
    line = json.dumps({"schema_version": SCHEMA_VERSION, "error": error}, ensure_ascii=False) + "\n"
    with contextlib.suppress(OutputError):  # stdout is closed: stderr already has the error
        _to_stdout(lambda stream: _write_line(stream, line))


def _write_line(stream: TextIO, line: str) -> None:
    stream.write(line)


def _unexpected(error: Exception, name: str, fmt: OutputFormat | None = None) -> int:
    """A failure no adapter anticipated (a bug in the tool): still two lines and exit 70, never a traceback
    (--debug shows it)."""
    return _fail(unexpected(error), name, fmt)


def write_atomically(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write to a temporary file beside the file `path` points to (through a symlink), then rename it over that
    file; nothing is left behind on a failure or a signal. A device or a named pipe (/dev/null, /dev/stdout) is
    written directly. Every failure is an `OutputError` (exit 73)."""
    try:
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise _output_error(path, error) from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise _output_error(path, IsADirectoryError(errno.EISDIR, "is a directory"))
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_directly(path, info, write)
        return
    target = Path(os.path.realpath(path))
    blocked = _block_stop_signals()  # no signal between creating the temporary file and owning its removal
    try:
        handle, temp = tempfile.mkstemp(prefix=".xiaomi-check-", suffix=".tmp", dir=target.parent)
    except OSError as error:
        _unblock(blocked)
        raise _output_error(path, error) from None
    try:
        _unblock(blocked)
        os.fchmod(handle, stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask())
        with os.fdopen(handle, "w", encoding="utf-8", errors="replace", newline="") as stream:
            write(stream)
        os.replace(temp, target)
    except BaseException as error:
        Path(temp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _output_error(path, error) from None
        raise


def _write_directly(path: Path, info: os.stat_result, write: Callable[[TextIO], None]) -> None:
    fifo = stat.S_ISFIFO(info.st_mode)
    try:  # a named pipe is opened without blocking: with no reader that fails (ENXIO) instead of hanging
        handle = os.open(path, os.O_WRONLY | (os.O_NONBLOCK if fifo else 0))
        if fifo:
            os.set_blocking(handle, True)
        with os.fdopen(handle, "w", encoding="utf-8", errors="replace", newline="") as stream:
            write(stream)
    except OSError as error:
        raise _output_error(path, error) from None


_OUTPUT_REASONS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
                   errno.EFBIG: "the file would pass the file-size limit", errno.ENAMETOOLONG: "the name is too long",
                   errno.EACCES: "permission denied", errno.EPERM: "permission denied",
                   errno.EROFS: "the file system is read-only", errno.ENOENT: "its directory does not exist",
                   errno.ENOTDIR: "a part of the path is not a directory", errno.EISDIR: "it is a directory",
                   errno.ENXIO: "nothing is reading from it", errno.EPIPE: "the reader closed it",
                   errno.EINVAL: "the name is not valid"}


def _output_error(path: Path | str, error: OSError) -> OutputError:
    reason = _OUTPUT_REASONS.get(error.errno or 0, error.strerror or type(error).__name__)
    return OutputError(f"--output {path} cannot be written ({reason}); nothing was written there.",
                       "Check the directory, its permissions and the free space, or choose another --output path.")


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)}


def _block_stop_signals() -> set[int] | None:
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return set(signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS))


def _unblock(previous: set[int] | None) -> None:
    if previous is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def check_output(output: Path | None, files: Sequence[Path]) -> None:
    """Before any file is read: --output may not be an input of the run (by path, symlink or hard link), nor
    a directory, nor in a directory that does not exist or cannot be written."""
    if output is None:
        return
    try:
        target = Path(os.path.realpath(output))
        for file in files:
            if _same_file(target, file):
                raise UsageError(f"--output {output} is the input file {file}: the report would overwrite the "
                                 "filing.", "Choose another --output path.")
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a directory")
        if target.exists() and not target.is_file():
            return  # a device or a named pipe, written directly
        if not target.parent.is_dir():
            raise FileNotFoundError(errno.ENOENT, "no directory")
        if not os.access(target.parent, os.W_OK):
            read_only = os.statvfs(target.parent).f_flag & os.ST_RDONLY
            raise OSError(errno.EROFS if read_only else errno.EACCES, "cannot write")
    except (OSError, ValueError) as error:  # ValueError: a NUL byte in the name
        raise _output_error(output, error if isinstance(error, OSError) else OSError(errno.EINVAL, "invalid name")
                            ) from None


def _same_file(target: Path, file: Path) -> bool:
    try:
        return os.path.samefile(target, file)
    except (OSError, ValueError):
        return target == Path(os.path.realpath(file))


def _to_stdout(write: Callable[[TextIO], None]) -> None:
    """Write to stdout. A reader that closes the pipe early (`| head`) ends the output quietly; a closed
    stdout (`>&-`) or a full disk is an `OutputError`."""
    stream = sys.stdout
    if stream is None:
        raise OutputError("stdout is closed, so the report cannot be written.",
                          "Redirect stdout to a file or a pipe, or pass --output FILE.")
    try:
        write(stream)
        stream.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as error:
        _silence_stdout()
        reason = _OUTPUT_REASONS.get(error.errno or 0, error.strerror or type(error).__name__)
        raise OutputError(f"stdout cannot be written ({reason}).", "Free some space, or pass --output FILE.") from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush at exit does not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


ProfileOpt = Annotated[Path | None, typer.Option("--profile", readable=False,
                                                 help="TOML profile: segment roles and thresholds "
                                                 "(default: the shipped Xiaomi profile; docs/metrics.md).")]
MarketCapOpt = Annotated[float | None, typer.Option("--market-cap", help="Market value, in millions of --currency, "
                                                    "for P/E and P/S.")]
CurrencyOpt = Annotated[str, typer.Option("--currency", help="Currency of --market-cap.")]
FxOpt = Annotated[float | None, typer.Option("--fx", help="Reporting currency per unit of --currency "
                                             "(e.g. 0.92 RMB per HKD).")]
JobsOpt = Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Processes for several files "
                                             "(default: the number of cores).")]
CacheOpt = Annotated[Path | None, typer.Option("--cache", readable=False,
                                               help="Cache folder: reuse results for unchanged files "
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
    return Options(pages=parse_pages(pages, max_pages), max_pages=max_pages, max_bytes=max_bytes, profile=profile,
                   user=user)


def _run(files: Sequence[Path], options: Options, jobs: int | None, cache: Path | None, debug: bool,
         fmt: OutputFormat, quiet: bool, errors: list[dict[str, object]] | None = None) -> tuple[list[object], int]:
    """Reports in input order and the worst exit code; failures are reported on stderr (and in `errors`)."""
    from xiaomi_check import analysis
    from xiaomi_check.batch import analyse_many

    if debug:  # serial, in process, so the traceback is the real one
        return [_escaped(analysis.analyse(path, options)) for path in files], 0
    with _progress(len(files), quiet) as advance:
        outcomes = analyse_many(files, options, jobs=jobs, cache_dir=cache,
                                progress=(lambda outcome: advance(outcome.pages)) if advance else None)
    reports: list[object] = []
    code = 0
    for outcome in outcomes:
        if outcome.report is not None:
            reports.append(outcome.report)
        elif outcome.failure is not None:
            failure = outcome.failure
            if errors is not None:
                errors.append({"file": printable(outcome.path.name), "message": _one_line(failure.message),
                               "hint": _one_line(failure.hint), "exit_code": failure.exit_code})
            code = max(code, _say_failure(outcome.path.name, failure.message, failure.hint, failure.exit_code,
                                          fmt if len(files) == 1 else None))
    return reports, code


def _escaped(report: object) -> object:
    """The report with its file name escaped for the terminal and for valid UTF-8 JSON."""
    from xiaomi_check.models import Report

    if isinstance(report, Report) and printable(report.file) != report.file:
        return report.model_copy(update={"file": printable(report.file)})
    return report


def _progress(count: int, quiet: bool) -> AbstractContextManager[Callable[[int], None] | None]:
    """On a terminal (and not --quiet): a spinner for one file; for several, a bar of files done, the pages
    scanned and pages per second, and the time left, advanced with each file's pages as it is done
    (render/progress.py). Quiet when piped."""
    if quiet or not sys.stderr.isatty():
        return nullcontext()
    from xiaomi_check.render.progress import file_progress

    return file_progress(_err_console(), count)


def _findings(reports: Sequence[object], strict: bool, fail_on: str | None) -> int:
    """Exit 1 for findings: a breached threshold with --fail-on breach; with --strict, a metric in conflict, a
    failed check or an n/a metric (a metric not requested or not applicable is no finding)."""
    from xiaomi_check.models import CheckStatus, Report, Status

    typed = [r for r in reports if isinstance(r, Report)]
    breach = fail_on == "breach" and any(m.status is Status.BREACH for r in typed for m in r.metrics)
    failed = any(c.status is CheckStatus.FAIL for r in typed for c in r.checks)
    unsound = any(m.status in (Status.CONFLICT, Status.NOT_AVAILABLE) for r in typed for m in r.metrics)
    return int(ExitCode.FINDINGS) if breach or (strict and (failed or unsound)) else 0


@app.command("analyse", cls=FilesCommand)
def analyse_command(files: FilesArg, fmt: FormatOpt = OutputFormat.TABLE, output: OutputOpt = None,
                    rows: RowsOpt = Rows.FIGURES,
                    pages: PagesOpt = None, profile: ProfileOpt = None, market_cap: MarketCapOpt = None,
                    currency: CurrencyOpt = "HKD", fx: FxOpt = None, jobs: JobsOpt = None, cache: CacheOpt = None,
                    strict: StrictOpt = False, fail_on: FailOnOpt = None, quiet: QuietOpt = False,
                    debug: DebugOpt = False, max_pages: MaxPagesOpt = 5000, max_bytes: MaxBytesOpt = MAX_BYTES) -> None:
    """Extract every figure with its page, compute the analyst metrics and cross-checks; print the report (a
    headline first, then the statements), JSON, JSON Lines, CSV, Markdown or an Excel workbook."""
    try:
        if fail_on not in (None, "breach"):
            raise UsageError(f"--fail-on '{fail_on}' is not known.", "The only value is 'breach'.")
        _check_format(fmt, rows, output, quiet)
        _mistyped_command(files)
        options = _options(pages, max_pages, max_bytes, profile, market_cap, currency, fx)
        check_output(output, files)
    except XiaomiCheckError as error:
        raise typer.Exit(_fail(error, fmt=fmt)) from None
    _log_library_warnings(debug)
    several = len(files) > 1 and fmt in (OutputFormat.JSON, OutputFormat.JSONL)
    errors: list[dict[str, object]] = []
    try:
        with _standard_input(files, max_bytes) as named:
            reports, code = _run(named, options, jobs, cache, debug, fmt, quiet, errors if several else None)
    except XiaomiCheckError as error:  # only with --debug, which runs in process
        raise typer.Exit(_fail(error, files[0].name, fmt)) from None
    try:
        if several and not reports:  # every file failed: the error list still goes to stdout as one JSON document
            _json_errors(errors)
        elif reports and (not quiet or output is not None):
            _emit(reports, fmt, output, errors if several else None, rows)
    except OutputError as error:
        raise typer.Exit(_fail(error, fmt=fmt)) from None
    raise typer.Exit(max(code, _findings(reports, strict, fail_on)))


@contextmanager
def _standard_input(files: Sequence[Path], max_bytes: int) -> Iterator[list[Path]]:
    """`-` reads the filing from standard input: its bytes (up to the size limit and one byte more, so the
    reader can say it is too large) go to a file named `stdin` in a temporary folder for the run."""
    if Path("-") not in files:
        yield list(files)
        return
    with tempfile.TemporaryDirectory(prefix="xiaomi-check-") as folder:
        copy = Path(folder) / "stdin"
        copy.write_bytes(sys.stdin.buffer.read(max_bytes + 1))
        yield [copy if f == Path("-") else f for f in files]


def _check_format(fmt: OutputFormat, rows: Rows, output: Path | None, quiet: bool) -> None:
    """Refuse what cannot be honoured (exit 2): a workbook to a terminal, --rows with a format other than CSV."""
    if rows is not Rows.FIGURES and fmt is not OutputFormat.CSV:
        raise UsageError(f"--rows {rows.value} applies to --format csv only.",
                         "Use '-f csv --rows metrics', or -f json / -f xlsx for everything at once.")
    if fmt is OutputFormat.XLSX and output is None and not quiet and sys.stdout.isatty():
        raise UsageError("An Excel workbook is binary and would garble the terminal.",
                         "Write it to a file: '-f xlsx -o report.xlsx'.")


def _mistyped_command(files: Sequence[Path]) -> None:
    """`xiaomi-check tabels FILE`: a first argument that is no file but close to a command's name."""
    import difflib

    first = files[0]
    if len(files) > 1 and not first.exists() and first.name == str(first):
        close = difflib.get_close_matches(first.name, COMMANDS, n=1, cutoff=0.6)
        if close:
            raise UsageError(f"No command or file '{first.name}'.",
                             f"Did you mean 'xiaomi-check {close[0]} {' '.join(map(str, files[1:]))}'?")


def _log_library_warnings(debug: bool) -> None:
    """With --debug, the PDF libraries' warnings (damaged streams, missing boxes) go to stderr; without it
    they are silent, and the report names the pages they concern."""
    if debug:
        import logging

        logging.basicConfig(level=logging.WARNING, format="debug: %(name)s: %(message)s")


def _json_errors(errors: list[dict[str, object]]) -> None:
    from xiaomi_check.render import jsonout

    _to_stdout(lambda stream: jsonout.write_json([], stream, errors))


def _emit(reports: Sequence[object], fmt: OutputFormat, output: Path | None,
          errors: list[dict[str, object]] | None = None, rows: Rows = Rows.FIGURES) -> None:
    _deliver(_writer(fmt, reports, errors, rows), output)


def _deliver(writer: Callable[[TextIO], None], output: Path | None) -> None:
    """To --output (atomically) or to stdout; an `OutputError` when it cannot be written."""
    if output is not None:
        write_atomically(output, writer)
    else:
        _to_stdout(writer)


def _writer(fmt: OutputFormat, reports: Sequence[object], errors: list[dict[str, object]] | None = None,
            rows: Rows = Rows.FIGURES) -> Callable[[TextIO], None]:
    from xiaomi_check.models import Report
    from xiaomi_check.render import csvout, jsonout, markdown

    typed = [r for r in reports if isinstance(r, Report)]
    if fmt is OutputFormat.JSON:
        return lambda stream: jsonout.write_json(typed, stream, errors)
    if fmt is OutputFormat.JSONL:
        return lambda stream: jsonout.write_jsonl(typed, stream, errors)
    if fmt is OutputFormat.CSV:
        return lambda stream: csvout.write_csv(typed, stream, rows.value)
    if fmt is OutputFormat.MARKDOWN:
        return lambda stream: markdown.write_markdown(typed, stream)
    if fmt is OutputFormat.XLSX:
        from xiaomi_check.render.xlsx import workbook_bytes

        return _binary(workbook_bytes(typed))
    return lambda stream: _print(stream, *_report_renderables(typed))


def _binary(data: bytes) -> Callable[[TextIO], None]:
    """A writer of bytes through a text stream's buffer (the workbook)."""

    def write(stream: TextIO) -> None:
        stream.flush()
        stream.buffer.write(data)
        stream.buffer.flush()

    return write


def _report_renderables(reports: Sequence[object]) -> list[object]:
    from xiaomi_check.render.console import report_renderable

    return [report_renderable(r) for r in reports]  # type: ignore[arg-type]


def _print(stream: TextIO, *renderables: object) -> None:
    """Rich output: colour only on a terminal without NO_COLOR. Not a terminal: $COLUMNS wide, else 120; either
    way numbers are never cut (labels fold, columns stack: render/layout.py)."""
    to_terminal = stream is sys.stdout and sys.stdout.isatty()
    console = Console(file=None if to_terminal else stream, width=None if to_terminal else _file_width(),
                      no_color=not to_terminal or bool(os.environ.get("NO_COLOR")), highlight=False,
                      force_terminal=to_terminal, soft_wrap=False)
    for renderable in renderables:
        console.print(renderable)


def _file_width() -> int:
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) >= 40 else 120


def _single(file: Path, options: Options, debug: bool, fmt: OutputFormat | None = None) -> object:
    """One report, or the documented exit for its error."""
    from xiaomi_check import analysis

    _log_library_warnings(debug)
    return _guarded(lambda: _escaped(analysis.analyse(file, options)), file, debug, fmt)


@app.command("tables", cls=FilesCommand)
def tables_command(file: FileArg, fmt: ListingFormatOpt = ListingFormat.TABLE, pages: PagesOpt = None,
                   debug: DebugOpt = False, max_pages: MaxPagesOpt = 5000, max_bytes: MaxBytesOpt = MAX_BYTES) -> None:
    """What the extractor saw: the pages opened, each table found, whether it was used and why (also when
    nothing was extracted)."""
    from xiaomi_check.survey import survey

    full = OutputFormat(fmt.value)
    try:
        options = _options(pages, max_pages, max_bytes)
    except XiaomiCheckError as error:
        raise typer.Exit(_fail(error, fmt=full)) from None
    found = _guarded(lambda: survey(file, options), file, debug, full)
    _listing(fmt, found)


def _listing(fmt: ListingFormat, found: object) -> None:
    from xiaomi_check.records import TablesDocument
    from xiaomi_check.render import console, csvout, jsonout, markdown

    assert isinstance(found, TablesDocument)
    if fmt is ListingFormat.JSON:
        jsonout.write_model(found, sys.stdout)
    elif fmt is ListingFormat.CSV:
        rows: list[dict[str, object]] = [{"file": found.file, "table": c.table, "pages": ";".join(map(str, c.pages)),
                 "kind": c.kind.value if c.kind else None, "used": c.used, "reason": c.reason, "title": c.title}
                for c in found.tables]
        csvout.write_rows(("file", "table", "pages", "kind", "used", "reason", "title"), rows, sys.stdout)
    elif fmt is ListingFormat.MARKDOWN:
        markdown.write_tables_markdown(found.file, found.pages_examined, found.tables, sys.stdout)
    else:
        opened = ", ".join(map(str, found.pages_examined)) or "-"
        empty = ("No table was found: no page reads like a financial statement (pages are chosen by their words). "
                 "'--pages 12-15' reads the pages you name.") if not found.tables else ""
        _print(sys.stdout, f"{found.file}: pages opened {opened}; {found.figures} figures",
               *([empty] if empty else [console.choices_table(found.tables)]),
               *(f"warning: {w}" for w in found.warnings))


def _guarded(work: Callable[[], object], file: Path, debug: bool, fmt: OutputFormat | None) -> object:
    """`work()`, or the documented exit for its error."""
    try:
        return work()
    except XiaomiCheckError as error:
        if debug:
            raise
        raise typer.Exit(_fail(error, file.name, fmt)) from None
    except Exception as error:
        if debug:
            raise
        raise typer.Exit(_unexpected(error, file.name, fmt)) from None


@app.command("compare", cls=FilesCommand)
def compare_command(files: FilesArg, fmt: ListingFormatOpt = ListingFormat.TABLE, output: OutputOpt = None,
                    jobs: JobsOpt = None, quiet: QuietOpt = False, debug: DebugOpt = False,
                    max_pages: MaxPagesOpt = 5000, max_bytes: MaxBytesOpt = MAX_BYTES) -> None:
    """Align several filings by period into one time series; flag restated figures (same period, other value)."""
    from xiaomi_check.compare import compare_reports
    from xiaomi_check.models import Report
    from xiaomi_check.render import console, csvout, jsonout, markdown

    full = OutputFormat(fmt.value)
    try:
        options = _options(None, max_pages, max_bytes)
        check_output(output, files)
    except XiaomiCheckError as error:
        raise typer.Exit(_fail(error, fmt=full)) from None
    _log_library_warnings(debug)
    reports, code = _run(files, options, jobs, None, debug, full, quiet)
    if not reports:
        raise typer.Exit(code or int(ExitCode.NOTHING_EXTRACTED))
    comparison = compare_reports([r for r in reports if isinstance(r, Report)])
    def writer(stream: TextIO) -> None:
        if fmt is ListingFormat.JSON:
            jsonout.write_model(comparison, stream)
        elif fmt is ListingFormat.CSV:
            csvout.write_comparison_csv(comparison, stream)
        elif fmt is ListingFormat.MARKDOWN:
            markdown.write_comparison_markdown(comparison, stream)
        else:
            _print(stream, console.comparison_renderable(comparison))

    if not quiet or output is not None:
        try:
            _deliver(writer, output)
        except OutputError as error:
            raise typer.Exit(_fail(error, fmt=full)) from None
    raise typer.Exit(code)


@app.command("explain", cls=FilesCommand)
def explain_command(targets: Annotated[list[str], typer.Argument(
                        metavar="[METRIC] FILE", show_default=False,
                        help="A metric id (e.g. hardware_net_margin; --list shows them) and a filing.")],
                    period: Annotated[str | None, typer.Option("--period", help="e.g. FY2017 (or 2017), Q3 2024; "
                                                               "default: the headline period.")] = None,
                    list_ids: Annotated[bool, typer.Option("--list", help="List the metric ids of FILE, with "
                                                           "their periods, and exit.")] = False,
                    fmt: ListingFormatOpt = ListingFormat.TABLE, profile: ProfileOpt = None,
                    market_cap: MarketCapOpt = None, currency: CurrencyOpt = "HKD", fx: FxOpt = None,
                    debug: DebugOpt = False) -> None:
    """The formula, each input with its page, row and raw text, and the arithmetic of one metric."""
    from xiaomi_check.models import Report

    full = OutputFormat(fmt.value)
    try:
        metric, file = _explain_targets(targets, list_ids)
        options = _options(None, 5000, MAX_BYTES, profile, market_cap, currency, fx)
    except XiaomiCheckError as error:
        raise typer.Exit(_fail(error, fmt=full)) from None
    report = _single(file, options, debug, full)
    assert isinstance(report, Report)
    if list_ids:
        _metrics_out(report.metrics, fmt, report.file, listing=True)
        return
    try:
        found = _find_metric(report, metric, period)
    except XiaomiCheckError as error:
        raise typer.Exit(_fail(error, file.name, full)) from None
    _metrics_out([found], fmt, report.file, explain=True)


def _explain_targets(targets: Sequence[str], list_ids: bool) -> tuple[str, Path]:
    if list_ids and len(targets) in (1, 2):
        return "", Path(targets[-1])
    if not list_ids and len(targets) == 2:
        return targets[0], Path(targets[1])
    raise UsageError("explain takes a metric id and a file (or --list and a file).",
                     "Example: 'xiaomi-check explain hardware_net_margin FILE', or 'xiaomi-check explain --list "
                     "FILE'.")


def _find_metric(report: object, metric: str, period: str | None) -> object:
    """The metric for the period asked (`2017` means FY2017), else its headline period's result; a usage error
    that says which ids or periods the filing has."""
    from xiaomi_check.models import Report

    assert isinstance(report, Report)
    results = [m for m in report.metrics if m.id == metric]
    if not results:
        raise UsageError(f"No metric '{metric}' in {report.file} ({len(report.metrics)} results).",
                         f"'xiaomi-check explain --list {report.file}' lists the ids.")
    wanted = f"FY{period}" if period and period.isdigit() else period
    found = [m for m in results if wanted is None or (m.period or "").casefold() == wanted.casefold()]
    if not found:
        periods = ", ".join(dict.fromkeys(m.period or "-" for m in results))
        raise UsageError(f"No '{metric}' for period '{period}' in {report.file}.", f"It has: {periods}.")
    return found[0]


def _metrics_out(results: Sequence[object], fmt: ListingFormat, file: str | None = None, explain: bool = False,
                 listing: bool = False) -> None:
    """Metric results in the format asked: one JSON document ({"schema_version", "file", "metrics"}), one CSV row
    each, a Markdown table, or the terminal table (for one metric explained: its inputs and working)."""
    from xiaomi_check.models import MetricResult
    from xiaomi_check.records import MetricsDocument
    from xiaomi_check.render import console, csvout, jsonout, markdown

    typed = [r for r in results if isinstance(r, MetricResult)]
    if fmt is ListingFormat.JSON:
        jsonout.write_model(MetricsDocument(file=file, metrics=tuple(typed)), sys.stdout)
    elif fmt is ListingFormat.CSV and explain:
        csvout.write_explain_csv(typed[0], sys.stdout)
    elif fmt is ListingFormat.CSV:
        csvout.write_metrics_csv(typed, sys.stdout, file)
    elif fmt is ListingFormat.MARKDOWN and explain:
        markdown.write_explain_markdown(typed[0], sys.stdout)
    elif fmt is ListingFormat.MARKDOWN:
        markdown.write_metrics_markdown(typed, sys.stdout)
    elif explain:
        _print(sys.stdout, console.explain_renderable(typed[0]))
    else:
        _print(sys.stdout, console.metrics_table(typed, "Metric ids" if listing else "Analyst checks",
                                                 show_ids=listing))


@app.command("wvr", cls=_PlainHelp)
def wvr_command(votes: Annotated[int, typer.Option("--votes-per-a-share", min=1, help="Votes per Class A share.")] = 10,
                a_held: Annotated[float | None, typer.Option("--class-a-held", help="Holder's Class A shares.")] = None,
                b_held: Annotated[float | None, typer.Option("--class-b-held", help="Holder's Class B shares.")] = None,
                a_total: Annotated[float | None, typer.Option("--class-a-total", help="Class A outstanding.")] = None,
                b_total: Annotated[float | None, typer.Option("--class-b-total", help="Class B outstanding.")] = None,
                fmt: ListingFormatOpt = ListingFormat.TABLE) -> None:
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
    _metrics_out(list(control(Financials(()), profile, user)), fmt)


@app.command("valuation", cls=FilesCommand)
def valuation_command(file: FileArg,
                      market_cap: Annotated[float, typer.Option("--market-cap", help="Market value, in millions "
                                                                "of --currency.")],
                      fx: Annotated[float, typer.Option("--fx", help="Reporting currency per unit of --currency.")],
                      currency: CurrencyOpt = "HKD", fmt: ListingFormatOpt = ListingFormat.TABLE,
                      debug: DebugOpt = False) -> None:
    """P/E (reported and adjusted, annualised) and P/S for a market value you supply."""
    from xiaomi_check.models import Report

    options = _options(None, 5000, MAX_BYTES, None, market_cap, currency, fx)
    report = _single(file, options, debug, OutputFormat(fmt.value))
    assert isinstance(report, Report)
    _metrics_out([m for m in report.metrics if m.id in ("pe_reported", "pe_adjusted", "ps")], fmt, report.file)


COMMANDS = ("analyse", "tables", "compare", "explain", "wvr", "valuation")
_FIRST_WORDS = {*COMMANDS, "--help", "-h", "--version", "-V"}


def normalise_argv(args: Sequence[str]) -> list[str]:
    """A bare `xiaomi-check FILE ...` means `xiaomi-check analyse FILE ...`."""
    return ["analyse", *args] if args and args[0] not in _FIRST_WORDS else list(args)


def main(argv: Sequence[str] | None = None) -> None:
    """Console entry point."""
    _stop_on_signals()
    if sys.stdout is not None and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="replace")  # text from a damaged PDF may hold lone surrogates
    app(args=normalise_argv(sys.argv[1:] if argv is None else argv), prog_name="xiaomi-check")


def _stop_on_signals() -> None:
    """SIGTERM and SIGHUP end a run the way Ctrl-C does, as an exception, so every clean-up runs (the --output
    temporary file is removed, worker processes are stopped); the exit code is 128 + the signal's number."""
    for signum in _STOP_SIGNALS:
        signal.signal(signum, _exit_on_signal)


def _exit_on_signal(signum: int, _frame: object) -> None:
    signal.signal(signum, signal.SIG_DFL)  # a second signal ends the process at once
    raise SystemExit(SIGNAL_EXIT_BASE + signum)


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
