"""Progress on a terminal while filings are analysed: a spinner for one file; for several, files done of all,
a bar and the time left, advanced by an executor wrapper as each file's work finishes. `cli` shows it on
stderr only when stderr is a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
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
def file_progress(console: Console, count: int) -> Iterator[Callable[[], None] | None]:
    """For one file: a spinner, and no callback. For several: a bar of files done with the time left, advanced
    by the callback `batch.analyse_many` calls as each file is done (its own pool keeps the clean-up of workers
    on a signal and the isolation of a file that kills one)."""
    if count <= 1:
        with console.status(f"analysing {count} file(s)"):
            yield None
        return
    columns: list[Any] = [SpinnerColumn(), TextColumn("analysing"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("files ·"), TimeRemainingColumn()]
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("files", total=count)
        yield lambda: progress.advance(task)
