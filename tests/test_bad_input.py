"""Every case of the bad-input corpus (tests/badinput/make_corpus.py, issues 6 and 14) through the CLI: its
documented exit code and message, two lines on stderr and no traceback, a JSON error object on stdout with
--format json, nothing written to --output, the input unchanged, bounded time and memory; and no network.

The corpus cases, and the special files and failing outputs of issue 14 (a FIFO, /dev/zero, --output on an
input, in a missing directory, past a file-size limit, stdout closed or a reader gone), run in one fresh
process (tests/badinput/run_cases.py) that forks a child per case under a memory limit and a time limit: each
result carries the child's own peak memory, which must stay under 1 GB.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
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
CASE_LIMIT_SECONDS = 60.0  # the runner kills a case past this (issue 14: no case may need more than 60 s)
CASE_MEMORY_MB = 1536  # address space a case may add (RLIMIT_AS): a runaway allocation fails fast
PEAK_MB = 1024  # and no case may need more than 1 GB resident


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_corpus(tmp_path_factory.mktemp("corpus"))


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, normalise_argv(list(args)))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stdout, result.stderr


_CONTENT_BOMB = "holds page content (object 4 0) that expands past 4,194,304 bytes (a decompression bomb"
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
     "holds page content (object 5 0) that expands past 4,194,304 bytes (a decompression bomb",
     "raise the limit with --max-bytes"),
    ("deeply_nested.html", (), ExitCode.UNREADABLE_INPUT,
     "The HTML could not be read to its end (elements nested more than 2048 deep).", "save the filing again"),
    ("huge.html", (), ExitCode.UNREADABLE_INPUT, "bytes of HTML, over the 33,554,432-byte limit for HTML",
     "raise the limit with --max-bytes"),
    ("html_named.pdf", ("--max-bytes", "100"), ExitCode.UNREADABLE_INPUT, "over the 100-byte limit",
     "raise the limit with --max-bytes"),
    ("tables_not_financial.html", (), ExitCode.NOTHING_EXTRACTED, "No financial statement was found",
     "xiaomi-check tables FILE"),
    # issue 14: every filter chain and trick PDFium would follow
    *[(name, (), ExitCode.UNREADABLE_INPUT, _CONTENT_BOMB, "raise the limit with --max-bytes")
      for name in ("bomb_hex_flate.pdf", "bomb_a85_flate.pdf", "bomb_indirect_filter.pdf",
                   "bomb_padded_dictionary.pdf", "bomb_image_subtype.pdf", "bomb_five_layers.pdf", "bomb_lzw.pdf",
                   "bomb_run_length.pdf")],
    ("bomb_split_contents.pdf", (), ExitCode.UNREADABLE_INPUT,
     "holds page content (the content streams of one page together (objects 4, 4, 4)) that expands past "
     "4,194,304 bytes", "raise the limit with --max-bytes"),
    ("bomb_font.pdf", (), ExitCode.UNREADABLE_INPUT,
     "holds a compressed stream (object 5 0) that expands past 268,435,456 bytes: a decompression bomb",
     "raise the limit with --max-bytes"),
    ("many_filters.pdf", (), ExitCode.UNREADABLE_INPUT, "holds a compressed stream (object 4 0 (with 40 filters))",
     "raise the limit with --max-bytes"),
    ("zip_named.pdf", (), ExitCode.UNREADABLE_INPUT,
     "The file is a ZIP archive (or a Word or Excel file), not a PDF or an HTML document.", "convert other formats"),
    ("png_named.pdf", (), ExitCode.UNREADABLE_INPUT, "The file is a PNG image, not a PDF or an HTML document.",
     "convert other formats"),
]

# page 2's stream fails its checksum at the end, page 3's in the middle: PDFium draws what it can of each
_DAMAGE_WARNINGS = tuple(f"page {n} is damaged (its content does not decompress: incorrect data check): figures on "
                         "it may be missing" for n in (2, 3))
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
    # issue 14: heavy pages and HTML floods are cut by a budget that the report names
    ("heavy_text_page.pdf", (), "pdf",
     "page 2 holds 327,998 characters of text, over the 40,000 read for tables: its tables were not read"),
    ("damaged_content_stream.pdf", (), "pdf", _DAMAGE_WARNINGS),
    ("no_media_box.pdf", (), "pdf", None),
    ("span_bomb.html", (), "html",
     "60 HTML table row(s) have more than 128 columns; the cells past the 128th column were not read"),
    ("wide_row.html", (), "html",
     "1 HTML table row(s) have more than 128 columns; the cells past the 128th column were not read"),
    ("many_tables.html", (), "html", "only 2,000 of the 20,001 HTML tables were read: the limit is 2,000 tables"),
    # issue 14: encodings, unclosed tags, a PDF header in HTML text
    *[(name, (), "html", None) for name in (
        "gbk_meta.html", "big5_meta.html", "big5_undeclared.html", "utf16_bom.html", "utf8_undeclared.html",
        "unclosed_noscript.html", "unclosed_embed.html", "mentions_pdf_header.html")],
    ("large_text_node.html", (), "html", "the page holds 10,200,332 characters of text; only the first 1,000,000 "
     "were read for the company, facts and answers (its tables were read as usual)"),
]
_INGEST_WARNINGS = ("OCR", "pages were read", "differently", "damaged", "HTML table", "characters of text",
                    "cannot be loaded")
_CJK = ("gbk_meta.html", "big5_meta.html", "big5_undeclared.html", "utf16_bom.html", "utf8_undeclared.html")


def _case_id(name: str, extra: tuple[str, ...]) -> str:
    return f"{name}{'-' + '-'.join(extra) if extra else ''}"


@pytest.fixture(scope="module")
def specials(tmp_path_factory: pytest.TempPathFactory, corpus: dict[str, Path]) -> dict[str, Path]:
    """Files that are not regular, names that are not printable, and a symlink and a hard link to an input."""
    folder = tmp_path_factory.mktemp("specials")
    fifo = folder / "statement.pdf"
    os.mkfifo(fifo)
    source = corpus["html_named.pdf"]
    odd = folder / os.fsdecode(b"bad\x1b[31mname\xff.pdf")
    odd.write_bytes(source.read_bytes())
    link = folder / "link.pdf"
    link.symlink_to(source)
    hard = folder / "hard.pdf"
    os.link(source, hard)
    return {"fifo": fifo, "odd": odd, "link": link, "hard": hard, "folder": folder}


def _special_cases(corpus: dict[str, Path], specials: dict[str, Path], out: Path) -> list[dict[str, object]]:
    good = str(corpus["html_named.pdf"])
    json_out = ("-f", "json", "-o")
    cases: list[tuple[str, list[str], dict[str, object]]] = [
        ("fifo", [str(specials["fifo"]), "-f", "json"], {}),
        ("dev_zero_with_cache", ["/dev/zero", "--cache", str(out / "cache"), "-f", "json"], {}),
        ("directory", [str(specials["folder"]), "-f", "json"], {}),
        ("output_is_input", [good, *json_out, good], {}),
        ("output_is_a_symlink_to_the_input", [good, *json_out, str(specials["link"])], {}),
        ("output_is_a_hard_link_to_the_input", [good, *json_out, str(specials["hard"])], {}),
        ("output_in_a_missing_directory", [good, *json_out, str(out / "missing" / "out.json")], {}),
        ("output_is_a_directory", [good, *json_out, str(out)], {}),
        ("output_name_too_long", [good, *json_out, str(out / ("a" * 256))], {}),
        ("output_past_the_file_size_limit", [good, *json_out, str(out / "fsize" / "out.json")], {"fsize": 1000}),
        ("stdout_past_the_file_size_limit", [good, "-f", "json"], {"mode": "main", "stdout": "file",
                                                                      "fsize": 1000}),
        ("stdout_closed", [good, "-f", "json"], {"mode": "main", "stdout": "closed"}),
        ("reader_gone", [good, "-f", "json"], {"mode": "main", "stdout": "broken"}),
        ("unprintable_name", [str(specials["odd"]), "-f", "json"], {}),
        ("unprintable_name_fails", [str(specials["odd"]), "-f", "json", "--max-bytes", "100"], {}),
        ("pages_past_the_limit", [good, "--pages", "1-100000000", "-f", "json"], {}),
        ("output_to_dev_null", [good, *json_out, "/dev/null"], {}),
    ]
    (out / "fsize").mkdir()
    return [{"id": case_id, "argv": argv, **options} for case_id, argv, options in cases]


@pytest.fixture(scope="module")
def outcomes(corpus: dict[str, Path], specials: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
             ) -> dict[str, dict[str, object]]:
    """Every case run once, each in a forked child under the memory and time limits: results by case id."""
    out = tmp_path_factory.mktemp("outputs")
    cases = []
    for name, extra, *_ in [*FAILURES, *SUCCESSES]:
        folder = out / _case_id(name, extra)
        folder.mkdir(exist_ok=True)
        cases.append({"id": _case_id(name, extra), "argv": [str(corpus[name]), "--format", "json", "--output",
                                                            str(folder / "out.json"), *extra]})
    cases += _special_cases(corpus, specials, out)
    for case in cases:
        case.update(seconds=CASE_LIMIT_SECONDS, memory_mb=CASE_MEMORY_MB)
    digests = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in corpus.items()}
    tests = str(Path(__file__).resolve().parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [tests, os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-m", "badinput.run_cases"], input=json.dumps(cases), capture_output=True,
                          text=True, timeout=CASE_LIMIT_SECONDS * 4, check=True, cwd=out, env=env)
    results = {r["id"]: r for r in map(json.loads, done.stdout.splitlines())}
    results["_outputs"] = {"folder": str(out)}
    results["_unchanged"] = {name: hashlib.sha256(path.read_bytes()).hexdigest() == digests[name]
                             for name, path in corpus.items()}  # the inputs are never modified
    return results


def _outcome(outcomes: dict[str, dict[str, object]], case_id: str) -> tuple[int, str, str]:
    result = outcomes[case_id]
    assert not result.get("error") and not result.get("exception"), result
    assert float(result["seconds"]) < SECONDS, result  # type: ignore[arg-type]
    assert int(result["peak_mb"]) < PEAK_MB, result  # type: ignore[call-overload]
    return int(result["exit_code"]), str(result["stdout"]), str(result["stderr"])  # type: ignore[call-overload]


@pytest.mark.parametrize(("name", "extra", "code", "message", "hint"), FAILURES,
                         ids=[_case_id(case[0], case[1]) for case in FAILURES])
def test_bad_input_fails_cleanly(corpus: dict[str, Path], outcomes: dict[str, dict[str, object]], name: str,
                                 extra: tuple[str, ...], code: ExitCode, message: str, hint: str) -> None:
    path = corpus[name]
    exit_code, out, err = _outcome(outcomes, _case_id(name, extra))
    assert exit_code == code, err
    what, to_try = err.splitlines()  # exactly two lines: what happened, what to try
    assert what.startswith(f"error: {name}: ") and message in what
    assert to_try.startswith("hint: ") and hint in to_try
    assert "Traceback" not in err + out
    payload = json.loads(out)  # with --format json, the error object goes to stdout, never to --output
    assert payload == {"schema_version": "1.0", "error": {"file": name, "message": what.split(": ", 2)[2],
                                                          "hint": to_try.removeprefix("hint: "), "exit_code": code}}
    folder = Path(str(outcomes["_outputs"]["folder"])) / _case_id(name, extra)
    assert list(folder.iterdir()) == []  # no report, no temporary file
    assert outcomes["_unchanged"][name] and path.exists()


@pytest.mark.parametrize(("name", "extra", "kind", "warning"), SUCCESSES,
                         ids=[_case_id(case[0], case[1]) for case in SUCCESSES])
def test_awkward_input_that_must_still_be_read(corpus: dict[str, Path], outcomes: dict[str, dict[str, object]],
                                               name: str, extra: tuple[str, ...], kind: str,
                                               warning: str | tuple[str, ...] | None) -> None:
    exit_code, out, err = _outcome(outcomes, _case_id(name, extra))
    assert (exit_code, out, err) == (ExitCode.OK, "", "")
    target = Path(str(outcomes["_outputs"]["folder"])) / _case_id(name, extra) / "out.json"
    report = json.loads(target.read_text(encoding="utf-8"))["reports"][0]  # one document, one report a file
    assert report["document_type"] == kind
    revenue = [f for f in report["figures"] if f["item"] == "revenue" and f["period"]["label"] == "Q3 2024"]
    assert [f["value"] for f in revenue][:1] == [92506.5]
    if name in _CJK:  # decoded in the right encoding: the Chinese row label reads as printed
        assert revenue[0]["source"]["row_label"] == "收入"
    page_warnings = [w for w in report["warnings"] if any(marker in w for marker in _INGEST_WARNINGS)]
    assert page_warnings == ([warning] if isinstance(warning, str) else list(warning or ()))
    assert outcomes["_unchanged"][name] and corpus[name].exists()


SPECIAL_FAILURES = [
    ("fifo", ExitCode.UNREADABLE_INPUT, "statement.pdf", "is a named pipe (FIFO), not a regular file."),
    ("dev_zero_with_cache", ExitCode.UNREADABLE_INPUT, "zero", "/dev/zero is a character device, not a regular file."),
    ("directory", ExitCode.UNREADABLE_INPUT, None, "is a directory, not a filing."),
    ("output_is_input", ExitCode.USAGE, None, "is the input file"),
    ("output_is_a_symlink_to_the_input", ExitCode.USAGE, None, "is the input file"),
    ("output_is_a_hard_link_to_the_input", ExitCode.USAGE, None, "is the input file"),
    ("output_in_a_missing_directory", ExitCode.CANNOT_WRITE_OUTPUT, None,
     "cannot be written (its directory does not exist); nothing was written there."),
    ("output_is_a_directory", ExitCode.CANNOT_WRITE_OUTPUT, None, "cannot be written (it is a directory)"),
    ("output_name_too_long", ExitCode.CANNOT_WRITE_OUTPUT, None, "cannot be written (the name is too long)"),
    ("output_past_the_file_size_limit", ExitCode.CANNOT_WRITE_OUTPUT, None,
     "cannot be written (the file would pass the file-size limit)"),
    ("stdout_past_the_file_size_limit", ExitCode.CANNOT_WRITE_OUTPUT, None,
     "stdout cannot be written (the file would pass the file-size limit)."),
    ("stdout_closed", ExitCode.CANNOT_WRITE_OUTPUT, None, "stdout is closed, so the report cannot be written."),
    ("unprintable_name_fails", ExitCode.UNREADABLE_INPUT, "bad\\x1b[31mname\\xff.pdf", "over the 100-byte limit"),
    ("pages_past_the_limit", ExitCode.USAGE, None,
     "--pages '1-100000000' names page 100,000,000, past the 5,000 pages read."),
]


@pytest.mark.parametrize(("case_id", "code", "name", "message"), SPECIAL_FAILURES,
                         ids=[case[0] for case in SPECIAL_FAILURES])
def test_special_files_and_failing_outputs_fail_cleanly(outcomes: dict[str, dict[str, object]], case_id: str,
                                                        code: ExitCode, name: str | None, message: str) -> None:
    """Issue 14: a FIFO or a device is refused before a byte is read; --output on an input is refused before
    anything is read; every failure to write is two lines and exit 73, with no temporary file left."""
    exit_code, out, err = _outcome(outcomes, case_id)
    assert exit_code == code, err
    what, to_try = err.splitlines()
    assert what.startswith(f"error: {name}: " if name else "error: ") and message in what, what
    assert to_try.startswith("hint: ") and "\x1b" not in err and "Traceback" not in err
    if out:  # with --format json the error object is on stdout too (unless stdout is what failed)
        assert json.loads(out)["error"]["exit_code"] == code
    folder = Path(str(outcomes["_outputs"]["folder"]))
    assert not list(folder.rglob("*.tmp")) and not (folder / "fsize" / "out.json").exists()
    assert all(outcomes["_unchanged"].values())  # no input was ever modified


def test_a_reader_that_closes_the_pipe_ends_the_run_quietly(outcomes: dict[str, dict[str, object]]) -> None:
    assert _outcome(outcomes, "reader_gone") == (ExitCode.OK, "", "")  # `| head -c 100`: no traceback, exit 0


def test_output_to_a_device_is_written_directly(outcomes: dict[str, dict[str, object]]) -> None:
    assert _outcome(outcomes, "output_to_dev_null") == (ExitCode.OK, "", "")
    assert Path("/dev/null").is_char_device()  # not replaced by a regular file


def test_unprintable_file_names_are_escaped(outcomes: dict[str, dict[str, object]]) -> None:
    """An ESC sequence and a byte that is not UTF-8 in a file name: escaped on stderr and in the JSON."""
    exit_code, out, err = _outcome(outcomes, "unprintable_name")
    assert (exit_code, err) == (ExitCode.OK, "")
    out.encode("utf-8")  # valid UTF-8 (a lone surrogate would not encode)
    assert json.loads(out)["reports"][0]["file"] == "bad\\x1b[31mname\\xff.pdf"


def test_output_through_a_symlink_writes_its_target(corpus: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "target.json"
    target.write_text("old", encoding="utf-8")
    link = tmp_path / "report.json"
    link.symlink_to(target)
    code, _, err = invoke(str(corpus["html_named.pdf"]), "-f", "json", "-o", str(link))
    assert (code, err) == (ExitCode.OK, "")
    assert link.is_symlink() and json.loads(target.read_text(encoding="utf-8"))["reports"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "target.json"]


def test_a_signal_while_the_output_is_written_leaves_no_temporary_file(tmp_path: Path) -> None:
    """SIGTERM ends the run as an exception (the CLI installs the handler), so the temporary file is removed."""
    from xiaomi_check.cli import _exit_on_signal, write_atomically

    def killed(stream: object) -> None:
        os.kill(os.getpid(), signal.SIGTERM)

    previous = signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        with pytest.raises(SystemExit) as stopped:
            write_atomically(tmp_path / "out.json", killed)  # type: ignore[arg-type]
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert stopped.value.code == 128 + signal.SIGTERM and list(tmp_path.iterdir()) == []


def test_an_output_directory_that_cannot_be_written_is_refused_first(corpus: dict[str, Path], tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only directory (as root every directory is writable, so access() is faked): exit 73 before
    anything is read."""
    import xiaomi_check.analysis

    monkeypatch.setattr(os, "access", lambda _, mode, **__: mode != os.W_OK)
    monkeypatch.setattr(xiaomi_check.analysis, "analyse", lambda *_: pytest.fail("the input was read"))
    code, out, err = invoke(str(corpus["html_named.pdf"]), "-o", str(tmp_path / "out.json"))
    assert (code, out) == (ExitCode.CANNOT_WRITE_OUTPUT, "")
    assert err.splitlines()[0] == f"error: --output {tmp_path / 'out.json'} cannot be written (permission denied); " \
                                  "nothing was written there."


def test_a_file_name_starting_with_a_dash_gets_a_hint(corpus: dict[str, Path], tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "-report.pdf").write_bytes(corpus["html_named.pdf"].read_bytes())
    monkeypatch.chdir(tmp_path)
    code, _, err = invoke("-report.pdf")
    assert code == ExitCode.USAGE and "put it after '--': xiaomi-check -- -report.pdf" in err
    code, out, _ = invoke("-q", "--", "-report.pdf")
    assert (code, out) == (ExitCode.OK, "")


def test_an_unreadable_file_is_an_input_error_not_a_usage_error(corpus: dict[str, Path],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader, not the argument parser, says why a file cannot be read (exit 3, two lines)."""
    import xiaomi_check.ingest as ingest

    def denied(*_: object, **__: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "access", lambda *_, **__: False)  # what click's readable check would see
    monkeypatch.setattr(ingest.os, "open", denied)
    code, _, err = invoke(str(corpus["html_named.pdf"]))
    assert code == ExitCode.UNREADABLE_INPUT
    assert err.splitlines() == [f"error: html_named.pdf: {corpus['html_named.pdf']} cannot be read (permission "
                                "denied).", "hint: Check its permissions."]


def test_contradicted_figures_carry_a_note(corpus: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    invoke(str(corpus["contradicting_tables.pdf"]), "-f", "json", "-o", str(target))
    notes = {f["item"]: f["note"] for f in json.loads(target.read_text(encoding="utf-8"))["reports"][0]["figures"]
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
    names = [name for name in CASES if name not in ("huge.html", "pages_10000.pdf", "decompression_bomb.pdf",
                                                    "bomb_font.pdf")]
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
    assert code == ExitCode.INTERNAL == 70 and not target.exists()  # a bug in the tool says so
    assert err.splitlines() == [
        "error: html_named.pdf: xiaomi-check hit a bug while analysing this file (RuntimeError: boom second "
        "line); the file is not at fault.",
        "hint: Please report it (with the file if you can share it); --debug shows the traceback."]
    assert json.loads(out)["error"]["exit_code"] == ExitCode.INTERNAL


def test_usage_error_with_json_writes_an_error_object() -> None:
    code, out, err = invoke("missing.pdf", "--pages", "x", "-f", "json")
    assert code == ExitCode.USAGE and "not a page list" in err
    assert json.loads(out)["error"] == {"file": None, "message": "--pages 'x' is not a page list.",
                                        "hint": "Write pages like '12-15,40'.", "exit_code": 2}


# ----------------------------------------------------------------------------------------- bounds


def test_bombs_are_refused_before_anything_inflates_them(outcomes: dict[str, dict[str, object]]) -> None:
    """The guard measures each stream in 1 MB steps before PDFium or pdfminer sees the file: the peak memory of
    each bomb's own process stays small (PDFium alone would take about 650 MB for the 300 MB one)."""
    bombs = [case_id for case_id in outcomes if case_id.startswith(("bomb_", "decompression_bomb", "many_filters"))]
    assert len(bombs) == 12
    assert all(int(outcomes[case_id]["peak_mb"]) < 300 for case_id in bombs), {  # type: ignore[call-overload]
        case_id: outcomes[case_id]["peak_mb"] for case_id in bombs}


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
    figures = json.loads(text)["reports"][0]["figures"]
    assert {f["source"]["raw_text"] for f in figures if f["item"] == "revenue"} == {"92,506.5", "70,894.1"}
    assert _Recorder.requests == []
    assert path.read_bytes() == before


def test_an_encrypted_filing_is_not_called_damaged(tmp_path: Path) -> None:
    """Its streams are measured as stored (encrypted), so they never decompress: that is not damage."""
    from badinput.make_corpus import encrypted_empty_user_password
    from xiaomi_check.ingest.streams import survey

    data = encrypted_empty_user_password()
    assert b"/Encrypt" in data
    assert survey(data, 1 << 30).damaged == {}
