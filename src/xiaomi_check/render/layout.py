"""A table that fits the width it is given, decided when it is printed: a number is never cut.

Columns have roles. A `label` column folds (at words) and is repeated in every part of a stacked table; a
`value` column (numbers, periods, statuses, pages) is exactly as wide as its widest cell and never wraps; a
`text` column (a verdict, a reason) folds, and when there is no room beside the row it moves under the label.
When the values still do not fit, they are split into several tables one under the other, each with the labels:
columns stack, nothing is dropped, so a file gets every number too.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

Role = Literal["label", "value", "text"]
Cell = str | Text
GAP = 2  # between columns: SIMPLE_HEAD's divider and one collapsed cell of padding
LABEL_MIN = 18
LABEL_READABLE = 32  # labels fold to this before a text beside them is squeezed
LABEL_TIGHT = 12  # before stacking columns, labels fold this narrow
TEXT_MIN = 24


@dataclass(frozen=True, slots=True)
class Col:
    header: str
    role: Role = "value"
    justify: Literal["left", "right"] | None = None  # values right, labels and texts left, unless given
    floor: int | None = None  # the narrowest a label or text may fold to beside the values

    @property
    def align(self) -> Literal["left", "right"]:
        return self.justify or ("right" if self.role == "value" else "left")


def _width(cell: Cell) -> int:
    plain = cell.plain if isinstance(cell, Text) else cell
    return max((cell_len(line) for line in plain.split("\n")), default=0)


def _text(cell: Cell) -> Text:
    return cell.copy() if isinstance(cell, Text) else Text(cell)


class FitTable:
    """Rows under a title, laid out for the console's width when printed (see the module docstring)."""

    def __init__(self, title: str, columns: Sequence[Col], rows: Sequence[Sequence[Cell]],
                 caption: str | None = None, title_style: str = "bold") -> None:
        self.title, self.columns, self.rows = title, list(columns), [list(r) for r in rows]
        self.caption, self.title_style = caption, title_style
        self.natural = [max([_width(Text(c.header)), *(_width(r[i]) for r in self.rows)])
                        for i, c in enumerate(self.columns)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.tables(options.max_width)

    def tables(self, width: int) -> Iterator[RenderableType]:
        labels = [i for i, c in enumerate(self.columns) if c.role == "label"]
        values = [i for i, c in enumerate(self.columns) if c.role == "value"]
        texts = [i for i, c in enumerate(self.columns) if c.role == "text"]
        fixed = sum(self.natural[i] for i in values) + GAP * (len(labels) + len(values) - 1)
        if self._floor(labels + texts) + GAP * len(texts) + fixed <= width:
            yield self._table(self.title, [*labels, *values, *texts], width, (), self.caption, LABEL_MIN)
            return
        for label_floor in (LABEL_MIN, LABEL_TIGHT):
            if self._floor(labels, label_floor) + fixed <= width:
                yield self._table(self.title, [*labels, *values], width, texts, self.caption, label_floor)
                return
        chunks = self._chunks(values, width - self._floor(labels, LABEL_TIGHT) - GAP * len(labels))
        for n, chunk in enumerate(chunks):
            title = self.title if n == 0 else f"{self.title} (continued)"
            caption = self.caption if n == len(chunks) - 1 else None
            yield self._table(title, [*labels, *chunk], width, texts if n == 0 else (), caption, LABEL_TIGHT)

    def _floor(self, columns: Sequence[int], label_floor: int = LABEL_MIN) -> int:
        return sum(self._min(i, label_floor) for i in columns)

    def _min(self, i: int, label_floor: int) -> int:
        column = self.columns[i]
        floor = column.floor or (label_floor if column.role == "label" else TEXT_MIN)
        return min(self.natural[i], floor)

    def _chunks(self, values: list[int], room: int) -> list[list[int]]:
        """Value columns in order, split evenly into as few tables as fit beside the labels (at least one each)."""
        for count in range(2, len(values) + 1):
            size = -(-len(values) // count)
            chunks = [values[n:n + size] for n in range(0, len(values), size)]
            if all(sum(self.natural[i] + GAP for i in chunk) <= room for chunk in chunks):
                return chunks
        return [[i] for i in values]

    def _table(self, title: str, order: list[int], width: int, below: Sequence[int], caption: str | None,
               label_floor: int) -> RenderableType:
        widths = self._widths(order, width, label_floor)
        if not below:
            table = self._frame(title, order, widths, caption)
            for row in self.rows:
                table.add_row(*(_text(row[i]) for i in order))
            return table
        # The texts go under their row, across the whole width: a header, then each row and its text.
        parts: list[RenderableType] = [self._frame(title, order, widths, None)]
        for row in self.rows:
            line = self._frame("", order, widths, None, header=False)
            line.add_row(*(_text(row[i]) for i in order))
            parts.append(line)
            parts.extend(Padding(_text(row[i]), (0, 0, 0, 2)) for i in below if row[i])
        if caption:
            parts.append(Text(caption))
        return Group(*parts)

    def _frame(self, title: str, order: list[int], widths: dict[int, int], caption: str | None,
               header: bool = True) -> Table:
        table = Table(title=Text(title, style=self.title_style) if title else None, title_justify="left",
                      box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True,
                      padding=(0, 1), caption=caption, caption_justify="left", show_header=header)
        for i in order:
            column = self.columns[i]
            table.add_column(column.header, justify=column.align, width=widths[i],
                             no_wrap=column.role == "value", overflow="fold")
        return table

    def _widths(self, order: list[int], width: int, label_floor: int) -> dict[int, int]:
        """Values at their natural width; the room left goes to the labels, then the texts, up to their own."""
        widths = {i: self.natural[i] for i in order if self.columns[i].role == "value"}
        flexible = [i for i in order if self.columns[i].role != "value"]
        natural = {i: self.natural[i] for i in flexible}
        floor = {i: self._min(i, label_floor) for i in flexible}
        room = width - sum(widths.values()) - GAP * (len(order) - 1) - sum(floor.values())
        widths.update(floor)
        labels = [i for i in flexible if self.columns[i].role == "label"]
        texts = [i for i in flexible if self.columns[i].role == "text"]
        # labels to a readable width first, then the texts, then the labels in full
        for group, cap in ((labels, LABEL_READABLE), (texts, None), (labels, None)):
            for i in group:
                extra = max(0, min(natural[i] if cap is None else max(floor[i], min(natural[i], cap)), 10**6)
                            - widths[i])
                extra = min(extra, max(room, 0))
                widths[i] += extra
                room -= extra
        if room < 0:  # narrower than the labels' floor: the labels give way, never the values
            for i in flexible:
                widths[i] = max(4, widths[i] + room)
                break
        return widths
