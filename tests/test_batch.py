"""Many filings: processes, input order, results identical to a serial run, one failure not stopping the
others, any `concurrent.futures.Executor` (a local Dask cluster included), and the optional cache."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from distributed import Client, LocalCluster

from conftest import FIXTURES
from xiaomi_check.analysis import Options
from xiaomi_check.batch import analyse_many
from xiaomi_check.cache import ResultCache
from xiaomi_check.errors import ExitCode

FILES = [FIXTURES / "results_q3_2024.pdf", FIXTURES / "traps" / "trap_scanned.pdf",
         FIXTURES / "results_fy2018_zh_hant.pdf", FIXTURES / "results_q3_2024.html"]


def _summary(outcomes: list) -> list[tuple[str, int | None, int]]:  # type: ignore[type-arg]
    return [(o.path.name, o.failure.exit_code if o.failure else None, len(o.report.figures) if o.report else 0)
            for o in outcomes]


def test_parallel_equals_serial_in_input_order() -> None:
    serial, parallel = analyse_many(FILES, jobs=1), analyse_many(FILES, jobs=2)
    assert [o.path for o in parallel] == FILES
    assert [o.report for o in parallel] == [o.report for o in serial]
    assert _summary(parallel)[1] == ("trap_scanned.pdf", ExitCode.UNREADABLE_INPUT, 0)
    assert all(o.report is not None for i, o in enumerate(parallel) if i != 1)


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
