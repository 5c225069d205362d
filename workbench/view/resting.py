"""When the chart view rests: its labels placed and, on a chart too big to draw at every
frame, the chart drawn for real in place of the kept picture (``kept_picture.py``).

A mixin of :class:`~workbench.view.view.ChartView`, kept apart so the view module is about
zoom, pan and the mouse. After a zoom, scroll or resize the labels are placed again at once
on a small chart, else once the view has rested ``LABEL_DELAY_MS`` after its last frame;
the same pause ends a big chart's moving picture, so its picture and labels come together.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QTimer

from workbench.view.kept_picture import BAND_BUDGET, FRAME_BUDGET, KeptPicture

if TYPE_CHECKING:
    from workbench.view.legend import LegendOverlay

LABEL_DELAY_MS = 80  # labels are placed again when the view has rested this long ...
QUICK_LABELS = 2000  # ... or at once on charts of up to this many entities (a few ms)
LABEL_MAX_WAIT = 1.0  # seconds: but at least this often during a long pan


class Resting:
    legend: LegendOverlay

    def _init_resting(self) -> None:
        self._label_timer = QTimer(self)
        self._label_timer.setSingleShot(True)
        self._label_timer.setInterval(LABEL_DELAY_MS)
        self._label_timer.timeout.connect(self.place_labels)
        self._label_asked = 0.0  # when the pending placement was first asked for
        self._in_move = 0  # inside _one_move: scroll bars set as part of one move
        self._kept = KeptPicture(self)
        self.frame_budget = FRAME_BUDGET  # CPU seconds: slower charts move as a picture
        self.band_budget = BAND_BUDGET  # CPU seconds: of a band of the picture at rest

    def _after_frame(self) -> None:
        """A pending label placement waits from the end of the frame: a 100,000-entity
        chart's frame took longer than the delay, and the labels were placed again after
        every one. While the kept picture stands in, until the view rests however long the
        pan; else at least once a second."""
        if self._label_timer.isActive() and (
                self._kept.moving or time.monotonic() - self._label_asked < LABEL_MAX_WAIT):
            self._label_timer.start()

    def showing_kept_picture(self) -> bool:
        """True while the view shows its last picture moved, until it rests."""
        return self._kept.showing_kept()

    def at_rest(self) -> bool:
        """The view has rested since it last moved: no placement of the labels pending, and
        its picture drawn to the last band."""
        return not self._label_timer.isActive() and not self._kept.drawing()

    # ----- labels ---------------------------------------------------------------------------
    def place_labels(self) -> None:
        """Choose the labels that fit this view without overlap, now: the view rests, and
        the chart is drawn for real if it showed its kept picture."""
        self._label_timer.stop()
        scene = self.chart_scene()
        key = self.legend.geometry()  # no label under the key (it hid their names)
        avoid = [] if self.legend.isHidden() else [
            (key.left(), key.top(), key.right() + 1.0, key.bottom() + 1.0)]
        scene.place_labels(self.viewportTransform(), QRectF(self.viewport().rect()), avoid)
        if scene.is_overview():  # painted by the view itself: see _labels_outdated
            self.viewport().update()
        self._kept.rest()

    def _place_later(self) -> None:
        """Place the labels once the view rests (``LABEL_DELAY_MS`` after its last frame)."""
        if not self._label_timer.isActive():
            self._label_asked = time.monotonic()
        self._label_timer.start()

    def _labels_outdated(self) -> None:
        """The chart or the selection changed: place the labels once the changes pause (a
        bulk edit of 1,000 entities is one placement, not 1,000). Zoomed out on a big chart
        the view paints the overview itself, and Qt's updates of the items did not reach the
        screen (a histogram bar's 229 links selected at fit stayed invisible until the mouse
        moved over the chart): the view asks for its own repaint."""
        self._place_later()
        if self.chart_scene().is_overview():  # the selection, at once; the labels follow
            self.viewport().update()

    def _moved(self) -> None:
        """After a zoom, scroll or resize: at once on a small chart, else once the analyst
        pauses (a 20,000-entity chart is not placed again for every wheel notch). A chart too
        slow to draw every frame shows its kept picture until then. A view whose scene is
        gone (the window closing, its scroll bars reset) has nothing to place."""
        if self.chart_scene() is None:
            return
        if self._kept.slow():
            self._kept.move()
            self._place_later()
        elif len(self.chart_scene().chart.entities) <= QUICK_LABELS:
            self.place_labels()
        else:
            self._place_later()

    @contextmanager
    def _one_move(self) -> Iterator[None]:
        """Scroll bars set together (a zoom about the pointer, a pan's two axes) are one
        move, its labels placed once (a notch placed them three times: 30 of a 59 ms frame
        at 1,000 entities); the caller reports the move."""
        self._in_move += 1
        try:
            yield
        finally:
            self._in_move -= 1
