"""The fixture filings are reproducible: regenerating them from the committed script changes no byte."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_generator_reproduces_every_committed_fixture(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(FIXTURES / "generate.py"), "--out", str(tmp_path)], check=True,
                   capture_output=True)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.suffix in {".pdf", ".html", ".json"})
    assert len(made) >= 30
    stale = [str(p) for p in made if _digest(tmp_path / p) != _digest(FIXTURES / p)]
    assert stale == []
