"""Headline figures of six real filings (other companies), each with the PDF page it was read from.

Ground truth: tests/data/real_filings.json, read off the original PDFs by hand with pdftotext (see its notes); its
pages are pages of the originals. The files read here are tests/data/real/ (three of them excerpts): `real_page`
translates an original page into the page of the file read.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pytest

from conftest import REAL_FILINGS, ROOT, find, real_page, report_for
from xiaomi_check.amounts import parse_amount

TRUTH = [entry for entry in json.loads((ROOT / "tests/data/real_filings.json").read_text())
         if entry["file"] != "_summary"]
CASES = [(entry["file"], figure) for entry in TRUTH for figure in entry["figures"]]


def test_every_real_filing_is_listed() -> None:
    assert sorted(e["file"] for e in TRUTH) == sorted(p.name for p in REAL_FILINGS.glob("*.pdf"))


def test_copies_are_the_recorded_ones() -> None:
    """Each file is the one make_excerpts.py wrote (SHA-256 in excerpts.json), so its page mapping holds."""
    copies = json.loads((REAL_FILINGS / "excerpts.json").read_text(encoding="utf-8"))
    assert sorted(copies) == sorted(p.name for p in REAL_FILINGS.glob("*.pdf"))
    for name, copy in copies.items():
        data = (REAL_FILINGS / name).read_bytes()
        assert (hashlib.sha256(data).hexdigest(), len(data)) == (copy["sha256"], copy["bytes"]), name
        if copy["original_pages"] is not None:
            assert report_for(REAL_FILINGS / name).page_count == len(copy["original_pages"]), name


@pytest.mark.parametrize(("file", "truth"), CASES, ids=[f"{f[:14]}-{t['item']}-{t['period']}" for f, t in CASES])
def test_headline_figure_and_page(file: str, truth: dict[str, str]) -> None:
    report = report_for(REAL_FILINGS / file)
    found = find(report, truth["item"], truth["period"], statement="income_statement")
    expected = parse_amount(truth["value"])
    assert expected is not None
    assert found, f"{truth['item']} {truth['period']} not extracted"
    figure = found[0]
    assert figure.value == expected.value
    assert figure.source.page == real_page(file, truth["page"])
    assert figure.source.raw_text.strip("$ ") == truth["value"]


@pytest.mark.parametrize("entry", TRUTH, ids=[e["file"][:14] for e in TRUTH])
def test_unit_read_from_the_caption(entry: dict[str, object]) -> None:
    report = report_for(REAL_FILINGS / str(entry["file"]))
    revenue = find(report, "revenue", entry["periods"][0]["label"], statement="income_statement")  # type: ignore[index]
    scale = 1_000 if "000" in str(entry["unit_caption"]) else 1_000_000
    assert revenue[0].unit.scale == scale
    assert revenue[0].value_millions == revenue[0].value * scale / Decimal(1_000_000)


APPLE = next(entry for entry in TRUTH if entry["file"].startswith("us_apple"))
REGIONAL = APPLE["segments_or_geography"]


@pytest.mark.parametrize("truth", REGIONAL, ids=[f"{t['region']}-{t['item']}-{t['period']}" for t in REGIONAL])
def test_apple_geographic_segments(truth: dict[str, str]) -> None:
    """A sectioned breakdown: the region is a heading ("Americas:") over "Net sales" and "Operating income"."""
    report = report_for(REAL_FILINGS / str(APPLE["file"]))
    region = truth["region"].casefold().replace(" ", "_")
    [figure] = find(report, truth["item"], truth["period"], region=region, statement="geography")
    expected = parse_amount(truth["value"])
    assert expected is not None and figure.value == expected.value
    page = real_page(APPLE["file"], truth["page"])
    if figure.source.page == page:
        assert figure.source.row_label == truth["row_label"]
    else:  # printed again on p18 ("net sales by reportable segment", with % change): agrees, nothing flagged
        assert figure.note is None and not any("contradict" in w for w in report.warnings)
        [again] = [t for t in report.tables if page in t.pages and t.kind == "geography"]
        assert again.used  # for its change columns and total, which p16 does not print


def test_currency_from_symbol_cells_when_the_caption_names_none() -> None:
    """Intel prints "(In Millions, ...)" and "$" beside its numbers: the unit is USD million."""
    report = report_for(REAL_FILINGS / "us_intel_2022q4_earnings.pdf")
    [revenue] = find(report, "revenue", "Q4 2022", statement="income_statement")
    assert revenue.unit.label == "USD million" and revenue.unit.caption.startswith("(In Millions")


@pytest.mark.parametrize("name", sorted(p.name for p in REAL_FILINGS.glob("*.pdf")))
def test_no_page_of_a_sound_filing_is_called_damaged(name: str) -> None:
    """The decompression guard names a page whose content does not decompress; Apple's 10-Q is encrypted with an
    empty password (its streams never decompress as stored), and no page of any of these files is damaged."""
    assert [w for w in report_for(REAL_FILINGS / name).warnings if "damaged" in w] == []
