"""Which encoding an HTML file is in: its byte-order mark, then UTF-8 if the bytes are valid UTF-8, then the
charset it declares (`<meta charset>`, `<meta http-equiv=Content-Type>`, `<?xml encoding?>`), then
charset-normalizer's guess, then windows-1252. Standard library only, except the optional detector.

Valid UTF-8 comes before the declaration because a page that declares a legacy charset yet decodes as UTF-8
is, in practice, UTF-8 (GBK, Big5 and windows-1252 text with any non-ASCII byte is almost never valid UTF-8).
"""

from __future__ import annotations

import codecs
import re

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_DECLARED = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})"""
                       rb"""|<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
_DECLARATION_WINDOW = 8192
# what HTML pages call their charset, and the Python codec that reads every page so labelled (supersets)
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
              "big5": "big5hkscs", "x-big5": "big5hkscs", "cp950": "big5hkscs", "iso-8859-1": "cp1252",
              "latin-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252",
              "shift_jis": "cp932", "x-sjis": "cp932", "euc-kr": "cp949", "ks_c_5601-1987": "cp949"}
_DETECTOR_SAMPLE = 256 * 1024  # charset-normalizer reads a sample, so guessing stays fast on a large page


def bom_encoding(data: bytes) -> str | None:
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)


def decode_html(data: bytes) -> tuple[str, str]:
    """The page as text, and the encoding it was read in."""
    bom = bom_encoding(data)
    if bom is not None:
        return data.decode(bom, "replace").removeprefix("\ufeff"), bom
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for name in (declared_encoding(data[:_DECLARATION_WINDOW]), _detected(data)):
        if name is not None:
            return data.decode(name, "replace"), name
    return data.decode("cp1252", "replace"), "cp1252"


def declared_encoding(head: bytes) -> str | None:
    """The first usable charset the page declares (a UTF-16 or UTF-32 label on ASCII-compatible bytes is a
    mistake and is ignored, as browsers do)."""
    for match in _DECLARED.finditer(head):
        label = (match.group(1) or match.group(2)).decode("ascii").lower()
        name = _SUPERSETS.get(label, label)
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            continue
        if not codec.startswith(("utf-16", "utf-32")):
            return name
    return None


def _detected(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional: without it, an undeclared legacy page is read as windows-1252
        return None
    best = from_bytes(data[:_DETECTOR_SAMPLE]).best()
    if best is None:
        return None
    name = _SUPERSETS.get(best.encoding.lower().replace("_", "-"), best.encoding)
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name
