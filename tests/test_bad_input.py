"""Every case of the bad-input corpus (tests/badinput/make_corpus.py, issue 6) through the CLI in process:
its documented exit code and message, two lines on stderr and no traceback, a JSON error object on stdout
with --format json, nothing written to --output, the input unchanged, bounded time and memory; and no network.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from typer.testing import CliRunner

from badinput.make_corpus import CASES, SECRET, hostile_html, long_table, make_corpus
from xiaomi_check.cli import app, normalise_argv
from xiaomi_check.errors import ExitCode
from xiaomi_check.ingest.html import MAX_ROWS, MAX_TABLE_ROWS, parse_html

runner = CliRunner()
SECONDS = 15.0  # per case, generous for a slow CI machine; locally each case takes under 2 s


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_corpus(tmp_path_factory.mktemp("corpus"))


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, normalise_argv(list(args)))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


FAILURES = [
    ("encrypted_user_password.pdf", (), ExitCode.UNREADABLE_INPUT, "The PDF is encrypted with a password.",
     "Save an unencrypted copy"),
    ("truncated_10.pdf", (), ExitCode.UNREADABLE_INPUT, "damaged or truncated", "Download the filing again"),
    ("truncated_50.pdf", (), ExitCode.UNREADABLE_INPUT, "no %%EOF marker at its end", "Download the filing again"),
    ("truncated_90.pdf", (), ExitCode.UNREADABLE_INPUT, "damaged or truncated", "Download the filing again"),
    ("truncated_tail.pdf", (), ExitCode.UNREADABLE_INPUT, "damaged or truncated", "Download the filing again"),
    ("zero_bytes.pdf", (), ExitCode.UNREADABLE_INPUT, "zero_bytes.pdf is empty.", "Download the filing again."),
    ("random_bytes.pdf", (), ExitCode.UNREADABLE_INPUT, "The file is neither a PDF nor an HTML document.",
     "convert other formats first"),
    ("scanned.pdf", (), ExitCode.UNREADABLE_INPUT, "has no text layer: it is a scanned image and needs OCR.",
     "Run it through OCR"),
    ("decompression_bomb.pdf", (), ExitCode.UNREADABLE_INPUT,
     "holds a compressed stream (object 5 0) that expands past 268,435,456 bytes: a decompression bomb",
     "raise the limit with --max-bytes"),
    ("deeply_nested.html", (), ExitCode.UNREADABLE_INPUT,
     "The HTML could not be read to its end (elements nested more than 256 deep).", "save the filing again"),
    ("huge.html", (), ExitCode.UNREADABLE_INPUT, "bytes of HTML, over the 33,554,432-byte limit for HTML",
     "raise the limit with --max-bytes"),
    ("html_named.pdf", ("--max-bytes", "100"), ExitCode.UNREADABLE_INPUT, "over the 100-byte limit",
     "raise the limit with --max-bytes"),
    ("tables_not_financial.html", (), ExitCode.NOTHING_EXTRACTED, "No financial statement was found",
     "xiaomi-check tables FILE"),
]


@pytest.mark.parametrize(("name", "extra", "code", "message", "hint"), FAILURES,
                         ids=[f"{case[0]}{'-' + '-'.join(case[1]) if case[1] else ''}" for case in FAILURES])
def test_bad_input_fails_cleanly(corpus: dict[str, Path], tmp_path: Path, name: str, extra: tuple[str, ...],
                                 code: ExitCode, message: str, hint: str) -> None:
    path = corpus[name]
    before = path.read_bytes()
    target = tmp_path / "out.json"
    started = time.monotonic()
    exit_code, out, err = invoke(str(path), "--format", "json", "--output", str(target), *extra)
    assert time.monotonic() - started < SECONDS
    assert exit_code == code, err
    what, to_try = err.splitlines()  # exactly two lines: what happened, what to try
    assert what.startswith(f"error: {name}: ") and message in what
    assert to_try.startswith("hint: ") and hint in to_try
    assert "Traceback" not in err + out
    payload = json.loads(out)  # with --format json, the error object goes to stdout, never to --output
    assert payload == {"schema_version": "1.0", "error": {"file": name, "message": what.split(": ", 2)[2],
                                                          "hint": to_try.removeprefix("hint: "), "exit_code": code}}
    assert not target.exists() and list(tmp_path.iterdir()) == []
    assert path.read_bytes() == before


SUCCESSES = [
    ("encrypted_empty_user_password.pdf", (), "pdf", None),
    ("html_named.pdf", (), "html", None),
    ("pdf_named.html", (), "pdf", None),
    ("one_text_page_among_scans.pdf", (), "pdf", "3 page(s) have no text layer and need OCR: 1, 3, 4"),
    ("pages_10000.pdf", (), "pdf", "only the first 5000 of 10000 pages were read; raise --max-pages to read all"),
    ("pages_10000.pdf", ("--max-pages", "10"), "pdf",
     "only the first 10 of 10000 pages were read; raise --max-pages to read all"),
    ("contradicting_tables.pdf", (), "pdf",
     "2 figure(s) printed differently by another table, so not certain: revenue Q3 2024: 92,506.5 (table p1-t1, "
     "page 1) vs 93,506.5 (table p3-t1, page 3); profit_for_period Q3 2024: 5,340.3 (table p1-t1, page 1) vs "
     "5,430.3 (table p3-t1, page 3)"),
]


@pytest.mark.parametrize(("name", "extra", "kind", "warning"), SUCCESSES,
                         ids=[f"{case[0]}{'-' + '-'.join(case[1]) if case[1] else ''}" for case in SUCCESSES])
def test_awkward_input_that_must_still_be_read(corpus: dict[str, Path], tmp_path: Path, name: str,
                                               extra: tuple[str, ...], kind: str, warning: str | None) -> None:
    path = corpus[name]
    before = path.read_bytes()
    target = tmp_path / "out.json"
    started = time.monotonic()
    exit_code, out, err = invoke(str(path), "--format", "json", "--output", str(target), *extra)
    assert time.monotonic() - started < SECONDS
    assert (exit_code, out, err) == (ExitCode.OK, "", "")
    report = json.loads(target.read_text(encoding="utf-8"))
    assert report["document_type"] == kind
    revenue = [f for f in report["figures"] if f["item"] == "revenue" and f["period"]["label"] == "Q3 2024"]
    assert [f["value"] for f in revenue][:1] == [92506.5]
    page_warnings = [w for w in report["warnings"] if "OCR" in w or "pages were read" in w or "differently" in w]
    assert page_warnings == ([warning] if warning else [])
    assert path.read_bytes() == before


def test_contradicted_figures_carry_a_note(corpus: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    invoke(str(corpus["contradicting_tables.pdf"]), "-f", "json", "-o", str(target))
    notes = {f["item"]: f["note"] for f in json.loads(target.read_text(encoding="utf-8"))["figures"]
             if f["period"]["label"] == "Q3 2024"}
    assert notes["revenue"] == "contradicted by another table: 93,506.5 (table p3-t1, page 3)"
    assert notes["gross_profit"] is None


def test_scanned_pages_show_in_the_terminal_report(corpus: dict[str, Path]) -> None:
    code, out, _ = invoke(str(corpus["one_text_page_among_scans.pdf"]))
    assert code == ExitCode.OK and "need OCR: 1, 3, 4" in out


def test_the_corpus_covers_every_case() -> None:
    covered = {case[0] for case in FAILURES} | {case[0] for case in SUCCESSES} | {"hostile.html"}
    assert covered == set(CASES)


def test_the_corpus_is_deterministic(tmp_path: Path) -> None:
    names = [name for name in CASES if name not in ("huge.html", "pages_10000.pdf", "decompression_bomb.pdf")]
    first, second = make_corpus(tmp_path / "a", names), make_corpus(tmp_path / "b", names)
    assert all(first[name].read_bytes() == second[name].read_bytes() for name in names)


def test_tables_command_fails_the_same_way(corpus: dict[str, Path]) -> None:
    code, out, err = invoke("tables", str(corpus["truncated_50.pdf"]))
    assert (code, out) == (ExitCode.UNREADABLE_INPUT, "")
    assert len(err.splitlines()) == 2 and "damaged or truncated" in err


def test_unexpected_errors_are_two_lines_and_a_json_object(corpus: dict[str, Path], tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_: object) -> None:
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr("xiaomi_check.analysis.analyse", explode)
    target = tmp_path / "out.csv"
    code, out, err = invoke(str(corpus["html_named.pdf"]), "-f", "json", "-o", str(target))
    assert code == ExitCode.UNREADABLE_INPUT and not target.exists()
    assert err.splitlines() == [
        "error: html_named.pdf: could not process the file (RuntimeError: boom second line); it may be damaged.",
        "hint: Rerun with --debug for the traceback, and report it if the file is sound."]
    assert json.loads(out)["error"]["exit_code"] == ExitCode.UNREADABLE_INPUT


def test_usage_error_with_json_writes_an_error_object() -> None:
    code, out, err = invoke("missing.pdf", "--pages", "x", "-f", "json")
    assert code == ExitCode.USAGE and "not a page list" in err
    assert json.loads(out)["error"] == {"file": None, "message": "--pages 'x' is not a page list.",
                                        "hint": "Write pages like '12-15,40'.", "exit_code": 2}


# ----------------------------------------------------------------------------------------- bounds


def test_bomb_is_refused_before_anything_inflates_it(corpus: dict[str, Path]) -> None:
    """Peak memory of a fresh process analysing the bomb (PDFium alone would take ~650 MB)."""
    script = ("import resource, sys\nfrom pathlib import Path\nfrom xiaomi_check.analysis import analyse\n"
              "from xiaomi_check.errors import InputError\ntry:\n    analyse(Path(sys.argv[1]))\n"
              "except InputError as error:\n    print(type(error).__name__)\n"
              "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n")
    done = subprocess.run([sys.executable, "-c", script, str(corpus["decompression_bomb.pdf"])], capture_output=True,
                          text=True, timeout=60, check=True)
    error, peak_mb = done.stdout.split()
    assert error == "InputError" and int(peak_mb) < 500


def test_giant_html_tables_are_read_to_a_row_limit() -> None:
    started = time.monotonic()
    _, [page] = parse_html(f"<html><body>{long_table(MAX_TABLE_ROWS * 5)}</body></html>".encode())
    assert len({word.top for word in page.words if word.top >= 0}) == MAX_TABLE_ROWS  # captions sit above 0
    _, pages = parse_html(f"<html><body>{long_table(MAX_TABLE_ROWS) * (MAX_ROWS // MAX_TABLE_ROWS + 5)}</body></html>"
                          .encode())
    assert len(pages) == MAX_ROWS // MAX_TABLE_ROWS  # the tables past the row budget are not read
    assert time.monotonic() - started < SECONDS


# ----------------------------------------------------------------------------------------- no network


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []  # noqa: RUF012 (one server per test)

    def do_GET(self) -> None:
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'<!ENTITY leaked "LEAKED">')

    def log_message(self, *_: object) -> None:
        return


@pytest.fixture
def server() -> Iterator[str]:
    _Recorder.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_hostile_html_fetches_nothing_and_expands_nothing(tmp_path: Path, server: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    path = tmp_path / "hostile.html"
    path.write_bytes(hostile_html(server, secret.as_uri()))
    before = path.read_bytes()
    target = tmp_path / "out.json"
    code, out, err = invoke(str(path), "-f", "json", "-o", str(target))
    assert (code, out, err) == (ExitCode.OK, "", "")
    text = target.read_text(encoding="utf-8")
    assert SECRET not in text and "LEAKED" not in text and "document.write" not in text
    figures = json.loads(text)["figures"]
    assert {f["source"]["raw_text"] for f in figures if f["item"] == "revenue"} == {"92,506.5", "70,894.1"}
    assert _Recorder.requests == []
    assert path.read_bytes() == before
