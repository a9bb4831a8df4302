"""Many filings: processes, input order, results identical to a serial run, one failure not stopping the
others, any `concurrent.futures.Executor` (a local Dask cluster included, a thread pool too), and the optional
cache; a bomb or a file that kills its worker fails alone; SIGTERM ends the workers with the run (issue 14)."""

from __future__ import annotations

import gc
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from badinput.make_corpus import CASES, long_pdf
from conftest import FIXTURES
from xiaomi_check import analysis
from xiaomi_check.analysis import Options
from xiaomi_check.batch import Outcome, analyse_many
from xiaomi_check.cache import ResultCache
from xiaomi_check.errors import ExitCode, ExtractionError

FILES = [FIXTURES / "results_q3_2024.pdf", FIXTURES / "traps" / "trap_scanned.pdf",
         FIXTURES / "results_fy2018_zh_hant.pdf", FIXTURES / "results_q3_2024.html"]


def _summary(outcomes: list) -> list[tuple[str, int | None, int]]:  # type: ignore[type-arg]
    return [(o.path.name, o.failure.exit_code if o.failure else None, len(o.report.figures) if o.report else 0)
            for o in outcomes]


def test_parallel_equals_serial_in_input_order() -> None:
    finished: list[Outcome] = []
    serial, parallel = analyse_many(FILES, jobs=1), analyse_many(FILES, jobs=2, progress=finished.append)
    assert [o.path for o in parallel] == FILES
    assert sorted(o.path.name for o in finished) == sorted(p.name for p in FILES)  # each file once, as it ends
    scanned_pages = 1  # trap_scanned.pdf fails (no text layer) after its one page was counted
    assert sum(o.pages for o in finished) == sum(o.report.page_count for o in serial if o.report) + scanned_pages
    assert [o.report for o in parallel] == [o.report for o in serial]
    assert _summary(parallel)[1] == ("trap_scanned.pdf", ExitCode.UNREADABLE_INPUT, 0)
    assert all(o.report is not None for i, o in enumerate(parallel) if i != 1)


def test_a_failure_counts_the_pages_its_error_knows(monkeypatch: pytest.MonkeyPatch) -> None:
    def nothing_found(path: Path, options: Options) -> None:
        raise ExtractionError("No financial statement was found.", page_count=7)

    monkeypatch.setattr("xiaomi_check.analysis.analyse", nothing_found)
    [outcome] = analyse_many([FILES[0]])
    assert outcome.failure is not None and outcome.failure.exit_code == ExitCode.NOTHING_EXTRACTED
    assert outcome.pages == 7


def test_any_executor_can_run_the_work() -> None:
    with ProcessPoolExecutor(max_workers=2) as pool:
        assert _summary(analyse_many(FILES, executor=pool)) == _summary(analyse_many(FILES, jobs=1))


def test_a_local_dask_cluster_runs_the_work() -> None:
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        outcomes = analyse_many(FILES[:2], executor=client.get_executor())
    assert _summary(outcomes) == _summary(analyse_many(FILES[:2], jobs=1))


def test_cache_is_keyed_by_content_version_and_options(tmp_path: Path) -> None:
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(FILES[0].read_bytes())
    cache = ResultCache(tmp_path / "cache")
    [first] = analyse_many([copy], cache_dir=cache.folder)
    assert first.report is not None and cache.get(copy, Options()) == first.report
    assert cache.get(copy, Options(pages=(1,))) is None  # other options, other entry
    copy.write_bytes(FILES[0].read_bytes() + b"\n% changed\n")
    assert cache.get(copy, Options()) is None  # other bytes, other entry


def test_a_damaged_cache_entry_is_ignored(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    path = FILES[0]
    (tmp_path / f"{cache.key(path, Options())}.json").write_text("{not json", encoding="utf-8")
    assert cache.get(path, Options()) is None
    [outcome] = analyse_many([path], cache_dir=tmp_path)
    assert outcome.report is not None and cache.get(path, Options()) == outcome.report


def test_a_thread_pool_does_not_crash_pdfium() -> None:
    """PDFium is not thread-safe: the PDF adapter holds one lock around it. In a subprocess, so a crash would
    fail this test instead of killing the run."""
    files = [FIXTURES / "results_fy2018_zh_hant.pdf", FIXTURES / "traps" / "trap_scanned.pdf",
             FIXTURES / "results_q3_2024.html"] * 3
    script = ("import sys\nfrom concurrent.futures import ThreadPoolExecutor\nfrom pathlib import Path\n"
              "from xiaomi_check.batch import analyse_many\nfiles = [Path(p) for p in sys.argv[1:]]\n"
              "with ThreadPoolExecutor(3) as pool:\n    outcomes = analyse_many(files, executor=pool)\n"
              "print([(o.failure.exit_code if o.failure else len(o.report.figures)) for o in outcomes])\n")
    done = subprocess.run([sys.executable, "-c", script, *map(str, files)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    serial = [o.failure.exit_code if o.failure else len(o.report.figures) for o in analyse_many(files[:3], jobs=1)]
    assert done.stdout.strip() == str(serial * 3)


def test_a_bomb_among_good_files_fails_alone(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(CASES["bomb_lzw.pdf"]())
    files = [FIXTURES / "results_fy2018_zh_hant.pdf", bomb, FIXTURES / "results_q3_2024.html"]
    outcomes = analyse_many(files, jobs=2)
    assert [o.failure.exit_code if o.failure else None for o in outcomes] == [None, ExitCode.UNREADABLE_INPUT, None]
    assert outcomes[1].failure is not None and "decompression bomb" in outcomes[1].failure.message


def test_a_file_that_kills_its_worker_fails_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that dies (a PDF library crashing, the out-of-memory killer) breaks the pool: the files not done
    are rerun one process each, so only the file that kills its process fails. (Workers are forked, so they
    inherit the patched `analyse`.)"""
    from xiaomi_check import analysis

    real = analysis.analyse

    def crashing(path: Path, options: Options = Options()) -> object:  # noqa: B008
        if path.name == "trap_scanned.pdf":
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path, options)

    monkeypatch.setattr(analysis, "analyse", crashing)
    outcomes = analyse_many(FILES[1:], jobs=2)
    assert [o.report is not None for o in outcomes] == [False, True, True]
    assert outcomes[0].failure is not None and "process reading this file died" in outcomes[0].failure.message


def test_sigterm_ends_the_workers_with_the_run(tmp_path: Path) -> None:
    """SIGTERM to a --jobs 2 run: the workers end with it, and no temporary file is left beside --output."""
    slow = tmp_path / "long.pdf"
    slow.write_bytes(long_pdf())
    files = [str(slow)] * 3
    run = subprocess.Popen([sys.executable, "-m", "xiaomi_check", *files, "-j", "2", "-f", "json", "-o",
                            str(tmp_path / "out.json")], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    workers = _children(run.pid, count=2, seconds=30)
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=30) == 128 + signal.SIGTERM
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["long.pdf"]


def _children(pid: int, count: int, seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                 for child in (task / "children").read_text().split()]
        if len(found) >= count:
            time.sleep(0.3)  # let them start on a file
            return found
        time.sleep(0.05)
    raise AssertionError(f"{count} workers did not start")


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_the_collector_thresholds_are_restored_after_analyses() -> None:
    """An analysis runs the cyclic garbage collector less often (`analysis._few_collections`); Python's
    thresholds are back when it ends, whether it reported, failed, or ran beside others in threads."""
    before = gc.get_threshold()
    gc.set_threshold(900, 11, 12)
    try:
        analysis.analyse(FIXTURES / "results_q3_2024.html")
        assert gc.get_threshold() == (900, 11, 12)
        with pytest.raises(ExtractionError):
            analysis.analyse(FIXTURES / "traps" / "trap_no_financial_tables.pdf")
        assert gc.get_threshold() == (900, 11, 12)
        with ThreadPoolExecutor(3) as pool:
            seen = list(pool.map(_threshold_during, [FIXTURES / "results_q3_2024.html"] * 6))
        assert gc.get_threshold() == (900, 11, 12)
        assert set(seen) == {(analysis._COLLECTING_AFTER, 11, 12)}
    finally:
        gc.set_threshold(*before)


def _threshold_during(path: Path) -> tuple[int, ...]:
    with analysis._few_collections():
        analysis.analyse(path)
        return gc.get_threshold()
