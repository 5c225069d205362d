"""The heat matrix dock: one field against another (origin by destination, caller by hour of
day); click a cell to select its items, shift-click to add; selected cells are outlined.

Like the histogram dock it keeps no data: it recounts from the chart after changes and redraws
the outline when the shared Selection changes. A log colour scale keeps small routes visible
beside one huge one.
"""

from __future__ import annotations

import html
import textwrap
from pathlib import Path

import numpy as np
from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QGridLayout,
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

from workbench.analysis import AnalysisError, Field, HeatMatrix, Scale, heat_matrix
from workbench.analysis.fields import value_kind
from workbench.export.histogram_image import store_link_counts
from workbench.io.interchange.common import xml_safe
from workbench.model import Chart, Selection
from workbench.ui.docks.counting import (
    FollowsChart,
    connect_chart,
    copy_figure,
    export_figure,
)
from workbench.ui.docks.histogram_dock import bin_choices, field_choices

# White to deep red through orange: reads in print, and zero cells stay white.
HEAT = LinearSegmentedColormap.from_list("workbench_heat", ["#ffffff", "#fdd49e", "#fc8d59",
                                                            "#d7301f", "#7f0000"])
OUTLINE = "#1f5fa8"
CELL_PX = 16  # the least height of a row and width of a column: one line of 8 pt text
LABEL_PX = 170  # room for the row labels on the left and the column labels below


def draw_heat_matrix(figure: Figure, matrix: HeatMatrix, scale: Scale,
                     selected: frozenset[str] = frozenset()) -> object:
    """Draw ``matrix`` on ``figure``; returns the axes (for clicks)."""
    figure.clear()
    figure.set_layout_engine("constrained")
    axes = figure.add_subplot(1, 1, 1)
    rows, cols = matrix.counts.shape
    if rows == 0 or cols == 0:
        axes.set_axis_off()
        axes.text(0.5, 0.5, "Nothing to count", ha="center", va="center",
                  transform=axes.transAxes)
        return axes
    image = axes.imshow(matrix.intensity(scale), cmap=HEAT, vmin=0, vmax=1, aspect="auto",
                        interpolation="nearest")
    # upright column labels, each one line wide so neighbours never cross, along the top:
    # in sight with the first rows when the dock scrolls a long matrix
    axes.set_xticks(range(cols), [_short(c) for c in matrix.columns], rotation=90,
                    ha="center", fontsize=8)
    axes.tick_params(axis="x", top=True, bottom=False, labeltop=True, labelbottom=False)
    axes.set_yticks(range(rows), [_short(r) for r in matrix.rows], fontsize=8)
    axes.tick_params(length=0)
    for side in axes.spines.values():
        side.set_visible(False)
    top = matrix.scale_top
    # a thin line sets "Other" and "(none)" apart from the real values
    if matrix.value_rows < rows:
        axes.axhline(matrix.value_rows - 0.5, color="#666666", linewidth=1)
    if matrix.value_columns < cols:
        axes.axvline(matrix.value_columns - 0.5, color="#666666", linewidth=1)
    chosen = matrix.selected_counts(selected) if selected else np.zeros_like(matrix.counts)
    width, height = figure.get_size_inches() * figure.dpi
    cell = min((width - LABEL_PX - 90) / cols, (height - LABEL_PX - 60) / rows)
    label_cells = rows * cols <= 600 and cell >= 30  # a count that fits inside its cell
    intensity = matrix.intensity(scale)
    for (r, c), count in np.ndenumerate(matrix.counts):
        extra = r >= matrix.value_rows or c >= matrix.value_columns
        if extra:  # Other and (none): grey, counted but not on the colour scale
            axes.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, facecolor="#e4e7eb",
                                     edgecolor="white", linewidth=0.5))
        if chosen[r, c]:
            axes.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, edgecolor=OUTLINE,
                                     linewidth=2.2))
        if label_cells and count:
            dark = intensity[r, c] > 0.55 and not extra
            text = f"{chosen[r, c]}/{count}" if chosen[r, c] else f"{count:,}"
            axes.text(c, r, text, ha="center", va="center", fontsize=7,
                      color="white" if dark else "#222222")
    bar = figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02)
    ticks = np.linspace(0, 1, 5)
    if scale is Scale.LOG:
        bar.set_ticks(ticks, labels=[f"{np.expm1(t * np.log1p(top)):,.0f}" for t in ticks])
    else:
        bar.set_ticks(ticks, labels=[f"{t * top:,.0f}" for t in ticks])
    bar.set_label("Count" + (" (log scale)" if scale is Scale.LOG else "")
                  + ("; Other and (none) in grey" if rows > matrix.value_rows
                     or cols > matrix.value_columns else ""), fontsize=8)
    bar.ax.tick_params(labelsize=7)
    axes.set_title(xml_safe(matrix.title), loc="left", fontsize=11, fontweight="bold")
    return axes


def canvas_size(matrix: HeatMatrix) -> tuple[int, int]:
    """Least pixels (width, height) for the dock's picture: a line of 8 pt text for every
    row and column, so no label runs into the next; the dock scrolls past what it shows."""
    rows, cols = matrix.counts.shape
    return (LABEL_PX + 110 + CELL_PX * cols, LABEL_PX + 70 + CELL_PX * rows)


def _short(label: str) -> str:
    """Short, and without the control characters scraped labels hold (no glyph, not XML)."""
    return textwrap.shorten(xml_safe(label), 28, placeholder="...")


class HeatMatrixDock(FollowsChart, QDockWidget):
    """Counts ``chart`` by two fields; cells select their items on ``selection``.

    Public: ``set_chart(chart)``, ``choose(rows, columns, row_bin=None, column_bin=None,
    scale=None, top=None)``, ``export(path)`` (.png/.svg/.pdf), ``copy_to_clipboard()``,
    ``matrix`` (what is shown) and the signal ``cell_clicked(int, int)``.
    """

    cell_clicked = Signal(int, int)

    def __init__(self, chart: Chart, selection: Selection, parent: QWidget | None = None) -> None:
        super().__init__("Heat matrix", parent)
        self.setObjectName("HeatMatrixDock")
        self.chart, self.selection = chart, selection
        self.matrix: HeatMatrix | None = None
        self._axes = None
        self._choices: list[tuple[str, Field]] = []
        self._quiet = False
        self._timer = QTimer(self, singleShot=True, interval=60)
        self._timer.timeout.connect(self._refresh)
        self.row_box, self.row_bin = QComboBox(), QComboBox()
        self.col_box, self.col_bin = QComboBox(), QComboBox()
        self.scale_box, self.top_box, self.scope_box = QComboBox(), QSpinBox(), QComboBox()
        self.scale_box.addItems(["Linear colours", "Log colours"])
        self.scope_box.addItems(["All items", "Selected items", "Filtered items"])
        self._filter: set[str] | None = None
        self._filter_name = ""
        self.top_box.setRange(2, 200)
        self.top_box.setPrefix("Top ")
        self.top_box.setValue(20)
        export = QToolButton(text="Export")
        export.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(export)
        for fmt in ("png", "svg", "pdf"):
            menu.addAction(f"Save as {fmt.upper()}...", lambda f=fmt: self._ask_export(f))
        menu.addAction("Copy picture", self.copy_to_clipboard)
        export.setMenu(menu)
        self.figure = Figure(figsize=(7, 6), dpi=100)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.mpl_connect("button_press_event", self._on_click)
        self.canvas.mpl_connect("motion_notify_event", self._on_hover)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.canvas)
        grid = QGridLayout()
        # two rows of choices: every line they take is a row of the matrix fewer on a laptop
        grid.addWidget(QLabel("Rows"), 0, 0)
        grid.addWidget(self.row_box, 0, 1)
        grid.addWidget(self.row_bin, 0, 2)
        grid.addWidget(QLabel("Columns"), 0, 3)
        grid.addWidget(self.col_box, 0, 4)
        grid.addWidget(self.col_bin, 0, 5)
        options = QHBoxLayout()
        for widget in (self.scope_box, self.scale_box, self.top_box):
            options.addWidget(widget)
        options.addStretch(1)
        options.addWidget(export)
        grid.addLayout(options, 1, 0, 1, 6)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(4, 1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(grid)
        layout.addWidget(self.scroll, 1)
        self.setWidget(body)
        self.row_box.currentIndexChanged.connect(lambda: self._field_changed(0))
        self.col_box.currentIndexChanged.connect(lambda: self._field_changed(1))
        for box in (self.row_bin, self.col_bin, self.scale_box, self.scope_box):
            box.currentIndexChanged.connect(self.recount)
        self.top_box.valueChanged.connect(self.recount)
        self.selection.changed.connect(self._selection_changed)
        self.follow_sight()
        connect_chart(chart, self._chart_changed)
        self._fill_fields()

    # ----- public API ------------------------------------------------------------------
    def set_chart(self, chart: Chart) -> None:
        """Follow a newly opened chart (counted once the dock is in sight)."""
        self._take_chart(chart)

    def _start(self) -> None:
        self._fill_fields()

    def choose(self, rows: Field, columns: Field, row_bin: str | None = None,
               column_bin: str | None = None, scale: Scale | None = None,
               top: int | None = None) -> None:
        self._on_chart_given()
        self._quiet = True
        try:
            for box, bins, field, bin in ((self.row_box, self.row_bin, rows, row_bin),
                                          (self.col_box, self.col_bin, columns, column_bin)):
                index = next((i for i, (_, f) in enumerate(self._choices)
                              if (f.name, f.target) == (field.name, field.target)), None)
                if index is None:
                    raise AnalysisError(f"nothing in this chart to count by {field.describe()}")
                box.setCurrentIndex(index)
                if bin is not None:
                    bins.setCurrentText(bin)
            if scale is not None:
                self.scale_box.setCurrentIndex(0 if scale is Scale.LINEAR else 1)
            if top is not None:
                self.top_box.setValue(top)
        finally:
            self._quiet = False
        self.recount()

    def export(self, path: str | Path) -> Path:
        self.catch_up()
        return export_figure(self.figure, path)

    def copy_to_clipboard(self) -> QImage:
        self.catch_up()
        return copy_figure(self.figure)

    # ----- counting and drawing ------------------------------------------------------------
    def _fill_fields(self) -> None:
        self._choices = field_choices(self.chart)
        texts = [text for text, _ in self._choices]
        for box, default in ((self.row_box, 2), (self.col_box, 3)):  # origin by destination
            current = box.currentText()
            box.blockSignals(True)
            box.clear()
            box.addItems(texts)
            index = box.findText(current)
            box.setCurrentIndex(index if index >= 0 else min(default, len(texts) - 1))
            box.blockSignals(False)
        self._field_changed(0, recount=False)
        self._field_changed(1)

    def _field_changed(self, axis: int, recount: bool = True) -> None:
        box, bins = (self.row_box, self.row_bin) if axis == 0 else (self.col_box, self.col_bin)
        index = box.currentIndex()
        choices = []
        if 0 <= index < len(self._choices):
            choices = bin_choices(value_kind(self.chart, self._choices[index][1]))
        bins.blockSignals(True)
        bins.clear()
        bins.addItems(choices)
        if "month" in choices:
            bins.setCurrentText("month")
        bins.setVisible(bool(choices))
        bins.blockSignals(False)
        if recount:
            self.recount()

    def _field(self, box: QComboBox, bins: QComboBox) -> Field | None:
        index = box.currentIndex()
        if not 0 <= index < len(self._choices):
            return None
        field = self._choices[index][1]
        bin = bins.currentText() if bins.count() else ""
        return Field(field.name, field.target, None if bin in ("", "each value") else bin)

    def recount(self) -> None:
        if self._quiet:  # choose() sets several boxes, then counts once
            return
        rows, cols = self._field(self.row_box, self.row_bin), self._field(self.col_box,
                                                                          self.col_bin)
        if rows is None or cols is None:
            return
        if rows.target is not cols.target:
            self.matrix = None
            self.figure.clear()
            self.figure.text(0.5, 0.5, "Choose two fields of links, or two of entities",
                             ha="center")
            self.canvas.draw_idle()
            return
        among, name = None, ""
        if self.scope_box.currentIndex() == 1:
            among, name = self.selection.entities | self.selection.links, "selection"
        elif self.scope_box.currentIndex() == 2 and self._filter is not None:
            among, name = self._filter, self._filter_name
        self.matrix = heat_matrix(self.chart, rows, cols, among=among, top=self.top_box.value(),
                                  scope=name, stands_for=store_link_counts(self.chart, rows, cols))
        self.redraw()

    def redraw(self) -> None:
        """Draw what is counted, with the selection; out of sight, when it comes in sight."""
        if self.matrix is None or self._out_of_sight("selection"):
            return
        scale = Scale.LINEAR if self.scale_box.currentIndex() == 0 else Scale.LOG
        selected = self.selection.entities | self.selection.links
        self.canvas.setMinimumSize(*canvas_size(self.matrix))
        self._axes = draw_heat_matrix(self.figure, self.matrix, scale, selected)
        self.canvas.draw_idle()

    # ----- events -----------------------------------------------------------------------
    def full_label_at(self, x: float, y: float) -> str:
        """The whole text of the row or column label drawn at canvas pixel (x, y) from the
        bottom left (matplotlib's display coordinates), shortened or not; "" if none."""
        if self.matrix is None or self._axes is None:
            return ""
        renderer = self.figure.canvas.get_renderer()
        for ticks, names in ((self._axes.get_yticklabels(), self.matrix.rows),
                             (self._axes.get_xticklabels(), self.matrix.columns)):
            for label, name in zip(ticks, names, strict=False):
                if label.get_window_extent(renderer).contains(x, y):
                    return name
        return ""

    def _on_hover(self, event: MouseEvent) -> None:
        """A shortened label shows its whole text as a tooltip."""
        self.canvas.setToolTip(html.escape(self.full_label_at(event.x, event.y)))

    def _on_click(self, event: MouseEvent) -> None:
        if self.matrix is None or event.inaxes is not self._axes or event.xdata is None:
            return
        row, col = round(event.ydata), round(event.xdata)
        rows, cols = self.matrix.counts.shape
        if not (0 <= row < rows and 0 <= col < cols):
            return
        ids = self.matrix.ids(row, col)
        entities = [i for i in ids if i in self.chart.entities]
        links = [i for i in ids if i in self.chart.links]
        gui = event.guiEvent
        if gui is not None and gui.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.selection.add(entities, links)
        else:
            self.selection.set(entities, links)
        self.cell_clicked.emit(row, col)

    def _refresh(self) -> None:
        if [t for t, _ in field_choices(self.chart)] != [t for t, _ in self._choices]:
            self._fill_fields()
        else:
            self.recount()

    def _ask_export(self, fmt: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export heat matrix", f"heatmatrix.{fmt}",
                                              f"{fmt.upper()} (*.{fmt})")
        if path:
            try:
                self.export(path)
            except (OSError, ValueError) as exc:
                QMessageBox.warning(self, "Cannot export heat matrix", str(exc))
