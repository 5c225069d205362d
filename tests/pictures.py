"""Pictures in tests: two drawings of one chart made apart (in a child process, on another
occasion) agree up to the antialiasing of lines drawn in another order; the child processes
that draw them for the window."""

from __future__ import annotations

import numpy as np
import psutil
from PySide6.QtGui import QImage


def changed_share(a: QImage, b: QImage) -> float:
    """The share of pixels that differ between two pictures (1.0 when their sizes differ)."""
    b = b.convertToFormat(a.format())
    if a.size() != b.size():
        return 1.0
    rows = [np.frombuffer(p.constBits(), np.uint32).reshape(p.height(), -1)[:, :p.width()]
            for p in (a, b)]
    return float(np.count_nonzero(rows[0] != rows[1])) / rows[0].size


def picture_children() -> list[int]:
    """Process ids of this process's picture children still running."""
    found = []
    for child in psutil.Process().children():
        try:
            if "workbench.export.picture_process" in " ".join(child.cmdline()) \
                    and child.status() != psutil.STATUS_ZOMBIE:
                found.append(child.pid)
        except psutil.Error:  # a process that ended while we looked
            continue
    return found
