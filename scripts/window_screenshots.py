"""Screenshots of the main window on the sample chart, for the README (runs offscreen).

    python scripts/window_screenshots.py [OUTPUT_FOLDER]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_charts" / "nov13-network.wbchart"


def settle(app: QApplication, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication([])
    from workbench.ui.window.main_window import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp())
    window = MainWindow(settings=QSettings(str(temp / "s.ini"), QSettings.Format.IniFormat),
                        recovery_dir=temp / "recovery")
    window.resize(1440, 900)
    window.show()
    window.open_chart(SAMPLE)
    done = []
    window.layouts.finished.connect(lambda *args: done.append(args))
    window.layouts.run("force")  # Layout > Force-directed: labels kept apart
    while not done:
        app.processEvents()
    done.clear()
    settle(app)
    window.view.zoom_to_fit()
    abaaoud = window.chart.find("Person", "abdelhamid abaaoud")
    window.selection.set([abaaoud.id])
    settle(app)
    window.grab().save(str(out / "main-window.png"))

    window.find_dock.activate()
    window.find_dock.query_edit.setText("abdeslam")
    window.find_dock.select_all()
    window.view.zoom_to_selection()
    settle(app)
    window.grab().save(str(out / "main-window-find.png"))

    window.acts.formatting.trigger()
    dialog = window.formatting_dialog
    dialog.add_rule()
    for edit, text in ((dialog.name, "Attackers in red"), (dialog.value, "yes"),
                       (dialog.colour, "#c0392b")):
        edit.setText(text)
        edit.textEdited.emit(text)
    dialog.field.setCurrentText("attacker")
    dialog.size.setValue(1.5)
    dialog.apply()
    settle(app)
    dialog.grab().save(str(out / "formatting-dialog.png"))
    dialog.accept()

    window.selection.set([abaaoud.id])
    window.layouts.run("peacock")
    while not done:
        app.processEvents()
    settle(app)
    window.view.zoom_to_fit()
    settle(app)
    window.grab().save(str(out / "main-window-formatted.png"))
    window.undo_stack.setClean()
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "images")
