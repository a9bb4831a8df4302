"""The CLI in process at a fixed width: exact output for each format (golden files), and every exit code.

Regenerate after an intended change with: UPDATE_GOLDEN=1 python3 -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from fast_cli import cached_analyse, use_cache
from fast_cli import run as run_cli
from xiaomi_check import analysis
from xiaomi_check.errors import ExitCode
from xiaomi_check.financials import Financials
from xiaomi_check.metrics import compute_metrics
from xiaomi_check.models import Report, Verification, VerificationStatus
from xiaomi_check.profile import load_profile

GOLDEN = ROOT / "tests" / "golden"
CASES = {
    "results_q3_2024.txt": [str(FIXTURES / "results_q3_2024.pdf")],
    "results_q3_2024.json": [str(FIXTURES / "results_q3_2024.pdf"), "-f", "json"],
    "results_q3_2024.csv": [str(FIXTURES / "results_q3_2024.pdf"), "-f", "csv"],
    "results_q3_2024.md": [str(FIXTURES / "results_q3_2024.pdf"), "-f", "markdown"],
    "results_q3_2024_at_80.txt": [str(FIXTURES / "results_q3_2024.pdf")],  # COLUMNS=80: labels fold, texts go under
    "results_q3_2024_metrics.csv": [str(FIXTURES / "results_q3_2024.pdf"), "-f", "csv", "--rows", "metrics"],
    "compare_fy2017.txt": ["compare", str(FIXTURES / "prospectus_2018.pdf"),
                           str(FIXTURES / "results_fy2018_zh_hant.pdf"), "-j", "1"],
    "compare_fy2017.csv": ["compare", str(FIXTURES / "prospectus_2018.pdf"),
                           str(FIXTURES / "results_fy2018_zh_hant.pdf"), "-f", "csv", "-j", "1"],
    "compare_fy2017.md": ["compare", str(FIXTURES / "prospectus_2018.pdf"),
                          str(FIXTURES / "results_fy2018_zh_hant.pdf"), "-f", "markdown", "-j", "1"],
    "explain_hardware_fy2017.txt": ["explain", "hardware_net_margin", str(FIXTURES / "prospectus_2018.pdf"),
                                    "--period", "FY2017"],
    "wvr.txt": ["wvr", "--class-a-held", "4295187720", "--class-b-held", "2283106380",
                "--class-a-total", "6695187720", "--class-b-total", "17205959127"],
}


def run(args: list[str], columns: int = 100) -> tuple[int, str, str]:
    code, out, err, _ = run_cli(args, {"COLUMNS": str(columns)})
    return code, out, err


@pytest.fixture(autouse=True)
def _cached(monkeypatch: pytest.MonkeyPatch) -> None:
    use_cache(monkeypatch)  # each filing analysed once a session; the outputs are those of the real analysis


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_output(name: str) -> None:
    code, out, err = run(CASES[name], 80 if "_at_80" in name else 100)
    assert (code, err) == (0, "")
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(out, encoding="utf-8")
    assert out == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "code"), [
    ([str(FIXTURES / "results_q3_2024.pdf"), "-q"], ExitCode.OK),
    # no user inputs: valuation and the holder's votes are "not requested", which --strict does not count
    ([str(FIXTURES / "results_q3_2024.pdf"), "-q", "--strict"], ExitCode.OK),
    # the FY2017 loss makes profit growth n/a ("not meaningful"): --strict counts an n/a metric
    ([str(FIXTURES / "prospectus_2018.pdf"), "-q", "--strict"], ExitCode.FINDINGS),
    ([str(FIXTURES / "prospectus_2018.pdf"), "-q", "--fail-on", "breach"], ExitCode.OK),  # within the 5% cap
    (["--format", "yaml", str(FIXTURES / "results_q3_2024.pdf")], ExitCode.USAGE),
    ([str(FIXTURES / "results_q3_2024.pdf"), "--fail-on", "sometimes"], ExitCode.USAGE),
    ([str(FIXTURES / "traps" / "trap_scanned.pdf")], ExitCode.UNREADABLE_INPUT),
    ([str(FIXTURES / "traps" / "trap_no_financial_tables.pdf")], ExitCode.NOTHING_EXTRACTED),
])
def test_documented_exit_codes(args: list[str], code: int) -> None:
    assert run(args)[0] == code


def test_fail_on_breach_with_a_stricter_cap(tmp_path: Path) -> None:
    profile = (ROOT / "src" / "xiaomi_check" / "profiles" / "xiaomi.toml").read_text(encoding="utf-8")
    strict = tmp_path / "strict.toml"
    strict.write_text(profile.replace("hardware_net_margin_cap_pct = 5.0", "hardware_net_margin_cap_pct = 0.1"),
                      encoding="utf-8")
    code, _, _ = run([str(FIXTURES / "prospectus_2018.pdf"), "-q", "--profile", str(strict), "--fail-on", "breach"])
    assert code == ExitCode.FINDINGS


def test_a_bad_profile_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("name = 3\n", encoding="utf-8")
    code, _, err = run([str(FIXTURES / "results_q3_2024.pdf"), "--profile", str(bad)])
    assert code == ExitCode.USAGE and "is not valid" in err


def test_strict_fails_on_a_contradicted_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Q3 announcement with its revenue contradicted (every copy): the margins become conflicts, the report
    says so first, and --strict exits 1."""
    def contradicted(path: Path, options: analysis.Options) -> Report:
        report = cached_analyse(path, options)
        mark = Verification(status=VerificationStatus.CONTRADICTED, contradictions=("revenue = Σ segments: off",))
        figures = tuple(f.model_copy(update={"verification": mark})
                        if (f.item, f.segment, f.region, f.period.label) == ("revenue", None, None, "Q3 2024") else f
                        for f in report.figures)
        metrics = compute_metrics(Financials(figures, report.document_kind), load_profile())
        return report.model_copy(update={"figures": figures, "metrics": tuple(metrics)})

    monkeypatch.setattr(analysis, "analyse", contradicted)
    code, out, _ = run([str(FIXTURES / "results_q3_2024.pdf"), "--strict"])
    assert code == ExitCode.FINDINGS
    top = out.split("income statement")[0]  # the banner stands above the first statement, not in a list at the end
    assert top.count("CONFLICT: ") == 1
    assert "metric(s) rest on figures the filing's own arithmetic contradicts" in " ".join(top.split())
    assert "  Gross margin Q3 2024: 20.41%\n    revenue Q3 2024 (p9) printed '92,506,518': revenue = Σ segments: off" \
        in top
