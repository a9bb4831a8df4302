"""Decompression-bomb guard: how far each stream of a PDF expands, measured before any PDF library decodes it
(PDFium and pdfminer both decode a whole stream into memory, and PDFium joins a page's content streams).

It follows every filter chain PDFium would decode (Flate, LZW, RunLength, ASCIIHex, ASCII85, in any order and
any depth up to `MAX_FILTERS`), a `/Filter` given by reference, and dictionaries of any length. A stream is
measured against one of two limits:
- page content (content streams, forms, glyph procedures, and anything a page's /Contents names, whatever its
  dictionary claims): `content_limit` for one stream and for all the streams of one page together;
- everything else PDFium may decode (fonts, object streams, metadata): `limit`.
Image streams that no page names as content are skipped: the readers never decode them.

The same pass notes each page-content stream that does not decompress (a damaged file): PDFium draws what
it can of such a page, silently, so the report names the page instead (`Survey.damaged`). Not in an encrypted
PDF (many filings are, with an empty password): its streams are measured encrypted and never decompress.

Standard library only, streaming: at most one chunk of decoded data is held per filter, and a measure stops
as soon as a stream passes its limit. Not covered: streams of an encrypted PDF (they are measured encrypted).
"""

from __future__ import annotations

import base64
import bisect
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

_CHUNK = 1 << 20
MAX_FILTERS = 32  # no real PDF chains more than three; past this the file is refused as hostile
_STREAM = re.compile(rb">>\s*stream(?:\r\n|\r|\n)?")
_OBJ = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+obj\b")
_OBJ_KEYWORD = re.compile(rb"obj\b")
_NUMBER_OR_SPACE = frozenset(b"0123456789 \t\n\r\f\v")  # what \d and \s match in a bytes pattern
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]{0,4096}\]|/[^\s/\[\]<>(){}%]+|\d+\s+\d+\s+R)")
_REF = re.compile(rb"(\d{1,10})\s+\d{1,5}\s+R")
_NAME = re.compile(rb"/([^\s/\[\]<>(){}%]+)")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_CONTENTS = re.compile(rb"/Contents\s*(?:\[([^\]]{0,65536})\]|(\d{1,10})\s+\d{1,5}\s+R)")
_EARLY_CHANGE_0 = re.compile(rb"/EarlyChange\s+0\b")
_NOT_CONTENT = re.compile(rb"/Subtype\s*/(?:Image|Type1C|CIDFontType0C|OpenType|XML)\b|/Length[123]\b"
                          rb"|/Type\s*/(?:ObjStm|XRef|EmbeddedFile|Metadata|CMap)\b|/FunctionType\b|/N\s+\d")
_ENCRYPTED = re.compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
_FILTER_NAMES = {b"FlateDecode": "flate", b"Fl": "flate", b"LZWDecode": "lzw", b"LZW": "lzw",
                 b"RunLengthDecode": "rl", b"RL": "rl", b"ASCIIHexDecode": "hex", b"AHx": "hex",
                 b"ASCII85Decode": "a85", b"A85": "a85"}


@dataclass(frozen=True, slots=True)
class Expansion:
    """A stream (or a page's streams together) that expands past its limit."""

    label: str  # "object 5 0", or "the content streams of one page (objects 5, 6, 7)"
    limit: int
    content: bool  # measured against the page-content limit


@dataclass(frozen=True, slots=True)
class Survey:
    """What the measure found: the first stream (or page) past its limit, and the page-content streams that do
    not decompress (object number → zlib's reason)."""

    oversized: Expansion | None
    damaged: dict[int, str]


class _Corrupt(Exception):
    """A stream stops decompressing before its end."""


@dataclass(slots=True)
class _Stream:
    number: int
    label: str
    start: int
    end: int
    filters: list[str]
    early_change: int
    content_like: bool
    image: bool
    object_stream: bool


def survey(data: bytes, limit: int, content_limit: int | None = None) -> Survey:
    """Every stream measured: the first (or page) that expands past its limit, and the damaged page content."""
    content_limit = limit if content_limit is None else content_limit
    objects = [(m.start(), int(m.group(1)), m.group(2)) for m in _objects(data)]
    offsets = {number: start for start, number, _ in objects}
    streams = [_stream(data, match.start(), match.end(), objects, offsets) for match in _STREAM.finditer(data)]
    pages = _contents_lists(data, data, offsets)
    named: set[int] = {n for page in pages for n in page}
    sizes: dict[int, int] = {}
    damaged: dict[int, str] = {}
    encrypted = _ENCRYPTED.search(data) is not None
    view = memoryview(data)
    for item in sorted(streams, key=lambda s: not s.object_stream):  # object streams first: they name contents
        if len(item.filters) > MAX_FILTERS:
            return Survey(Expansion(f"object {item.label} (with {len(item.filters)} filters)", limit, False), damaged)
        if item.image and item.number not in named:
            continue
        content = item.content_like or item.number in named
        cap = content_limit if content else limit
        found: list[list[int]] | None = [] if item.object_stream else None
        reasons: list[str] = []
        size = _decoded_size(view[item.start:item.end], item.filters, item.early_change, cap, found, reasons)
        if reasons and content and not encrypted:
            damaged[item.number] = reasons[0]
        if found:
            pages += found
            named.update(n for page in found for n in page)
        if size > cap:
            return Survey(Expansion(f"object {item.label}", cap, content), damaged)
        sizes[item.number] = size
    for page in pages:
        if len(page) > 1 and sum(sizes.get(n, 0) for n in page) > content_limit:
            shown = ", ".join(str(n) for n in page[:5]) + (", ..." if len(page) > 5 else "")
            return Survey(Expansion(f"the content streams of one page together (objects {shown})", content_limit,
                                    True), damaged)
    return Survey(None, damaged)


def _objects(data: bytes) -> Iterator[re.Match[bytes]]:
    """`_OBJ.finditer(data)`, found from each "obj" keyword back: `_OBJ` alone, starting with a digit, is tried at
    every digit of the compressed data. Only digits and spaces stand between an "obj" and the start of its
    match, so the match (if any) is the one `_OBJ` finds in that run."""
    for keyword in _OBJ_KEYWORD.finditer(data):
        start = end = keyword.start()
        while start > 0 and data[start - 1] in _NUMBER_OR_SPACE:
            start -= 1
        if start < end and (found := _OBJ.search(data, start, end + 3)) is not None:
            yield found


def _stream(data: bytes, at: int, start: int, objects: list[tuple[int, int, bytes]],
            offsets: dict[int, int]) -> _Stream:
    index = bisect.bisect_right(objects, at, key=lambda o: o[0]) - 1
    begin, number, generation = objects[index] if index >= 0 else (max(0, at - 4096), -1, b"0")
    header = data[begin:at + 2]
    end = data.find(b"endstream", start)
    return _Stream(number=number, label=f"{number} {generation.decode()}" if number >= 0 else "?", start=start,
                   end=len(data) if end < 0 else end, filters=_filters(data, header, offsets),
                   early_change=0 if _EARLY_CHANGE_0.search(header) else 1,
                   content_like=not _NOT_CONTENT.search(header), image=bool(_IMAGE.search(header)),
                   object_stream=bool(_OBJECT_STREAM.search(header)))


def _filters(data: bytes, header: bytes, offsets: dict[int, int]) -> list[str]:
    """The stream's filter names in order (the last /Filter key of its dictionary wins, as in PDFium);
    references are followed one level; an unknown or image filter ends the chain there."""
    matches = list(_FILTER.finditer(header))
    if not matches:
        return []
    names: list[bytes | int] = []
    for token in _tokens(matches[-1].group(1)):
        names += _tokens(_object_body(data, token, offsets)) if isinstance(token, int) else [token]
    chain: list[str] = []
    for name in names:
        if not isinstance(name, bytes) or _FILTER_NAMES.get(name) is None:
            break
        chain.append(_FILTER_NAMES[name])
    return chain


def _tokens(value: bytes) -> list[bytes | int]:
    """Names (with #xx escapes decoded) and object references of a /Filter value, in order."""
    found: list[tuple[int, bytes | int]] = [(m.start(), int(m.group(1))) for m in _REF.finditer(value)]
    found += [(m.start(), _unescape(m.group(1))) for m in _NAME.finditer(value)]
    return [token for _, token in sorted(found, key=lambda pair: pair[0])]


def _unescape(name: bytes) -> bytes:
    return _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), name)


def _object_body(data: bytes, number: int, offsets: dict[int, int]) -> bytes:
    start = offsets.get(number)
    if start is None:
        return b""
    body = data[start:start + 4096]
    head = _OBJ.match(body)
    end = body.find(b"endobj")
    return body[head.end() if head else 0:end if end >= 0 else len(body)]


def _contents_lists(data: bytes, text: bytes, offsets: dict[int, int]) -> list[list[int]]:
    """The object numbers each page's /Contents names, in `text` (the file, or a decoded object stream)."""
    pages: list[list[int]] = []
    for match in _CONTENTS.finditer(text):
        if match.group(1) is not None:
            pages.append([int(m.group(1)) for m in _REF.finditer(match.group(1))])
            continue
        number = int(match.group(2))
        body = _object_body(data, number, offsets).strip()
        pages.append([int(m.group(1)) for m in _REF.finditer(body)] if body.startswith(b"[") else [number])
    return pages


def _decoded_size(raw: memoryview, filters: list[str], early_change: int, limit: int,
                  found: list[list[int]] | None = None, damage: list[str] | None = None) -> int:
    """Bytes the filter chain produces, counted up to just past `limit`. With `found`, also collect the
    /Contents lists the decoded bytes hold (an object stream may hold the page dictionaries); with `damage`, the
    reason the stream stops decompressing early, if it does."""
    if not filters:
        return 0  # stored as is: no larger than the file
    chunks: Iterable[bytes | memoryview] = (raw[i:i + _CHUNK] for i in range(0, len(raw), _CHUNK))
    for name in filters:
        chunks = _DECODERS[name](chunks, early_change)
    total, tail = 0, b""
    try:
        for chunk in chunks:
            total += len(chunk)
            if found is not None:
                window = tail + bytes(chunk)
                found += _contents_lists(b"", window, {})
                tail = window[-4096:]
            if total > limit:
                break
    except _Corrupt as error:
        if damage is not None:
            damage.append(str(error))
    return total


def _inflate(chunks: Iterable[bytes | memoryview], _: int = 1) -> Iterator[bytes]:
    """Inflate a zlib stream chunk by chunk, never holding more than one chunk of output; stops at the
    stream's end, or raises `_Corrupt` at the first corrupt byte (after yielding what came before it)."""
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
    except zlib.error as error:  # "Error -3 while decompressing data: incorrect data check"
        raise _Corrupt(str(error).rsplit(": ", 1)[-1]) from None


_HEX_KEEP = b"0123456789abcdefABCDEF>"
_DROP_FROM_HEX = bytes(b for b in range(256) if b not in _HEX_KEEP)
_WHITESPACE = b" \t\r\n\x00\x0c"


def _unhex(chunks: Iterable[bytes | memoryview], _: int = 1) -> Iterator[bytes]:
    carry = b""
    for chunk in chunks:
        text = carry + bytes(chunk).translate(None, _DROP_FROM_HEX)
        end = text.find(b">")
        if end >= 0:
            text = text[:end] + (b"0" if end % 2 else b"")
        even = len(text) - len(text) % 2
        carry = text[even:]
        if even:
            yield bytes.fromhex(text[:even].decode("ascii"))
        if end >= 0:
            return


def _un85(chunks: Iterable[bytes | memoryview], _: int = 1) -> Iterator[bytes]:
    carry = b""
    try:
        for chunk in chunks:
            text = carry + bytes(chunk).translate(None, _WHITESPACE)
            end = text.find(b"~")
            if end >= 0:
                yield base64.a85decode(text[:end]) if end else b""
                return
            last_z = text.rfind(b"z")
            cut = last_z + 1 + (len(text) - last_z - 1) // 5 * 5
            carry = text[cut:]
            if cut:
                yield base64.a85decode(text[:cut])
        if carry:
            yield base64.a85decode(carry)
    except ValueError:
        return


def _run_length(chunks: Iterable[bytes | memoryview], _: int = 1) -> Iterator[bytes]:
    carry = b""
    for chunk in chunks:
        data, out, i = carry + bytes(chunk), bytearray(), 0
        while i < len(data):
            length = data[i]
            if length == 128:
                yield bytes(out)
                return
            need = length + 2 if length < 128 else 2
            if i + need > len(data):
                break
            out += data[i + 1:i + need] if length < 128 else data[i + 1:i + 2] * (257 - length)
            i += need
            if len(out) >= _CHUNK:
                yield bytes(out)
                out.clear()
        carry = data[i:]
        yield bytes(out)


def _unlzw(chunks: Iterable[bytes | memoryview], early_change: int = 1) -> Iterator[bytes]:
    """LZW as PDF writes it (9 to 12-bit codes, most significant bit first, /EarlyChange 1 by default)."""
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""]
    width, buffer, bits, previous, out = 9, 0, 0, b"", bytearray()
    for chunk in chunks:
        for byte in bytes(chunk):
            buffer, bits = (buffer << 8) | byte, bits + 8
            while bits >= width:
                bits -= width
                code, buffer = buffer >> bits, buffer & ((1 << bits) - 1)
                if code == 256:
                    del table[258:]
                    width, previous = 9, b""
                    continue
                if code == 257 or code > len(table) or (code == len(table) and not previous):
                    yield bytes(out)
                    return
                entry = table[code] if code < len(table) else previous + previous[:1]
                if previous and len(table) < 4096:
                    table.append(previous + entry[:1])
                previous = entry
                out += entry
                width = min(12, (len(table) + early_change).bit_length())
            if len(out) >= _CHUNK:
                yield bytes(out)
                out.clear()
    yield bytes(out)


_DECODERS = {"flate": _inflate, "lzw": _unlzw, "rl": _run_length, "hex": _unhex, "a85": _un85}
