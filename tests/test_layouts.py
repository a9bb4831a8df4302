"""Layout variants (issue 9): the same statement figures in many layouts must give the same figures under the
same periods.

The variants are drawn in memory by fixtures/layouts.py (PDF, a few HTML): six table kinds, at least 20
layouts each. For each variant the test writes the file, analyses it and checks
  1. every expected figure is reported with exactly its value, under exactly its period (and a nil cell
     carries its note), from its page where the variant names one (a statement beside a summary of it), and in
     its unit where the variant names one (an amount per share; a count of shares and its scale);
  2. no figure of the variant's statement kind is dated with a period the table does not print, no figure of an
     expected key carries another value, and no per-share amount comes out as money;
  3. where the variant prints a decoy (a table by market whose total is not revenue), no figure comes from its
     page and no figure is printed differently by another table (no contradiction);
  4. where the variant names the page of every figure (`Variant.sole_pages`: a statement, then a table at the top
     of the next page), no figure of an expected kind comes from a page that prints none of that kind: a table of
     its own joined to the statement would add its rows to it.
A variant that prints the income statement beside its own table (the segment note beside the statement whose
revenue it breaks down) expects the statement's figures too: they are checked alike.
All problems of a variant are listed in one assertion message.

KNOWN_FAILING holds the variants today's engine gets wrong, each with a one-line diagnosis. They run as
strict xfails: when the reader is fixed, a variant that passes fails the run -- delete its entry.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

import pytest

from conftest import load_layouts, variant_report
from xiaomi_check.models import Figure, Report, UnitKind, VerificationStatus

layouts = load_layouts()

# Variant name -> what the engine does wrong with it (the engine of the day this file was written; the report
# of issue 9 has the details). Delete a line when its variant passes.
KNOWN_FAILING: dict[str, str] = {}

VARIANTS = layouts.all_variants()


def _params() -> list[object]:
    return [pytest.param(v, id=v.name, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_FAILING[v.name])]
                         if v.name in KNOWN_FAILING else []) for v in VARIANTS]


Key = tuple[str, str, str | None, str | None, str]  # statement, item, segment, region, period


def _key(key: Key) -> str:
    statement, item, segment, region, period = key
    where = segment or region
    beside = f" ({statement})" if statement == "income_statement" else ""
    return f"{item}{f'[{where}]' if where else ''} {period}{beside}"


def _shown(value: Decimal | None) -> str:
    return "None" if value is None else str(value)


def _from(figure: Figure) -> str:
    return f"'{figure.source.raw_text}' (row '{figure.source.row_label}', column '{figure.source.column_header}')"


def mismatches(variant: Any, report: Report) -> list[str]:
    """Every way the report differs from the variant's expected figures, one line each."""
    expected = {(e.statement, e.item, e.segment, e.region, e.period): e for e in variant.expected}
    periods = variant.periods
    kinds = {e.statement for e in variant.expected}
    ours = [f for f in report.figures if f.statement in kinds]
    found: dict[Key, list[Figure]] = defaultdict(list)
    for figure in ours:
        found[(figure.statement, *figure.key)].append(figure)
    problems: list[str] = []
    for key, truth in expected.items():
        candidates = found.get(key, [])
        right = [f for f in candidates if f.value == truth.value and (f.value is None) == (truth.value is None)]
        if not candidates:
            problems.append(f"missing  {_key(key)} = {_shown(truth.value)}")
        elif not right:
            problems.append(f"wrong    {_key(key)}: expected {_shown(truth.value)}, got "
                            + "; ".join(f"{_shown(f.value)} from {_from(f)}" for f in candidates))
        elif truth.nil and not any(f.note for f in right):
            problems.append(f"no note  {_key(key)}: a nil cell ({_from(right[0])}) without its note")
        elif truth.page and not any(f.source.page == truth.page for f in right):
            problems.append(f"page     {_key(key)} read from page {right[0].source.page}, not from page "
                            f"{truth.page} that prints it: {_from(right[0])}")
        elif truth.unit and not any(f.unit.kind == truth.unit and truth.scale in (0, f.unit.scale) for f in right):
            problems.append(f"unit     {_key(key)}: expected {truth.unit}{f' x{truth.scale}' if truth.scale else ''}, "
                            f"got {right[0].unit.kind} x{right[0].unit.scale} from {_from(right[0])}")
    for figure in ours:
        key = (figure.statement, *figure.key)
        truth = expected.get(key)
        if figure.period.label not in periods:
            what = _key(key).replace(f" {figure.period.label}", "")
            problems.append(f"period   {what} dated {figure.period.label}, which the table does not print: "
                            f"{_shown(figure.value)} from {_from(figure)}")
        elif truth is not None and figure.value != truth.value and any(
                f.value == truth.value for f in found[key]):
            problems.append(f"conflict {_key(key)}: {_shown(figure.value)} from {_from(figure)} beside the "
                            f"expected {_shown(truth.value)}")
    problems += _decoy_problems(variant, report)
    problems += _page_problems(variant, ours)
    per_share = set(variant.per_share)
    for figure in report.figures:
        if per_share and figure.unit.kind is UnitKind.MONEY and figure.value in per_share:
            problems.append(f"per-share amount read as money: {figure.item} {figure.period.label} = {figure.value} "
                            f"{figure.unit.label} from {_from(figure)}")
    if problems:
        problems += _context(report, ours, expected)
    return problems


def _decoy_problems(variant: Any, report: Report) -> list[str]:
    """A decoy gives no figure; with it ignored no figure is contradicted by another table, and the group's revenue
    and its breakdown are verified (the breakdown adds up to it)."""
    if not variant.decoy:
        return []
    expected = {(e.statement, e.item, e.segment, e.region, e.period) for e in variant.expected}
    unverified = [f"unverified {_key((f.statement, *f.key))} = {_shown(f.value)}: {f.verification.status}"
                  for f in report.figures if f.item == "revenue" and (f.statement, *f.key) in expected
                  and f.verification.status is not VerificationStatus.VERIFIED]
    problems = [f"decoy    {_key((f.statement, *f.key))} = {_shown(f.value)} read from the decoy's page "
                f"{f.source.page}: {_from(f)}" for f in report.figures if f.source.page in variant.decoy_pages]
    problems += [f"contradicted {_key((f.statement, *f.key))} = {_shown(f.value)}: {f.verification.status}, {f.note}"
                 for f in report.figures if f.verification.status is VerificationStatus.CONTRADICTED
                 or "contradicted" in (f.note or "")]
    return problems + unverified + [f"warning  {w}" for w in report.warnings if "printed differently" in w]


def _page_problems(variant: Any, ours: list[Figure]) -> list[str]:
    """Each statement kind read from the pages that print its expected figures, no other."""
    if not variant.sole_pages:
        return []
    pages: dict[str, set[int]] = defaultdict(set)
    for e in variant.expected:
        pages[e.statement].add(e.page)
    return [f"joined   {_key((f.statement, *f.key))} = {_shown(f.value)} read from page {f.source.page}, which "
            f"prints no {f.statement}: {_from(f)}" for f in ours if f.source.page not in pages[f.statement]]


def _context(report: Report, ours: list[Figure], expected: dict[Key, object]) -> list[str]:
    """Not problems in themselves: what else was read, to tell why (unexpected keys, other statements, tables)."""
    lines = []
    extra = [f for f in ours if (f.statement, *f.key) not in expected]
    if extra:
        shown = "; ".join(f"{_key((f.statement, *f.key))}={_shown(f.value)} <- {_from(f)}" for f in extra[:8])
        more = " ..." if len(extra) > 8 else ""
        lines.append(f"(also read {len(extra)} figure(s) of no expected key: {shown}{more})")
    others = Counter(str(f.statement) for f in report.figures if f not in ours)
    if others:
        lines.append(f"(figures read as other statements: {dict(others)})")
    lines += [f"(table {t.table} p{','.join(map(str, t.pages))}: {t.kind or '-'}, used={t.used}: {t.reason})"
              for t in report.tables]
    return lines


@pytest.mark.parametrize("variant", _params())
def test_layout_variant_gives_the_same_figures(variant: Any) -> None:
    problems = mismatches(variant, variant_report(variant.name))
    assert not problems, f"{variant.name}: {len(problems)} problem(s)\n  " + "\n  ".join(problems)


def test_generator_is_deterministic() -> None:
    def digest(variants: tuple[Any, ...]) -> list[tuple[str, str]]:
        return [(v.name, hashlib.sha256(v.data).hexdigest()) for v in variants]

    assert digest(layouts.build_all()) == digest(VARIANTS)


def test_every_table_kind_has_at_least_20_layouts() -> None:
    counts = Counter(v.kind for v in VARIANTS)
    assert set(counts) == {"key_highlights", "income_statement", "segment_revenue", "segment_gross_profit",
                           "geography", "non_gaap_reconciliation"}
    assert min(counts.values()) >= 20, counts
    assert len({v.name for v in VARIANTS}) == len(VARIANTS)
    for kind in counts:  # the dimensions every kind is drawn in
        features = set().union(*(layouts.features(lay) for _name, lay in layouts.SPECS[kind]))
        missing = layouts.COMMON_FEATURES - features
        assert not missing, f"{kind} lacks layouts with {sorted(missing)}"


def test_every_variant_expects_figures_of_its_own_kind_only() -> None:
    """Its own kind, and the income statement's where it prints one beside its table (a decoy variant), or the
    kind of the table of its own that starts the next page (`cont-*`)."""
    for v in VARIANTS:
        assert v.expected, v.name
        kinds = {e.statement for e in v.expected}
        assert kinds == {v.kind} or (v.name.startswith("geo-decoy-") and kinds == {v.kind, "income_statement"}) or (
            v.name.startswith("cont-") and v.kind in kinds), v.name
        assert all(isinstance(e.value, Decimal) or (e.value is None and e.nil) for e in v.expected), v.name


def test_known_failing_names_are_variants() -> None:
    assert set(KNOWN_FAILING) <= {v.name for v in VARIANTS}
