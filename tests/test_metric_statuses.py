"""Statuses that follow the evidence, the headline period, one figure per period, the questions' wording: on
inline figures, each expectation computed by hand beside it."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from metric_helpers import IS, KH, PROFILE, REC, SEG, fig, fy, half, one, q, results
from xiaomi_check.financials import Financials, headline_period
from xiaomi_check.metrics import UserInputs, compute_metrics
from xiaomi_check.models import Figure, Period, PeriodKind, Status, VerificationStatus
from xiaomi_check.questions import answer_questions

CONTRADICTED, VERIFIED = VerificationStatus.CONTRADICTED, VerificationStatus.VERIFIED
CENT = D("0.01")


def margins(status: VerificationStatus = VerificationStatus.UNVERIFIED) -> list[Figure]:
    y = fy(2018)
    return [fig("revenue", y, "174915.4", status=status, page=3,
                contradictions=("revenue = Σ segment revenue (FY2018): printed 174,915.4, computed 174,815.4",)
                if status is CONTRADICTED else ()),
            fig("gross_profit", y, "22191.9", status=VERIFIED, page=3),
            fig("profit_for_period", y, "13477.6", status=VERIFIED, page=3),
            fig("revenue", y, "113800.4", SEG, segment="smartphones", status=VERIFIED, page=2)]


# ----------------------------------------------------------------- statuses


def test_a_contradicted_input_makes_a_conflict_with_the_value_and_what_disagrees() -> None:
    result = one(results(margins(CONTRADICTED)), "gross_margin", "FY2018")
    assert result.status is Status.CONFLICT
    assert result.value == (D("22191.9") / D("174915.4") * 100).quantize(CENT) == D("12.69")  # still shown
    assert result.conflicts == ("revenue FY2018 (p3) printed '174915.4': revenue = Σ segment revenue (FY2018): "
                                "printed 174,915.4, computed 174,815.4",)


def test_unverified_inputs_are_named_and_verified_ones_are_not() -> None:
    result = one(results(margins()), "gross_margin", "FY2018")
    assert result.status is Status.OK and result.unverified == ("revenue FY2018 (p3)",)
    assert result.conflicts == ()


def test_a_breach_on_a_contradicted_input_is_a_conflict_not_a_breach() -> None:
    y = fy(2017)
    figures = [fig("revenue", y, "1000"), fig("gross_profit", y, "300"),
               fig("revenue", y, "600", SEG, segment="smartphones", status=CONTRADICTED),
               fig("revenue", y, "400", SEG, segment="iot_lifestyle"),
               fig("gross_profit", y, "200", SEG, segment="smartphones"),
               fig("gross_profit", y, "100", SEG, segment="iot_lifestyle"),
               fig("selling_and_marketing_expenses", y, "-50"), fig("administrative_expenses", y, "-30"),
               fig("research_and_development_expenses", y, "-20")]
    result = one(results(figures), "hardware_net_margin", "FY2017")
    # (300 − 100 × 1000/1000) × 0.75 ÷ 1000 = 15% (no profit before tax printed: statutory 25%), above 5%
    assert result.value == (D(300) - D(100) * D(1000) / D(1000)) * D("0.75") / D(1000) * 100 == D("15.00")
    assert result.status is Status.CONFLICT and "above the 5.0% cap" in result.verdict
    assert result.conflicts[0].startswith("revenue · smartphones FY2017 (p1) printed '600'")


def test_a_verified_copy_is_used_before_a_contradicted_one() -> None:
    y = fy(2018)
    figures = [*margins(CONTRADICTED), fig("revenue", y, "174915.4", KH, status=VERIFIED, page=1)]
    result = one(results(figures), "gross_margin", "FY2018")
    assert result.status is Status.OK
    assert [(f.item, f.statement) for f in result.inputs] == [("gross_profit", IS), ("revenue", KH)]


def test_user_inputs_not_given_are_not_requested() -> None:
    found = results(margins())
    for metric_id in ("pe_reported", "pe_adjusted", "ps"):
        result = one(found, metric_id, "FY2018")
        assert result.status is Status.NOT_REQUESTED and "--market-cap" in (result.reason or "")
    voting = one(found, "wvr_voting_share", None)
    assert voting.status is Status.NOT_REQUESTED and "--class-a-held" in (voting.reason or "")


def test_a_filing_without_the_profile_segments_shows_one_line() -> None:
    """Apple's figures against the Xiaomi profile: no Xiaomi-specific row, one line that says why."""
    y = fy(2022)
    figures = [fig("revenue", y, "394328"), fig("gross_profit", y, "170782"),
               fig("revenue", y, "169658", region="americas"), fig("revenue", y, "205489", SEG, segment="iphone")]
    found = results(figures)
    line = one(found, "segment_checks", "FY2022")
    assert (line.label, line.status) == ("Xiaomi segment checks", Status.NOT_APPLICABLE)
    assert (line.reason or "").startswith("not applicable, no such segments")
    specific = ("hardware", "internet", "ev_", "international", "mainland", "wvr")
    assert not [m.id for m in found if m.id.startswith(specific)]
    assert one(found, "gross_margin", "FY2022").value == (D(170782) / D(394328) * 100).quantize(CENT)


def test_every_result_without_a_value_says_why() -> None:
    found = compute_metrics(Financials(()), PROFILE)
    assert found and all(m.reason for m in found if m.value is None)


def test_a_profile_without_segments_says_so() -> None:
    bare = PROFILE.model_copy(update={"roles": PROFILE.roles.model_copy(
        update={"hardware": (), "internet": (), "ev": ()})})
    y = fy(2018)
    figures = [fig("revenue", y, "100"), fig("revenue", y, "60", region="international")]
    found = {m.id: m for m in compute_metrics(Financials(tuple(figures)), bare)}
    assert found["hardware_net_margin"].reason == "the profile names no hardware segment"
    assert found["internet_checks"].reason == "the profile names no internet segment"
    assert found["ev_checks"].reason == "the profile names no EV segment"
    assert {found[k].status for k in ("hardware_net_margin", "internet_checks", "ev_checks")} == {
        Status.NOT_APPLICABLE}


# ----------------------------------------------------------------- the headline period


ANNUAL = [q(4, 2018), fy(2018), q(4, 2017), fy(2017)]


@pytest.mark.parametrize(("periods", "kind", "expected"), [
    (ANNUAL, None, "FY2018"),  # an annual announcement prints Q4 too: the year is its own period
    (ANNUAL, "annual results announcement", "FY2018"),
    (ANNUAL, "quarterly results announcement", "Q4 2018"),
    ([q(2, 2024), half(2024), q(2, 2023), half(2023)], None, "H1 2024"),
    ([q(2, 2024), half(2024)], "interim results announcement", "H1 2024"),
    ([q(3, 2024), Period(kind=PeriodKind.NINE_MONTHS, year=2024, month=9)], None, "Q3 2024"),
    ([fy(2017), fy(2016), q(1, 2018)], "prospectus", "FY2017"),  # the latest full year, not the stub
    ([fy(2017), fy(2016), q(1, 2018)], None, "Q1 2018"),
    ([q(4, 2022), fy(2022)], "earnings release", "FY2022"),  # a fourth-quarter release reports the year
    ([q(2, 2023), half(2023)], "earnings release", "Q2 2023"),  # a second-quarter release, the quarter
    ([q(2, 2023), Period(kind=PeriodKind.NINE_MONTHS, year=2023, month=6)], "quarterly report (Form 10-Q)",
     "Q2 2023"),
])
def test_headline_period(periods: list[Period], kind: str | None, expected: str) -> None:
    headline = headline_period(periods, kind)
    assert headline is not None and headline.label == expected


def test_an_annual_announcement_reports_on_the_full_year() -> None:
    figures = [fig("revenue", fy(2018), "174915.4"), fig("gross_profit", fy(2018), "22191.9"),
               fig("revenue", fy(2017), "114624.7"),
               fig("revenue", q(4, 2018), "44416.0"), fig("gross_profit", q(4, 2018), "5845.0"),
               fig("revenue", q(4, 2017), "34440.0")]
    found = results(figures)
    assert one(found, "gross_margin", "FY2018").value == (D("22191.9") / D("174915.4") * 100).quantize(CENT)
    assert one(found, "growth_yoy:revenue", "FY2018").value == (
        (D("174915.4") / D("114624.7") - 1) * 100).quantize(CENT) == D("52.60")
    assert not [m for m in found if m.period == "Q4 2018" or m.id.startswith("growth_qoq")]


# ----------------------------------------------------------------- one period, one figure


def test_one_period_parsed_twice_gives_one_bridge_and_a_repeated_table_merges() -> None:
    """"December 31, 2017" and "FY2017" are one year; the reconciliation printed twice adds up once."""
    dated, plain = fy(2017, day=31), fy(2017)
    figures = [fig("profit_for_period", dated, "-43889.1"), fig("adjusted_net_profit", plain, "5361.9", KH)]
    for page in (301, 480):
        figures += [fig("profit_for_period", plain, "-43889.1", REC, page=page),
                    fig("fair_value_changes_preferred_shares", plain, "54071.0", REC, page=page),
                    fig("share_based_compensation", plain, "909.0", REC, page=page),
                    fig("net_fair_value_gains_on_investments", plain, "-5729.0", REC, page=page),
                    fig("adjusted_net_profit", plain, "5361.9", REC, page=page)]
    fin = Financials(tuple(figures))
    assert [p.label for p in fin.periods()] == ["FY2017"]
    [bridge] = [m for m in compute_metrics(fin, PROFILE) if m.id == "profit_bridge"]
    steps = [line for line in bridge.working if line.label.startswith("+ ")]
    assert [s.value for s in steps] == [D("54071.0"), D("909.0"), D("-5729.0")]  # each once, as printed
    assert sum(s.value for s in steps if s.value is not None) == bridge.value == D("49251.0")


# ----------------------------------------------------------------- the questions


def test_the_questions_take_their_wording_from_the_profile() -> None:
    texts = ["Mr. Lei Jun holds 4,295,187,720 Class A Shares."]
    strict = PROFILE.model_copy(update={"thresholds": PROFILE.thresholds.model_copy(
        update={"hardware_net_margin_cap_pct": D("3.5")})})
    answers = answer_questions(texts, [], strict)
    assert answers[0].question == "Does the hardware net margin stay within the 3.5% cap?"
    control = next(a for a in answers if a.question.startswith("What do the founders hold"))
    assert control.found and control.pages == (1,)
    anonymous = answer_questions(texts, [], PROFILE.model_copy(update={"founders": ()}))
    assert not next(a for a in anonymous if a.question.startswith("What do the founders hold")).found


def test_an_answer_from_a_conflicting_metric_says_so() -> None:
    found = results(margins(CONTRADICTED), UserInputs())
    profit = next(a for a in answer_questions([], found, PROFILE) if a.question.startswith("Is it profitable"))
    assert "conflict: its inputs disagree" in profit.answer
