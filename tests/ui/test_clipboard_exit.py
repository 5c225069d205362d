"""Quitting after Copy as Picture: the bitmap stays on the clipboard and the process exits
cleanly (a Python-made QMimeData left on the clipboard crashes PySide6 at exit)."""

import os
import subprocess
import sys

from ..conftest import REPO

SCRIPT = """
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
app = QApplication([])
from workbench.ui.clipboard import hand_clipboard_to_qt, picture_mime
image = QImage(40, 30, QImage.Format.Format_ARGB32)
image.fill(QColor("red"))
app.clipboard().setMimeData(picture_mime(b"", b"<svg/>", b"%PDF-1.4", "chart", image=image))
hand_clipboard_to_qt()
print(app.clipboard().image().width())
"""


def test_copy_as_picture_then_quit_exits_cleanly_keeping_the_bitmap():
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=REPO, capture_output=True,
                          text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "40"
