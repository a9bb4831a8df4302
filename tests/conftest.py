"""Shared paths and cached analyses: each filing is analysed once per test session."""

from __future__ import annotations

import functools
import json
from pathlib import Path

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
