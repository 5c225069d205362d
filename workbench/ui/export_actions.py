"""File > Export: pictures of the chart (PNG, JPEG, SVG, PDF), spreadsheets (XLSX, CSV) and
charts for other tools (GraphML, GEXF, i2 ANX), of the whole chart or the selection.

Pictures are drawn by ``workbench.export.render_chart`` with the same scene code as the window,
so what goes to a bank or the police looks like what the analyst saw (without the selection
highlight). Spreadsheets and interchange files are written by the headless exporters that
``workbench convert`` uses; every writer writes beside the target and then replaces it, so a
failed export says why and leaves any earlier file as it was. File choosers open without
blocking, like every dialog here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu

from workbench.export.chart_image import ChartImageError, render_chart
from workbench.export.spreadsheet import write_csv, write_xlsx
from workbench.io.interchange import InterchangeError, write_chart
from workbench.ui.clipboard import collect_drawing_garbage

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

PICTURE_FILTERS = ("PNG picture (*.png)", "SVG drawing (*.svg)", "PDF page (*.pdf)",
                   "JPEG picture (*.jpg *.jpeg)")
SUFFIX_OF_FILTER = {PICTURE_FILTERS[0]: ".png", PICTURE_FILTERS[1]: ".svg",
                    PICTURE_FILTERS[2]: ".pdf", PICTURE_FILTERS[3]: ".jpg"}
SPREADSHEET_FILTERS = ("Excel workbook, a sheet each for entities and links (*.xlsx)",
                       "CSV, a file each for entities and links (*.csv)")
# Menu text and file filter of each format other tools read.
INTERCHANGE = {
    ".graphml": ("&GraphML (Gephi, Cytoscape, yEd)...", "GraphML (*.graphml)"),
    ".gexf": ("G&EXF (Gephi)...", "GEXF (*.gexf)"),
    ".anx": ("&i2 Analyst's Notebook (ANX)...", "i2 Analyst's Notebook chart (*.anx)"),
}


def ask_save_path(owner: QObject, window: MainWindow, title: str, suffix: str,
                  filters: Sequence[str], chosen: Callable[[Path], object]) -> QFileDialog:
    """A non-blocking Save dialog beside the chart's file, named after it; a name typed
    without an extension gets the one of the chosen filter. The dialog is kept on
    ``owner.file_dialog`` so tests (and the garbage collector) can find it."""
    stem = window.path.stem if window.path is not None else "chart"
    folder = window.path.parent if window.path is not None else Path.home()
    dialog = QFileDialog(window, title, str(folder / f"{stem}{suffix}"), ";;".join(filters))
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)

    def selected(path: str) -> None:
        target = Path(path)
        if not target.suffix:
            pattern = dialog.selectedNameFilter().rpartition("(*")[2]
            target = target.with_suffix("." + pattern.split()[0].strip(".)") if pattern
                                        else suffix)
        chosen(target)

    dialog.fileSelected.connect(selected)
    owner.file_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog


def selected_ids(window: MainWindow) -> tuple[list[str], list[str]]:
    """The selection as an export sees it (as chart pictures do): the selected entities plus
    the ends of selected links; the selected links, or if none, the links among them."""
    chart, selection = window.chart, window.selection
    entities = {i for i in selection.entities if i in chart.entities}
    links = {i for i in selection.links if i in chart.links}
    for link_id in links:
        link = chart.link(link_id)
        entities.update((link.end1, link.end2))
    if not links:
        links = {lk.id for lk in chart.links.values()
                 if lk.end1 in entities and lk.end2 in entities}
    return ([i for i in chart.entities if i in entities],
            [i for i in chart.links if i in links])  # in chart order


class _Busy:
    """A wait cursor for a short export on the GUI thread."""

    def __enter__(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *_exc: object) -> None:
        QGuiApplication.restoreOverrideCursor()


class PictureExport(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.file_dialog: QFileDialog | None = None

    def fill_menu(self, menu: QMenu) -> None:
        menu.addAction("Chart &Picture...", lambda: self.ask(selected_only=False)) \
            .setStatusTip("the whole chart as PNG, SVG, PDF or JPEG")
        self.selected_action = menu.addAction(
            "&Selected Items as Picture...", lambda: self.ask(selected_only=True))
        self.selected_action.setStatusTip("only the selected entities and links")

    def ask(self, selected_only: bool) -> None:
        w = self.window
        if selected_only and not w.selection:
            w.statusBar().showMessage("Select the items to export first", 5000)
            return
        ask_save_path(self, w, "Export picture", ".png", PICTURE_FILTERS,
                      lambda target: self.export(target, selected_only=selected_only))

    def export(self, path: str | Path, *, selected_only: bool = False) -> bool:
        """Write the picture; a problem (format, size, disk) is shown, never raised."""
        w = self.window
        try:
            with _Busy():
                written = render_chart(w.chart, path,
                                       selection=w.selection if selected_only else None)
                collect_drawing_garbage()
        except (ChartImageError, OSError) as exc:
            w.files.show_error("Cannot export picture", str(exc))
            return False
        w.statusBar().showMessage(f"Exported {written}", 8000)
        return True


class DataExport(QObject):
    """Spreadsheets of the chart or the selection, and the chart for other tools."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.file_dialog: QFileDialog | None = None

    def fill_menu(self, menu: QMenu) -> None:
        menu.addSeparator()
        menu.addAction("Spreads&heet (XLSX, CSV)...",
                       lambda: self.ask_spreadsheet(selected_only=False)) \
            .setStatusTip("entities and links with attributes and sources, for Excel")
        self.selected_action = menu.addAction(
            "Selected Items as Sp&readsheet...", lambda: self.ask_spreadsheet(selected_only=True))
        self.selected_action.setStatusTip("only the selected entities and links")
        menu.addSeparator()
        for suffix, (text, _filter) in INTERCHANGE.items():
            menu.addAction(text, lambda s=suffix: self.ask_interchange(s)) \
                .setStatusTip("the chart for another analysis tool")

    # ----- spreadsheets --------------------------------------------------------------------
    def ask_spreadsheet(self, selected_only: bool) -> None:
        w = self.window
        if selected_only and not w.selection:
            w.statusBar().showMessage("Select the items to export first", 5000)
            return
        ask_save_path(self, w, "Export spreadsheet", ".xlsx", SPREADSHEET_FILTERS,
                      lambda target: self.export_spreadsheet(target, selected_only=selected_only))

    def export_spreadsheet(self, path: str | Path, *, selected_only: bool = False
                           ) -> list[Path]:
        """XLSX (one workbook) or CSV (two files: NAME-entities.csv and NAME-links.csv) by
        the suffix; returns the files written, none after a problem (which is shown)."""
        w, path = self.window, Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".xlsx", ".csv"):
            w.files.show_error("Cannot export spreadsheet",
                               f"{path.name}: a spreadsheet is .xlsx or .csv")
            return []
        if not path.parent.is_dir():  # said plainly, before any writer starts
            w.files.show_error("Cannot export spreadsheet", f"{path.parent}: no such folder")
            return []
        ids: dict[str, list[str]] = {}
        if selected_only:
            ids["entity_ids"], ids["link_ids"] = selected_ids(w)
        try:
            with _Busy():
                if suffix == ".xlsx":
                    write_xlsx(w.chart, path, **ids)
                    written = [path]
                else:
                    written = list(write_csv(w.chart, path, **ids))
        except (OSError, ValueError) as exc:
            w.files.show_error("Cannot export spreadsheet",
                               f"Could not write {path}: {getattr(exc, 'strerror', None) or exc}")
            return []
        w.statusBar().showMessage("Exported " + " and ".join(str(p) for p in written), 8000)
        return written

    # ----- other tools ---------------------------------------------------------------------
    def ask_interchange(self, suffix: str) -> None:
        ask_save_path(self, self.window, "Export chart for another tool", suffix,
                      [INTERCHANGE[suffix][1]], self.export_interchange)

    def export_interchange(self, path: str | Path) -> bool:
        """The whole chart as GraphML, GEXF or ANX by the suffix; a problem is shown."""
        w = self.window
        try:
            with _Busy():
                write_chart(w.chart, path)
        except InterchangeError as exc:
            w.files.show_error("Cannot export chart", str(exc))
            return False
        w.statusBar().showMessage(f"Exported {path}", 8000)
        return True
