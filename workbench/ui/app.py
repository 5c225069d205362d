"""Start the desktop application: ``workbench [CHART]``."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workbench import __version__


def make_application(argv: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("Workbench")
    app.setOrganizationName("Workbench")
    app.setApplicationVersion(__version__)
    return app


def needs_layout(window) -> bool:
    """A chart whose entities all sit on one point (an import without positions)."""
    points = {(e.x, e.y) for e in window.chart.entities.values()}
    return len(window.chart.entities) > 1 and len(points) == 1


def run_app(argv: Sequence[str]) -> int:
    """Open the main window, on the chart named in ``argv`` if there is one, zoomed to fit."""
    app = make_application()
    from workbench.ui.main_window import MainWindow

    window = MainWindow()
    paths = [a for a in argv if not a.startswith("-")]
    window.show()
    if paths and window.open_chart(paths[0]) and needs_layout(window) \
            and window.layouts.layouts:
        window.layouts.run(next(iter(window.layouts.layouts)))
    # Fit once the window has its real size; then offer work left by a crashed session.
    QTimer.singleShot(0, window.view.zoom_to_fit)
    QTimer.singleShot(0, window.autosave.offer_recovery)
    return app.exec()
