"""Progress on a terminal while filings are analysed: a spinner for one file; for several, files done of all,
a bar and the time left, advanced by an executor wrapper as each file's work finishes. `cli` shows it on
stderr only when stderr is a terminal."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeRemainingColumn

P = ParamSpec("P")
T = TypeVar("T")


class Reporting(Executor):
    """An executor that calls `done()` each time a task it ran finishes (its `map` is built on `submit`)."""

    def __init__(self, inner: Executor, done: Callable[[], None]) -> None:
        self.inner, self.done = inner, done

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        future = self.inner.submit(fn, *args, **kwargs)
        future.add_done_callback(lambda _: self.done())
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.inner.shutdown(wait=wait, cancel_futures=cancel_futures)


@contextmanager
def file_progress(console: Console, count: int, jobs: int | None = None) -> Iterator[Executor | None]:
    """For one file (or one worker): a spinner, and no executor (the work runs in this process). For several:
    a process pool of `jobs` workers (default: the cores) that advances a bar of files done."""
    workers = min(jobs or os.cpu_count() or 1, count)
    if count <= 1 or workers <= 1:
        with console.status(f"analysing {count} file(s)"):
            yield None
        return
    columns: list[Any] = [SpinnerColumn(), TextColumn("analysing"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("files ·"), TimeRemainingColumn()]
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("files", total=count)
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield Reporting(pool, lambda: progress.advance(task))
