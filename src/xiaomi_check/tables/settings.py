"""Every geometric threshold of the table reader, named, with the reason it has its value.

pdfplumber's `TableSettings` is the model: one validated object, passed down, never a literal in the code.
Distances are PDF points (1/72 inch); ratios are of the body font size or of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TypeVar

T = TypeVar("T", int, float)


def _setting(value: T, reason: str) -> T:
    return field(default=value, metadata={"reason": reason})


@dataclass(frozen=True, slots=True)
class TableSettings:
    # lines
    line_tolerance_min: float = _setting(
        2.5, "words whose vertical centres differ by less than this are one line: half the x-height of 9 pt type")
    line_tolerance_ratio: float = _setting(
        0.4, "or by less than this share of the word's height, for larger type")
    # footnote markers
    marker_size_ratio: float = _setting(
        0.85, "a footnote marker is set at most 85% of the body size (superscripts are 58-80%)")
    marker_gap: float = _setting(3.0, "a marker touches the number it qualifies: less than a space apart")
    marker_raise: float = _setting(1.0, "a marker's top is at or above its number's top (it is raised)")
    # words glued back
    glue_gap: float = _setting(4.0, "a lone '%' or ')' this close to a number belongs to it (less than one space)")
    # prose and blocks
    prose_min_words: int = _setting(9, "a line of running text has many words; table rows have a label and numbers")
    prose_min_width: float = _setting(0.55, "and runs across more than half the page")
    prose_max_gap_ratio: float = _setting(
        2.5, "with no gap wider than 2.5 font sizes between words (a column gap is wider)")
    block_gap: float = _setting(
        40.0, "a vertical gap this large (about three blank lines of 10 pt type) ends a table")
    label_max_chars: int = _setting(
        30, "a row label with no values is short; a longer line is prose (CJK has no spaces)")
    label_line_max_words: int = _setting(12, "a label line without values (a heading, a wrapped label) is short")
    furniture_margin: float = _setting(
        0.08, "running headers and page numbers sit in the top and bottom 8% of the page (A-share headers at 6.5%)")
    page_number_zone: float = _setting(
        0.15, "a line that is nothing but a number in the bottom 15% of the page is its page number")
    furniture_max_words: int = _setting(6, "and are short: a title, a date, a page number")
    value_margin: float = _setting(
        30.0, "text starting this far left of the leftmost number is label, not header (about 3 characters)")
    indent_header: float = _setting(
        40.0, "a line indented this far past the labels' margin stands over the columns (a header)")
    context_lines: int = _setting(6, "lines above a table kept as its title and caption")
    heading_max_words: int = _setting(8, "a section heading inside a table ('Net sales:') is short")
    heading_run_max: int = _setting(
        3, "section headings nest at most three deep under a header ('Revenues' over 'Non-interest revenues')")
    page_end_max_words: int = _setting(4, "below a table that runs on over the page only short notes remain")
    # columns
    column_tolerance: float = _setting(
        7.0, "right edges of numbers in one column agree within this (digits are ~5 pt wide at 9-10 pt)")
    sparse_column_max: int = _setting(2, "a 'column' of at most two numbers beside full columns is a stray alignment")
    sparse_column_reach: float = _setting(
        30.0, "and joins the full column whose right edge is this close (a currency sign or a footnote shifted it)")
    phrase_gap_ratio: float = _setting(
        0.9, "header words closer than 0.9 font sizes are one phrase; a column gap is wider")
    header_slack: float = _setting(2.0, "a header phrase this close to a column (a narrow one) may still stand over it")
    overlap_share: float = _setting(
        0.3, "a header phrase stands over a column it covers by 30% of the narrower of the two; less is overhang")
    spanning_cover: float = _setting(
        0.5, "a phrase over several groups spans them when it covers half of each; else it is the most-covered one's")
    header_reach_ratio: float = _setting(
        0.75, "a header phrase over no column goes to the nearest one within 3/4 of the column pitch")
    header_reach_min: float = _setting(20.0, "but always reaches at least this far")
    default_pitch: float = _setting(80.0, "column pitch assumed for a one-column table")
    note_max: int = _setting(100, "note references are small whole numbers below this")
    indent_min: float = _setting(
        4.0, "a label indented at least this much more than the one above is its child (less is jitter)")
    # continuation over a page break
    continuation_top: float = _setting(
        0.35, "a table continued from the page before starts in the top third of its page")
    continuation_context_lines: int = _setting(3, "with at most a title and a '(continued)' line above it")
    title_max_words: int = _setting(
        14, "a title over a table is a short line ('Consolidated statement of profit or loss and other comprehensive "
            "income' is 10 words); a longer one is prose")
    title_max_chars: int = _setting(
        90, "and a title without spaces (Chinese) is short too; a Chinese sentence runs to the page's width")
    # captions
    preamble_anchor_chars: int = _setting(24, "characters of the table's first line used to find it in the page text")
    preamble_lines: int = _setting(2, "printed lines before a table kept as its preamble (the title as printed)")
    caption_max_chars: int = _setting(120, "a unit caption is a short line; longer lines are prose")
    symbol_slack: float = _setting(2.0, "currency symbols this far above the first row still belong to the table")

    @classmethod
    def reasons(cls) -> dict[str, str]:
        return {f.name: str(f.metadata.get("reason", "")) for f in fields(cls)}


DEFAULT = TableSettings()
