"""Make tests/data/real/ from the real filings in `../shared/real_filings/` (not part of the project).

    python tests/data/real/make_excerpts.py [SOURCE_FOLDER]

SOURCE_FOLDER defaults to `../shared/real_filings` beside the project. Every original is checked against the SHA-256
recorded below first (a different file stops the script before anything is written). The three US filings are
copied whole; the three HK annual reports are cut to the pages listed in EXCERPTS with pypdfium2
(`PdfDocument.new()` + `import_pages`, pages in the order listed): excerpt page n is original page
EXCERPTS[file][1][n - 1]. Each copy keeps its original's file name.

The script also writes `excerpts.json` beside itself: for each file the original, its SHA-256 and size, the SHA-256
and size of the copy here and, for an excerpt, the original page of each excerpt page. The tests read it (conftest
`real_page`) to translate the pages of tests/data/real_filings.json, which are pages of the originals.

Reproducible: PDFium stamps a new document with the time (/CreationDate) and a random /ID; both are replaced by
fixed values of the same length (so no offset moves), and the script cuts every excerpt twice and stops if the two
differ. Made with pypdfium2 5.15.2 (PDFium 159.0.8149.0); another PDFium may write other bytes with the same pages.

Which pages, and why (README.md has the table):
- the contents page and the page after it (originals' pp. 2-3): the engine reads the kind of document from the
  first three pages and the company from the most frequent name in the first ten. Without them Water Oasis is
  reported as "BDO Limited" (its auditor, who signs the page before the statement). The covers are left out: they
  are 0.2-1.4 MB of artwork, and the kind is printed on p2 as well.
- the consolidated income statement, with the page before it and the page after it (its continuation, or the
  statement of financial position);
- the five-year financial summary, a second income-statement table the engine uses on the full file (its figures,
  checks and "printed differently" warnings are part of the report).
With these pages `analyse` gives, page numbers translated, the same company, kind, figures, used tables, metrics,
checks, answers and warnings as on the original, except one warning of Water Oasis (see README.md).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
import sys
from pathlib import Path

import pypdfium2 as pdfium

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = HERE.parents[3] / "shared" / "real_filings"

# file -> (SHA-256 of the original, its pages kept, 1-based, in excerpt order)
EXCERPTS: dict[str, tuple[str, tuple[int, ...]]] = {
    "hk1161_water_oasis_annual_report_FY2021.pdf": (
        "a2fbfacec9c951d4560b3225fd5b9c5c6607dc9e619ea02e25cdce5fc1675700", (2, 3, 60, 61, 62, 63, 122)),
    "hk1741_ri_ying_annual_report_FY2021.pdf": (
        "222c3f9dc412b416400281fa7c609b243207b7f7e09ad3856481e2180b3eb934", (2, 3, 66, 67, 68, 131)),
    "hk1721_fsm_holdings_annual_report_2020.pdf": (
        "4e98ee282a832b39a5d2ecc26f2b705cc98b394f550397c4c7a9cfddfa673df6", (2, 3, 58, 59, 60, 114)),
}
# file -> SHA-256 of the original, copied whole
WHOLE: dict[str, str] = {
    "us_apple_2023q3_10q.pdf": "7b9b54830f070aab56cd842b391dd81d21613aacda2cb92234f43b997930b0ea",
    "us_bestbuy_2023q4_earnings.pdf": "a9a46c9fae1af1b37dfd0efc3996ac36bd4228d0b3f39159e0818ad8d7c68f72",
    "us_intel_2022q4_earnings.pdf": "d63f547b61832263e6f1e76210c75c6e78c296bb96ec90f111fd2c2240967396",
}

_DATE = re.compile(rb"/CreationDate\(D:\d{14}[^)]*\)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fixed(pdf: bytes) -> bytes:
    """The same bytes with PDFium's time stamp and random /ID replaced by fixed values of the same length."""
    date = _DATE.search(pdf)
    if date is not None:
        stamp = b"/CreationDate(D:20000101000000Z)"
        pdf = pdf[:date.start()] + stamp.ljust(date.end() - date.start(), b" ") + pdf[date.end():]
    found = _ID.search(pdf)
    if found is not None:
        digest = hashlib.md5(pdf[:found.start()], usedforsecurity=False).hexdigest().upper().encode()
        ident = b"/ID[<" + digest + b"><" + digest + b">]"
        if len(ident) > found.end() - found.start():
            raise ValueError("unexpected /ID form")
        pdf = pdf[:found.start()] + ident.ljust(found.end() - found.start(), b" ") + pdf[found.end():]
    return pdf


def excerpt(data: bytes, pages: tuple[int, ...]) -> bytes:
    source = pdfium.PdfDocument(data)
    target = pdfium.PdfDocument.new()
    try:
        target.import_pages(source, [page - 1 for page in pages])
        buffer = io.BytesIO()
        target.save(buffer)
    finally:
        target.close()
        source.close()
    return _fixed(buffer.getvalue())


def _original(folder: Path, name: str, expected: str) -> bytes:
    data = (folder / name).read_bytes()
    if sha256(data) != expected:
        raise SystemExit(f"{folder / name}: SHA-256 {sha256(data)}, not the recorded {expected}; nothing written")
    return data


def main(folder: Path) -> None:
    originals = {name: _original(folder, name, digest) for name, (digest, _) in EXCERPTS.items()}
    originals |= {name: _original(folder, name, digest) for name, digest in WHOLE.items()}
    manifest: dict[str, dict[str, object]] = {}
    for name, data in originals.items():
        pages = EXCERPTS[name][1] if name in EXCERPTS else None
        if pages is None:
            copy = data
        else:
            copy = excerpt(data, pages)
            if excerpt(data, pages) != copy:
                raise SystemExit(f"{name}: two cuts differ; the excerpt would not be reproducible")
            if len(pdfium.PdfDocument(copy)) != len(pages):
                raise SystemExit(f"{name}: the excerpt does not have {len(pages)} pages")
        if pages is None:
            shutil.copyfile(folder / name, HERE / name)
        else:
            (HERE / name).write_bytes(copy)
        manifest[name] = {"original": f"../shared/real_filings/{name}", "original_sha256": sha256(data),
                          "original_bytes": len(data), "copy": "whole" if pages is None else "excerpt",
                          "sha256": sha256(copy), "bytes": len(copy),
                          "original_pages": list(pages) if pages is not None else None}
        print(f"{name}: {len(data):,} -> {len(copy):,} bytes" + (f", original pages {pages}" if pages else ""))
    text = json.dumps(dict(sorted(manifest.items())), indent=1) + "\n"
    (HERE / "excerpts.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE)
