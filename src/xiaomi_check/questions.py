"""The eight questions an analyst asks of an IPO prospectus, each answered from the filing with pages,
or marked not found. Metric-based answers cite their input figures' pages; text answers cite the pages
where the words stand."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from xiaomi_check.amounts import normalise_text
from xiaomi_check.models import Answer, MetricResult, Status
from xiaomi_check.profile import Profile, load_profile

# (question, keyword that finds candidate sentences, condition the sentence must meet); the founders'
# names in the control question's condition come from the profile
_CONTROL = (
    "What do the founders hold, in shares and in votes?",
    re.compile(r"Class A|A類股份|A类股份", re.IGNORECASE),
    r"founder|votes?|投票權|投票权",
)
_TEXT_QUESTIONS = tuple((question, re.compile(keyword, re.IGNORECASE), re.compile(condition, re.IGNORECASE))
                        for question, keyword, condition in (
    (
        "How large is the ecosystem (number of ecosystem companies)?",
        r"ecosystem companies|companies in (?:our|the) ecosystem|生態鏈企業|生态链企业",
        r"\d",
    ),
    (
        "Is there a plan for an A-share or CDR listing?",
        r"\bCDRs?\b|depositary receipts?|\bA[- ]shares?\b|存託憑證|存托凭证",
        r"list|issu|上市|發行|发行",
    ),
    (
        "What are the valuation inputs (offer price, offer size)?",
        r"Offer Price|offer price|發售價|发售价",
        r"HK\$\s?\d",
    ),
))
_SENTENCE_END = re.compile(r"[.。;；]\s")
_SPACES = re.compile(r"\s+")


def _sentence(text: str, at: int) -> str:
    start = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, at - 400), at)), default=max(0, at - 200))
    end_match = _SENTENCE_END.search(text, at)
    return text[start : end_match.start() + 1 if end_match else at + 200].strip()


def quoted_sentence(sentence: str, limit: int = 300) -> str:
    """The sentence in quotes; a longer one is cut after its last whole word within `limit` characters (at
    `limit` in text without spaces, Chinese), the cut marked "[...]": a stock code 1810 must not read 181."""
    if len(sentence) <= limit:
        return f"'{sentence}'"
    space = sentence.rfind(" ", 0, limit + 1)
    cut = sentence[:space] if space >= limit // 2 else sentence[:limit]
    return f"'{cut.rstrip()} [...]'"


def _search(texts: Sequence[str], key: re.Pattern[str], must: re.Pattern[str], flat: dict[int, str]
            ) -> tuple[str, tuple[int, ...]]:
    """Pages with a sentence that has the keyword and meets the condition; the first such sentence. `flat` keeps
    each page's normalised text (and, under the negative page number, its lower-case text) for the next
    question."""
    words = _literals(key.pattern)
    pages: list[int] = []
    first = ""
    for page, raw in enumerate(texts, start=1):
        lowered = flat.get(-page) or flat.setdefault(-page, raw.lower())  # kept for the next question
        if not any(word in lowered for word in words) or not key.search(raw):
            continue  # a page without any of the keyword's words is not searched (most of a prospectus)
        text = flat.get(page) or flat.setdefault(page, _SPACES.sub(" ", normalise_text(raw)))
        for found in key.finditer(text):
            sentence = _sentence(text, found.start())
            if must.search(sentence):
                pages.append(page)
                first = first or sentence
                break
    return first, tuple(pages[:12])


def _literals(keyword: str) -> tuple[str, ...]:
    """For each top-level alternative of the keyword, a run of plain characters every match of it contains, lower
    case ("class a" for "Class A", "cdr" for r"\bCDRs?\b", "receipt" for "depositary receipts?"): a page
    without any of them cannot match. An optional character, a class or a group ends a run."""
    words, depth, branch = [], 0, ""
    for char in keyword + "|":
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "|" and depth == 0:
            words.append(_longest_run(branch))
            branch = ""
        else:
            branch += char
    return tuple(words)


def _longest_run(branch: str) -> str:
    runs: list[str] = []
    run, i = "", 0
    while i < len(branch):
        char = branch[i]
        if char == "\\" and i + 1 < len(branch):
            if branch[i + 1] in "bBdDsSwW":
                runs, run = [*runs, run], ""
            else:
                run += branch[i + 1]
            i += 2
            continue
        if char in "[(":
            close = {"[": "]", "(": ")"}[char]
            depth, i = 1, i + 1
            while i < len(branch) and depth:
                depth += (branch[i] == char) - (branch[i] == close)
                i += 1
            runs, run = [*runs, run], ""
            continue
        if char in "?*{":  # the character before is optional
            runs, run = [*runs, run[:-1]], ""
            i = branch.find("}", i) + 1 if char == "{" else i + 1
            continue
        if char in "+.^$":
            runs, run = [*runs, run], ""
        else:
            run += char
        i += 1
    return str(max([*runs, run], key=len)).lower()


def _control_question(profile: Profile) -> tuple[str, re.Pattern[str], re.Pattern[str]]:
    question, keyword, condition = _CONTROL
    return question, keyword, _or_founders(condition, profile.founders)


@lru_cache(maxsize=8)
def _or_founders(condition: str, founders: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(re.escape(name) for name in founders)
    return re.compile(f"{names}|{condition}" if names else condition, re.IGNORECASE)


def _said(metric: MetricResult) -> str:
    value = f"{metric.value:,}{'%' if metric.unit == '%' else ' ' + metric.unit}"
    notes = [metric.verdict] if metric.verdict else []
    if metric.status is Status.CONFLICT:
        notes.append("conflict: its inputs disagree, do not rely on it")
    return f"{metric.label} {metric.period or ''}: {value}" + (f" ({'; '.join(notes)})" if notes else "")


def _from_metrics(question: str, metrics: Sequence[MetricResult], ids: Sequence[str]) -> Answer:
    usable = [m for m in metrics if m.value is not None]
    chosen = [m for metric_id in ids if (m := next((u for u in usable if u.id == metric_id), None)) is not None]
    if not chosen:
        why = next((m.reason for m in metrics if m.id in ids and m.reason), "not computable from this filing")
        return Answer(question=question, answer=f"not found: {why}", found=False, metrics=tuple(ids))
    parts = [_said(m) for m in chosen[:3]]
    pages = tuple(sorted({f.source.page for m in chosen for f in m.inputs}))
    return Answer(
        question=question,
        answer="; ".join(p.replace("  ", " ") for p in parts),
        found=True,
        pages=pages,
        metrics=tuple(m.id for m in chosen),
    )


def answer_questions(texts: Sequence[str], metrics: Sequence[MetricResult], profile: Profile | None = None
                     ) -> list[Answer]:
    """The questions answered for the headline period (metrics list it first); wording from the profile."""
    profile = profile or load_profile()
    cap = profile.thresholds.hardware_net_margin_cap_pct.normalize()
    answers = [
        _from_metrics(f"Does the hardware net margin stay within the {cap:f}% cap?", metrics,
                      ["hardware_net_margin"]),
        _from_metrics(
            "Is it profitable: operating vs reported vs adjusted profit?",
            metrics,
            ["operating_margin", "net_margin", "profit_bridge"],
        ),
        _from_metrics(
            "Is it an internet company?",
            metrics,
            ["internet_company", "internet_revenue_share", "internet_gross_profit_share"],
        ),
        _from_metrics(
            "How much comes from overseas markets?",
            metrics,
            ["international_revenue_share", "international_revenue_growth"],
        ),
    ]
    flat: dict[int, str] = {}
    for question, keyword, condition in (_control_question(profile), *_TEXT_QUESTIONS):
        sentence, pages = _search(texts, keyword, condition, flat)
        answers.append(
            Answer(
                question=question,
                answer=quoted_sentence(sentence) if pages else "not found in the text",
                found=bool(pages),
                pages=pages,
            )
        )
    return answers
