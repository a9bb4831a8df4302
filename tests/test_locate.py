"""Which pages are opened (locate.py): the page's own text decides, by the shape of a table."""

from __future__ import annotations

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
