"""Every figure printed in the fixture filings, compared with what the extractor reports, page included.

The manifests in fixtures/expected/ are written by fixtures/generate.py from the same data it draws,
so they are the ground truth of what each page shows.
"""

from __future__ import annotations

import calendar
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, report_for
from xiaomi_check.amounts import parse_amount, parse_prose_amount, parse_unit_caption
from xiaomi_check.analysis import analyse
from xiaomi_check.errors import ExtractionError
from xiaomi_check.models import Figure, Period, PeriodKind, Report
from xiaomi_check.periods import parse_period

MANIFESTS = sorted((FIXTURES / "expected").glob("*.json"))


def manifest(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


CASES = [(m.stem, f) for m in MANIFESTS for f in manifest(m)["figures"]]
_PROSE_UNITS = {"units": "count"}  # the manifest's word for a count of vehicles; the tool's Unit label
BALANCES = {"cash_resources"}  # amounts at a date ("As of September 30, 2024, our cash resources were ...")


def _period(truth: dict[str, Any]) -> str:
    """The period label the figure must carry. A balance is dated at an instant, the end of the period the
    manifest files it under (Q3 2024 → 2024-09-30), which is the date its sentence prints."""
    if truth["item"] not in BALANCES:
        return str(truth["period"])
    period = parse_period(truth["period"])
    assert period is not None
    day = calendar.monthrange(period.year, period.month)[1]
    return Period(kind=PeriodKind.INSTANT, year=period.year, month=period.month, day=day).label


def _matches(report: Report, truth: dict[str, Any]) -> list[Figure]:
    return [f for f in report.figures if f.item == truth["item"] and f.period.label == _period(truth)
            and f.segment == truth["segment"] and f.region == truth["region"]
            and f.statement == truth["statement"]]


def _report(stem: str) -> Report:
    return report_for(FIXTURES / manifest(FIXTURES / "expected" / f"{stem}.json")["file"])


def _is_repeat(stem: str, truth: dict[str, Any]) -> bool:
    """The manifest prints this statement in an earlier table too (the prospectus's Accountants' Report repeats the
    income statement in RMB'000): the first printing is the one taken."""
    if truth["table"] is None:  # a sentence, not a table
        return False
    tables = manifest(FIXTURES / "expected" / f"{stem}.json")["tables"]
    first = next(t for t in sorted(tables, key=lambda t: t["pages"][0]) if t["statement"] == truth["statement"])
    return bool(first["id"] != truth["table"])


@pytest.mark.parametrize(("stem", "truth"), CASES, ids=[
    f"{s}-{t['statement'][:8]}-{t['item']}-{t['segment'] or t['region'] or ''}-{t['period']}" for s, t in CASES])
def test_fixture_figure(stem: str, truth: dict[str, Any]) -> None:
    found = _matches(_report(stem), truth)
    assert found, "not extracted"
    figure = found[0]
    if _is_repeat(stem, truth):
        _assert_repeat_agrees(stem, truth, figure)
        return
    assert (figure.source.page, figure.source.raw_text) == (truth["page"], truth["value"])
    if truth["table"] is None:  # a sentence: "RMB151.6 billion" stays in the unit the sentence prints
        assert figure.unit.label == _PROSE_UNITS.get(truth["unit"], truth["unit"])
        printed = parse_prose_amount(truth["value"])
        assert printed is not None and figure.value is not None
        assert figure.value * figure.unit.scale == printed
        return
    expected = parse_amount(truth["value"])
    assert expected is not None
    assert figure.value == expected.value


def _assert_repeat_agrees(stem: str, truth: dict[str, Any], figure: Figure) -> None:
    """A table that repeats one already taken is recorded as not used, and its value agrees with the one taken."""
    [choice] = [t for t in _report(stem).tables if truth["page"] in t.pages and t.kind == truth["statement"]]
    assert not choice.used and "all agree" in choice.reason
    assert figure.source.page != truth["page"]
    unit, value = parse_unit_caption(truth["unit"]), parse_amount(truth["value"])
    assert unit is not None and value is not None and value.value is not None
    assert figure.value_millions is not None
    assert abs(value.value * unit.scale / 1_000_000 - figure.value_millions) < Decimal("0.05")


DECOYS = [(m.stem, d) for m in MANIFESTS for d in manifest(m).get("decoys", [])]


@pytest.mark.parametrize(("stem", "decoy"), DECOYS, ids=[f"{s}-{d['item']}-{d['period']}-p{d['page']}"
                                                          for s, d in DECOYS])
def test_decoy_tables_are_not_taken(stem: str, decoy: dict[str, Any]) -> None:
    """A filing whose manifest lists no figure at all has nothing to extract: that is an error, and says so;
    any other filing is read, and nothing is taken from a decoy's page."""
    truth = manifest(FIXTURES / "expected" / f"{stem}.json")
    file = FIXTURES / truth["file"]
    if not truth["figures"]:
        with pytest.raises(ExtractionError, match="No financial statement"):
            analyse(file)
        return
    assert not [f for f in report_for(file).figures if f.source.page == decoy["page"]]


def test_prospectus_decoys_are_refused_by_their_titles() -> None:
    """Industry (p142), pro-forma (p541) and principal-subsidiary (p575) tables: refused as not the group's own,
    not merely unrecognised, so a subsidiary's full income statement could never pass for the group's."""
    report = _report("prospectus_2018")
    decoy_pages = {d["page"] for d in manifest(FIXTURES / "expected" / "prospectus_2018.json")["decoys"]}
    choices = [t for t in report.tables if set(t.pages) & decoy_pages]
    assert {p for t in choices for p in t.pages} == decoy_pages
    assert all(not t.used and t.reason.startswith("not the group's own figures") for t in choices)
