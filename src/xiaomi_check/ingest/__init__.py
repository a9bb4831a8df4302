"""Adapters from bytes to a `Document`: the only modules that know pdfplumber, pypdfium2 or lxml."""

from __future__ import annotations

from pathlib import Path

from xiaomi_check.errors import InputError

MAX_BYTES = 512 * 1024 * 1024


def read_input(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, read once; a clear error for a missing, unreadable, empty or oversized file."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"{path.name} is {size:,} bytes, over the {max_bytes:,}-byte limit.",
                             "Raise the limit with --max-bytes if the file is genuine.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path} does not exist.", "Check the path.") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a filing.", "Name a PDF or HTML file.") from None
    except PermissionError:
        raise InputError(f"{path} cannot be read (permission denied).", "Check its permissions.") from None
    if not data.strip():
        raise InputError(f"{path.name} is empty.", "Download the filing again.")
    return data


def sniff_kind(data: bytes) -> str:
    """'pdf' or 'html' from the bytes themselves, never from the file name."""
    head = data[:2048]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    text = head.decode("utf-8", "ignore").lstrip("\ufeff \t\r\n").lower()
    if text.startswith(("<!doctype html", "<html", "<?xml")) or any(
        tag in text for tag in ("<html", "<table", "<body", "<head", "<div", "<p>")
    ):
        return "html"
    raise InputError("The file is neither a PDF nor an HTML document.",
                     "xiaomi-check reads PDF and HTML filings; convert other formats first.")
