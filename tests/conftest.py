"""Shared paths and cached analyses: each filing is analysed once per test session."""

from __future__ import annotations

import functools
from pathlib import Path

from xiaomi_check.analysis import analyse
from xiaomi_check.models import Figure, Report

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
REAL_FILINGS = ROOT.parent / "shared" / "real_filings"


@functools.cache
def report_for(path: Path) -> Report:
    return analyse(path)


def find(report: Report, item: str, period: str, *, segment: str | None = None, region: str | None = None,
         statement: str | None = None) -> list[Figure]:
    return [f for f in report.figures if f.item == item and f.period.label == period and f.segment == segment
            and f.region == region and (statement is None or f.statement == statement)]
