"""JSON (docs/json.md): one document per run, whatever the number of files, or JSON Lines (one report a line).

Decimals are written as JSON numbers. In a report, figures carry an `id` and metrics and checks refer to them by
it (`xiaomi_check.records`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TextIO

from pydantic import BaseModel

from xiaomi_check.models import SCHEMA_VERSION, Report
from xiaomi_check.records import FileError, ReportRecord, ReportsDocument


def write_model(model: BaseModel, stream: TextIO) -> None:
    json.dump(model.model_dump(mode="json"), stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def _errors(errors: Sequence[Mapping[str, object]] | None) -> list[FileError]:
    return [FileError.model_validate(dict(e)) for e in errors or ()]


def write_json(reports: Sequence[Report], stream: TextIO, errors: Sequence[Mapping[str, object]] | None = None
               ) -> None:
    """{"schema_version", "reports": [...], "errors": [...]} for one file or many; each error is {"file",
    "message", "hint", "exit_code"} for a file that could not be analysed."""
    write_model(ReportsDocument.of(reports, _errors(errors)), stream)


def write_jsonl(reports: Sequence[Report], stream: TextIO, errors: Sequence[Mapping[str, object]] | None = None
                ) -> None:
    """One line per file: a report object (as in `reports` of the JSON document), or {"schema_version",
    "error": {...}} for a file that could not be analysed."""
    for report in reports:
        stream.write(ReportRecord.from_report(report).model_dump_json() + "\n")
    for error in _errors(errors):
        stream.write(json.dumps({"schema_version": SCHEMA_VERSION, "error": error.model_dump(mode="json")},
                                ensure_ascii=False) + "\n")
