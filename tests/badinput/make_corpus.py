"""Generate the bad-input corpus: every kind of file a real archive of filings contains that is not a clean
filing (issue 6). Deterministic (reportlab ``invariant=1``, seeded RNGs); nothing binary is committed.

    python tests/badinput/make_corpus.py OUTDIR            # every case
    python tests/badinput/make_corpus.py OUTDIR --only bomb.pdf

Each case is one function `name -> bytes`; `make_corpus(folder)` writes them all and returns their paths.
"""

from __future__ import annotations

import argparse
import functools
import io
import random
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

SEED = 6
BOMB_BYTES = 300 * 1024 * 1024  # what the bomb's one content stream inflates to
LONG_PAGES = 10_000
NESTING = 100_000
HUGE_HTML_BYTES = 40 * 1024 * 1024  # past the default HTML limit (an eighth of --max-bytes' 256 MiB)
SECRET = "TOPSECRET-6d1f"  # written beside the hostile HTML; must never appear in a report

ROWS = (("Revenue", "92,506.5", "70,894.1"), ("Cost of sales", "(73,631.9)", "(55,590.3)"),
        ("Gross profit", "18,874.6", "15,303.8"), ("Operating profit", "6,041.5", "4,985.7"),
        ("Profit before income tax", "6,356.0", "5,723.6"), ("Income tax expense", "(1,015.7)", "(855.2)"),
        ("Profit for the period", "5,340.3", "4,868.4"))
CONTRADICTED = {"92,506.5": "93,506.5", "5,340.3": "5,430.3"}  # the second statement disagrees on these
TITLE = "Condensed Consolidated Income Statement"
CAPTION = "(RMB in millions, unless specified)"
PROSE = "This announcement is made by the board of the company to keep shareholders informed."

Placed = tuple[float, float, float, str]  # x (left), y (baseline), font size, text


# ----------------------------------------------------------------------------------------- drawing


def statement_layout(rows: Sequence[tuple[str, str, str]] = ROWS, title: str = TITLE, top: float = 760) -> list[Placed]:
    """An income statement as positioned strings: labels at the left, numbers right-aligned in two columns."""
    placed: list[Placed] = [(60, top, 11, title), (60, top - 16, 9, CAPTION)]

    def right(x: float, y: float, text: str) -> Placed:
        return (x - stringWidth(text, "Helvetica", 9), y, 9, text)

    y = top - 36
    placed.append(right(480, y, "Three months ended September 30,"))
    y -= 14
    placed += [right(380, y, "2024"), right(480, y, "2023")]
    for label, current, previous in rows:
        y -= 14
        placed += [(60, y, 9, label), right(380, y, current), right(480, y, previous)]
    return placed


def draw(pdf: canvas.Canvas, placed: Sequence[Placed]) -> None:
    for x, y, size, text in placed:
        pdf.setFont("Helvetica", size)
        pdf.drawString(x, y, text)


def reportlab_pdf(pages: Sequence[Callable[[canvas.Canvas], None]], encrypt: StandardEncryption | None = None,
                  pagesize: tuple[float, float] = (595.0, 842.0)) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1, encrypt=encrypt, pagesize=pagesize)
    for page in pages:
        page(pdf)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def statement_page(rows: Sequence[tuple[str, str, str]] = ROWS, title: str = TITLE) -> Callable[[canvas.Canvas], None]:
    return lambda pdf: draw(pdf, statement_layout(rows, title))


def prose_page(pdf: canvas.Canvas) -> None:
    for i in range(40):
        pdf.setFont("Helvetica", 9)
        pdf.drawString(60, 760 - 16 * i, f"{PROSE} Paragraph {i + 1}.")


def scanned_page(pdf: canvas.Canvas) -> None:
    """A page that is only a picture of a statement (no text layer)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (900, 400), 255)
    sketch = ImageDraw.Draw(image)
    for i, (label, current, previous) in enumerate(ROWS):
        sketch.text((20, 20 + 40 * i), label, fill=0)
        sketch.text((600, 20 + 40 * i), current, fill=0)
        sketch.text((780, 20 + 40 * i), previous, fill=0)
    pdf.drawImage(ImageReader(image), 60, 400, width=450, height=200)


def raw_pdf(objects: Sequence[bytes]) -> bytes:
    """A PDF written by hand: object 1 is the catalog; a classic xref table and trailer."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, flate: bool = False) -> bytes:
    extra = b" /Filter /FlateDecode" if flate else b""
    return b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(data), extra, data)


def content_ops(placed: Sequence[Placed]) -> bytes:
    def escape(text: str) -> bytes:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")

    return b"".join(b"BT /F1 %g Tf %g %g Td (%s) Tj ET\n" % (size, x, y, escape(text)) for x, y, size, text in placed)


_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def raw_pages_pdf(contents: Sequence[int], streams: Sequence[bytes], size: bytes = b"[0 0 595 842]") -> bytes:
    """Pages whose content is `streams[contents[i]]` (streams are shared, so 10,000 pages stay small)."""
    first_stream = 4
    first_page = first_stream + len(streams)
    kids = b" ".join(b"%d 0 R" % (first_page + i) for i in range(len(contents)))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Count %d /Kids [%s] >>" % (len(contents), kids), _FONT, *streams]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources << /Font << /F1 3 0 R >> >> "
                b"/Contents %d 0 R >>" % (size, first_stream + index) for index in contents]
    return raw_pdf(objects)


# ----------------------------------------------------------------------------------------- HTML


def html_statement(rows: Sequence[tuple[str, str, str]] = ROWS, title: str = TITLE) -> str:
    cells = "".join(f"<tr><td>{label}</td><td>{current}</td><td>{previous}</td></tr>\n"
                    for label, current, previous in rows)
    return (f"<p><b>{title}</b></p><p>{CAPTION}</p>\n<table>\n"
            "<tr><td>&nbsp;</td><td colspan='2'>Three months ended September 30,</td></tr>\n"
            f"<tr><td>&nbsp;</td><td>2024</td><td>2023</td></tr>\n{cells}</table>\n")


def html_page(body: str, head: str = "<!DOCTYPE html>") -> bytes:
    return (f"{head}\n<html><head><meta charset='utf-8'><title>Results</title></head><body>\n"
            f"{body}</body></html>\n").encode()


# ----------------------------------------------------------------------------------------- cases


@functools.cache
def statement_pdf() -> bytes:
    """A sound three-page results announcement: prose, the income statement, prose."""
    return reportlab_pdf([prose_page, statement_page(), prose_page])


def encrypted_user_password() -> bytes:
    return reportlab_pdf([statement_page()], StandardEncryption("secret", "owner", canModify=0))


def encrypted_empty_user_password() -> bytes:
    return reportlab_pdf([statement_page()], StandardEncryption("", "owner", canModify=0))


def truncated(fraction: float) -> Callable[[], bytes]:
    return lambda: statement_pdf()[: int(len(statement_pdf()) * fraction)]


def truncated_tail() -> bytes:
    """Only the last few bytes are missing: the end-of-file marker and part of the trailer."""
    return statement_pdf()[:-30]


def random_bytes() -> bytes:
    return random.Random(SEED).randbytes(64 * 1024)


def scanned() -> bytes:
    return reportlab_pdf([scanned_page, scanned_page, scanned_page])


def one_text_page_among_scans() -> bytes:
    return reportlab_pdf([scanned_page, statement_page(), scanned_page, scanned_page])


def long_pdf() -> bytes:
    """10,000 tiny pages: the statement on page 1, then the same line of filler prose on every other page."""
    streams = [stream(content_ops(statement_layout())), stream(content_ops([(10, 50, 8, PROSE)]))]
    return raw_pages_pdf([0] + [1] * (LONG_PAGES - 1), streams)


@functools.cache
def _bomb_stream() -> bytes:
    compressor = zlib.compressobj(9)
    head = content_ops(statement_layout())
    chunk = b" " * (1 << 20)
    parts = [compressor.compress(head)] + [compressor.compress(chunk) for _ in range(BOMB_BYTES >> 20)]
    return b"".join([*parts, compressor.flush()])


def decompression_bomb() -> bytes:
    """Page 2 holds an income statement followed by 300 MB of spaces, deflated to about 300 KB."""
    streams = [stream(content_ops([(60, 760, 9, PROSE)])), stream(_bomb_stream(), flate=True)]
    return raw_pages_pdf([0, 1, 0], streams)


def deeply_nested_html() -> bytes:
    return html_page("<div>" * NESTING + html_statement() + "</div>" * NESTING)


def long_table(rows: int) -> str:
    return "<p>Store list</p><table>" + "".join(f"<tr><td>Shop {i}</td><td>{i % 997:,}</td></tr>\n"
                                                for i in range(rows)) + "</table>\n"


def huge_html() -> bytes:
    """A sound statement followed by 40 MB of store lists (one 2,000-row table, repeated)."""
    block = long_table(2_000)
    return html_page(html_statement() + block * (HUGE_HTML_BYTES // len(block) + 1))


def hostile_html(server: str = "http://127.0.0.1:9", secret_file: str = "secret.txt") -> bytes:
    """External entities, a remote DTD, scripts, iframes and remote images around a sound statement.
    `server` is where every remote reference points; the tests run a local server there and count requests."""
    head = (f'<?xml version="1.0"?>\n<!DOCTYPE html SYSTEM "{server}/remote.dtd" [\n'
            f'  <!ENTITY secret SYSTEM "{secret_file}">\n  <!ENTITY remote SYSTEM "{server}/entity.txt">\n'
            f'  <!ENTITY % param SYSTEM "{server}/param.dtd"> %param;\n]>')
    body = (f"<p>&secret; &remote;</p>\n<script src='{server}/script.js'></script>\n"
            "<script>document.write('<table><tr><td>Revenue</td><td>1</td></tr></table>')</script>\n"
            f"<iframe src='{server}/frame.html'></iframe>\n<img src='{server}/image.png'>\n"
            f"<link rel='stylesheet' href='{server}/style.css'>\n<object data='{server}/object.pdf'></object>\n"
            + html_statement())
    return html_page(body, head)


def tables_not_financial() -> bytes:
    staff = "".join(f"<tr><td>{team}</td><td>{n:,}</td><td>{n + 37:,}</td></tr>"
                    for team, n in (("Engineering", 17_412), ("Sales", 5_170), ("Administration", 1_218)))
    weather = "".join(f"<tr><td>{m}</td><td>{t}</td><td>{r}</td></tr>"
                      for m, t, r in (("January", "16.3", "33.2"), ("July", "28.9", "374.3")))
    return html_page(f"<p>Employees by function</p><table><tr><td></td><td>2024</td><td>2023</td></tr>{staff}</table>"
                     f"<p>Weather at headquarters</p><table><tr><td>Month</td><td>Mean temperature</td>"
                     f"<td>Rainfall</td></tr>{weather}</table><p>{PROSE}</p>")


def contradicting_tables() -> bytes:
    """The income statement printed twice, and the second copy disagrees on revenue and profit."""
    changed = [(label, CONTRADICTED.get(current, current), previous) for label, current, previous in ROWS]
    return reportlab_pdf([statement_page(), prose_page,
                          statement_page(changed, "Consolidated Statement of Profit or Loss")])


CASES: dict[str, Callable[[], bytes]] = {
    "encrypted_user_password.pdf": encrypted_user_password,
    "encrypted_empty_user_password.pdf": encrypted_empty_user_password,
    "truncated_10.pdf": truncated(0.10),
    "truncated_50.pdf": truncated(0.50),
    "truncated_90.pdf": truncated(0.90),
    "truncated_tail.pdf": truncated_tail,
    "zero_bytes.pdf": bytes,
    "random_bytes.pdf": random_bytes,
    "html_named.pdf": lambda: html_page(html_statement()),
    "pdf_named.html": statement_pdf,
    "scanned.pdf": scanned,
    "one_text_page_among_scans.pdf": one_text_page_among_scans,
    "pages_10000.pdf": long_pdf,
    "decompression_bomb.pdf": decompression_bomb,
    "deeply_nested.html": deeply_nested_html,
    "huge.html": huge_html,
    "hostile.html": hostile_html,
    "tables_not_financial.html": tables_not_financial,
    "contradicting_tables.pdf": contradicting_tables,
}


def make_corpus(folder: Path, names: Sequence[str] | None = None) -> dict[str, Path]:
    """Write the named cases (all by default) into `folder`; their paths by name."""
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for name in names or CASES:
        paths[name] = folder / name
        paths[name].write_bytes(CASES[name]())
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--only", action="append", choices=sorted(CASES), help="only this case (repeatable)")
    args = parser.parse_args(argv)
    for name, path in make_corpus(args.folder, args.only).items():
        print(f"{path.stat().st_size:>12,}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
