"""The time wheel dock: dated items by hour of day and day of week (or month) as a circular
chart; click a sector to select its items on the chart, shift-click to add to the selection.

Like the histogram dock it keeps no data: it recounts from the chart after changes (debounced)
and redraws the outlines of selected items when the shared Selection changes.
"""

from __future__ import annotations

import html
from pathlib import Path

from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.analysis.fields import Target
from workbench.analysis.timewheel import Rings, TimeWheel, dated_target, time_wheel
from workbench.export.timewheel_image import WheelPlot, draw_time_wheel
from workbench.model import Chart, Selection
from workbench.ui.docks.counting import (
    FollowsChart,
    connect_chart,
    copy_figure,
    export_figure,
)

RINGS = (("Hour by day of week", Rings.WEEKDAY), ("Hour by month", Rings.MONTH))
SCOPES = ("All items", "Selected items", "Filtered items")


class TimeWheelDock(FollowsChart, QDockWidget):
    """Counts the dated items of ``chart``; sectors select items on ``selection``.

    Public: ``set_chart(chart)``, ``set_filter(ids, name)`` (the items a filter leaves, or
    None), ``choose(rings=None, target=None, scope=None)``, ``export(path)``,
    ``copy_to_clipboard()``, ``wheel`` (what is shown), ``plot`` (for clicks) and the signal
    ``cell_clicked(int, int)`` (ring, hour).
    """

    cell_clicked = Signal(int, int)

    def __init__(self, chart: Chart, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__("Time wheel", parent)
        self.setObjectName("TimeWheelDock")
        self.chart, self.selection = chart, selection
        self.wheel: TimeWheel | None = None
        self.plot: WheelPlot | None = None
        self._filter: set[str] | None = None
        self._filter_name = ""
        self._timer = QTimer(self, singleShot=True, interval=80)
        self._timer.timeout.connect(self._refresh)
        self.rings_box, self.target_box, self.scope_box = QComboBox(), QComboBox(), QComboBox()
        for text, rings in RINGS:
            self.rings_box.addItem(text, rings)
        self.target_box.addItem("Count links", Target.LINKS)
        self.target_box.addItem("Count entities", Target.ENTITIES)
        self.scope_box.addItems(SCOPES)
        export = QToolButton(text="Export")
        export.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(export)
        for fmt in ("png", "svg", "pdf"):
            menu.addAction(f"Save as {fmt.upper()}...", lambda f=fmt: self._ask_export(f))
        menu.addAction("Copy picture", self.copy_to_clipboard)
        export.setMenu(menu)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.figure = Figure(figsize=(6.2, 5.5), dpi=100)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setMinimumSize(440, 390)  # hours and days legible; the dock scrolls
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.canvas)
        self.canvas.mpl_connect("button_press_event", self._on_click)
        self.canvas.mpl_connect("motion_notify_event", self._on_hover)
        row = QHBoxLayout()
        for widget in (self.rings_box, self.target_box, self.scope_box):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(export)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll, 1)
        self.setWidget(body)
        for box in (self.rings_box, self.target_box, self.scope_box):
            box.currentIndexChanged.connect(self.recount)
        self.selection.changed.connect(self._selection_changed)
        self.follow_sight()
        connect_chart(chart, self._chart_changed)
        self._pick_target()
        self.recount()

    # ----- public API ------------------------------------------------------------------
    def set_chart(self, chart: Chart) -> None:
        """Follow a newly opened chart (counted once the dock is in sight)."""
        self._take_chart(chart)

    def _start(self) -> None:
        self._pick_target()
        self.recount()

    def choose(self, rings: Rings | str | None = None, target: Target | str | None = None,
               scope: int | None = None) -> None:
        self._on_chart_given()
        for box, value in ((self.rings_box, None if rings is None else Rings(rings)),
                           (self.target_box, None if target is None else Target(target))):
            if value is not None:
                box.blockSignals(True)
                box.setCurrentIndex(box.findData(value))
                box.blockSignals(False)
        if scope is not None:
            self.scope_box.blockSignals(True)
            self.scope_box.setCurrentIndex(scope)
            self.scope_box.blockSignals(False)
        self.recount()

    def export(self, path: str | Path) -> Path:
        self.catch_up()
        return export_figure(self.figure, path, self.wheel.title if self.wheel else "")

    def copy_to_clipboard(self) -> QImage:
        self.catch_up()
        return copy_figure(self.figure)

    # ----- counting and drawing --------------------------------------------------------
    def _pick_target(self) -> None:
        """Links or entities: whichever carries the chart's dates."""
        self.target_box.blockSignals(True)
        self.target_box.setCurrentIndex(self.target_box.findData(dated_target(self.chart)))
        self.target_box.blockSignals(False)

    def recount(self) -> None:
        scope = self.scope_box.currentIndex()
        among, name = None, ""
        if scope == 1:
            among, name = self.selection.entities | self.selection.links, "selection"
        elif scope == 2 and self._filter is not None:
            among, name = self._filter, self._filter_name
        self.wheel = time_wheel(self.chart, target=self.target_box.currentData(),
                                rings=self.rings_box.currentData(), among=among, scope=name)
        if scope == 2 and self._filter is None:
            self._say("No filter is applied: counting all items.")
        elif not self.wheel.dated:
            self._say(f"No {self.wheel.target.value} here carry a date: nothing to count.")
        else:
            self._say("")
        self.redraw()

    def _refresh(self) -> None:
        self.recount()

    def redraw(self) -> None:
        """Draw what is counted, with the selection; out of sight, when it comes in sight."""
        if self.wheel is None or self._out_of_sight("selection"):
            return
        selected = self.selection.entities | self.selection.links
        self.plot = draw_time_wheel(self.figure, self.wheel, selected)
        self.canvas.draw_idle()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # ----- events ----------------------------------------------------------------------
    def cell_at(self, event: MouseEvent) -> tuple[int, int] | None:
        if self.plot is None or event.inaxes is not self.plot.axes:
            return None
        return self.plot.cell_at(event.xdata, event.ydata)

    def _on_hover(self, event: MouseEvent) -> None:
        cell = self.cell_at(event)
        if cell is None or self.wheel is None:
            self.canvas.setToolTip("")
            return
        ring, hour = cell
        count = int(self.wheel.counts[ring, hour])
        # the type name comes from the data: a tooltip that looks like HTML is drawn as HTML
        self.canvas.setToolTip(html.escape(f"{self.wheel.ring_labels[ring]} "
                                           f"{hour:02d}:00-{hour:02d}:59: {count:,} "
                                           f"{self.wheel.what}"))

    def _on_click(self, event: MouseEvent) -> None:
        cell = self.cell_at(event)
        if cell is None or self.wheel is None:
            return
        ids = self.wheel.ids(*cell)
        entities = [i for i in ids if i in self.chart.entities]
        links = [i for i in ids if i in self.chart.links]
        gui = event.guiEvent
        if gui is not None and gui.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.selection.add(entities, links)
        else:
            self.selection.set(entities, links)
        self.cell_clicked.emit(*cell)

    def _ask_export(self, fmt: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export time wheel", f"timewheel.{fmt}",
                                              f"{fmt.upper()} (*.{fmt})")
        if path:
            try:
                self.export(path)
            except (OSError, ValueError) as exc:
                QMessageBox.warning(self, "Cannot export time wheel", str(exc))
