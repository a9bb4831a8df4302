"""JSON: the `Report` model as documented in docs/json-schema.md; Decimals are written as JSON numbers."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TextIO

from pydantic import BaseModel

from xiaomi_check.models import SCHEMA_VERSION, Report


def write_model(model: BaseModel, stream: TextIO) -> None:
    json.dump(model.model_dump(mode="json"), stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def write_json(reports: Sequence[Report], stream: TextIO, errors: Sequence[dict[str, object]] | None = None) -> None:
    """One report → its object; several files → {"schema_version", "reports": [...], "errors": [...]}, where each
    error is {"file", "message", "hint", "exit_code"} for a file that could not be analysed."""
    if errors is None and len(reports) == 1:
        payload: object = reports[0].model_dump(mode="json")
    else:
        payload = {"schema_version": SCHEMA_VERSION, "reports": [r.model_dump(mode="json") for r in reports],
                   "errors": list(errors or [])}
    json.dump(payload, stream, ensure_ascii=False, indent=2)
    stream.write("\n")
