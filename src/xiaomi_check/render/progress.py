"""Progress on a terminal while filings are analysed: a spinner for one file; for several, a bar of files done
of all, the pages scanned so far and their rate, and the time left, advanced as each file's work finishes (by
the callback `batch.analyse_many` calls). Nothing at all on a console that is not a terminal; `cli` shows it on
stderr only when stderr is one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from threading import Lock
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text


class PagesColumn(ProgressColumn):
    """The pages scanned in the files done so far, and pages per second since the start."""

    def render(self, task: Task) -> Text:
        pages = int(task.fields.get("pages", 0))
        elapsed = task.elapsed or 0.0
        speed = pages / elapsed if pages and elapsed > 0 else 0.0
        rate = "-" if not speed else f"{speed:,.0f}" if speed >= 10 else f"{speed:.1f}"
        return Text(f"{pages:,} pages · {rate} pages/s ·")


@contextmanager
def file_progress(console: Console, count: int) -> Iterator[Callable[[int], None] | None]:
    """For one file: a spinner, and no callback. For several: a bar of files done, the pages scanned and their
    rate, and the time left, advanced by the callback (called with the pages of each file as it is done).
    Nothing, and no callback, when `console` is not a terminal."""
    if not console.is_terminal:
        yield None
        return
    if count <= 1:
        with console.status(f"analysing {count} file(s)"):
            yield None
        return
    columns: list[Any] = [SpinnerColumn(), TextColumn("analysing"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("files ·"), PagesColumn(), TimeRemainingColumn(), TextColumn("left")]
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("files", total=count, pages=0)
        lock, scanned = Lock(), [0]

        def advance(pages: int) -> None:
            with lock:  # called from a pool's thread: count the file and its pages together
                scanned[0] += pages
                progress.update(task, advance=1, pages=scanned[0])

        yield advance
