"""Many filings at once: one process per document (PDFium is not thread-safe), results in input order,
a failure in one file reported beside the others. Any `concurrent.futures.Executor` can run the work, so a
Dask distributed client's `get_executor()` spreads an exchange's whole archive over a cluster."""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from xiaomi_check import analysis
from xiaomi_check.analysis import Options
from xiaomi_check.cache import ResultCache
from xiaomi_check.errors import XiaomiCheckError, unexpected
from xiaomi_check.models import Report


@dataclass(frozen=True, slots=True)
class Failure:
    """Why one file could not be analysed (plain data, so it crosses process boundaries)."""

    message: str
    hint: str
    exit_code: int


@dataclass(frozen=True, slots=True)
class Outcome:
    path: Path
    report: Report | None = None
    failure: Failure | None = None


def analyse_one(path: Path, options: Options, cache_dir: Path | None = None) -> Outcome:
    """Analyse one file, turning any error into a `Failure` (never raising)."""
    cache = ResultCache(cache_dir) if cache_dir is not None else None
    try:
        cached = cache.get(path, options) if cache else None
        if cached is not None:
            return Outcome(path, report=cached)
        report = analysis.analyse(path, options)
        if cache:
            cache.put(path, options, report)
        return Outcome(path, report=report)
    except Exception as caught:  # a damaged file can make a parser raise anything: report it, go on
        error = caught if isinstance(caught, XiaomiCheckError) else unexpected(caught)
        return Outcome(path, failure=Failure(error.message, error.hint, int(error.exit_code)))


def analyse_many(paths: Sequence[Path], options: Options = Options(), jobs: int | None = None,  # noqa: B008
                 executor: Executor | None = None, cache_dir: Path | None = None) -> list[Outcome]:
    """Outcomes in input order. One file, or `jobs == 1`, runs in this process; otherwise a process pool of
    `jobs` workers (default: the number of cores), or the executor given."""
    workers = jobs or os.cpu_count() or 1
    if executor is None and (len(paths) <= 1 or workers == 1):
        return [analyse_one(path, options, cache_dir) for path in paths]
    if executor is not None:
        return list(executor.map(analyse_one, paths, [options] * len(paths), [cache_dir] * len(paths)))
    with ProcessPoolExecutor(max_workers=min(workers, len(paths))) as pool:
        return list(pool.map(analyse_one, paths, [options] * len(paths), [cache_dir] * len(paths)))
