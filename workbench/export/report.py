"""``write_report``: a chart as a DOCX or PDF report, chosen by the file's extension.

The UI's File > Export Report and ``workbench report`` both call this. It is plain work with no
widgets, so the window can run it on a worker thread and only show the result (the window
draws the chart pages itself and passes them in). When a table of the report shows only its
top rows, every row goes to a spreadsheet beside the report (``report.xlsx`` next to
``report.pdf``), which the report names.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from workbench.export.report_content import ReportContent, build_content
from workbench.export.report_docx import write_docx
from workbench.export.report_pdf import write_pdf
from workbench.export.report_template import ReportTemplate, TemplateError, load_template
from workbench.export.spreadsheet import write_xlsx
from workbench.model import Chart

FORMATS = (".docx", ".pdf")


class ReportError(ValueError):
    """A report that cannot be written; the message is for the analyst."""


def write_report(chart: Chart, path: str | os.PathLike[str],
                 template: ReportTemplate | None = None, *,
                 pictures: Mapping[str, bytes] | None = None,
                 entity_ids: Iterable[str] | None = None,
                 now: datetime | None = None,
                 tables_path: str | os.PathLike[str] | None = None,
                 tables_name: str | None = None) -> ReportContent:
    """Write the report (of the selection with ``entity_ids``); returns what it holds (for a
    preview or a test). ``tables_path`` is where the spreadsheet of full tables goes
    (default: beside ``path``, as .xlsx), written only when a table was shortened;
    ``tables_name`` is what the report calls it (default: its file name; the window writes
    part files and renames them)."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise ReportError(f"{path.name}: reports are .docx or .pdf, not "
                          f"{ext or 'a file without an extension'}")
    tables = Path(tables_path) if tables_path is not None else path.with_suffix(".xlsx")
    content = build_content(chart, template, pictures=pictures, entity_ids=entity_ids, now=now,
                            tables_name=tables_name or tables.name)
    try:
        (write_docx if ext == ".docx" else write_pdf)(content, path)
    except OSError as exc:
        raise ReportError(f"Could not write {path}: {exc.strerror or exc}") from None
    if content.shortened:
        _write_tables(chart, tables, template or ReportTemplate(), entity_ids)
    return content


def _write_tables(chart: Chart, path: Path, template: ReportTemplate,
                  entity_ids: Iterable[str] | None) -> None:
    """The report's entities and the links among them, every row, as a spreadsheet."""
    ids = None
    if entity_ids is not None or template.entity_types is not None:
        chosen = set(entity_ids) if entity_ids is not None else None
        types = set(template.entity_types) if template.entity_types is not None else None
        ids = [i for i, e in chart.entities.items()
               if (chosen is None or i in chosen) and (types is None or e.type in types)]
    try:
        write_xlsx(chart, path, entity_ids=ids)
    except OSError as exc:
        raise ReportError(f"Wrote the report, but could not write its spreadsheet {path}: "
                          f"{exc.strerror or exc}") from None


__all__ = ["FORMATS", "ReportError", "ReportTemplate", "TemplateError", "load_template",
           "write_report"]
