"""The JSON documents the commands write (docs/json.md): one object per run, with a `schema_version`.

`analyse` writes `ReportsDocument` whatever the number of files; inside it each figure has an `id` (`f1`, `f2`,
... in report order) and metrics and checks name the figures they used by id instead of repeating them. The
other commands write `MetricsDocument` (`explain`, `wvr`, `valuation`), `TablesDocument` (`tables`) or the
`Comparison` (`compare`). `ReportRecord.to_report()` turns a record back into the library's `Report`.
"""

from __future__ import annotations

from collections.abc import Sequence

from xiaomi_check.models import (
    SCHEMA_VERSION,
    Answer,
    CheckResult,
    CheckStatus,
    Figure,
    Frozen,
    JsonDecimal,
    MetricLine,
    MetricResult,
    Report,
    Status,
    TableChoice,
)


class FigureRecord(Figure):
    """A figure with the id that metrics and checks refer to it by."""

    id: str


class MetricRecord(Frozen):
    """A `MetricResult` whose `inputs` are figure ids."""

    id: str
    label: str
    period: str | None = None
    value: JsonDecimal | None = None
    unit: str = ""
    formula: str
    inputs: tuple[str, ...] = ()
    working: tuple[MetricLine, ...] = ()
    status: Status = Status.OK
    verdict: str = ""
    reason: str | None = None
    unverified: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()


class CheckRecord(Frozen):
    """A `CheckResult` whose `figures` are figure ids."""

    id: str
    label: str
    period: str | None = None
    status: CheckStatus
    expected: JsonDecimal | None = None
    actual: JsonDecimal | None = None
    tolerance: JsonDecimal | None = None
    detail: str
    figures: tuple[str, ...] = ()


class ReportRecord(Frozen):
    """A `Report` as written to JSON: figures with ids, metrics and checks referring to them."""

    schema_version: str = SCHEMA_VERSION
    file: str
    company: str | None = None
    document_kind: str | None = None
    document_type: str
    page_count: int
    pages_examined: tuple[int, ...] = ()
    figures: tuple[FigureRecord, ...]
    tables: tuple[TableChoice, ...] = ()
    metrics: tuple[MetricRecord, ...] = ()
    checks: tuple[CheckRecord, ...] = ()
    answers: tuple[Answer, ...] = ()
    review: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_report(cls, report: Report) -> ReportRecord:
        ids: dict[Figure, str] = {}
        for number, figure in enumerate(report.figures, start=1):
            ids.setdefault(figure, f"f{number}")
        figures = [FigureRecord(**dict(f), id=f"f{n}") for n, f in enumerate(report.figures, start=1)]
        extra = [f for f in _referred(report) if f not in ids]  # none today: every input is a report figure
        for figure in extra:
            ids[figure] = f"f{len(figures) + 1}"
            figures.append(FigureRecord(**dict(figure), id=ids[figure]))
        metrics = [MetricRecord(**{**dict(m), "inputs": tuple(ids[f] for f in m.inputs)}) for m in report.metrics]
        checks = [CheckRecord(**{**dict(c), "figures": tuple(ids[f] for f in c.figures)}) for c in report.checks]
        fields = {k: v for k, v in dict(report).items() if k not in ("figures", "metrics", "checks")}
        return cls(**fields, figures=tuple(figures), metrics=tuple(metrics), checks=tuple(checks))

    def to_report(self) -> Report:
        by_id = {f.id: Figure(**{k: v for k, v in dict(f).items() if k != "id"}) for f in self.figures}
        metrics = [MetricResult(**{**dict(m), "inputs": tuple(by_id[i] for i in m.inputs)}) for m in self.metrics]
        checks = [CheckResult(**{**dict(c), "figures": tuple(by_id[i] for i in c.figures)}) for c in self.checks]
        fields = {k: v for k, v in dict(self).items() if k not in ("figures", "metrics", "checks")}
        return Report(**fields, figures=tuple(by_id[f.id] for f in self.figures), metrics=tuple(metrics),
                      checks=tuple(checks))


def _referred(report: Report) -> list[Figure]:
    return [*(f for m in report.metrics for f in m.inputs), *(f for c in report.checks for f in c.figures)]


class FileError(Frozen):
    """A file that could not be analysed: what happened, what to try, and the exit code it gives."""

    file: str | None
    message: str
    hint: str
    exit_code: int


class ReportsDocument(Frozen):
    """What `xiaomi-check FILE ... --format json` writes, for one file or many."""

    schema_version: str = SCHEMA_VERSION
    reports: tuple[ReportRecord, ...] = ()
    errors: tuple[FileError, ...] = ()

    @classmethod
    def of(cls, reports: Sequence[Report], errors: Sequence[FileError] = ()) -> ReportsDocument:
        return cls(reports=tuple(ReportRecord.from_report(r) for r in reports), errors=tuple(errors))


class MetricsDocument(Frozen):
    """What `explain`, `wvr` and `valuation` write: metric results with their input figures whole."""

    schema_version: str = SCHEMA_VERSION
    file: str | None = None
    metrics: tuple[MetricResult, ...] = ()


class TablesDocument(Frozen):
    """What `tables` writes: the pages opened and every table found, used or not, and why."""

    schema_version: str = SCHEMA_VERSION
    file: str
    pages_examined: tuple[int, ...] = ()
    figures: int = 0
    tables: tuple[TableChoice, ...] = ()
    warnings: tuple[str, ...] = ()
