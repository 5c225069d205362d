"""Comparing pictures in tests: two drawings of one chart made apart (in a child process, on
another occasion) agree up to the antialiasing of lines drawn in another order."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage


def changed_share(a: QImage, b: QImage) -> float:
    """The share of pixels that differ between two pictures (1.0 when their sizes differ)."""
    b = b.convertToFormat(a.format())
    if a.size() != b.size():
        return 1.0
    rows = [np.frombuffer(p.constBits(), np.uint32).reshape(p.height(), -1)[:, :p.width()]
            for p in (a, b)]
    return float(np.count_nonzero(rows[0] != rows[1])) / rows[0].size
