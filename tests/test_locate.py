"""Which pages are opened (locate.py): the page's own text decides, by the shape of a table."""

from __future__ import annotations

import re

import pytest

from conftest import FIXTURES
from xiaomi_check import locate
from xiaomi_check.concepts import PAGE_VOCABULARY
from xiaomi_check.ingest.pdf import PdfFile
from xiaomi_check.locate import MIN_SCORE, choose_pages, score_page, score_pages

HALF_OF_A_RECONCILIATION = """Amortization of intangible assets resulting from acquisitions 24.0 23.7 24.1
Income tax effects 7.2 (27.1) (33.4)
Adjusted net profit 6,252.0 5,988.5 6,175.4
"""
FIRST_HALF = """Reconciliation of non-IFRS measure: adjusted net profit
(Renminbi ("RMB") in millions, unless specified)
Three months ended September 30, 2024 September 30, 2023 June 30, 2024
Profit for the period 5,340.3 4,871.5 5,069.7
Share-based compensation 652.4 596.1 667.5
Net fair value changes on investments 228.1 524.3 447.5
"""
PROSE = "The Company was incorporated in 2010. In 2018 it listed in Hong Kong on 9 July. " * 20


def test_amounts_in_millions_count_as_amounts() -> None:
    """A table in millions prints 24.0 and 887.7, not only grouped thousands: both halves of a reconciliation
    split over a page break are candidates, the first on its own, the second as its follower."""
    assert score_page(FIRST_HALF) >= MIN_SCORE
    assert score_page(HALF_OF_A_RECONCILIATION) > 0
    assert choose_pages(score_pages([PROSE, FIRST_HALF, HALF_OF_A_RECONCILIATION, PROSE])) == [2, 3]


def test_years_and_dates_are_not_amounts() -> None:
    assert score_page(PROSE) == 0.0


ODD_CASES = ("Net İncome ſales KILO (1,234.5) 12.5% (3.1)% YEAR ENDED 2024 年度 截至 本期金额 Quarters Ended "
             "經營利潤 ８８.８")


@pytest.mark.parametrize(("plain", "fast"), [(PAGE_VOCABULARY, locate._VOCABULARY), (locate.NUMBER, locate._NUMBER),
                                             (locate.PERIOD, locate._PERIOD)])
def test_anchored_patterns_find_what_the_plain_ones_find(plain: str, fast: re.Pattern[str]) -> None:
    """Each scoring pattern is tried only where its first character can stand: the same matches as the plain
    pattern, on the fixture filings (English and Chinese) and on letters that match case-blind."""
    with PdfFile((FIXTURES / "results_q3_2024.pdf").read_bytes()) as english, \
            PdfFile((FIXTURES / "results_fy2018_zh_hant.pdf").read_bytes()) as chinese:
        texts = [*english.texts(100).texts, *chinese.texts(100).texts, ODD_CASES, ODD_CASES.casefold()]
    slow = re.compile(plain, fast.flags)
    assert all([m.span() for m in slow.finditer(t)] == [m.span() for m in fast.finditer(t)] for t in texts)
