"""The histogram dock: count the chart by any field, click a bar to select its items.

The dock holds no data of its own: it recounts from the chart whenever the chart changes (a
short timer folds an import's many events into one recount) and redraws the highlight whenever
the shared Selection changes, so the chart view, the map and every histogram always agree.
Drawing is done by ``workbench.export.histogram_image``, the same code the command line uses, so
what an analyst exports is exactly what they saw.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
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
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from workbench.analysis import (
    STORE_LINKS,
    AnalysisError,
    Field,
    Histogram,
    SortBy,
    Target,
    histogram,
)
from workbench.analysis.fields import (
    DateBin,
    End,
    attribute_names,
    items_of,
    raw_value,
    value_kind,
)
from workbench.export.histogram_image import (
    HistogramPlot,
    draw_histogram,
    is_horizontal,
    render_histogram,
    store_link_counts,
    wrap_label,
)
from workbench.model import Chart, Kind, Selection
from workbench.ui.docks.counting import FollowsChart, connect_chart, copy_figure

DATE_BINS = [b.value for b in DateBin]
NUMBER_BINS = ["each value", "auto", "5", "10", "20", "50"]
HEADER_PX, AXIS_PX = 64, 46  # the title and notes above the bars, the axis below
BAR_PX, LINE_PX = 20, 14  # the least height of a bar, and of a line of its label


def field_choices(chart: Chart) -> list[tuple[str, Field]]:
    """What the analyst can count by, as (menu text, field) for this chart."""
    choices = [("Entity type", Field("type")), ("Link type", Field("type", Target.LINKS)),
               ("Link origin (from end)", Field("from", Target.LINKS)),
               ("Link destination (to end)", Field("to", Target.LINKS)),
               ("Entity label", Field("label"))]
    if any(e.date for e in chart.entities.values()):
        choices.append(("Entity date", Field("date")))
    if any(lk.date for lk in chart.links.values()):
        choices.append(("Link date", Field("date", Target.LINKS)))
    for target, word in ((Target.ENTITIES, "Entity"), (Target.LINKS, "Link")):
        for name in sorted(attribute_names(chart, target), key=str.casefold):
            choices.append((f"{word}: {name}", Field(name, target)))
    return choices


def numeric_attributes(chart: Chart, target: Target) -> list[str]:
    """Attributes holding numbers on some of these items: what a histogram can sum."""
    found = {name for item in items_of(chart, target)
             for name, value in item.attributes.items() if value.kind is Kind.NUMBER}
    return sorted(found, key=str.casefold)


def takes_three_values(chart: Chart, field: Field) -> bool:
    """Whether items have three different values of the field (a link end is its entity)."""
    seen: set[object] = set()
    for item in items_of(chart, field.target):
        value = raw_value(chart, item, field)
        if value is not None:
            seen.add(value.entity.id if isinstance(value, End) else value)
            if len(seen) >= 3:
                return True
    return False


def canvas_height(hist: Histogram) -> int:
    """Pixels the dock's picture needs so that no bar label runs into the next: a line
    of 9 pt text per bar, more for a wrapped label; the dock scrolls past what it shows."""
    if not is_horizontal(hist):
        return 260  # labels run along the bottom, thinned to fit the width
    if len(hist.bars) > 40:
        return HEADER_PX + AXIS_PX + BAR_PX * len(hist.bars)
    return HEADER_PX + AXIS_PX + sum(max(BAR_PX, LINE_PX * len(wrap_label(b.label)) + 6)
                                     for b in hist.bars)


def bin_choices(kind: str) -> list[str]:
    return DATE_BINS if kind == "date" else NUMBER_BINS if kind == "number" else []


class HistogramDock(FollowsChart, QDockWidget):
    """A dock counting ``chart`` by a chosen field; bars select items on ``selection``.

    Public: ``set_chart(chart)`` (after File > Open), ``set_filter(ids, name)`` (the items a
    filter leaves, or None), ``choose(field, bin=None, sort=None, top=None)``,
    ``export(path)``, ``copy_to_clipboard()``, ``histogram`` (the bars shown), and the signal
    ``bar_clicked(int)``.
    """

    bar_clicked = Signal(int)

    def __init__(self, chart: Chart, selection: Selection, parent: QWidget | None = None,
                 title: str = "Histogram") -> None:
        super().__init__(title, parent)
        self.setObjectName("HistogramDock")
        self.chart, self.selection = chart, selection
        self.histogram: Histogram | None = None
        self._plot: HistogramPlot | None = None
        self._filter: Collection[str] | None = None
        self._filter_name = ""
        self._choices: list[tuple[str, Field]] = []
        self._quiet = False
        self._timer = QTimer(self, singleShot=True, interval=60)
        self._timer.timeout.connect(self._refresh)

        self.field_box, self.bin_box, self.sort_box = QComboBox(), QComboBox(), QComboBox()
        self.scope_box, self.top_box, self.weight_box = QComboBox(), QSpinBox(), QComboBox()
        self.field_box.setMinimumContentsLength(14)
        self.sort_box.addItems(["Biggest first", "In value order"])
        self.scope_box.addItems(["All items", "Selected items", "Filtered items"])
        self.top_box.setRange(0, 500)
        self.top_box.setSpecialValueText("All")
        self.top_box.setPrefix("Top ")
        self.top_box.setValue(20)
        self.export_button = QToolButton(text="Export")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export_button)
        for fmt in ("png", "svg", "pdf", "csv"):
            menu.addAction(f"Save as {fmt.upper()}...", lambda f=fmt: self._ask_export(f))
        menu.addAction("Copy picture", self.copy_to_clipboard)
        self.export_button.setMenu(menu)
        self.message = QLabel()
        self.message.setStyleSheet("color: #a33;")
        self.message.setWordWrap(True)
        self.message.hide()

        self.figure = Figure(figsize=(6, 4), dpi=100)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.mpl_connect("button_press_event", self._on_click)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.canvas)

        # one row of choices: every line they take is a bar fewer in a laptop's dock
        row = QHBoxLayout()
        row.addWidget(QLabel("Count"))
        row.addWidget(self.field_box, 1)
        for box in (self.bin_box, self.scope_box, self.sort_box, self.top_box,
                    self.weight_box):
            row.addWidget(box)
        row.addWidget(self.export_button)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(self.scroll, 1)
        self.setWidget(body)

        self.field_box.currentIndexChanged.connect(self._field_changed)
        for box in (self.bin_box, self.sort_box, self.scope_box, self.weight_box):
            box.currentIndexChanged.connect(self.recount)
        self.top_box.valueChanged.connect(self.recount)
        self.selection.changed.connect(self._selection_changed)
        self.follow_sight()
        connect_chart(self.chart, self._chart_changed)
        self._fill_fields()

    # ----- public API ------------------------------------------------------------------
    def set_chart(self, chart: Chart) -> None:
        """Follow a newly opened chart (the window's ``chart_replaced``)."""
        self._take_chart(chart)

    def _start(self) -> None:
        with QSignalBlocker(self.field_box):
            self.field_box.clear()  # another chart: start from what says most about it
        self._fill_fields()

    def choose(self, field: Field, bin: str | None = None, sort: SortBy | None = None,
               top: int | None = None, weight: str | None = None) -> None:
        """Set what is counted, as the analyst would with the boxes."""
        self._on_chart_given()
        index = next((i for i, (_, f) in enumerate(self._choices)
                      if (f.name, f.target) == (field.name, field.target)), None)
        if index is None:
            raise AnalysisError(f"nothing in this chart to count by {field.describe()}")
        self._quiet = True
        try:
            self.field_box.setCurrentIndex(index)
            if bin is not None:
                self.bin_box.setCurrentText(bin)
            if sort is not None:
                self.sort_box.setCurrentIndex(0 if sort is SortBy.COUNT else 1)
            if top is not None:
                self.top_box.setValue(top)
            if weight is not None:
                found = self.weight_box.findData(weight)
                if found < 0:
                    raise AnalysisError(f"no {field.target.value} carry a number {weight!r}")
                self.weight_box.setCurrentIndex(found)
        finally:
            self._quiet = False
        self.recount()

    def export(self, path: str | Path) -> Path:
        """Write what is shown (with the selection highlighted) as PNG, SVG, PDF or CSV."""
        self.catch_up()
        if self.histogram is None:
            raise AnalysisError("there is nothing to export yet")
        return render_histogram(self.histogram, path, self.selection.entities
                                | self.selection.links, subtitle=self.chart.title)

    def copy_to_clipboard(self) -> QImage:
        self.catch_up()
        return copy_figure(self.figure, self.histogram.title if self.histogram else "")

    # ----- counting and drawing ------------------------------------------------------------
    def _fill_fields(self) -> None:
        current = self.field_box.currentText()
        self._choices = field_choices(self.chart)
        self.field_box.blockSignals(True)
        self.field_box.clear()
        self.field_box.addItems([text for text, _ in self._choices])
        found = self.field_box.findText(current)
        self.field_box.setCurrentIndex(found if found >= 0 else self._telling_field())
        self.field_box.blockSignals(False)
        self._field_changed()

    def _telling_field(self) -> int:
        """The first of the usual fields with three values or more: a chart of one entity
        type and two link types opens on something worth a histogram (where its links come
        from), not one or two bars. Told by reading items until a third value turns up, not
        by counting the chart four times over (a second on 100,000 entities)."""
        for index, (_text, field) in enumerate(self._choices[:4]):
            if takes_three_values(self.chart, field):
                return index
        return 0

    def _refresh(self) -> None:
        """After chart changes: offer new attributes (a measure just computed), recount."""
        if [text for text, _ in field_choices(self.chart)] != [t for t, _ in self._choices]:
            self._fill_fields()
        else:
            self.recount()

    def _field_changed(self) -> None:
        field = self._current_field(with_bin=False)
        bins = bin_choices(value_kind(self.chart, field)) if field else []
        self.bin_box.blockSignals(True)
        self.bin_box.clear()
        self.bin_box.addItems(bins)
        if "month" in bins:
            self.bin_box.setCurrentText("month")
        self.bin_box.setVisible(bool(bins))
        self.bin_box.blockSignals(False)
        if bins == DATE_BINS:
            self.sort_box.setCurrentIndex(1)  # time reads in order
        self.weight_box.blockSignals(True)
        self.weight_box.clear()
        if field and store_link_counts(self.chart, field) is not None:
            # a store chart's line stands for its calls: count them unless asked otherwise
            # (not by date: a line is dated by its first call, which would take all of them)
            self.weight_box.addItem("Count store links", STORE_LINKS)
            self.weight_box.addItem("Count chart links", None)
        else:
            self.weight_box.addItem("Count items", None)
        for name in numeric_attributes(self.chart, field.target) if field else []:
            self.weight_box.addItem(f"Sum of {name}", name)
        self.weight_box.setVisible(self.weight_box.count() > 1)
        self.weight_box.blockSignals(False)
        self.recount()

    def _current_field(self, with_bin: bool = True) -> Field | None:
        index = self.field_box.currentIndex()
        if not 0 <= index < len(self._choices):
            return None
        field = self._choices[index][1]
        bin = self.bin_box.currentText() if with_bin and self.bin_box.count() else ""
        return Field(field.name, field.target, None if bin in ("", "each value") else bin)

    def recount(self) -> None:
        if self._quiet:  # choose() sets several boxes, then counts once
            return
        field = self._current_field()
        if field is None:
            return
        scope = self.scope_box.currentIndex()
        among, name = None, ""
        if scope == 1:
            among, name = self.selection.entities | self.selection.links, "selection"
        elif scope == 2 and self._filter is not None:
            among, name = self._filter, self._filter_name
        weight = self.weight_box.currentData()
        try:
            self.histogram = histogram(
                self.chart, field, among=among, top=self.top_box.value() or None, scope=name,
                weight=None if weight == STORE_LINKS else weight,
                stands_for=store_link_counts(self.chart, field) if weight == STORE_LINKS else None,
                sort=SortBy.COUNT if self.sort_box.currentIndex() == 0 else SortBy.VALUE)
        except AnalysisError as exc:
            self._say(str(exc))
            return
        self._say("" if scope != 2 or self._filter is not None else
                  "No filter is applied: counting all items.")
        self.redraw()

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def redraw(self) -> None:
        """Draw what is counted, with the selection; out of sight, when it comes in sight."""
        if self.histogram is None or self._out_of_sight("selection"):
            return
        self.canvas.setMinimumHeight(canvas_height(self.histogram))
        selected = self.selection.entities | self.selection.links
        self._plot = draw_histogram(self.figure, self.histogram, selected)
        self.canvas.draw_idle()

    # ----- events -----------------------------------------------------------------------
    def _on_click(self, event: MouseEvent) -> None:
        if self._plot is None or self.histogram is None or event.inaxes is not self._plot.axes:
            return
        index = self._plot.bar_at(event.xdata, event.ydata)
        if index is None:
            return
        ids = self.histogram.bars[index].ids
        entities = [i for i in ids if i in self.chart.entities]
        links = [i for i in ids if i in self.chart.links]
        gui = event.guiEvent
        add = gui is not None and bool(gui.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if add:
            self.selection.add(entities, links)
        else:
            self.selection.set(entities, links)
        self.bar_clicked.emit(index)

    def _ask_export(self, fmt: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export histogram", f"histogram.{fmt}",
                                              f"{fmt.upper()} (*.{fmt})")
        if not path:
            return
        try:
            self.export(path)
        except (OSError, ValueError) as exc:
            QMessageBox.warning(self, "Cannot export histogram", str(exc))
