"""Generate the bad-input corpus: every kind of file a real archive of filings contains that is not a clean
filing (issue 6), and the hostile and heavy files of issue 14 (bombs behind every filter chain, pages of
megabytes of text, span and table floods, legacy encodings, unclosed tags, mislabelled archives).
Deterministic (reportlab ``invariant=1``, seeded RNGs); nothing binary is committed.

    python tests/badinput/make_corpus.py OUTDIR            # every case
    python tests/badinput/make_corpus.py OUTDIR --only bomb.pdf

Each case is one function `name -> bytes`; `make_corpus(folder)` writes them all and returns their paths.
"""

from __future__ import annotations

import argparse
import base64
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


# ----------------------------------------------------------------------------------------- issue 14: hostile and heavy

VARIANT_BOMB_BYTES = 64 * 1024 * 1024  # past the 4 MiB page-content limit, quick to generate
HEAVY_TEXT_REPEATS = 4_000  # lines of long strings on one page: about 400,000 characters of text
MANY_TABLES = 20_000
WIDE_ROW_CELLS = 100_000
CJK_LABELS = ("收入", "銷售成本", "毛利", "經營利潤", "除所得稅前利潤", "所得稅費用", "期內利潤")


@functools.cache
def _spaces_deflated(size: int) -> bytes:
    """The income statement followed by `size` bytes of spaces, deflated (about a thousandth of `size`)."""
    compressor = zlib.compressobj(9)
    parts = [compressor.compress(content_ops(statement_layout()))]
    chunk = b" " * (1 << 20)
    parts += [compressor.compress(chunk) for _ in range(size >> 20)]
    return b"".join([*parts, compressor.flush()])


def stream_with(data: bytes, entries: bytes) -> bytes:
    """A stream object body with any dictionary entries (filters, subtypes, padding) before its data."""
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries, data)


def one_page_pdf(content: bytes, extra: Sequence[bytes] = (), contents: bytes = b"4 0 R",
                 media_box: bytes = b"/MediaBox [0 0 595 842] ") -> bytes:
    """Catalog 1, pages 2, font 3, the page's content stream 4, a page 5 + len(extra) whose /Contents is
    `contents`, and any `extra` objects numbered from 5 (an indirect /Filter, more content)."""
    page = (b"<< /Type /Page /Parent 2 0 R %s/Resources << /Font << /F1 3 0 R >> >> /Contents %s >>"
            % (media_box, contents))
    number = 5 + len(extra)
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Count 1 /Kids [%d 0 R] >>" % number,
                    _FONT, content, *extra, page])


def _bomb(entries: bytes, encode: Callable[[bytes], bytes] = lambda data: data,
          extra: Sequence[bytes] = ()) -> Callable[[], bytes]:
    return lambda: one_page_pdf(stream_with(encode(_spaces_deflated(VARIANT_BOMB_BYTES)), entries), extra)


def _layers(count: int) -> bytes:
    data = _spaces_deflated(VARIANT_BOMB_BYTES)
    for _ in range(count - 1):
        data = zlib.compress(data, 9)
    return data


def lzw_bomb(size: int = VARIANT_BOMB_BYTES) -> bytes:
    """LZW codes that each add one more space to the run before (1 + 2 + 3 + ... bytes), cleared every
    3,800 codes: about 7 MB per 5 KB of codes. Written with the 9-to-12-bit widths of /EarlyChange 1."""
    bits, out, total = [], bytearray(), 0

    def emit(code: int, width: int) -> None:
        bits.append(format(code, f"0{width}b"))

    while total < size:
        emit(256, 9 if not bits else 12)
        emit(32, 9)
        table, run = 258, 1
        while table < 4_000 and total < size:
            emit(table, min(12, (table + 1).bit_length()))
            table, run = table + 1, run + 1
            total += run
    emit(257, min(12, (table + 1).bit_length()))
    joined = "".join(bits)
    joined += "0" * (-len(joined) % 8)
    out += int(joined, 2).to_bytes(len(joined) // 8, "big")
    return bytes(out)


def run_length_bomb() -> bytes:
    """Flate around run-length data: each pair of bytes (129, space) stands for 128 spaces."""
    return zlib.compress(b"\x81 " * (VARIANT_BOMB_BYTES // 128) + b"\x80", 9)


def split_content_bomb() -> bytes:
    """One page whose /Contents names the same 3 MB stream three times: each stream is under the page-content
    limit, the page is not."""
    data = zlib.compress(content_ops(statement_layout()) + b" " * (3 << 20), 9)
    return one_page_pdf(stream_with(data, b"/Filter /FlateDecode"), contents=b"[4 0 R 4 0 R 4 0 R]")


def font_bomb() -> bytes:
    """A font file (not page content) that inflates to 300 MB: past the 256 MiB limit for any stream."""
    font = stream_with(_bomb_stream(), b"/Length1 1000 /Filter /FlateDecode")
    return one_page_pdf(stream(content_ops(statement_layout())), [font])


def many_filters() -> bytes:
    data = content_ops(statement_layout())
    for _ in range(40):
        data = zlib.compress(data)
    return one_page_pdf(stream_with(data, b"/Filter [" + b" /FlateDecode" * 40 + b"]"))


def heavy_text_page() -> bytes:
    """The statement on page 1, then a page of about 400,000 characters (long strings in a 1 pt font)."""
    line = b"BT /F1 1 Tf %d %d Td (" + b"Revenue 92,506.5 Cost of sales 73,631.9 " * 2 + b") Tj ET\n"
    heavy = b"".join(line % (10 + (i // 800) * 100, 10 + i % 800) for i in range(HEAVY_TEXT_REPEATS))
    return raw_pages_pdf([0, 1], [stream(content_ops(statement_layout())), stream(zlib.compress(heavy), flate=True)])


def damaged_content_stream() -> bytes:
    """Prose, then the statement twice with damaged compression: page 2's checksum is wrong (every byte of its
    content is there), page 3 is overwritten in the middle (PDFium draws the part before the damage)."""
    compressed = zlib.compress(content_ops(statement_layout()))
    bad_checksum = compressed[:-4] + bytes(b ^ 0xFF for b in compressed[-4:])
    middle = len(compressed) // 2
    overwritten = compressed[:middle] + b"\xff" * 8 + compressed[middle + 8:]
    return raw_pages_pdf([0, 1, 2], [stream(content_ops([(60, 760, 9, PROSE)])), stream(bad_checksum, flate=True),
                                     stream(overwritten, flate=True)])


def no_media_box() -> bytes:
    """The statement on a page with no /MediaBox anywhere (pdfminer warns and uses a default)."""
    return one_page_pdf(stream(content_ops(statement_layout())), media_box=b"")


def span_bomb_html() -> bytes:
    """A 47 KB table of cells spanning 100 rows and 100 columns (a naive grid expands it to 20 million slots)."""
    row = "<tr>" + "<td rowspan='100' colspan='100'>1</td>" * 20 + "</tr>"
    return html_page(html_statement() + "<table>" + row * 60 + "</table>")


def many_tables_html() -> bytes:
    """The statement, then 20,000 tiny tables (the table budget stops reading them)."""
    return html_page(html_statement() + "<table><tr><td>a</td><td>1</td></tr></table>\n" * MANY_TABLES)


def wide_row_html() -> bytes:
    """The statement, then one row of 100,000 cells."""
    return html_page(html_statement() + "<table><tr>" + "<td>1</td>" * WIDE_ROW_CELLS + "</tr></table>")


def large_text_node_html(size: int = 10_200_000) -> bytes:
    """The statement after one text node of 10.2 MB (past libxml2's 10 MB limit without huge_tree)."""
    return html_page("<pre>" + "Lorem ipsum dolor sit amet. " * (size // 28) + "</pre>\n" + html_statement())


def cjk_statement_html(encoding: str, meta: bool = True, bom: bool = False) -> Callable[[], bytes]:
    """An income statement in Traditional Chinese, in `encoding`, with or without a declared charset."""
    def make() -> bytes:
        rows = "".join(f"<tr><td>{label}</td><td>{current}</td><td>{previous}</td></tr>\n"
                       for label, (_, current, previous) in zip(CJK_LABELS, ROWS, strict=True))
        declared = f"<meta http-equiv='Content-Type' content='text/html; charset={encoding}'>" if meta else ""
        page = (f"<html><head><title>小米集團業績公告</title>{'<style>p {}</style>' * 200}{declared}</head><body>"
                "<p><b>簡明綜合損益表</b></p><p>(人民幣百萬元，另有說明者除外)</p><table>"
                "<tr><td></td><td colspan='2'>截至9月30日止三個月</td></tr>"
                "<tr><td></td><td>2024年</td><td>2023年</td></tr>"
                f"{rows}</table></body></html>")
        return ("\ufeff" if bom else "").encode(encoding) + page.encode(encoding)
    return make


def unclosed(tag: str) -> Callable[[], bytes]:
    """An unclosed <noscript> or <embed> before the statement: lxml nests the rest of the page inside it."""
    return lambda: html_page(f"<{tag}><p>Please enable JavaScript.</p>\n" + html_statement())


def html_mentioning_pdf_header() -> bytes:
    return html_page("<p>Attachments are saved as %PDF-1.7 files.</p>\n" + html_statement())


def zip_with_html() -> bytes:
    """A ZIP archive (stored, not compressed) of an HTML statement, named .pdf."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(zipfile.ZipInfo("statement.html", date_time=(2024, 11, 18, 0, 0, 0)),
                         html_page(html_statement()))
    return buffer.getvalue()


def png_named_pdf() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (40, 40), 255).save(buffer, format="PNG")
    return buffer.getvalue()


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
    # issue 14: filter chains and tricks that slipped past the first bomb guard
    "bomb_hex_flate.pdf": _bomb(b"/Filter [/ASCIIHexDecode /FlateDecode]", lambda data: data.hex().encode() + b">"),
    "bomb_a85_flate.pdf": _bomb(b"/Filter [/A85 /Fl]", lambda data: base64.a85encode(data) + b"~>"),
    "bomb_indirect_filter.pdf": _bomb(b"/Filter 5 0 R", extra=[b"[/Fl#61teDecode]"]),
    "bomb_padded_dictionary.pdf": _bomb(b"/Filter /FlateDecode /Padding (" + b"x" * 5_000 + b")"),
    "bomb_image_subtype.pdf": _bomb(b"/Type /XObject /Subtype /Image /Width 10 /Height 10 /Filter /FlateDecode"),
    "bomb_five_layers.pdf": lambda: one_page_pdf(stream_with(_layers(5), b"/Filter [" + b"/FlateDecode " * 5 + b"]")),
    "bomb_lzw.pdf": lambda: one_page_pdf(stream_with(lzw_bomb(), b"/Filter /LZWDecode")),
    "bomb_run_length.pdf": lambda: one_page_pdf(stream_with(run_length_bomb(), b"/Filter [/FlateDecode /RL]")),
    "bomb_split_contents.pdf": split_content_bomb,
    "bomb_font.pdf": font_bomb,
    "many_filters.pdf": many_filters,
    "heavy_text_page.pdf": heavy_text_page,
    "damaged_content_stream.pdf": damaged_content_stream,
    "no_media_box.pdf": no_media_box,
    "span_bomb.html": span_bomb_html,
    "many_tables.html": many_tables_html,
    "wide_row.html": wide_row_html,
    "gbk_meta.html": cjk_statement_html("gbk"),
    "big5_meta.html": cjk_statement_html("big5"),
    "big5_undeclared.html": cjk_statement_html("big5", meta=False),
    "utf16_bom.html": cjk_statement_html("utf-16-le", meta=False, bom=True),
    "utf8_undeclared.html": cjk_statement_html("utf-8", meta=False),
    "large_text_node.html": large_text_node_html,
    "unclosed_noscript.html": unclosed("noscript"),
    "unclosed_embed.html": unclosed("embed"),
    "mentions_pdf_header.html": html_mentioning_pdf_header,
    "zip_named.pdf": zip_with_html,
    "png_named.pdf": png_named_pdf,
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
