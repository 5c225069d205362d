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
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRectF
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QRegion, QTransform

from workbench.view.painting import paint_frame

if TYPE_CHECKING:
    from workbench.view.view import ChartView

FRAME_BUDGET = 0.025  # CPU seconds: half a 50 ms frame, the rest is Qt's and the screen's


class KeptPicture:
    def __init__(self, view: ChartView) -> None:
        self._view = view
        self._image: QImage | None = None
        self._world = QTransform()  # the view's transform when the image was drawn
        self._cost = 0.0  # CPU seconds of the last full frame drawn for real
        self._frames = 0
        self.moving = False  # the view moved since its last finished picture
        self._shown = QTransform()  # the transform of the last frame shown while moving
        self._changed = False  # something besides the view's place changed while moving

    def reset(self) -> None:
        """Another scene: nothing kept, its cost unknown until it is drawn."""
        self._image = None
        self._cost = 0.0
        self._frames = 0
        self.moving = False

    def slow(self) -> bool:
        """Would a frame drawn afresh overrun the budget?"""
        scene = self._view.chart_scene()
        overview = scene.overview.render_seconds if scene.is_overview() else 0.0
        return max(self._cost, overview) > self._view.frame_budget

    def move(self) -> None:
        """The view moves: show the kept picture until it rests."""
        if not self.moving:
            self.moving = True
            self._shown = self._world  # what the screen shows now (when an image is kept)
            self._changed = False

    def showing_kept(self) -> bool:
        """True while the screen shows the kept picture moved, not the chart drawn for it."""
        return self.moving and self._image is not None

    def rest(self) -> None:
        """The view rests: the real picture replaces the moved one. After a pan and nothing
        else, only what scrolled in is drawn (as Qt's own scroll of the window did)."""
        if not self.moving:
            return
        self.moving = False
        shift = None if self._changed else self._shift(self._world)
        viewport = self._view.viewport()
        if shift is None:
            viewport.update()
        else:
            viewport.update(self._exposed(shift))

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

    def _shift(self, since: QTransform) -> QPoint | None:
        """The whole pixels the chart moved by on screen since the transform ``since``, if it
        only slid (not zoomed, nor the window resized), else None."""
        image, world = self._image, self._view.viewportTransform()
        viewport = self._view.viewport()
        if image is None or image.size() != viewport.size() * viewport.devicePixelRatioF() \
                or image.devicePixelRatio() != viewport.devicePixelRatioF():
            return None
        if (since.m11(), since.m12(), since.m21(), since.m22()) != (
                world.m11(), world.m12(), world.m21(), world.m22()):
            return None
        dx, dy = world.dx() - since.dx(), world.dy() - since.dy()
        if dx != round(dx) or dy != round(dy):
            return None
        return QPoint(round(dx), round(dy))

    def _exposed(self, shift: QPoint) -> QRegion:
        """What a slide by ``shift`` uncovers of the window."""
        rect = self._view.viewport().rect()
        return QRegion(rect).subtracted(QRegion(rect.translated(shift)))

    def _paint_through_image(self, region: QRegion) -> None:
        """Draw the region into the kept image, then copy the region to the screen. The
        image slides with the chart (what scrolled in is drawn too); after a zoom or a resize
        it is drawn afresh."""
        view = self._view
        viewport = view.viewport()
        world = view.viewportTransform()
        shift = self._shift(self._world)  # None without an image of the window's size
        if shift is not None and shift.isNull():
            image, drawn = self._image, region
        else:
            ratio = viewport.devicePixelRatioF()
            image = QImage(viewport.size() * ratio, QImage.Format.Format_ARGB32_Premultiplied)
            image.setDevicePixelRatio(ratio)
            drawn = QRegion(viewport.rect())
            if shift is not None:
                slide = QPainter(image)
                slide.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
                slide.drawImage(QPointF(shift), self._image)
                slide.end()
                drawn = region.united(self._exposed(shift))
        self._image, self._world = image, world
        under = QPainter(image)  # what the viewport's own background fill gives the screen
        under.setClipRegion(drawn)
        under.fillRect(viewport.rect(), viewport.palette().brush(viewport.backgroundRole()))
        under.end()
        paint_frame(view, image, drawn)
        screen = QPainter(viewport)
        screen.setClipRegion(region)
        screen.drawImage(QPointF(0.0, 0.0), image)
        screen.end()

    def _paint_moved(self, event: QPaintEvent) -> None:
        """The kept image under the view's new transform: one scaled or shifted copy; what
        it does not cover keeps the scene's background. A frame that asks for more than the
        slide uncovered (and the key's place) means the chart changed meanwhile: the view
        draws all of it when it rests."""
        view = self._view
        assert self._image is not None
        world = view.viewportTransform()
        shift = self._shift(self._shown)
        if shift is None:
            self._changed = True
        else:
            key = view.legend.geometry()
            expected = self._exposed(shift).united(key).united(key.translated(shift))
            self._changed |= not event.region().subtracted(expected).isEmpty()
        self._shown = world
        painter = QPainter(view.viewport())
        painter.setClipRegion(event.region())
        painter.setWorldTransform(world)
        view.drawBackground(painter, view.mapToScene(event.rect()).boundingRect())
        inverse, _ = self._world.inverted()
        painter.setWorldTransform(inverse * world)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRectF(view.viewport().rect()), self._image)
        painter.end()
