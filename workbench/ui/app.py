"""Start the desktop application: ``workbench [CHART]``."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workbench import __version__

if TYPE_CHECKING:
    from workbench.ui.main_window import MainWindow

DEFAULT_LAYOUT = "force"


def make_application(argv: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("Workbench")
    app.setOrganizationName("Workbench")
    app.setApplicationVersion(__version__)
    return app


def needs_layout(window: MainWindow) -> bool:
    """A chart whose entities all sit on one point (made by a script, no positions yet)."""
    points = {(e.x, e.y) for e in window.chart.entities.values()}
    return len(window.chart.entities) > 1 and len(points) == 1


def open_window(argv: Sequence[str], **window_options: object) -> MainWindow:
    """The shown main window, on the chart named in ``argv`` if any: laid out if it has no
    positions, zoomed to fit once the window has its real size, and offering work that a
    crashed session left behind."""
    from workbench.ui.main_window import MainWindow

    window = MainWindow(**window_options)
    window.show()
    paths = [a for a in argv if not a.startswith("-")]
    if paths and window.open_chart(paths[0]) and needs_layout(window):
        window.layouts.run(DEFAULT_LAYOUT)  # zooms to fit when it lands
    QTimer.singleShot(0, window.view.zoom_to_fit)
    QTimer.singleShot(0, window.autosave.offer_recovery)
    return window


def run_app(argv: Sequence[str]) -> int:
    """``workbench [CHART]``: run the window until it is closed."""
    app = make_application()
    window = open_window(argv)  # noqa: F841 (kept alive while the app runs)
    return app.exec()
