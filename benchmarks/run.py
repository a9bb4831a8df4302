"""Benchmark: wall time and peak RSS of analysing the fixture filings, beside the floor and the baseline.

    python benchmarks/run.py [--repeat 3] [--sample 30]

Each measurement runs in a fresh Python process (so peak RSS is its own): the end-to-end analysis
(`analyse(path)`), the floor (pypdfium2 text of every page: the least any PDF analysis must do) and the
baseline (pdfplumber `extract_text` over a sample of pages, extrapolated to the whole document).
Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = [ROOT / "fixtures" / "prospectus_2018.pdf", ROOT / "fixtures" / "results_q3_2024.pdf"]

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, path, sample = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
start = time.perf_counter()
pages = None
if mode == "analyse":
    from xiaomi_check.analysis import analyse
    report = analyse(path)
    pages = report.page_count
elif mode == "floor":
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(path)
    pages = len(document)
    for i in range(pages):
        page = document[i]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    document.close()
elif mode == "baseline":
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        step = max(1, pages // sample)
        chosen = list(range(0, pages, step))[:sample]
        for i in chosen:
            pdf.pages[i].extract_text()
            pdf.pages[i].close()
    elapsed = time.perf_counter() - start
    start = time.perf_counter() - elapsed * pages / len(chosen)
elapsed = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "rss_mb": rss, "pages": pages}))
"""


def measure(mode: str, path: Path, sample: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _CHILD, mode, str(path), str(sample)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


_MANY = r"""
import json, sys, time
from pathlib import Path
from xiaomi_check.batch import analyse_many
paths = [Path(p) for p in sys.argv[2:]]
start = time.perf_counter()
outcomes = analyse_many(paths, jobs=int(sys.argv[1]))
print(json.dumps({"seconds": time.perf_counter() - start, "ok": sum(o.report is not None for o in outcomes)}))
"""


def many(jobs: int) -> float:
    files = [str(p) for p in ROOT.glob("fixtures/*.pdf")] + [str(ROOT / "fixtures" / "results_q3_2024.html")]
    files = files * 2
    out = subprocess.run([sys.executable, "-c", _MANY, str(jobs), *files], check=True, capture_output=True, text=True)
    return float(json.loads(out.stdout)["seconds"])


def startup() -> float:
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", "import time,subprocess,sys; s=time.perf_counter(); "
                              "subprocess.run([sys.executable,'-m','xiaomi_check','--version'],check=True,"
                              "capture_output=True); print(time.perf_counter()-s)"], check=True,
                             capture_output=True, text=True)
        runs.append(float(out.stdout))
    return min(runs)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    import os

    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=30, help="pages pdfplumber reads for the baseline")
    args = parser.parse_args()
    print(f"Machine: {machine()}\n")
    print("| file | pages | analyse (s) | peak RSS (MB) | floor: pdfium text (s) | baseline: pdfplumber "
          "extract_text, extrapolated (s) | analyse / floor | baseline / analyse |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for path in FILES:
        runs = {mode: [measure(mode, path, args.sample) for _ in range(args.repeat)]
                for mode in ("analyse", "floor", "baseline")}
        best = {mode: min(r["seconds"] for r in results) for mode, results in runs.items()}
        rss = statistics.median(r["rss_mb"] for r in runs["analyse"])
        pages = int(runs["analyse"][0]["pages"])
        print(f"| {path.name} | {pages} | {best['analyse']:.2f} | {rss:.0f} | {best['floor']:.2f} | "
              f"{best['baseline']:.1f} | {best['analyse'] / best['floor']:.1f}× | "
              f"{best['baseline'] / best['analyse']:.0f}× |")
    print(f"\n`xiaomi-check --version` (process start to exit, best of 3): {startup():.2f} s")
    serial, parallel = min(many(1) for _ in range(2)), min(many(2) for _ in range(2))
    print(f"\nMany filings (the 4 fixture filings and the HTML twice, 10 files, one 600 pages each time): "
          f"serial {serial:.2f} s, --jobs 2 {parallel:.2f} s ({serial / parallel:.2f}× on 2 cores)")


if __name__ == "__main__":
    main()
