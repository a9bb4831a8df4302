"""Analyst metrics: a registry of small pure functions `(Financials, Profile, UserInputs) -> [MetricResult]`.

Every result carries its formula, the figures it used (with their pages), its working, and a reason when it
has no value. Its status follows its inputs: `ok` / `breach` only when no input is contradicted, `conflict`
otherwise (see `base.judge`). Money is compared in millions of the reporting currency; percentages to 0.01.
The company's own checks (segments, regions, WVR) collapse into one "not applicable" line on a filing that
prints none of the profile's segments or regions.
"""

from __future__ import annotations

from xiaomi_check.financials import Financials
from xiaomi_check.metrics.base import Metric, UserInputs, judge, na, pct
from xiaomi_check.metrics.bridge import bridge_verdict, profit_bridge
from xiaomi_check.metrics.group import group
from xiaomi_check.metrics.hardware import hardware_net_margin
from xiaomi_check.metrics.market import control, valuation, voting_share
from xiaomi_check.metrics.segments import internet_services, overseas_mix, smart_ev
from xiaomi_check.models import MetricResult, Status
from xiaomi_check.profile import Profile, display_name

__all__ = [
    "METRICS",
    "UserInputs",
    "bridge_verdict",
    "compute_metrics",
    "control",
    "pct",
    "voting_share",
]

METRICS: tuple[Metric, ...] = (
    hardware_net_margin,
    profit_bridge,
    internet_services,
    overseas_mix,
    smart_ev,
    group,
    control,
    valuation,
)
COMPANY_SPECIFIC: tuple[Metric, ...] = (hardware_net_margin, internet_services, overseas_mix, smart_ev, control)


def profile_applies(fin: Financials, profile: Profile) -> bool:
    """Whether the filing prints any segment or region the profile names (a profile that names none applies)."""
    roles = profile.roles
    named = {*roles.all_segments(), *roles.domestic, *roles.international}
    return not named or bool(named & fin.printed_segments())


NO_INPUTS = UserInputs()


def compute_metrics(fin: Financials, profile: Profile, user: UserInputs = NO_INPUTS) -> list[MetricResult]:
    if profile_applies(fin, profile):
        results = [result for metric in METRICS for result in metric(fin, profile, user)]
    else:
        results = [_not_applicable(fin, profile)] + [
            result for metric in METRICS if metric not in COMPANY_SPECIFIC for result in metric(fin, profile, user)]
    return [judge(result) for result in results]


def _not_applicable(fin: Financials, profile: Profile) -> MetricResult:
    return na(
        "segment_checks",
        f"{display_name(profile)} segment checks",
        fin.main_period,
        "hardware net margin, internet-company test, overseas mix, smart EV, WVR",
        f"not applicable, no such segments: the filing prints none of the segments or regions of the "
        f"{profile.name} profile",
        Status.NOT_APPLICABLE,
    )
