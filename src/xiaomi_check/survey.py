"""What the extractor saw in one filing, whatever the outcome (`xiaomi-check tables`): the pages opened and every
table found, used or not, and why; also when nothing was extracted, which is when the answer matters most."""

from __future__ import annotations

from pathlib import Path

from xiaomi_check import analysis
from xiaomi_check.errors import ExtractionError
from xiaomi_check.records import TablesDocument
from xiaomi_check.statements import dominant_unit, grids_to_figures


def survey(path: Path, options: analysis.Options = analysis.Options()) -> TablesDocument:  # noqa: B008
    """The tables of a filing; an unreadable file still raises (`InputError`), a file with no statement does
    not: its tables are listed with the reason each was not used."""
    with analysis.open_filing(path, options) as filing:
        try:
            report = analysis.report_of(filing, options)
        except ExtractionError:
            document, grids = analysis.document_grids(filing)
            figures, choices, warnings = grids_to_figures(grids, dominant_unit(grids))
            opened = tuple(p.index for p in document.pages) if document.kind == "pdf" else ()
            return TablesDocument(file=path.name, pages_examined=opened, figures=len(figures), tables=tuple(choices),
                                  warnings=(*document.warnings, *warnings))
    return TablesDocument(file=report.file, pages_examined=report.pages_examined, figures=len(report.figures),
                          tables=report.tables, warnings=report.warnings)
