"""Start the desktop application: ``workbench [CHART]``."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from PySide6.QtWidgets import QApplication

from workbench import __version__


def make_application(argv: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    app.setApplicationName("Workbench")
    app.setOrganizationName("Workbench")
    app.setApplicationVersion(__version__)
    return app


def run_app(argv: Sequence[str]) -> int:
    """Open the main window, on the chart named in ``argv`` if there is one."""
    app = make_application()
    from workbench.ui.main_window import MainWindow

    window = MainWindow()
    paths = [a for a in argv if not a.startswith("-")]
    if paths:
        window.open_chart(paths[0])
    window.show()
    return app.exec()
