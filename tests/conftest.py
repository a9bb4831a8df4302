"""Shared paths and cached analyses: each filing is analysed once per test session."""

from __future__ import annotations

import functools
import importlib.util
import json
import sys
import tempfile
from pathlib import Path
from types import ModuleType

from xiaomi_check.analysis import analyse
from xiaomi_check.models import Figure, Report

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
# Six real filings of other companies, inside the project so that the suite runs on a clone: the three US ones
# whole, the three HK annual reports cut to the pages the tests need (tests/data/real/README.md, make_excerpts.py).
REAL_FILINGS = ROOT / "tests" / "data" / "real"
_REAL_COPIES = json.loads((REAL_FILINGS / "excerpts.json").read_text(encoding="utf-8"))


def real_page(file: str, original_page: int) -> int:
    """The page of REAL_FILINGS / file that is `original_page` of the original filing.

    Pages in tests/data/real_filings.json (and in tests that name a page) are pages of the originals, read off them
    by hand; an excerpt keeps only some of them, in order (excerpts.json gives the original page of each).
    """
    kept = _REAL_COPIES[file]["original_pages"]
    if kept is None:  # copied whole
        return original_page
    if original_page not in kept:
        raise ValueError(f"page {original_page} of {file} is not in its excerpt (pages {kept})")
    return int(kept.index(original_page)) + 1


@functools.cache
def report_for(path: Path) -> Report:
    return analyse(path)


def find(report: Report, item: str, period: str, *, segment: str | None = None, region: str | None = None,
         statement: str | None = None) -> list[Figure]:
    return [f for f in report.figures if f.item == item and f.period.label == period and f.segment == segment
            and f.region == region and (statement is None or f.statement == statement)]


@functools.cache
def load_layouts() -> ModuleType:
    """fixtures/layouts.py, the generator of the layout variants (loaded once: its variants are cached in it)."""
    spec = importlib.util.spec_from_file_location("layout_variants", FIXTURES / "layouts.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@functools.cache
def variant_report(name: str) -> Report:
    """The report of one layout variant, analysed once per test session (tests/test_layouts.py reads its figures,
    tests/test_layout_metrics.py its metrics). The file is written to a temporary folder only while it is read."""
    [variant] = [v for v in load_layouts().all_variants() if v.name == name]
    with tempfile.TemporaryDirectory(prefix="xc-variant-") as folder:
        path = Path(folder) / variant.filename
        path.write_bytes(variant.data)
        return analyse(path)
