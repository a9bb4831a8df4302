"""What every benchmark script records beside its figures: the machine and the engine's commit."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "real_filings"


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                if line.startswith("model name")), "") if cpuinfo.exists() else platform.processor()
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30 if hasattr(os, "sysconf") else 0
    return (f"{cpu or platform.machine()}, {os.cpu_count()} cores, {ram:.0f} GiB RAM, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")


def commit() -> str:
    git = ["git", "-C", str(ROOT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "src"], capture_output=True, text=True).stdout
    return f"{head or 'unknown'}{' (with uncommitted changes in src/)' if dirty.strip() else ''}"


def src_stamp() -> float:
    return max((p.stat().st_mtime for p in (ROOT / "src").rglob("*.py")), default=0.0)


def history(name: str, title: str = "## History") -> list[str]:
    """A hand-kept table of earlier runs (benchmarks/results/<name>), so before and after stay side by side."""
    path = ROOT / "benchmarks" / "results" / name
    return [title, "", path.read_text(encoding="utf-8").strip(), ""] if path.exists() else []
