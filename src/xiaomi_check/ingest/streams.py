"""Decompression-bomb guard: how far each Flate stream of a PDF expands, measured before any PDF library
inflates it (PDFium and pdfminer both inflate a whole content stream into memory).

Standard library only, streaming: at most one chunk of inflated data is held at a time, and the measure
stops as soon as a stream passes the limit. Image streams are skipped: the readers never decode them.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator

_CHUNK = 1 << 20
_STREAM = re.compile(rb">>\s*stream(?:\r\n|\r|\n)")
_OBJ = re.compile(rb"\d+\s+\d+\s+obj\b")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)\b")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_DICT_WINDOW = 4096


def oversized_stream(data: bytes, limit: int) -> tuple[str, int] | None:
    """The first non-image Flate stream that inflates past `limit` bytes: (object label, bytes seen)."""
    view = memoryview(data)
    for found in _STREAM.finditer(data):
        head = data[max(0, found.start() - _DICT_WINDOW):found.start()]
        obj = list(_OBJ.finditer(head))
        header = head[obj[-1].start():] if obj else head
        layers = len(_FLATE.findall(header))
        if layers == 0 or _IMAGE.search(header):
            continue
        size = _inflated_size(view[found.end():], layers, limit)
        if size > limit:
            label = header[:obj[-1].end() - obj[-1].start()].decode("latin-1") if obj else "?"
            return label.replace(" obj", "").strip(), size
    return None


def _inflated_size(raw: memoryview, layers: int, limit: int) -> int:
    chunks: Iterable[bytes | memoryview] = (raw[i:i + _CHUNK] for i in range(0, len(raw), _CHUNK))
    for _ in range(min(layers, 4)):
        chunks = _inflate(chunks)
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            break
    return total


def _inflate(chunks: Iterable[bytes | memoryview]) -> Iterator[bytes]:
    """Inflate a zlib stream chunk by chunk, never holding more than one chunk of output; stops at the
    stream's end or at the first corrupt byte (the PDF reader reports damage its own way)."""
    inflater = zlib.decompressobj()
    try:
        for chunk in chunks:
            pending: bytes | memoryview = chunk
            while pending and not inflater.eof:
                out = inflater.decompress(pending, _CHUNK)
                if out:
                    yield out
                pending = inflater.unconsumed_tail
            if inflater.eof:
                return
    except zlib.error:
        return
