"""File > Export: pictures of the chart (PNG, JPEG, SVG, PDF), whole or the selection only.

The picture is drawn by ``workbench.export.render_chart`` with the same scene code as the
window, so what goes to a bank or the police looks like what the analyst saw (without the
selection highlight). The file chooser opens without blocking, like every dialog here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu

from workbench.export.chart_image import ChartImageError, render_chart

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

PICTURE_FILTERS = ("PNG picture (*.png)", "SVG drawing (*.svg)", "PDF page (*.pdf)",
                   "JPEG picture (*.jpg *.jpeg)")
SUFFIX_OF_FILTER = {PICTURE_FILTERS[0]: ".png", PICTURE_FILTERS[1]: ".svg",
                    PICTURE_FILTERS[2]: ".pdf", PICTURE_FILTERS[3]: ".jpg"}


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
        stem = w.path.stem if w.path is not None else "chart"
        folder = w.path.parent if w.path is not None else Path.home()
        dialog = QFileDialog(w, "Export picture", str(folder / f"{stem}.png"),
                             ";;".join(PICTURE_FILTERS))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)

        def chosen(path: str) -> None:
            target = Path(path)
            if not target.suffix:
                target = target.with_suffix(SUFFIX_OF_FILTER.get(dialog.selectedNameFilter(),
                                                                 ".png"))
            self.export(target, selected_only=selected_only)

        dialog.fileSelected.connect(chosen)
        self.file_dialog = dialog
        dialog.open()

    def export(self, path: str | Path, *, selected_only: bool = False) -> bool:
        """Write the picture; a problem (format, size, disk) is shown, never raised."""
        w = self.window
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = render_chart(w.chart, path,
                                   selection=w.selection if selected_only else None)
        except (ChartImageError, OSError) as exc:
            w.files.show_error("Cannot export picture", str(exc))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        w.statusBar().showMessage(f"Exported {written}", 8000)
        return True
