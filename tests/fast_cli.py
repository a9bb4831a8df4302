"""The CLI in process over the session's cached analyses (conftest.report_for): a command whose options only
change the metrics (a market value, a profile) recomputes those from the cached figures; anything else (--pages,
limits) runs the real analysis. Keeps the command-line tests fast without changing what they print."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import report_for
from xiaomi_check import analysis
from xiaomi_check.cli import app, normalise_argv
from xiaomi_check.financials import Financials
from xiaomi_check.metrics import compute_metrics
from xiaomi_check.models import Report
from xiaomi_check.profile import load_profile

_REAL = analysis.analyse


def cached_analyse(path: Path, options: analysis.Options = analysis.Options()) -> Report:  # noqa: B008
    plain = analysis.Options(profile=options.profile, user=options.user)
    if options != plain or not Path(path).is_file():
        return _REAL(path, options)
    report = report_for(Path(path))
    if options == analysis.Options():
        return report
    metrics = compute_metrics(Financials(report.figures, report.document_kind), load_profile(options.profile),
                              options.user)
    return report.model_copy(update={"metrics": tuple(metrics)})


def use_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(analysis, "analyse", cached_analyse)


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[int, str, str, bytes]:
    """Exit code, stdout, stderr and stdout's bytes of `xiaomi-check ARGS` (a bare FILE means analyse)."""
    result = CliRunner().invoke(app, normalise_argv(args), env={"NO_COLOR": "1", "COLUMNS": "100", **(env or {})})
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr, result.stdout_bytes
