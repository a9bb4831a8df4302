"""Every figure printed in the fixture filings, compared with what the extractor reports, page included.

The manifests in fixtures/expected/ are written by fixtures/generate.py from the same data it draws,
so they are the ground truth of what each page shows.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, report_for
from xiaomi_check.amounts import parse_amount, parse_unit_caption
from xiaomi_check.models import Figure, Report

MANIFESTS = sorted((FIXTURES / "expected").glob("*.json"))


def manifest(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


CASES = [(m.stem, f) for m in MANIFESTS for f in manifest(m)["figures"]]


def _period(truth: dict[str, Any]) -> str:
    """Cash resources are a balance: the tool dates it at the period end the text names ("As of September 30,
    2024"), where the manifest files it under the quarter it was reported with."""
    if truth["item"] == "cash_resources" and truth["period"] == "Q3 2024":
        return "2024-09-30"
    return str(truth["period"])


def _matches(report: Report, truth: dict[str, Any]) -> list[Figure]:
    return [f for f in report.figures if f.item == truth["item"] and f.period.label == _period(truth)
            and f.segment == truth["segment"] and f.region == truth["region"]
            and f.statement == truth["statement"]]


def _report(stem: str) -> Report:
    return report_for(FIXTURES / manifest(FIXTURES / "expected" / f"{stem}.json")["file"])


@pytest.mark.parametrize(("stem", "truth"), CASES, ids=[
    f"{s}-{t['statement'][:8]}-{t['item']}-{t['segment'] or t['region'] or ''}-{t['period']}" for s, t in CASES])
def test_fixture_figure(stem: str, truth: dict[str, Any]) -> None:
    found = _matches(_report(stem), truth)
    assert found, "not extracted"
    figure = found[0]
    if truth["item"] == "cash_resources":  # prose with a scale word: "RMB151.6 billion", kept in billions
        assert (figure.source.raw_text, figure.value, figure.unit.label) == (truth["value"], Decimal("151.6"),
                                                                             "RMB billion")
        assert figure.value_millions == Decimal("151600")
        assert figure.source.page == truth["page"]
        return
    expected = parse_amount(truth["value"])
    assert expected is not None
    if figure.source.page != truth["page"]:
        _assert_repeat_agrees(stem, truth, figure, expected.value)
        return
    assert figure.source.raw_text == truth["value"]
    assert figure.value == expected.value


def _assert_repeat_agrees(stem: str, truth: dict[str, Any], figure: Figure, value: Decimal | None) -> None:
    """A table that repeats one already taken (the Accountants' Report in RMB'000 after the financial
    information section in RMB millions) is recorded as not used, and its value agrees with the one taken."""
    [choice] = [t for t in _report(stem).tables if truth["page"] in t.pages and t.kind == truth["statement"]]
    assert not choice.used and "all agree" in choice.reason
    unit = parse_unit_caption(truth["unit"])
    assert unit is not None and value is not None and figure.value_millions is not None
    assert abs(value * unit.scale / 1_000_000 - figure.value_millions) < Decimal("0.05")


DECOYS = [(m.stem, d) for m in MANIFESTS for d in manifest(m).get("decoys", [])]


@pytest.mark.parametrize(("stem", "decoy"), DECOYS, ids=[f"{s}-{d['item']}-{d['period']}-p{d['page']}"
                                                          for s, d in DECOYS])
def test_decoy_tables_are_not_taken(stem: str, decoy: dict[str, Any]) -> None:
    file = FIXTURES / manifest(FIXTURES / "expected" / f"{stem}.json")["file"]
    try:
        report = report_for(file)
    except Exception as error:  # a filing with no financial table at all is an error, which is right here
        assert "No financial statement" in str(error)
        return
    assert not [f for f in report.figures if f.source.page == decoy["page"]]


def test_prospectus_decoys_are_refused_by_their_titles() -> None:
    """Industry (p142), pro-forma (p541) and principal-subsidiary (p575) tables: refused as not the group's own,
    not merely unrecognised, so a subsidiary's full income statement could never pass for the group's."""
    report = _report("prospectus_2018")
    decoy_pages = {d["page"] for d in manifest(FIXTURES / "expected" / "prospectus_2018.json")["decoys"]}
    choices = [t for t in report.tables if set(t.pages) & decoy_pages]
    assert {p for t in choices for p in t.pages} == decoy_pages
    assert all(not t.used and t.reason.startswith("not the group's own figures") for t in choices)
