"""The window's last finished picture, moved and scaled while the analyst pans or zooms a chart
too big to draw again for every frame, and the real picture drawn once the view rests.

At 100% over the dense centre of a 100,000-entity chart some 15,000 long antialiased hub links
cross the window: drawing them alone takes about 370 ms, so no frame drawn afresh meets the
50 ms of a smooth wheel notch or pan. Map and image viewers solve this the same way: while the
view moves, the last finished picture is shown under the new transform (one ``drawImage``,
the strip it no longer covers left to the background), and the chart is drawn for real when
the analyst pauses. The view rests when its labels are placed (``ChartView.place_labels``,
80 ms after the last frame), so the real picture and its labels arrive together.

To have a finished picture at hand, the view's frames are drawn into an image the size of
the window (the region Qt asks for, as before) and copied to the screen (about a millisecond
for a whole window): the image is always what the screen shows at rest. A chart is slow when
its last full frame took more than the view's ``frame_budget`` of CPU (``FRAME_BUDGET``; the
first frame of a scene is not counted: it renders every icon), or, zoomed out on a big chart,
when the overview's own picture for a new zoom took that long. Small charts are drawn afresh
at every frame, as they were.

The picture at rest is drawn in bands across the window, each about the view's
``band_budget`` of CPU (``BAND_BUDGET``),
the window answering input between them (at 100% over a 100,000-entity chart the whole
picture took 0.3-0.45 s, and a wheel notch or a click in that time waited for all of it). The
bands replace the moved picture one by one; whatever Qt asks to repaint meanwhile is drawn
where the bands have been, and left to its band where they have not. A move before the last
band stops them: the picture on screen, part drawn and part moved, is the one moved next.
"""

from __future__ import annotations

import itertools
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, QRectF, QTimer
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QRegion, QTransform

from workbench.view.painting import Density, paint_frame

if TYPE_CHECKING:
    from workbench.view.view import ChartView

FRAME_BUDGET = 0.025  # CPU seconds: half a 50 ms frame, the rest is Qt's and the screen's
BAND_BUDGET = 0.04  # CPU seconds: the picture at rest is drawn in bands about this long ...
MAX_BANDS = 8  # ... but in no more than this many (each band asks again what crosses it)


class KeptPicture:
    def __init__(self, view: ChartView) -> None:
        self._view = view
        self._image: QImage | None = None
        self._world = QTransform()  # the view's transform when the image was drawn
        self._cost = 0.0  # CPU seconds of the last full frame drawn for real
        self._frames = 0
        self.moving = False  # the view moved since its last finished picture
        self.density = Density()  # whether the window's thin links are drawn as hairlines
        self._bands: list[QRect] = []  # of the picture at rest, still to draw
        self._pending = QRegion()  # what they cover: the moved picture still shows there
        self._banded = 0.0  # CPU seconds of the bands drawn so far

    def reset(self) -> None:
        """Another scene: nothing kept, its cost unknown until it is drawn."""
        self._image = None
        self._cost = 0.0
        self._frames = 0
        self.moving = False
        self.density = Density()
        self._stop_bands()

    def slow(self) -> bool:
        """Would a frame drawn afresh overrun the budget?"""
        scene = self._view.chart_scene()
        overview = scene.overview.render_seconds if scene.is_overview() else 0.0
        return max(self._cost, overview) > self._view.frame_budget

    def showing_kept(self) -> bool:
        """True while the screen shows the kept picture moved, not the chart drawn for it."""
        return self.moving and self._image is not None

    def drawing(self) -> bool:
        """True while the picture at rest is still being drawn, band by band."""
        return bool(self._bands)

    def move(self) -> None:
        """The view moved: its picture moves with it until it rests (bands still to draw
        for the place it left are dropped)."""
        self.moving = True
        self._stop_bands()

    def rest(self) -> None:
        """The view rests: the real picture replaces the moved one, in bands if a frame of
        it takes longer than a band. (After a pan, drawing only what scrolled in saved
        nothing: the labels placed at rest repaint the window.)"""
        if not self.moving:
            return
        self.moving = False
        viewport = self._view.viewport()
        count = min(MAX_BANDS, int(self._cost / self._view.band_budget) + 1)
        if count < 2 or self._image is None:
            viewport.update()
            return
        self._image = self._moved_image()
        self._world = self._view.viewportTransform()
        rect = viewport.rect()
        edges = [rect.top() + rect.height() * k // count for k in range(count + 1)]
        self._bands = [QRect(rect.left(), top, rect.width(), bottom - top)
                       for top, bottom in itertools.pairwise(edges)]
        self._pending = QRegion(rect)
        self._banded = 0.0
        QTimer.singleShot(0, viewport, self._next_band)

    def _next_band(self) -> None:
        """Draw the next band (through the view's own paint), then let input in."""
        if not self._bands or self.moving or self._world != self._view.viewportTransform():
            self._stop_bands()
            return
        viewport = self._view.viewport()
        if not viewport.isVisible():  # hidden: drawn whole when shown
            self._stop_bands()
            self._image = None
            return
        band = self._bands.pop(0)
        self._pending = self._pending.subtracted(QRegion(band))
        start = time.thread_time()
        viewport.repaint(band)
        self._banded += time.thread_time() - start
        if self._bands:
            QTimer.singleShot(0, viewport, self._next_band)
        else:
            self._cost = self._banded

    def _stop_bands(self) -> None:
        self._bands = []
        self._pending = QRegion()

    def paint(self, event: QPaintEvent) -> None:
        if self.showing_kept():
            self._paint_moved(event)
            return
        viewport = self._view.viewport()
        start = time.thread_time()
        self._paint_through_image(event.region())
        if QRegion(viewport.rect()).subtracted(event.region()).isEmpty():
            self._frames += 1
            if self._frames > 1:
                self._cost = time.thread_time() - start

    def _paint_through_image(self, region: QRegion) -> None:
        """Draw the region into the kept image (all of it if the window was resized, or the
        view moved, since; none of what bands still to draw cover), then copy the region to
        the screen."""
        view = self._view
        viewport = view.viewport()
        ratio = viewport.devicePixelRatioF()
        size = viewport.size() * ratio
        world = view.viewportTransform()
        image = self._image
        if image is None or image.size() != size or image.devicePixelRatio() != ratio \
                or self._world != world:
            image = self._image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(ratio)
            self._world = world
            drawn = QRegion(viewport.rect())
            self._stop_bands()
        else:
            drawn = region.subtracted(self._pending)
        if not drawn.isEmpty():
            under = QPainter(image)  # what the viewport's own background fill gives the screen
            under.setClipRegion(drawn)
            under.fillRect(viewport.rect(), viewport.palette().brush(viewport.backgroundRole()))
            under.end()
            paint_frame(view, image, drawn, self.density)
        screen = QPainter(viewport)
        screen.setClipRegion(region)
        screen.drawImage(QPointF(0.0, 0.0), image)
        screen.end()

    def _paint_moved(self, event: QPaintEvent) -> None:
        """The kept image under the view's new transform: one scaled or shifted copy; what
        it does not cover keeps the scene's background."""
        painter = QPainter(self._view.viewport())
        painter.setClipRegion(event.region())
        self._draw_moved(painter)
        painter.end()

    def _moved_image(self) -> QImage:
        """What the screen shows while the view moves, as the image of where it rests."""
        viewport = self._view.viewport()
        assert self._image is not None
        image = QImage(self._image.size(), QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(self._image.devicePixelRatio())
        painter = QPainter(image)
        painter.fillRect(viewport.rect(), viewport.palette().brush(viewport.backgroundRole()))
        self._draw_moved(painter)
        painter.end()
        return image

    def _draw_moved(self, painter: QPainter) -> None:
        view = self._view
        assert self._image is not None
        world = view.viewportTransform()
        painter.setWorldTransform(world)
        view.drawBackground(painter, view.mapToScene(view.viewport().rect()).boundingRect())
        inverse, _ = self._world.inverted()
        painter.setWorldTransform(inverse * world)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRectF(view.viewport().rect()), self._image)
