"""The full workspace: the chart editor (MainWindow) plus the analysis, map and import parts.

MainWindow is the chart editor on its own (light enough for hundreds of tests); this module
adds what the application shows around it: the histogram, heat matrix and map docks, the
Analysis menu, the import wizard (File > Import and files dropped on the window), the start
page and Help > About. Each part follows ``window.chart_replaced`` itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QStackedWidget

from workbench.paths import resource
from workbench.ui.dialogs.about_dialog import AboutDialog
from workbench.ui.docks.heatmatrix_dock import HeatMatrixDock
from workbench.ui.docks.histogram_dock import HistogramDock
from workbench.ui.docks.map_dock import MapDock
from workbench.ui.importing.import_support import ImportCommand
from workbench.ui.importing.import_wizard import ImportWizard
from workbench.ui.window.analysis_actions import install_analysis_menu
from workbench.ui.window.main_window import MainWindow
from workbench.ui.window.start_page import StartPage
from workbench.ui.window.store_actions import install_store
from workbench.ui.wording import plural

Area = Qt.DockWidgetArea


def app_icon() -> QIcon:
    return QIcon(str(resource("icons", "workbench.svg")))


class Workspace(QObject):
    """Owns the parts added to a MainWindow; ``Workspace(window)`` installs them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        window.setWindowIcon(app_icon())
        self.histogram = HistogramDock(window.chart, window.selection)
        self.heat_matrix = HeatMatrixDock(window.chart, window.selection)
        self.map = MapDock(window.chart, window.selection, window.undo_stack)
        window.add_dock(self.histogram, Area.BottomDockWidgetArea)
        window.add_dock(self.heat_matrix, Area.BottomDockWidgetArea, tab_with=self.histogram)
        window.add_dock(self.map, Area.BottomDockWidgetArea, tab_with=self.histogram)
        self.analysis = install_analysis_menu(window.analysis_menu, window)
        self.store = install_store(window)  # File > Open Store, the Store dock
        window.set_import_handler(self.start_import)
        self.wizard: ImportWizard | None = None
        self.about: AboutDialog | None = None
        help_menu = window.menuBar().addMenu("&Help")
        help_menu.addAction("&About Workbench", self.show_about)
        window.chart_replaced.connect(self._chart_replaced)

        # The start page stands where the chart is until a chart is opened or made.
        self.start_page = StartPage(window.files.recent.paths())
        self.stack = QStackedWidget()
        self.stack.addWidget(window.takeCentralWidget())
        self.stack.addWidget(self.start_page)
        window.setCentralWidget(self.stack)
        self.start_page.open_requested.connect(window.open_chart)
        self.start_page.new_requested.connect(self.show_chart)
        self.start_page.open_dialog_requested.connect(window.files.ask_open)
        self.start_page.import_requested.connect(lambda: self.start_import([]))

    # ----- start page ----------------------------------------------------------------------
    def show_start_page(self) -> None:
        self.start_page.set_recent(self.window.files.recent.paths())
        self.stack.setCurrentWidget(self.start_page)

    def show_chart(self) -> None:
        self.stack.setCurrentWidget(self.window.view)

    def _chart_replaced(self) -> None:
        chart = self.window.chart
        for dock in (self.histogram, self.heat_matrix, self.map):
            dock.set_chart(chart)
        self.show_chart()

    # ----- import --------------------------------------------------------------------------
    def start_import(self, files: Sequence[str | Path] = ()) -> None:
        """Open the import wizard (on these files); an accepted import is one undo step."""
        self.wizard = ImportWizard(self.window.chart, self.window, files=list(files))
        self.wizard.accepted.connect(self._import_accepted)
        self.wizard.open()

    def _import_accepted(self) -> None:
        wizard, window = self.wizard, self.window
        if wizard is None or wizard.plan is None:
            return
        was_empty = not window.chart.entities
        count = len(wizard.plan.entities) + len(wizard.plan.links)
        window.undo_stack.push(ImportCommand(window.chart, wizard.plan,
                                             f"Import {plural(count, 'item')}"))
        self.show_chart()
        if was_empty:  # the importer's grid is no picture: lay the new chart out
            window.layouts.run("force")  # its own undo step; zooms to fit when it lands
        else:
            window.view.zoom_to_fit()

    def show_about(self) -> None:
        self.about = AboutDialog(self.window)
        self.about.open()
