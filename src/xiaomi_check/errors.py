"""One exception vocabulary: each error has a message (what happened) and a hint (what to try).

The exit codes live here so that the CLI, the docs and the tests share one table.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2
    UNREADABLE_INPUT = 3
    NOTHING_EXTRACTED = 4


class XiaomiCheckError(Exception):
    """Base of every error the tool raises on purpose."""

    exit_code: ExitCode = ExitCode.UNREADABLE_INPUT

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

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


def unexpected(error: Exception) -> InputError:
    """A failure no adapter anticipated, as an input error: one line, and what to try."""
    detail = " ".join(str(error).split())[:200]
    return InputError(f"could not process the file ({type(error).__name__}{': ' + detail if detail else ''}); "
                      "it may be damaged.", "Rerun with --debug for the traceback, and report it if the file is sound.")
