"""Headline figures of six real filings (other companies), each with the PDF page it was read from.

Ground truth: tests/data/real_filings.json, read off the PDFs by hand with pdftotext (see its notes).
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from conftest import REAL_FILINGS, ROOT, find, report_for
from xiaomi_check.amounts import parse_amount

TRUTH = [entry for entry in json.loads((ROOT / "tests/data/real_filings.json").read_text())
         if entry["file"] != "_summary"]
CASES = [(entry["file"], figure) for entry in TRUTH for figure in entry["figures"]]


def test_every_real_filing_is_listed() -> None:
    assert sorted(e["file"] for e in TRUTH) == sorted(p.name for p in REAL_FILINGS.glob("*.pdf"))


@pytest.mark.parametrize(("file", "truth"), CASES, ids=[f"{f[:14]}-{t['item']}-{t['period']}" for f, t in CASES])
def test_headline_figure_and_page(file: str, truth: dict[str, str]) -> None:
    report = report_for(REAL_FILINGS / file)
    found = find(report, truth["item"], truth["period"], statement="income_statement")
    expected = parse_amount(truth["value"])
    assert expected is not None
    assert found, f"{truth['item']} {truth['period']} not extracted"
    figure = found[0]
    assert figure.value == expected.value
    assert figure.source.page == truth["page"]
    assert figure.source.raw_text.strip("$ ") == truth["value"]


@pytest.mark.parametrize("entry", TRUTH, ids=[e["file"][:14] for e in TRUTH])
def test_unit_read_from_the_caption(entry: dict[str, object]) -> None:
    report = report_for(REAL_FILINGS / str(entry["file"]))
    revenue = find(report, "revenue", entry["periods"][0]["label"], statement="income_statement")  # type: ignore[index]
    scale = 1_000 if "000" in str(entry["unit_caption"]) else 1_000_000
    assert revenue[0].unit.scale == scale
    assert revenue[0].value_millions == revenue[0].value * scale / Decimal(1_000_000)
