"""The Timeline dock: who did what when, beside the chart and in step with it.

- One theme line per chosen entity; until the analyst sends a selection (Send to Timeline in
  the chart's context menu or the View menu, or the dock's own button), the busiest entities.
- Selection is shared both ways: clicking an event selects its link or entity on the chart
  (and so the histograms and the map follow); selecting on the chart highlights the events.
- The dock draws, it never edits: chart edits arrive through the model's signals and the
  timeline is rebuilt (a burst of changes folded into one rebuild), keeping the time shown.
- ``show_range(start, end)`` shows a period: the hook for a time filter.
- Export... writes what is shown (theme lines, period) as the command line's picture.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from workbench.export.timeline_image import TimelineImageError, render_timeline, timeline_picture
from workbench.model import Chart, Selection
from workbench.ui.docks.sight import Sight
from workbench.ui.wording import plural
from workbench.view.timeline_data import busiest_entities
from workbench.view.timeline_widget import TimelineWidget

CHART_SIGNALS = ("entities_added", "entities_removed", "entity_changed", "links_added",
                 "links_removed", "link_changed", "types_changed")
MAX_THEMES = 60  # theme lines one send may make; more is no longer a timeline


class TimelineDock(QDockWidget):
    """``send(entity_ids)``, ``set_chart(chart)``, ``show_range(start, end)``; ``timeline``
    is the drawing widget."""

    def __init__(self, chart: Chart, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__("Timeline", parent)
        self.setObjectName("dock_timeline")
        self.chart, self.selection = chart, selection
        self.themes: list[str] = []
        self.chosen = False  # the analyst chose the theme lines (else: the busiest)
        self._timer = QTimer(self, singleShot=True, interval=80)
        self._timer.timeout.connect(self._rebuild)

        self.timeline = TimelineWidget()
        self.status = QLabel()
        # a long status line is cut, never widens the dock (and with it the window)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.send_button = QPushButton("Send Selection")
        self.send_button.setToolTip("Make the selected entities the theme lines")
        self.busiest_button = QPushButton("Busiest")
        self.busiest_button.setToolTip("Theme lines for the entities in the most dated links")
        self.fit_button = QPushButton("Fit")
        self.export_button = QPushButton("Export...")
        self.export_button.setToolTip("The theme lines and the period shown as a PNG, SVG or "
                                      "PDF picture")
        self.compress_box = QCheckBox("Compress gaps")
        self.compress_box.setChecked(True)
        self.compress_box.setToolTip("Cut long stretches with no event short (drawn as a "
                                     "break)")
        bar = QHBoxLayout()
        for w in (self.send_button, self.busiest_button, self.fit_button, self.compress_box,
                  self.export_button):
            bar.addWidget(w)
        bar.addWidget(self.status, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.timeline, 1)
        self.setWidget(body)

        self.send_button.clicked.connect(lambda: self.send(self.selection.entities))
        self.busiest_button.clicked.connect(self.show_busiest)
        self.fit_button.clicked.connect(self.timeline.fit)
        self.export_button.clicked.connect(self._ask_export)
        self.compress_box.toggled.connect(self.timeline.set_compress)
        self.timeline.items_clicked.connect(self._clicked)
        self.selection.changed.connect(self._selection_changed)
        self.sight = Sight(self, self._rebuild)  # behind a tab: rebuilt when brought forward
        self._connect(chart)
        self.show_busiest()

    # ----- public ------------------------------------------------------------------------------
    def set_chart(self, chart: Chart) -> None:
        """After File > Open: the new chart's busiest entities."""
        self._disconnect(self.chart)
        self.chart = chart
        self._connect(chart)
        self.show_busiest()

    def send(self, entity_ids: Iterable[str]) -> None:
        """Theme lines for these entities (in the chart's order), and the dock brought up."""
        wanted = set(entity_ids)
        ids = [i for i in self.chart.entities if i in wanted][:MAX_THEMES]
        if not ids:
            self.status.setText("Select entities on the chart, then Send to Timeline")
            return
        self.themes, self.chosen = ids, True
        self.timeline.set_timeline(self.chart, ids)
        self._selection_changed()
        self._describe()
        self.show()
        self.raise_()

    def show_busiest(self) -> None:
        self.themes, self.chosen = busiest_entities(self.chart), False
        self.timeline.set_timeline(self.chart, self.themes)
        self._selection_changed()
        self._describe()

    def show_range(self, start: datetime, end: datetime) -> None:
        self.timeline.show_range(start, end)

    def export(self, path: str | Path) -> Path:
        """The theme lines shown, over the period shown, as a picture (by the suffix)."""
        start, end = self.timeline.shown_range()
        picture = timeline_picture(self.chart, self.themes[:40], start=start, end=end,
                                   compress=self.compress_box.isChecked())
        return render_timeline(picture, path)

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export timeline", "timeline.png",
                                              "Pictures (*.png *.svg *.pdf)")
        if not path:
            return
        try:
            self.export(path)
        except (OSError, TimelineImageError) as exc:
            QMessageBox.warning(self, "Cannot export the timeline", str(exc))

    # ----- following the chart and the selection -----------------------------------------------
    def _describe(self) -> None:
        data = self.timeline.data
        if not data.themes:
            self.status.setText("No dated entities or links in this chart")
            return
        how = "" if self.chosen else " (the busiest)"
        self.status.setText(f"{plural(len(data.themes), 'theme line')}{how}, "
                            f"{plural(len(data), 'event')}. Wheel: zoom; drag: pan; "
                            "click: select")

    def _clicked(self, entities: list[str], links: list[str], add: bool) -> None:
        if add:
            self.selection.add(entities, links)
        else:
            self.selection.set(entities, links)

    def _selection_changed(self) -> None:
        if not isValid(self):
            self.selection.changed.disconnect(self._selection_changed)
            return
        self.timeline.set_selected(self.selection.entities | self.selection.links)

    def _connect(self, chart: Chart) -> None:
        for name in CHART_SIGNALS:
            getattr(chart, name).connect(self._chart_changed)

    def _disconnect(self, chart: Chart) -> None:
        for name in CHART_SIGNALS:
            getattr(chart, name).disconnect(self._chart_changed, missing_ok=True)

    def _chart_changed(self, *args: object) -> None:
        if not isValid(self):
            self._disconnect(self.chart)
            return
        if not self.sight.postpone():
            self._timer.start()

    def _rebuild(self) -> None:
        if not self.chosen:
            self.themes = busiest_entities(self.chart)
        self.themes = [i for i in self.themes if i in self.chart.entities]
        self.timeline.set_timeline(self.chart, self.themes, keep_window=True)
        self._describe()
