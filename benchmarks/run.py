"""Benchmark: time and peak memory of `analyse(path)` on every real filing and the fixture filings, against the floor.

    python benchmarks/run.py [--corpus DIR] [--repeat 3] [--sample 8] [--match TEXT]

Each measurement runs in a fresh Python process, one at a time (so peak RSS is its own):
- **analyse**: `analyse(path)`, timed after the package's modules are imported (the import is timed once,
  apart: a batch pays it once per process);
- **floor**: PDFium's text of every page (`get_text_range`), timed after `import pypdfium2`: the least any
  analysis of the PDF must do;
- **pdfplumber**: `extract_words` on `--sample` pages spread through the document, extrapolated to every page
  (what reading the whole filing with pdfplumber would cost);
- **stages**: one profiled run of `analyse` per file, the time of each stage (cProfile's cumulative time,
  profiler overhead included: read the shares, not the seconds).
The best of `--repeat` runs (analyse and floor interleaved) is kept for each. Writes docs/benchmarks.md (with
the hand-kept history of benchmarks/results/speed_history.md) and benchmarks/results/speed.json; with `--match`
it only prints. Without the corpus folder it measures the fixtures and says so.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, ROOT, commit, history, machine, src_stamp

FIXTURES = [ROOT / "fixtures" / "prospectus_2018.pdf", ROOT / "fixtures" / "results_q3_2024.pdf"]
TARGETS = {"median": 3.0, "worst": 6.0, "prospectus": 2.0, "rss_mb": 150.0}
STAGES = {  # stage → the functions whose cumulative time it is
    "read and guard the file": ["ingest/__init__.py:read_input"],
    "PDFium text of every page": ["ingest/pdf.py:texts"],
    "score pages": ["locate.py:score_page"],  # each page scored as PDFium reads it: also inside the stage above
    "words of the opened pages": ["ingest/pdf.py:words"],
    "tables (grids, readings, figures, verify)": ["analysis.py:_read"],
    "prose figures and facts": ["prose.py:text_figures", "prose.py:document_facts"],
    "metrics and checks": ["metrics/__init__.py:compute_metrics", "checks.py:run_checks"],
    "questions": ["questions.py:answer_questions"],
}

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
mode, path, sample = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
out = {}
if mode == "import":
    start = time.perf_counter()
    import xiaomi_check.analysis, xiaomi_check.ingest.pdf, xiaomi_check.ingest.html  # noqa
    out["seconds"] = time.perf_counter() - start
elif mode in ("analyse", "stages"):
    import xiaomi_check.analysis, xiaomi_check.ingest.pdf, xiaomi_check.ingest.html  # noqa
    from xiaomi_check.analysis import analyse
    if mode == "stages":
        import cProfile, pstats
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.runcall(analyse, path)
        out["seconds"] = time.perf_counter() - start
        stats = pstats.Stats(profile).stats
        out["functions"] = {f"{file}:{name}": row[3] for (file, _, name), row in stats.items()}
    else:
        start = time.perf_counter()
        try:
            report = analyse(path)
            out["pages"], out["opened"] = report.page_count, len(report.pages_examined)
        except Exception as error:
            out["error"] = type(error).__name__
        out["seconds"] = time.perf_counter() - start
elif mode == "floor":
    import pypdfium2 as pdfium
    start = time.perf_counter()
    document = pdfium.PdfDocument(path)
    out["pages"] = len(document)
    for i in range(out["pages"]):
        page = document[i]
        textpage = page.get_textpage()
        textpage.get_text_range()
        textpage.close()
        page.close()
    document.close()
    out["seconds"] = time.perf_counter() - start
elif mode == "pdfplumber":
    import pdfplumber
    start = time.perf_counter()
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        chosen = sorted({round(i * (pages - 1) / max(1, sample - 1)) for i in range(min(sample, pages))})
        for i in chosen:
            pdf.pages[i].extract_words()
            pdf.pages[i].close()
    out["seconds"] = (time.perf_counter() - start) * pages / len(chosen)
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(out))
"""


@dataclass
class Speed:  # one filing
    file: str
    pages: int = 0
    opened: int = 0
    analyse: float = 0.0
    floor: float = 0.0
    pdfplumber: float = 0.0
    rss_mb: float = 0.0
    error: str = ""
    stages: dict[str, float] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.analyse / self.floor if self.floor else 0.0


def child(mode: str, path: Path, sample: int = 8) -> dict[str, object]:
    out = subprocess.run([sys.executable, "-c", _CHILD, mode, str(path), str(sample)], check=True,
                         capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def seconds(answer: dict[str, object]) -> float:
    return float(answer["seconds"])  # type: ignore[arg-type]


def measure(path: Path, name: str, repeat: int, sample: int) -> Speed:
    runs, floors = [], []
    for _ in range(repeat):  # interleaved, so that a passing load on the machine weighs on both alike
        runs.append(child("analyse", path))
        floors.append(child("floor", path))
    best = min(runs, key=seconds)
    speed = Speed(name, pages=int(floors[0]["pages"]), opened=int(best.get("opened", 0)),  # type: ignore[call-overload]
                  analyse=seconds(best), floor=min(map(seconds, floors)),
                  pdfplumber=seconds(child("pdfplumber", path, sample)),
                  rss_mb=max(float(r["rss_mb"]) for r in runs),  # type: ignore[arg-type]
                  error=str(best.get("error", "")))
    functions: dict[str, float] = child("stages", path)["functions"]  # type: ignore[assignment]
    for stage, names in STAGES.items():
        speed.stages[stage] = sum(t for key, t in functions.items() for name in names
                                  if key.endswith(":" + name.split(":")[1]) and name.split(":")[0] in key)
    return speed


def verdict(measured: float, target: float) -> str:
    return "yes" if measured <= target else "no"


def render(speeds: list[Speed], corpus: Path | None, import_s: float, moved: bool, repeat: int, load: float) -> str:
    real = [s for s in speeds if not s.file.startswith("fixtures/")]
    prospectus = next((s for s in speeds if s.file.endswith("prospectus_2018.pdf")), None)
    lines = ["# Benchmarks", "",
             "Measured by `python benchmarks/run.py` (see its docstring): each figure from a fresh process, run one at "
             f"a time; the best of {repeat} runs for analyse and floor, the two interleaved.", "",
             f"- Date: {date.today().isoformat()}", f"- Engine commit: {commit()}", f"- Machine: {machine()}",
             f"- Importing the package (once per process, not in the times below): {import_s:.2f} s",
             f"- Load average of the machine when the run began: {load:.2f} (other work inflates the short filings' "
             "ratios most: their floor is a few hundredths of a second)",
             *(["- **src/ changed while this ran: the figures may mix engine states.**"] if moved else []),
             *([] if corpus else ["- **No corpus folder: only the fixture filings were measured.**"]), ""]
    if real:
        ratios = sorted(s.ratio for s in real)
        worst = max(real, key=lambda s: s.ratio)
        rss = max(s.rss_mb for s in speeds)
        lines += ["## Against the targets (issue 12)", "", "| target | measured | met |", "|---|---|---|",
                  f"| median analyse / floor over the {len(real)} real filings ≤ {TARGETS['median']:.0f}× | "
                  f"{statistics.median(ratios):.1f}× | {verdict(statistics.median(ratios), TARGETS['median'])} |",
                  f"| worst ≤ {TARGETS['worst']:.0f}× | {worst.ratio:.1f}× ({worst.file}) | "
                  f"{verdict(worst.ratio, TARGETS['worst'])} |"]
        if prospectus:
            lines.append(f"| the generated prospectus ≤ {TARGETS['prospectus']:.0f}× | {prospectus.ratio:.1f}× | "
                         f"{verdict(prospectus.ratio, TARGETS['prospectus'])} |")
        lines += [f"| peak RSS ≤ {TARGETS['rss_mb']:.0f} MB on every file | {rss:.0f} MB | "
                  f"{verdict(rss, TARGETS['rss_mb'])} |", "",
                  f"Total over the real filings: analyse {sum(s.analyse for s in real):.1f} s, floor "
                  f"{sum(s.floor for s in real):.1f} s, pdfplumber words on every page (extrapolated) "
                  f"{sum(s.pdfplumber for s in real):.0f} s.", ""]
    lines += ["## Per file", "", "| file | pages | opened | floor (s) | analyse (s) | analyse / floor | peak RSS (MB) "
              "| pdfplumber words, every page (s) | outcome |", "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    lines += [f"| {s.file} | {s.pages} | {s.opened} | {s.floor:.2f} | {s.analyse:.2f} | {s.ratio:.1f}× | "
              f"{s.rss_mb:.0f} | {s.pdfplumber:.1f} | {s.error or 'report'} |" for s in speeds]
    total = {stage: sum(s.stages.get(stage, 0.0) for s in speeds) for stage in STAGES}
    whole = sum(total.values()) or 1.0
    lines += ["", "## Where the time goes", "",
              "Summed over every file above, from one profiled run each (cProfile's cumulative time per stage; the "
              "profiler slows Python code more than PDFium's, so read the shares).", "",
              "| stage | share |", "|---|---:|"]
    lines += [f"| {stage} | {100 * t / whole:.0f}% |" for stage, t in total.items()]
    return "\n".join([*lines, "", *history("speed_history.md", "## Earlier measurements")])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of real PDFs (searched recursively)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of analyse and floor per file (best kept)")
    parser.add_argument("--sample", type=int, default=8, help="pages pdfplumber reads per file, extrapolated")
    parser.add_argument("--match", help="only files whose path contains this text; prints, writes nothing")
    args = parser.parse_args()
    corpus: Path | None = args.corpus.resolve() if args.corpus.is_dir() else None
    if corpus is None:
        print(f"No corpus at {args.corpus}: measuring the fixture filings only.", file=sys.stderr)
    files = [(p, f"fixtures/{p.name}") for p in FIXTURES]
    files += [(p, p.relative_to(corpus).as_posix()) for p in sorted(corpus.rglob("*.pdf"))] if corpus else []
    files = [(p, name) for p, name in files if (args.match or "") in name]
    stamp, load = src_stamp(), os.getloadavg()[0]
    import_s = min(seconds(child("import", FIXTURES[0])) for _ in range(3))
    speeds = []
    for path, name in files:
        speeds.append(measure(path, name, args.repeat, args.sample))
        print(f"{name}: {speeds[-1].analyse:.2f} s, floor {speeds[-1].floor:.2f} s", file=sys.stderr, flush=True)
    text = render(speeds, corpus, import_s, src_stamp() != stamp, args.repeat, load)
    if args.match:
        print(text)
        return
    (ROOT / "docs" / "benchmarks.md").write_text(text + "\n", encoding="utf-8")
    raw = ROOT / "benchmarks" / "results" / "speed.json"
    raw.write_text(json.dumps([asdict(s) for s in speeds], indent=1) + "\n", encoding="utf-8")
    print(text.split("## Per file")[0] + f"Written: docs/benchmarks.md, {raw.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
