"""Benchmark: headline figures read by the engine against figures read off the filings by hand, per file and overall.

    python benchmarks/accuracy.py [--corpus DIR] [--timeout 180] [--jobs 2] [--match TEXT]

Every PDF under the corpus (default ../shared/real_filings/) is analysed in a fresh process (`analyse(path)`),
`--jobs` at a time, each killed after `--timeout` seconds. Its headline figures (revenue, gross profit, operating
profit, profit for the period; `Financials.get(item, period)`) are compared with benchmarks/truth/<path with "/"
as "__">.json: same period (end within 7 days, same duration), same value in the same scale (within half a unit of
the last printed digit) and same PDF page. Writes docs/accuracy.md and benchmarks/results/accuracy.json; with
`--match` it only prints. Without the corpus folder it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import CORPUS, ROOT, commit, history, machine, src_stamp

TRUTH = ROOT / "benchmarks" / "truth"
ITEMS = ("revenue", "gross_profit", "operating_profit", "profit_for_period")
KINDS = {3: "quarter", 6: "half", 9: "nine_months", 12: "year"}
OUTCOMES = {3: "exit 3 (input error)", 4: "exit 4 (nothing extracted)", 70: "exit 70 (crash)"}
VERDICTS = ("right", "value right, page wrong", "wrong value", "missing")
Truth = dict[str, Any]  # one figure of a truth file, as read from its JSON

_CHILD = r"""
import calendar, json, sys
from datetime import date
from pathlib import Path
from xiaomi_check.analysis import analyse
from xiaomi_check.errors import XiaomiCheckError
from xiaomi_check.financials import Financials
try:
    report = analyse(Path(sys.argv[1]))
except Exception as error:  # as the CLI maps it: the tool's own errors carry their exit code, the rest is a bug
    known = isinstance(error, XiaomiCheckError)
    print("\n" + json.dumps({"exit": int(error.exit_code) if known else 70,
                             "error": error.message if known else f"{type(error).__name__}: {error}"}))
    sys.exit(0)
financials, rows = Financials(report.figures), []
for period in financials.periods():
    for item in sys.argv[2:]:
        if (f := financials.get(item, period)) is not None:
            last = period.day or calendar.monthrange(period.year, period.month)[1]
            rows.append({"item": item, "kind": period.kind.value, "end": str(date(period.year, period.month, last)),
                         "label": period.label, "value": str(f.value), "scale": f.unit.scale, "page": f.source.page,
                         "row_label": f.source.row_label, "status": f.verification.status.value})
print("\n" + json.dumps({"exit": 0, "error": "", "figures": rows}))
"""


@dataclass
class Read:  # one figure as the engine reported it
    item: str
    kind: str
    end: str  # the period's last day (the month's last day when the engine gives no day)
    label: str
    value: str
    scale: int
    page: int
    row_label: str
    status: str = ""  # the engine's verification of the figure: verified, unverified or contradicted

    def days_from(self, other: str) -> int:
        return abs((date.fromisoformat(self.end) - date.fromisoformat(other)).days)

    @property
    def amount(self) -> Decimal:
        return Decimal(self.value) * self.scale


@dataclass
class Verdict:
    item: str
    period: str
    printed: str
    page: int
    verdict: str = "missing"
    read: str = ""
    read_page: int | None = None
    read_label: str = ""
    status: str = ""


@dataclass
class Result:  # one filing: how the engine ended, and (with a truth file) each truth figure's verdict
    file: str
    outcome: str
    seconds: float
    error: str = ""
    reads: list[Read] = field(default_factory=list)
    has_truth: bool = False
    verdicts: list[Verdict] = field(default_factory=list)
    wrong_period: list[str] = field(default_factory=list)


def printed_amount(text: str, scale: int) -> tuple[Decimal, Decimal]:
    """A printed value ('(1,234.5)', '-12.30', '$ 7') → (amount × scale, half a unit of its last digit × scale)."""
    clean = text.replace(",", "").replace("$", "").replace(" ", "")
    number = Decimal(clean.strip("()-−–"))
    exponent = number.as_tuple().exponent
    half = Decimal(5).scaleb(exponent - 1) if isinstance(exponent, int) else Decimal(0)
    return (-number if clean.startswith(("(", "-", "−", "–")) else number) * scale, half * scale


def equal(read: Read, fig: Truth, scale: int) -> bool:
    amount, half = printed_amount(fig["value"], scale)
    return abs(read.amount - amount) <= half


def period_text(fig: Truth) -> str:
    return f"{fig['months']}M to {fig['period_end']}"


def find(reads: list[Read], fig: Truth) -> Read | None:
    """The engine's figure for this item whose period has the same duration and ends within 7 days."""
    end = fig["period_end"]
    near = [r for r in reads if r.item == fig["item"] and r.kind == KINDS.get(fig["months"]) and r.days_from(end) <= 7]
    return min(near, key=lambda r: r.days_from(end), default=None)


def verdict_for(fig: Truth, figures: list[Truth], reads: list[Read], scale: int) -> Verdict:
    verdict = Verdict(fig["item"], period_text(fig), fig["value"], fig["page"])
    if (read := find(reads, fig)) is None:
        return verdict
    verdict.read = read.value if read.scale == scale else f"{read.value} × {read.scale}"
    verdict.read_page, verdict.read_label, verdict.status = read.page, read.row_label, read.status
    if equal(read, fig, scale):
        verdict.verdict = "right" if read.page == fig["page"] else "value right, page wrong"
        return verdict
    other = next((f for f in figures if f["item"] == fig["item"] and f is not fig and equal(read, f, scale)), None)
    verdict.verdict = "wrong value" + (f" (= printed for {period_text(other)})" if other else "")
    return verdict


def judge(result: Result, truth: dict[str, Any]) -> None:
    """Each truth figure's verdict, and truth values the engine put under a period the truth does not have."""
    scale, figures = int(truth["scale"]), truth["figures"]
    result.has_truth = True
    result.verdicts = [verdict_for(fig, figures, result.reads, scale) for fig in figures]
    for read in result.reads:
        own = [f for f in figures if f["item"] == read.item]
        if not any(find([read], f) for f in own):
            result.wrong_period += [f"{read.item} {f['value']} (printed for {period_text(f)}) reported under "
                                    f"{read.label} (to {read.end}), p{read.page}"
                                    for f in own if equal(read, f, scale)][:1]


def run_one(path: Path, corpus: Path, timeout: float) -> Result:
    name, start = path.relative_to(corpus).as_posix(), time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-c", _CHILD, str(path), *ITEMS], capture_output=True, text=True,
                              timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return Result(name, "timeout", time.perf_counter() - start, f"killed after {timeout:g} s")
    seconds, lines = time.perf_counter() - start, done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return Result(name, OUTCOMES[70], seconds, (done.stderr.strip().splitlines() or ["no output"])[-1])
    answer = json.loads(lines[-1])
    outcome = "ok" if answer["exit"] == 0 else OUTCOMES.get(answer["exit"], f"exit {answer['exit']}")
    return Result(name, outcome, seconds, answer["error"], [Read(**row) for row in answer.get("figures", [])])


def counts(verdicts: list[Verdict]) -> list[int]:
    return [sum(v.verdict.startswith(name) for v in verdicts) for name in VERDICTS]


def file_section(result: Result) -> list[str]:
    error = f" {result.error}" if result.error else ""
    lines = [f"### {result.file}", "", f"Outcome: {result.outcome}, {result.seconds:.1f} s.{error}", ""]
    if not result.has_truth:
        return [*lines, "No truth file yet.", ""]
    lines += ["| item | period | printed | page | read | page | verdict | engine's verification |",
              "|---|---|---:|---:|---:|---:|---|---|"]
    lines += [f"| {v.item} | {v.period} | {v.printed} | {v.page} | {v.read or '—'} | {v.read_page or '—'} | "
              f"{v.verdict} | {v.status or '—'} |" for v in result.verdicts]
    return [*lines, *(f"- wrong period: {m}" for m in result.wrong_period), ""]


def totals(results: list[Result], headline: str) -> list[str]:
    lines = ["## Totals", "", "| file | outcome | s | figures | right | value right, page wrong | wrong value | "
             "missing | wrong period |", "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        cells = " | ".join(map(str, [len(r.verdicts), *counts(r.verdicts), len(r.wrong_period)]))
        lines.append(f"| {r.file} | {r.outcome} | {r.seconds:.1f} | {cells if r.has_truth else ' | '.join('—' * 6)} |")
    judged = [v for r in results for v in r.verdicts]
    cells = " | ".join(map(str, [len(judged), *counts(judged), sum(len(r.wrong_period) for r in results)]))
    stopped = sum(r.outcome != "ok" for r in results)
    return [*lines, f"| **total** | {stopped} not ok | {sum(r.seconds for r in results):.0f} | {cells} |", "",
            f"{headline}; {stopped} of {len(results)} filings did not end with a report.", ""]


def doubt(results: list[Result]) -> list[str]:
    """How the engine's own verification of each figure it read compares with the verdict: a wrong figure it
    marks verified is the worst outcome; one it marks contradicted at least shows the doubt."""
    judged = [v for r in results for v in r.verdicts if v.read]
    statuses = ("verified", "unverified", "contradicted")
    lines = ["## The engine's doubt against the verdicts", "",
             "Each figure read, by verdict and by the verification the engine printed beside it (identities of its "
             "own table and across tables: DESIGN.md).", "",
             "| verdict | " + " | ".join(statuses) + " |", "|---|" + "---:|" * len(statuses)]
    for name in ("right", "value right, page wrong", "wrong value"):
        found = [v for v in judged if v.verdict.startswith(name)]
        lines.append(f"| {name} | " + " | ".join(str(sum(v.status == s for v in found)) for s in statuses) + " |")
    return [*lines, ""]


def wrong_ones(results: list[Result]) -> list[str]:
    lines = [f"- {r.file}: {v.item} {v.period}: printed {v.printed} (p{v.page}), "
             + (f"read {v.read} (p{v.read_page}, row '{v.read_label}')" if v.read else f"not read ({r.outcome})")
             + f": {v.verdict}"
             for r in results for v in r.verdicts if v.verdict != "right"]
    return ["## Wrong ones", "", *(lines or ["None."]), ""]


def render(results: list[Result], corpus: Path, jobs: int, moved: bool) -> str:
    judged = [v for r in results for v in r.verdicts]
    right = counts(judged)[0]
    share = f"{100 * right / len(judged):.1f}%" if judged else "n/a"
    headline = f"Headline figures right with their page: **{right} / {len(judged)} ({share})**"
    lines = ["# Accuracy on real filings", "",
             f"Measured by `python benchmarks/accuracy.py` over `{corpus.name}/` ({len(results)} PDFs, "
             f"{sum(r.has_truth for r in results)} with a truth file in `benchmarks/truth/`).", "",
             f"- Date: {date.today().isoformat()}", f"- Engine commit: {commit()}", f"- Machine: {machine()}",
             f"- Time: wall time of one process running `analyse(path)` (imports included), {jobs} files at a time.",
             *(["- **src/ changed while this ran: the figures may mix engine states.**"] if moved else []),
             "", headline + ".", "", *history("accuracy_history.md"), "## Per file", ""]
    for result in results:
        lines += file_section(result)
    return "\n".join([*lines, *totals(results, headline), *doubt(results), *wrong_ones(results)])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of PDFs (searched recursively)")
    parser.add_argument("--timeout", type=float, default=180, help="seconds before a file's process is killed")
    parser.add_argument("--jobs", type=int, default=2, help="files analysed at a time")
    parser.add_argument("--match", help="only files whose path contains this text; prints, writes nothing")
    args = parser.parse_args()
    corpus: Path = args.corpus.resolve()
    if not corpus.is_dir():
        print(f"No corpus at {corpus}: nothing measured, docs/accuracy.md left as it is. "
              "Pass --corpus DIR to point at the folder of real filings.")
        return
    stamp, paths = src_stamp(), [p for p in sorted(corpus.rglob("*.pdf")) if (args.match or "") in p.as_posix()]
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda p: run_one(p, corpus, args.timeout), paths))
    for result in results:
        truth = TRUTH / (result.file.replace("/", "__").removesuffix(".pdf") + ".json")
        if truth.exists():
            judge(result, json.loads(truth.read_text(encoding="utf-8")))
    text = render(results, corpus, args.jobs, src_stamp() != stamp)
    if args.match:
        print(text)
        return
    (ROOT / "docs" / "accuracy.md").write_text(text, encoding="utf-8")
    raw = ROOT / "benchmarks" / "results" / "accuracy.json"
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(text.split("## Per file")[0] + f"Written: docs/accuracy.md, {raw.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
