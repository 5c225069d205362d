"""``write_report``: a chart as a DOCX or PDF report, chosen by the file's extension.

The UI's File > Export Report and ``workbench report`` both call this. It is plain work with no
widgets, so the window can run it on a worker thread and only show the result.
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
from workbench.model import Chart

FORMATS = (".docx", ".pdf")


class ReportError(ValueError):
    """A report that cannot be written; the message is for the analyst."""


def write_report(chart: Chart, path: str | os.PathLike[str],
                 template: ReportTemplate | None = None, *,
                 pictures: Mapping[str, bytes] | None = None,
                 entity_ids: Iterable[str] | None = None,
                 now: datetime | None = None) -> ReportContent:
    """Write the report (of the selection with ``entity_ids``); returns what it holds (for a
    preview or a test)."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise ReportError(f"{path.name}: reports are .docx or .pdf, not "
                          f"{ext or 'a file without an extension'}")
    content = build_content(chart, template, pictures=pictures, entity_ids=entity_ids, now=now)
    try:
        (write_docx if ext == ".docx" else write_pdf)(content, path)
    except OSError as exc:
        raise ReportError(f"Could not write {path}: {exc.strerror or exc}") from None
    return content


__all__ = ["FORMATS", "ReportError", "ReportTemplate", "TemplateError", "load_template",
           "write_report"]
