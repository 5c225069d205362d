"""Writing a report off the GUI thread: the job, its relay back to the GUI thread, and the
pause of Python's cycle collector that makes a worker safe beside Qt objects.

The report dialog draws the chart picture on the GUI thread (Qt drawing) with ``png_of``,
then hands plain data (a copy of the chart, the template, the PNG) to ``ReportJob``, which
builds and writes the document into a part file; the dialog decides on the GUI thread whether
that file replaces the target (done) or is deleted (cancelled, failed).
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRunnable, Signal

from workbench.export.chart_image import ChartImageError, chart_image
from workbench.export.report import ReportError, write_report
from workbench.export.report_template import ReportTemplate, TemplateError
from workbench.model import Chart

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow


def png_of(chart: Chart, width: int, entity_ids: list[str] | None) -> bytes | None:
    """The chart picture as the report shows it, drawn by the window's own scene code (GUI
    thread only); None when there is nothing to draw."""
    try:
        image = chart_image(chart, width=width, selection=entity_ids)
    except ChartImageError:
        return None
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


class CollectorPause:
    """The cycle collector stays off while report workers run. Qt objects that became cyclic
    garbage on the GUI thread (the scene that drew the chart picture, its signal connections)
    must be destroyed on the GUI thread: collected from a worker, their destructors stop
    GUI-thread timers from the wrong thread and Qt crashes. So: collect now, on the GUI thread,
    then pause until the last worker is done (plain reference counting still frees memory)."""

    holds = 0
    was_enabled = True

    @classmethod
    def hold(cls) -> None:
        if cls.holds == 0:
            cls.was_enabled = gc.isenabled()
            gc.collect()
            gc.disable()
        cls.holds += 1

    @classmethod
    def release(cls) -> None:
        cls.holds -= 1
        if cls.holds == 0 and cls.was_enabled:
            gc.enable()


class Relay(QObject):
    done = Signal(int, str)  # job number, error message ('' when the document is written)


class ReportJob(QRunnable):
    """Builds and writes the document off the GUI thread, from plain data only."""

    def __init__(self, number: int, relay: Relay, chart: Chart, part: Path,
                 template: ReportTemplate, pictures: dict[str, bytes],
                 entity_ids: list[str] | None, cancelled: threading.Event) -> None:
        super().__init__()
        self.number, self.relay, self.chart, self.part = number, relay, chart, part
        self.template, self.pictures, self.entity_ids = template, pictures, entity_ids
        self.cancelled = cancelled

    def run(self) -> None:
        error = ""
        try:
            write_report(self.chart, self.part, self.template, pictures=self.pictures,
                         entity_ids=self.entity_ids)
        except (ReportError, TemplateError, OSError) as exc:
            error = str(exc)
        except Exception as exc:  # any bug: shown to the analyst, never lost on a thread
            error = f"unexpected problem while writing the report: {type(exc).__name__}: {exc}"
        if error or self.cancelled.is_set():
            self.part.unlink(missing_ok=True)
        self.relay.done.emit(self.number, error)


def selected_entities(window: MainWindow) -> list[str]:
    """The entities a report of the selection covers: the selected ones and the ends of
    selected links (the report shows the links among them)."""
    chart, selection = window.chart, window.selection
    ids = set(selection.entities)
    for link_id in selection.links:
        if link_id in chart.links:
            link = chart.link(link_id)
            ids.update((link.end1, link.end2))
    return [i for i in chart.entities if i in ids]
