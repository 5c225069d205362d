"""The time filter dock: a date range that shows only the items in it on the chart, and (through
``filter_changed``) in the histograms, heat matrix, time wheel and map; Play steps the window
through time with the current dates in large type; Export draws the chart as of the range.

The rule of what a range leaves is ``analysis.time_filter``; the chart hides the rest through
the scene's own filter (``set_hidden(..., by="time")``), beside the Find dock's type and date
filter, so neither undoes the other. The dock keeps no data of its own: it reads the chart
again when it changes or is replaced.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer, QTimeZone, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDockWidget,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.analysis.time_filter import (
    Step,
    TimeRange,
    date_span,
    filtered_by_time,
    next_window,
    shown_ids,
    step,
)
from workbench.export.chart_image import ChartImageError, render_chart
from workbench.io.atomic import WriteError
from workbench.model import Chart
from workbench.ui.document import CanvasHolder, Document
from workbench.ui.wording import plural


def to_qt(when: datetime) -> QDateTime:
    """On one clock with no daylight saving (UTC), so 02:30 on a spring-forward night is
    still a time the edit can hold; dates are shown as the clock time they were imported."""
    return QDateTime(QDate(when.year, when.month, when.day),
                     QTime(when.hour, when.minute, when.second), QTimeZone.utc())


def from_qt(edit: QDateTimeEdit) -> datetime:
    return edit.dateTime().toPython().replace(tzinfo=None)


STEPS = (Step.HOUR, Step.DAY, Step.WEEK, Step.MONTH)
SHOWN = "%d %b %Y %H:%M"


class TimeFilterDock(QDockWidget):
    """Public: ``set_enabled(on)``, ``set_range(start, end)``, ``set_keep_undated(keep)``,
    ``step_by(times)``, ``play(on)``, ``span()`` (the range applied, or None when off),
    ``hidden`` (entity ids, link ids hidden now), ``export_as_of(path)``, and the signal
    ``filter_changed(object)``: the ids left on the chart, or None when the filter is off."""

    filter_changed = Signal(object)

    def __init__(self, document: Document, canvas: CanvasHolder,
                 parent: QWidget | None = None) -> None:
        super().__init__("Time filter", parent)
        self.setObjectName("TimeFilterDock")
        self.document, self.canvas = document, canvas
        self._chart: Chart | None = None
        self._first = self._last = datetime(2000, 1, 1)
        self._dated = False  # the chart has a dated item (read with its first and last date)
        self.hidden: tuple[set[str], set[str]] = (set(), set())
        self._applied: TimeRange | None = None
        self.enabled = QCheckBox("Show only the items in this time range")
        self.undated = QComboBox()
        self.undated.addItem("Keep undated items", True)
        self.undated.addItem("Hide undated items", False)
        self.undated.setToolTip("Hidden: an undated entity still shows while a link in the "
                                "range joins it.")
        self.step_box = QComboBox()
        for unit in STEPS:
            self.step_box.addItem(f"Step: {unit.value}", unit)
        self.step_box.setCurrentIndex(STEPS.index(Step.WEEK))
        self.back_button, self.next_button = QPushButton("<"), QPushButton(">")
        self.back_button.setToolTip("Move the range back one step")
        self.next_button.setToolTip("Move the range on one step")
        self.play_button = QPushButton("Play")
        self.play_button.setCheckable(True)
        self.speed = QSpinBox()
        self.speed.setRange(1, 10)
        self.speed.setValue(1)
        self.speed.setPrefix("every ")
        self.speed.setSuffix(" s")
        self.export_button = QPushButton("Export as of...")
        self.from_edit, self.to_edit = QDateTimeEdit(), QDateTimeEdit()
        self.from_slider = QSlider(Qt.Orientation.Horizontal)
        self.to_slider = QSlider(Qt.Orientation.Horizontal)
        for edit in (self.from_edit, self.to_edit):
            edit.setTimeZone(QTimeZone.utc())
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
        self.current = QLabel()
        font = self.current.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.current.setFont(font)
        self.counts = QLabel()
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._tick)
        self._debounce = QTimer(self, singleShot=True, interval=40)
        self._debounce.timeout.connect(self.apply)
        self._build()
        document.chart_replaced.connect(self._chart_replaced)
        self._chart_replaced()

    def _build(self) -> None:
        """Three short rows, so the chart below keeps its height: the choices and Play, the
        From and To dates with their sliders beside the dates shown in large type."""
        top = QHBoxLayout()
        for widget in (self.enabled, self.undated, self.step_box, self.back_button,
                       self.play_button, self.next_button, self.speed):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.export_button)
        grid = QGridLayout()
        grid.addWidget(QLabel("From"), 0, 0)
        grid.addWidget(self.from_edit, 0, 1)
        grid.addWidget(self.from_slider, 0, 2)
        grid.addWidget(QLabel("To"), 1, 0)
        grid.addWidget(self.to_edit, 1, 1)
        grid.addWidget(self.to_slider, 1, 2)
        grid.addWidget(self.current, 0, 3)
        grid.addWidget(self.counts, 1, 3)
        grid.setColumnStretch(2, 3)
        grid.setColumnStretch(3, 2)
        for button in (self.back_button, self.next_button):
            button.setMaximumWidth(36)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(grid)
        self.setWidget(body)
        self.enabled.toggled.connect(lambda _on: self.apply())
        self.undated.currentIndexChanged.connect(lambda _i: self.apply())
        self.from_slider.valueChanged.connect(lambda v: self._slid(self.from_edit, v))
        self.to_slider.valueChanged.connect(lambda v: self._slid(self.to_edit, v))
        self.from_edit.dateTimeChanged.connect(lambda _d: self._edited(self.from_edit))
        self.to_edit.dateTimeChanged.connect(lambda _d: self._edited(self.to_edit))
        self.back_button.clicked.connect(lambda: self.step_by(-1))
        self.next_button.clicked.connect(lambda: self.step_by(1))
        self.play_button.toggled.connect(self.play)
        self.speed.valueChanged.connect(lambda s: self._timer.setInterval(s * 1000))
        self.export_button.clicked.connect(self._ask_export)

    # ----- public API ------------------------------------------------------------------
    def set_enabled(self, on: bool) -> None:
        self.enabled.setChecked(on)
        self.apply()

    def set_range(self, start: datetime, end: datetime) -> None:
        """Show the items from ``start`` to ``end`` (both included); turns the filter on."""
        for edit, when in ((self.from_edit, start), (self.to_edit, end)):
            edit.blockSignals(True)
            edit.setDateTime(to_qt(when))
            edit.blockSignals(False)
        self._sync_sliders()
        self._switch_on()
        self.apply()

    def set_keep_undated(self, keep: bool) -> None:
        self.undated.setCurrentIndex(0 if keep else 1)

    def span(self) -> TimeRange | None:
        """The range applied now; None while the filter is off or the chart has no dates."""
        return self._applied

    def step_by(self, times: int) -> None:
        """Move the whole range ``times`` steps (back when negative)."""
        unit = self.step_box.currentData()
        chosen = self._chosen()
        self.set_range(step(chosen.start, unit, times), step(chosen.end, unit, times))

    def play(self, on: bool) -> None:
        """Step the range on at each tick until its start passes the last date."""
        self.play_button.blockSignals(True)
        self.play_button.setChecked(on)
        self.play_button.setText("Pause" if on else "Play")
        self.play_button.blockSignals(False)
        if on:
            if not self.enabled.isChecked():
                self.set_range(*self._first_window())
            self._timer.start()
        else:
            self._timer.stop()

    def export_as_of(self, path: str | Path) -> Path:
        """The chart picture (PNG, SVG, PDF) of what the range leaves on it, or (a .wbchart)
        a chart of those items alone, to hand on as the case stood then."""
        span = self._applied
        chart = self.document.chart
        shown = shown_ids(chart, self.hidden) if span is not None else None
        if Path(path).suffix.lower() != ".wbchart":
            return render_chart(chart, path, selection=shown)
        from workbench.analysis.subchart import subchart
        from workbench.io import save_chart

        kept = set(chart.entities) | set(chart.links) if shown is None else shown
        title = chart.title if span is None else \
            f"{chart.title} ({span.start:%d %b %Y} to {span.end:%d %b %Y})".strip()
        part = subchart(chart, [e for e in chart.entities if e in kept],
                        [lk for lk in chart.links if lk in kept], title=title)
        part.settings = {k: v for k, v in chart.settings.items() if k in ("display",
                                                                            "formatting")}
        save_chart(part, path)
        return Path(path)

    # ----- applying ----------------------------------------------------------------------
    def apply(self) -> None:
        self._debounce.stop()
        chart = self.document.chart
        span = None
        if self.enabled.isChecked() and self._dated:
            span = self._chosen()
        was_off = self._applied is None and not any(self.hidden)
        self._applied = span
        self.hidden = filtered_by_time(chart, span) if span is not None else (set(), set())
        shown = shown_ids(chart, self.hidden) if span is not None else None
        self._describe(span, shown)
        if span is None and was_off:  # off and still off (an edit while the filter is off):
            return  # nothing to hide, nothing for the docks to recount
        self.canvas.scene.set_hidden(*self.hidden, by="time")
        self.filter_changed.emit(shown)

    def _chosen(self) -> TimeRange:
        start, end = from_qt(self.from_edit), from_qt(self.to_edit)
        return TimeRange(min(start, end), max(start, end), bool(self.undated.currentData()))

    def _describe(self, span: TimeRange | None, shown: set[str] | None) -> None:
        chart = self.document.chart
        if not self._dated:
            self.current.setText("Nothing on this chart carries a date.")
            self.counts.clear()
            return
        if span is None:
            self.current.setText("All dates shown")
            self.counts.setText(f"The chart runs from {self._first.strftime(SHOWN)} to "
                                f"{self._last.strftime(SHOWN)}.")
            return
        self.current.setText(f"{span.start.strftime(SHOWN)}  to  {span.end.strftime(SHOWN)}")
        links = sum(1 for i in shown if i in chart.links)
        entities = len(shown) - links
        self.counts.setText(f"{links:,} of {plural(len(chart.links), 'link')}, {entities:,} of "
                            f"{plural(len(chart.entities), 'entity')} shown; undated "
                            f"{'kept' if span.keep_undated else 'hidden'}")

    # ----- widgets --------------------------------------------------------------------
    def _minutes(self, when: datetime) -> int:
        return int((when - self._first).total_seconds() // 60)

    def _sync_sliders(self) -> None:
        for edit, slider in ((self.from_edit, self.from_slider),
                             (self.to_edit, self.to_slider)):
            slider.blockSignals(True)
            slider.setValue(self._minutes(from_qt(edit)))
            slider.blockSignals(False)

    def _slid(self, edit: QDateTimeEdit, minutes: int) -> None:
        edit.blockSignals(True)
        edit.setDateTime(to_qt(self._first + timedelta(minutes=minutes)))
        edit.blockSignals(False)
        self._switch_on()
        self._debounce.start()  # a drag sends many values: the chart follows the last

    def _edited(self, _edit: QDateTimeEdit) -> None:
        self._sync_sliders()
        self._switch_on()
        self._debounce.start()

    def _switch_on(self) -> None:
        """Moving the range turns the filter on (applied once, by the caller)."""
        self.enabled.blockSignals(True)
        self.enabled.setChecked(True)
        self.enabled.blockSignals(False)

    def _first_window(self) -> tuple[datetime, datetime]:
        unit = self.step_box.currentData()
        return self._first, step(self._first, unit) - timedelta(minutes=1)

    def _tick(self) -> None:
        following = next_window(self._chosen(), self.step_box.currentData(), self._last)
        if following is None:
            self.play(False)
            return
        self.set_range(following.start, following.end)

    def _chart_replaced(self) -> None:
        if self._chart is not None:
            for signal in self._signals(self._chart):
                signal.disconnect(self._chart_changed, missing_ok=True)
        self._chart = self.document.chart
        for signal in self._signals(self._chart):
            signal.connect(self._chart_changed)
        self.play(False)
        self.enabled.blockSignals(True)
        self.enabled.setChecked(False)
        self.enabled.blockSignals(False)
        self._read_span()
        start, end = self._first_window()
        for edit, when in ((self.from_edit, start), (self.to_edit, end)):
            edit.blockSignals(True)
            edit.setDateTime(to_qt(when))
            edit.blockSignals(False)
        self._sync_sliders()
        self.apply()

    def _read_span(self) -> None:
        span = date_span(self.document.chart)
        self._dated = span is not None
        self._first, self._last = span or (datetime(2000, 1, 1), datetime(2000, 1, 1))
        self._first = self._first.replace(second=0, microsecond=0)
        total = max(self._minutes(self._last), 1)
        for slider in (self.from_slider, self.to_slider):
            slider.blockSignals(True)
            slider.setRange(0, total)
            slider.setPageStep(max(total // 20, 1))
            slider.blockSignals(False)
        for widget in (self.from_slider, self.to_slider, self.from_edit, self.to_edit,
                       self.play_button, self.back_button, self.next_button, self.enabled):
            widget.setEnabled(span is not None)

    @staticmethod
    def _signals(chart: Chart) -> tuple:
        return (chart.entities_added, chart.entities_removed, chart.links_added,
                chart.links_removed, chart.entity_changed, chart.link_changed)

    def _chart_changed(self, *_args: object) -> None:
        self._read_span()
        self._sync_sliders()
        self._debounce.start()

    def _ask_export(self) -> None:
        span = self._applied
        suffix = f"-as-of-{span.end:%Y-%m-%d}" if span is not None else ""
        path, _ = QFileDialog.getSaveFileName(self, "Export as of the time range",
                                              f"chart{suffix}.png",
                                              "Pictures (*.png *.svg *.pdf);;"
                                              "Chart of these items (*.wbchart)")
        if path:
            try:
                self.export_as_of(path)
            except (OSError, ValueError, ChartImageError, WriteError) as exc:  # ChartFileError too
                QMessageBox.warning(self, "Cannot export", str(exc))
