"""The JSON contract: the committed schema matches the models, and real output parses back through them."""

from __future__ import annotations

import io
import json

from conftest import FIXTURES, ROOT, report_for
from xiaomi_check.records import ReportsDocument
from xiaomi_check.render.jsonout import write_json, write_jsonl


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    assert committed == ReportsDocument.model_json_schema(mode="serialization"), "regenerate docs/report.schema.json"


def test_json_output_round_trips() -> None:
    report = report_for(FIXTURES / "results_q3_2024.pdf")
    stream = io.StringIO()
    write_json([report], stream)
    payload = json.loads(stream.getvalue())
    assert (payload["schema_version"], payload["errors"]) == ("1.0", [])
    record = ReportsDocument.model_validate(payload).reports[0]
    assert record.to_report() == report  # computed fields (period label, value_millions) are dropped, ids resolved


def test_checks_and_metrics_refer_to_figures_by_id() -> None:
    report = report_for(FIXTURES / "results_q3_2024.pdf")
    stream = io.StringIO()
    write_json([report], stream)
    written = json.loads(stream.getvalue())["reports"][0]
    ids = [f["id"] for f in written["figures"]]
    assert ids == [f"f{n}" for n in range(1, len(report.figures) + 1)]
    check = next(c for c in written["checks"] if c["figures"])
    assert all(isinstance(i, str) and i in ids for i in check["figures"])
    bridge = next(m for m in written["metrics"] if m["id"] == "profit_bridge")
    by_id = {f["id"]: f for f in written["figures"]}
    assert by_id[bridge["inputs"][0]]["item"] == "operating_profit"
    assert len(stream.getvalue()) < 400_000  # a 12-page announcement; whole figures in every check made 1 MB


def test_json_lines_hold_the_document_reports() -> None:
    reports = [report_for(FIXTURES / name) for name in ("results_q3_2024.pdf", "results_fy2018_zh_hant.pdf")]
    lines, document = io.StringIO(), io.StringIO()
    write_jsonl(reports, lines, [{"file": "x.pdf", "message": "x.pdf is empty.", "hint": "h", "exit_code": 3}])
    write_json(reports, document)
    parsed = [json.loads(line) for line in lines.getvalue().splitlines()]
    assert parsed[:2] == json.loads(document.getvalue())["reports"]
    assert parsed[2] == {"schema_version": "1.0", "error": {"file": "x.pdf", "message": "x.pdf is empty.",
                                                            "hint": "h", "exit_code": 3}}


def test_real_output_validates_against_the_published_schema() -> None:
    import jsonschema

    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
    for name in ("results_q3_2024.pdf", "prospectus_2018.pdf", "results_q3_2024.html"):
        stream = io.StringIO()
        write_json([report_for(FIXTURES / name)], stream)
        errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(json.loads(stream.getvalue()))]
        assert errors == [], f"{name}: {errors[:3]}"
