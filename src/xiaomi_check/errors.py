"""One exception vocabulary: each error has a message (what happened) and a hint (what to try).

The exit codes live here so that the CLI, the docs and the tests share one table.
"""

from __future__ import annotations

import re
from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    UNREADABLE_INPUT = 3
    NOTHING_EXTRACTED = 4
    INTERNAL = 70  # sysexits' EX_SOFTWARE: a bug in the tool, never the input's fault
    CANNOT_WRITE_OUTPUT = 73  # sysexits' EX_CANTCREAT: --output (or stdout) cannot be written


SIGNAL_EXIT_BASE = 128  # a run ended by a signal exits 128 + its number: 143 after SIGTERM, 130 after Ctrl-C


class XiaomiCheckError(Exception):
    """Base of every error the tool raises on purpose."""

    exit_code: ExitCode = ExitCode.UNREADABLE_INPUT

    def __init__(self, message: str, hint: str = "", *, page_count: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.page_count = page_count  # the document's pages, when it was opened before the error

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class InputError(XiaomiCheckError):
    """The file cannot be read as a filing: missing, empty, encrypted, truncated, not PDF/HTML."""

    exit_code = ExitCode.UNREADABLE_INPUT


class ScannedDocumentError(InputError):
    """The PDF has no text layer: it needs OCR first."""


class ExtractionError(XiaomiCheckError):
    """The file was read but holds no financial table the tool recognises."""

    exit_code = ExitCode.NOTHING_EXTRACTED


class UsageError(XiaomiCheckError):
    """The command line asks for something impossible."""

    exit_code = ExitCode.USAGE


class OutputError(XiaomiCheckError):
    """The report cannot be written: --output in a missing or read-only directory, a full disk, stdout closed."""

    exit_code = ExitCode.CANNOT_WRITE_OUTPUT


# C0 and C1 controls, DEL, bidirectional overrides and isolates, and the lone surrogates that stand for the
# bytes of a file name that is not UTF-8 (Python's surrogateescape)
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` safe for a terminal and valid UTF-8: control characters (an ESC sequence in a file name) and
    the undecodable bytes of a name that is not UTF-8 are shown as escapes (`\\x1b`, `\\xff`)."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, kept by surrogateescape
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


class InternalError(XiaomiCheckError):
    """A bug in the tool: the adapters turn whatever a parser raises on a damaged file into an `InputError`,
    so an exception that reaches the top from anywhere else is the tool's own fault, and says so."""

    exit_code = ExitCode.INTERNAL


def unexpected(error: Exception) -> InternalError:
    """A failure no adapter anticipated: a bug in xiaomi-check, reported as one, in one line."""
    detail = " ".join(str(error).split())[:200]
    return InternalError(f"xiaomi-check hit a bug while analysing this file ({type(error).__name__}"
                         f"{': ' + detail if detail else ''}); the file is not at fault.",
                         "Please report it (with the file if you can share it); --debug shows the traceback.")
