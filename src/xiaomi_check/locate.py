"""Which pages to open: score every page's text by statement vocabulary, units and period headers.

A prospectus has 600 pages and the figures live on perhaps 15; only the chosen pages are parsed into words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import islice

from xiaomi_check.amounts import normalise_text, parse_unit_caption
from xiaomi_check.concepts import PAGE_VOCABULARY

MAX_PAGES = 48
MIN_SCORE = 6.0
# an amount: grouped thousands, or a decimal (a table in millions prints 24.0 and 887.7); not a year, not a date
NUMBER = r"\(?\d{1,3}(?:,\d{3})+(?:\.\d+)?\)?|\(?\d+\.\d+\)?%?"
PERIOD = (r"(?:year|months|quarter|weeks)s? ended|截至|止年度|季度|止六個月|止三個月|本期发生额|上期发生额"
          r"|本期金额|上期金额|本年发生额|本年金额|\d{4}\s*年度")


def anchored(pattern: str, initials: str, flags: int = 0) -> re.Pattern[str]:
    """The pattern, tried only where a character of `initials` stands (a character class holding the first
    character of every match): the same matches, two to three times faster. An alternation that may start with
    an optional character, or with a letter matched case-blind, gives the regex engine no first character to
    skip ahead to: it tries the whole alternation at every character of every page."""
    return re.compile(f"(?=[{initials}])(?:{pattern})", flags)


# the first character of each alternative (tests/test_locate.py checks the matches against the plain patterns)
_VOCABULARY = anchored(PAGE_VOCABULARY, re.escape("".join(sorted({w[0] for w in PAGE_VOCABULARY.split("|")}))),
                       re.IGNORECASE)
_NUMBER = anchored(NUMBER, r"(\d")
_PERIOD = anchored(PERIOD, r"ymqw截止季本上\d", re.IGNORECASE)
_RUNNING = re.compile(r"^(\d{1,4})\s+\D.*(?:report|limited|corporation|inc\.)"
                      r"|(?:report|page|10-q|10-k)\D{0,6}?(\d{1,4})$",
                      re.IGNORECASE)
_CAPTION_HINT = re.compile(r"000|million|thousand|百萬|百万|千|单位|單位", re.IGNORECASE)
_FOOTER = re.compile(r"^\s*(?:[–—-]\s*)?([0-9]{1,4})(?:\s*[–—-])?\s*$")
_ROMAN = re.compile(r"^\s*(?:[–—-]\s*)?([ivxlc]{1,6})(?:\s*[–—-])?\s*$")


_WIDE = re.compile(r"[\uff00-\uffef\ufe50-\ufe6f]")


def score_page(raw: str) -> float:
    text = normalise_text(raw) if _WIDE.search(raw) else raw  # NFKC only where full-width forms need it
    numbers = _count(_NUMBER, text, 60)
    if numbers < 4:  # no table: most pages of a prospectus, half of a 10-K; the vocabulary is the costly part
        return 0.0
    terms = _count(_VOCABULARY, text, 12)
    unit = bool(_CAPTION_HINT.search(text)) and any(
        parse_unit_caption(line) for line in text.splitlines() if len(line) < 120 and _CAPTION_HINT.search(line))
    period = bool(_PERIOD.search(text))
    return min(terms, 12) + min(numbers / 6, 10) + 4 * unit + 2 * period


def _count(pattern: re.Pattern[str], text: str, enough: int) -> int:
    """Matches of the pattern in the text, counted up to `enough`: the score takes no more."""
    return sum(1 for _ in islice(pattern.finditer(text), enough))


def score_pages(texts: Sequence[str]) -> list[float]:
    return [score_page(text) for text in texts]


def choose_pages(scores: Sequence[float], limit: int = MAX_PAGES) -> list[int]:
    """1-based indices of the `limit` best pages (by `score_pages`), each followed by its next page when that
    has figures."""
    best = sorted((i for i, s in enumerate(scores) if s >= MIN_SCORE), key=lambda i: -scores[i])[:limit]
    chosen = set(best)
    for index in best:  # a statement runs on over one or two pages (A-share statements over three)
        for follower in (index + 1, index + 2):
            if follower >= len(scores) or scores[follower] <= 0:
                break
            chosen.add(follower)
            if scores[follower] < MIN_SCORE / 2:
                break
    return [index + 1 for index in sorted(chosen)]


def printed_page_number(text: str) -> str | None:
    """The page number printed in the footer (or header), e.g. '– 12 –' → '12'."""
    lines = [line for line in text.splitlines() if line.strip()]
    for line in reversed(lines[-3:]) if lines else []:
        found = _FOOTER.match(line)
        if found:
            return found.group(1)
    for line in lines[:2]:
        found = _FOOTER.match(line)
        if found:
            return found.group(1)
    for line in [*lines[:3], *lines[-3:]]:
        running = _RUNNING.search(line.strip())
        if running:
            return running.group(1) or running.group(2)
    roman = _ROMAN.match(lines[-1]) if lines else None
    return roman.group(1) if roman else None


def has_text(text: str) -> bool:
    return len(text.strip()) >= 20
