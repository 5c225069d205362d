"""Writing a report off the GUI thread: the job, its relay back to the GUI thread, and the
pause of Python's cycle collector that makes a worker safe beside Qt objects.

The report dialog hands plain data (a copy of the chart, the template, which pictures to
draw, where the full tables go) to ``ReportJob``, which has the chart pages and the timeline
drawn in a child process (``export.picture_process``: Qt drawing belongs to a GUI thread, and
on the window's it held the window 1.7-2.9 s for a 20,000-link chart), then builds and
writes the document into a part file; the dialog decides on the GUI thread whether
that file replaces the target (done) or is deleted (cancelled, failed). The job machinery
(collector pause, cancelling on close, the relay) is ``workbench.ui.background``, shared with
the data exports and the map dock.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Signal

from workbench.export.chart_image import ChartImageError
from workbench.export.picture_process import (
    ChartCopy,
    ReportPictures,
    draw_report_pictures,
)
from workbench.export.report import ReportError, write_report
from workbench.export.report_content import report_entities
from workbench.export.report_template import ReportTemplate, TemplateError
from workbench.model import Chart
from workbench.ui.background import CollectorPause, Job

__all__ = ["CollectorPause", "Relay", "ReportJob", "discard", "tables_part"]


def tables_part(part: Path) -> Path:
    """Where the worker writes the spreadsheet of full tables: beside its part file, and it
    shares the part file's fate (renamed beside the report when done, else removed)."""
    return part.with_suffix(".xlsx")


def discard(part: Path) -> None:
    """Remove a part file and its spreadsheet (cancelled, failed, or the dialog is gone)."""
    part.unlink(missing_ok=True)
    tables_part(part).unlink(missing_ok=True)


class Relay(QObject):
    done = Signal(int, str)  # job number, error message ('' when the document is written)


class ReportJob(QRunnable):
    """Builds and writes the document off the GUI thread, from plain data only.

    It is a ``background.Job`` owned by the dialog that made the relay: closing the window
    cancels it (``background.cancel_jobs``) and its part file is removed. The result goes
    through the session-long relay of ``background`` and is passed on to the dialog's relay
    on the GUI thread only if the dialog still exists, so a worker never emits to a deleted
    object. The dialog holds the collector pause itself."""

    def __init__(self, number: int, relay: Relay, chart: Chart, part: Path,
                 template: ReportTemplate, wanted: ReportPictures,
                 entity_ids: list[str] | None, cancelled: threading.Event,
                 tables_name: str | None = None) -> None:
        super().__init__()
        self.tables_name = tables_name  # the spreadsheet's name beside the target
        self.number, self.relay, self.chart, self.part = number, relay, chart, part
        self.template, self.wanted, self.entity_ids = template, wanted, entity_ids
        self.cancelled = cancelled
        self.job = _ReportWork(self)
        self.job.register(hold_collector=False)

    def write(self, _cancelled: threading.Event) -> str:
        """The error message, '' when the document is written (no part file is left after
        an error)."""
        try:
            template, pictures = self.drawn(_cancelled)
            write_report(self.chart, self.part, template, pictures=pictures,
                         entity_ids=self.entity_ids, tables_path=tables_part(self.part),
                         tables_name=self.tables_name)
        except (ReportError, TemplateError, ChartImageError, OSError) as exc:
            error = str(exc)
        except Exception as exc:  # any bug: shown to the analyst, never lost on a thread
            error = f"unexpected problem while writing the report: {type(exc).__name__}: {exc}"
        else:
            return ""
        discard(self.part)
        return error

    def drawn(self, cancelled: threading.Event) -> tuple[ReportTemplate, dict[str, bytes]]:
        """The report's pictures (keyed as write_report reads them), and its template
        without the sections that have nothing to draw."""
        wanted = self.wanted
        if wanted.chart_pages:  # the chart pages show the entities the report covers
            covered, whole = report_entities(self.chart, self.template, self.entity_ids)
            wanted = replace(wanted, kept=None if whole else [e.id for e in covered])
        pages, timeline = draw_report_pictures(ChartCopy.of(self.chart), wanted, cancelled)
        pictures = {f"chart:{caption}": png for caption, png in pages}
        sections = list(self.template.sections)
        if wanted.chart_pages and not pages:
            sections.remove("chart")
        if timeline is not None:
            pictures[f"timeline:{timeline[0]}"] = timeline[1]
        elif wanted.timeline:
            sections.remove("timeline")
        return replace(self.template, sections=sections), pictures

    def run(self) -> None:
        self.job.run()


class _ReportWork(Job):
    def __init__(self, report: ReportJob) -> None:
        super().__init__(report.write, owner=report.relay.parent(), what=report.part.name,
                         cancelled=report.cancelled)
        self.part, self.relay, self.report_number = report.part, report.relay, report.number

    def cleanup(self, error: str) -> None:  # on the worker
        if error or self.cancelled.is_set():
            discard(self.part)

    def _apply(self, result: object, error: str) -> None:  # on the GUI thread
        error = error or str(result or "")
        if error:
            discard(self.part)
        if shiboken6.isValid(self.relay):  # the dialog decides, cancelled or not
            self.relay.done.emit(self.report_number, error)
        else:  # the dialog is gone: nothing may replace the target
            discard(self.part)
