"""The JSON contract: the committed schema matches the models, and real output parses back through them."""

from __future__ import annotations

import io
import json

from conftest import FIXTURES, ROOT, report_for
from xiaomi_check.models import Report
from xiaomi_check.render.jsonout import write_json


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    assert committed == Report.model_json_schema(mode="serialization")


def test_json_output_round_trips() -> None:
    report = report_for(FIXTURES / "results_q3_2024.pdf")
    stream = io.StringIO()
    write_json([report], stream)
    payload = json.loads(stream.getvalue())
    assert payload["schema_version"] == "1.0"
    assert Report.model_validate(payload) == report  # computed fields (period label, value_millions) are dropped


def test_real_output_validates_against_the_published_schema() -> None:
    import jsonschema

    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    for name in ("results_q3_2024.pdf", "prospectus_2018.pdf", "results_q3_2024.html"):
        stream = io.StringIO()
        write_json([report_for(FIXTURES / name)], stream)
        errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(json.loads(stream.getvalue()))]
        assert errors == [], f"{name}: {errors[:3]}"
