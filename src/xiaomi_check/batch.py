"""Many filings at once: one process per document, results in input order, a failure in one file reported
beside the others. Any `concurrent.futures.Executor` can run the work, so a Dask distributed client's
`get_executor()` spreads an exchange's whole archive over a cluster. A thread pool works too, but gains
nothing: PDFium is not thread-safe, so the PDF adapter lets one thread use it at a time.

The process pool of `jobs` workers is this module's own: its workers end with the run (on an error, Ctrl-C,
SIGTERM or SIGHUP, which the CLI turns into exceptions), and a worker that dies (a file that crashes a PDF
library, or the kernel's out-of-memory killer) fails only the file it was reading: the files left are rerun
one process each, so the one that kills its process is found and the others are still reported.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from xiaomi_check import analysis
from xiaomi_check.analysis import Options
from xiaomi_check.cache import ResultCache
from xiaomi_check.errors import SIGNAL_EXIT_BASE, ExitCode, XiaomiCheckError, printable, unexpected
from xiaomi_check.models import Report


@dataclass(frozen=True, slots=True)
class Failure:
    """Why one file could not be analysed (plain data, so it crosses process boundaries)."""

    message: str
    hint: str
    exit_code: int
    page_count: int | None = None  # the document's pages, when the error knows them


@dataclass(frozen=True, slots=True)
class Outcome:
    path: Path
    report: Report | None = None
    failure: Failure | None = None

    @property
    def pages(self) -> int:
        """The pages scanned for this file: its report's page count, or the document's when the failure knows
        it (0 when it does not: a file that cannot be opened)."""
        if self.report is not None:
            return self.report.page_count
        return (self.failure.page_count if self.failure is not None else None) or 0


def analyse_one(path: Path, options: Options, cache_dir: Path | None = None) -> Outcome:
    """Analyse one file, turning any error into a `Failure` (never raising)."""
    cache = ResultCache(cache_dir) if cache_dir is not None else None
    try:
        cached = cache.get(path, options) if cache else None
        if cached is not None:
            return Outcome(path, report=_escaped(cached))
        report = analysis.analyse(path, options)
        if cache:
            with contextlib.suppress(OSError):  # a cache that cannot be written costs speed, not the result
                cache.put(path, options, report)
        return Outcome(path, report=_escaped(report))
    except Exception as caught:  # a damaged file can make a parser raise anything: report it, go on
        error = caught if isinstance(caught, XiaomiCheckError) else unexpected(caught)
        return Outcome(path, failure=Failure(error.message, error.hint, int(error.exit_code), error.page_count))


def _escaped(report: Report) -> Report:
    """The report with its file name safe for a terminal and for UTF-8 JSON (control characters and bytes
    that are not UTF-8 escaped)."""
    name = printable(report.file)
    return report if name == report.file else report.model_copy(update={"file": name})


def analyse_many(paths: Sequence[Path], options: Options = Options(), jobs: int | None = None,  # noqa: B008
                 executor: Executor | None = None, cache_dir: Path | None = None,
                 progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Outcomes in input order. One file, or `jobs == 1`, runs in this process; otherwise a process pool of
    `jobs` workers (default: the number of cores), or the executor given. `progress` is called with each
    file's outcome as it is done, in the order they finish (from another thread with the pool: a progress bar
    of files and `Outcome.pages`); prefer it to wrapping a pool of your own in an executor, which loses the
    clean-up of workers on a signal and the isolation of a file that kills one."""
    workers = jobs or os.cpu_count() or 1
    done = progress or _ignore
    if executor is None and (len(paths) <= 1 or workers == 1):
        return [_then(analyse_one(path, options, cache_dir), done) for path in paths]
    if executor is not None:
        outcomes = executor.map(analyse_one, paths, [options] * len(paths), [cache_dir] * len(paths))
        return [_then(outcome, done) for outcome in outcomes]
    pooled = _in_pool(paths, options, cache_dir, min(workers, len(paths)), done)
    return [outcome if outcome is not None else _then(_alone(path, options, cache_dir), done)
            for path, outcome in zip(paths, pooled, strict=True)]


def _ignore(_outcome: Outcome) -> None:
    pass


def _then(outcome: Outcome, done: Callable[[Outcome], None]) -> Outcome:
    done(outcome)
    return outcome


def _in_pool(paths: Sequence[Path], options: Options, cache_dir: Path | None, workers: int,
             done: Callable[[Outcome], None] = _ignore) -> list[Outcome | None]:
    """Outcomes in input order; None for a file whose worker died (the pool breaks: every file not done yet)."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_started)
    try:
        futures = [pool.submit(_work, path, options, cache_dir) for path in paths]
        for future in futures:
            future.add_done_callback(lambda ended: _finished(ended, done))
        return [_result(future) for future in futures]
    except BaseException:
        _stop(pool)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _finished(future: Future[Outcome], done: Callable[[Outcome], None]) -> None:
    """Tell `done` of a file whose worker finished it (not of one cancelled, or whose worker died: rerun alone)."""
    if not future.cancelled() and future.exception() is None:
        done(future.result())


def _result(future: Future[Outcome]) -> Outcome | None:
    try:
        return future.result()
    except BrokenProcessPool:
        return None


def _alone(path: Path, options: Options, cache_dir: Path | None) -> Outcome:
    """One file in a fresh process of its own: its outcome, or a failure naming how the process died."""
    [outcome] = _in_pool([path], options, cache_dir, 1)
    if outcome is not None:
        return outcome
    return Outcome(path, failure=Failure(
        "the process reading this file died (a PDF library crashed on it, or the system ran out of memory).",
        "The file may be damaged or hostile; rerun it alone with --debug to see more.",
        int(ExitCode.UNREADABLE_INPUT)))


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the pool's workers now (SIGTERM: each removes its temporary cache file and exits)."""
    for process in list(getattr(pool, "_processes", {}).values()):
        if process.is_alive():
            process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


_busy = False  # in a worker: a file is being analysed


def _worker_started() -> None:
    """In each worker: Ctrl-C is the parent's to handle; SIGTERM ends the worker after its clean-up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_terminated)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)


class _Terminated(BaseException):
    """Raised in a busy worker by SIGTERM: unwinds the analysis, running its clean-up."""


def _worker_terminated(signum: int, _frame: FrameType | None) -> None:
    if _busy:
        raise _Terminated
    os._exit(SIGNAL_EXIT_BASE + signum)


def _work(path: Path, options: Options, cache_dir: Path | None) -> Outcome:
    global _busy
    _busy = True
    try:
        return analyse_one(path, options, cache_dir)
    except _Terminated:
        os._exit(SIGNAL_EXIT_BASE + signal.SIGTERM)
    finally:
        _busy = False
