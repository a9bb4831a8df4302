"""Figures printed in sentences, and the kind of document (which fixes the headline period), on inline text."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from xiaomi_check.models import Period, PeriodKind
from xiaomi_check.prose import document_facts, text_figures

Q3 = Period(kind=PeriodKind.QUARTER, year=2024, month=9)


@pytest.mark.parametrize(("title", "kind"), [
    ("ANNOUNCEMENT OF RESULTS FOR THE THREE MONTHS AND NINE MONTHS ENDED SEPTEMBER 30, 2024",
     "quarterly results announcement"),
    ("RESULTS ANNOUNCEMENT FOR THE THREE AND NINE MONTHS ENDED SEPTEMBER 30, 2024", "quarterly results announcement"),
    ("ANNOUNCEMENT OF ANNUAL RESULTS FOR THE YEAR ENDED DECEMBER 31, 2018", "annual results announcement"),
    ("ANNUAL RESULTS ANNOUNCEMENT FOR THE YEAR ENDED DECEMBER 31, 2024 ... the three months ended December 31",
     "annual results announcement"),
    ("ANNOUNCEMENT OF RESULTS FOR THE THREE MONTHS AND SIX MONTHS ENDED JUNE 30, 2024",
     "interim results announcement"),
    ("截至2018年12月31日止年度之年度業績公告", "annual results announcement"),
    ("截至2024年9月30日止三個月及九個月之業績公告", "quarterly results announcement"),
])
def test_a_results_announcement_is_named_for_its_period(title: str, kind: str) -> None:
    assert document_facts([title])[1] == kind


@pytest.mark.parametrize("sentence", [
    "In the third quarter, the adjusted net loss of the smart EV and other new initiatives segment was RMB1.5 "
    "billion.",
    "本季度，智能電動汽車等創新業務分部的經調整淨虧損為人民幣15億元。",
    "本季度，智能电动汽车等创新业务分部经调整净亏损为人民币15亿元。",
])
def test_the_segment_adjusted_net_loss_is_read_from_prose(sentence: str) -> None:
    [loss] = list(text_figures([sentence], Q3))
    assert (loss.item, loss.segment, loss.period.label) == ("adjusted_net_loss", "smart_ev_new_initiatives", "Q3 2024")
    assert loss.unit.currency == "RMB" and loss.value_millions == Decimal(1500)  # 1.5 billion = 15 億


def test_cash_resources_keep_the_printed_currency_and_unit() -> None:
    [cash] = list(text_figures(["As of September 30, 2024, our cash resources were HK$151.6 billion."], Q3))
    assert (cash.period.label, cash.value, cash.unit.label) == ("2024-09-30", Decimal("151.6"), "HKD billion")


@pytest.mark.parametrize(("keyword", "literals"), [
    (r"Class A|A類股份", ("class a", "a類股份")),
    (r"\bCDRs?\b|depositary receipts?|\bA[- ]shares?\b", ("cdr", "depositary receipt", "share")),
    (r"ecosystem companies|companies in (?:our|the) ecosystem", ("ecosystem companies", "companies in ")),
    (r"Offer Price|HK\$\s?\d", ("offer price", "hk$")),
])
def test_a_question_s_keyword_is_searched_only_on_pages_with_its_words(keyword: str, literals: tuple[str, ...]
                                                                         ) -> None:
    """Each alternative's longest run of plain characters (an optional character, a class or a group ends a run):
    every match contains one, so a page with none is not searched."""
    from xiaomi_check.questions import _literals, _search

    assert _literals(keyword) == literals
    pages = ["The Class A Shares carry ten votes.", "Nothing here.", "We may list CDRs in China."]
    key, must = re.compile(r"\bCDRs?\b|depositary receipts?", re.IGNORECASE), re.compile(r"list", re.IGNORECASE)
    assert _search(pages, key, must, {}) == (
        "We may list CDRs in China.", (3,))
