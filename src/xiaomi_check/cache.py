"""Optional result cache: a report is stored under the SHA-256 of the file's bytes, the tool version and the
options that change the result, so re-running over an archive skips unchanged files. Off unless a folder is
given; entries are written atomically and a damaged entry is ignored. The file is read through the same guard
as the analysis (a regular file, within --max-bytes), so a FIFO or /dev/zero is refused, not hashed forever."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from pydantic import ValidationError

from xiaomi_check import __version__
from xiaomi_check.analysis import Options
from xiaomi_check.ingest import read_file
from xiaomi_check.models import Report


class ResultCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def key(self, path: Path, options: Options) -> str:
        digest = hashlib.sha256(read_file(path, options.max_bytes))  # a regular file, within the byte limit
        settings = repr(sorted(asdict(options).items())).encode()
        profile = options.profile.read_bytes() if options.profile else b""
        extra = hashlib.sha256(__version__.encode() + settings + profile).hexdigest()[:16]
        return f"{digest.hexdigest()}-{extra}"

    def get(self, path: Path, options: Options) -> Report | None:
        entry = self.folder / f"{self.key(path, options)}.json"
        try:
            report = Report.model_validate_json(entry.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValidationError, ValueError):
            return None
        return report.model_copy(update={"file": path.name})

    def put(self, path: Path, options: Options, report: Report) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(report.model_dump_json())
            os.replace(temp, self.folder / f"{self.key(path, options)}.json")
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
