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

When a frame takes longer than twice the view's ``band_budget`` of CPU (``BAND_BUDGET``), the
picture at rest is drawn aside a step at a time (some thousands of lines, a few hundred
entities: ``painting.frame_steps``), about that much CPU between two turns of the event loop,
and shown once finished: at 100% over a 100,000-entity chart it took 0.3-0.45 s, and a wheel
notch or a click in that time waited for all of it. A move before it is finished drops it;
if Qt asks for a repaint meanwhile (something on the chart changed), the picture is drawn at
once, in full, instead (the picture drawn aside might have missed the change).
"""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QTimer
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QRegion, QTransform

from workbench.view.painting import Density, frame_steps, paint_frame

if TYPE_CHECKING:
    from workbench.view.view import ChartView

FRAME_BUDGET = 0.025  # CPU seconds: half a 50 ms frame, the rest is Qt's and the screen's
BAND_BUDGET = 0.04  # CPU seconds of a picture at rest drawn between two turns of events


class _Aside:
    """A picture at rest being drawn a step at a time into an image of its own."""

    def __init__(self, view: ChartView, density: Density) -> None:
        viewport = view.viewport()
        ratio = viewport.devicePixelRatioF()
        self.image = QImage(viewport.size() * ratio, QImage.Format.Format_ARGB32_Premultiplied)
        self.image.setDevicePixelRatio(ratio)
        self.image.fill(viewport.palette().color(viewport.backgroundRole()))
        self.world = view.viewportTransform()
        self.steps: Generator[None, None, None] = frame_steps(
            view, self.image, QRegion(viewport.rect()), density)
        self.cost = 0.0  # CPU seconds of its steps
        self.started = False
        self.changed = False  # Qt asked for a repaint while it was drawn


class KeptPicture:
    def __init__(self, view: ChartView) -> None:
        self._view = view
        self._image: QImage | None = None
        self._world = QTransform()  # the view's transform when the image was drawn
        self._cost = 0.0  # CPU seconds of the last full frame drawn for real
        self._frames = 0
        self.moving = False  # the view moved since its last finished picture
        self.density = Density()  # whether the window's thin links are drawn as hairlines
        self._aside: _Aside | None = None  # the picture at rest, being drawn
        self._finished = False  # the image is the picture just finished: the next paint shows it

    def reset(self) -> None:
        """Another scene: nothing kept, its cost unknown until it is drawn."""
        self._drop()
        self._image = None
        self._cost = 0.0
        self._frames = 0
        self.moving = False
        self.density = Density()

    def slow(self) -> bool:
        """Would a frame drawn afresh overrun the budget?"""
        scene = self._view.chart_scene()
        overview = scene.overview.render_seconds if scene.is_overview() else 0.0
        return max(self._cost, overview) > self._view.frame_budget

    def showing_kept(self) -> bool:
        """True while the screen shows the kept picture moved, not the chart drawn for it."""
        return self.moving and self._image is not None

    def drawing(self) -> bool:
        """True while the picture at rest is still being drawn, aside."""
        return self._aside is not None

    def move(self) -> None:
        """The view moved: its picture moves with it until it rests (a picture at rest being
        drawn for the place it left is dropped)."""
        self.moving = True
        self._drop()

    def rest(self) -> None:
        """The view rests: the real picture replaces the moved one, drawn aside a step at a
        time if a frame takes longer than twice the view's ``band_budget``. (After a pan, drawing
        only what scrolled in saved nothing: the labels placed at rest repaint the window.)"""
        if not self.moving or self._aside is not None:
            return
        if self._cost <= 2.0 * self._view.band_budget or self._image is None:
            self.moving = False
            self._view.viewport().update()
            return
        self._aside = _Aside(self._view, self.density)
        QTimer.singleShot(1, self._view.viewport(), self._step)

    def _drop(self) -> None:
        if self._aside is not None:
            self._aside.steps.close()
            self._aside = None

    def _step(self) -> None:
        """Draw the picture at rest for about the band budget, then let events in; show it
        once finished."""
        aside = self._aside
        if aside is None:
            return
        if not aside.started:  # the repaints Qt was asked for (the labels just placed) reach
            QCoreApplication.sendPostedEvents()  # the screen first, as the moved picture
            if self._aside is not aside:
                return
            aside.started, aside.changed = True, False
        start = time.thread_time()
        try:
            while time.thread_time() - start < self._view.band_budget:
                next(aside.steps)
        except StopIteration:
            aside.cost += time.thread_time() - start
            self._finish(aside)
            return
        aside.cost += time.thread_time() - start
        QTimer.singleShot(1, self._view.viewport(), self._step)

    def _finish(self, aside: _Aside) -> None:
        QCoreApplication.sendPostedEvents()  # a repaint Qt was asked for meanwhile: changed
        if self._aside is not aside:
            return
        self._aside = None
        self.moving = False
        viewport = self._view.viewport()
        if aside.changed or aside.world != self._view.viewportTransform() \
                or aside.image.size() != viewport.size() * viewport.devicePixelRatioF() \
                or not viewport.isVisible():
            viewport.update()  # drawn in full, at once
            return
        self._image, self._world, self._cost = aside.image, aside.world, aside.cost
        self._finished = True
        viewport.repaint()  # now: nothing may change before the picture is on the screen

    def paint(self, event: QPaintEvent) -> None:
        if self._aside is not None:
            self._aside.changed = True
        if self.showing_kept():
            self._paint_moved(event)
            return
        if self._finished:
            self._finished = False
            if self._world == self._view.viewportTransform():
                self._copy(event.region())
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
        view moved, since), then copy the region to the screen."""
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
        else:
            drawn = region
        under = QPainter(image)  # what the viewport's own background fill gives the screen
        under.setClipRegion(drawn)
        under.fillRect(viewport.rect(), viewport.palette().brush(viewport.backgroundRole()))
        under.end()
        paint_frame(view, image, drawn, self.density)
        self._copy(region)

    def _copy(self, region: QRegion) -> None:
        """The region of the kept image to the screen."""
        assert self._image is not None
        screen = QPainter(self._view.viewport())
        screen.setClipRegion(region)
        screen.drawImage(QPointF(0.0, 0.0), self._image)
        screen.end()

    def _paint_moved(self, event: QPaintEvent) -> None:
        """The kept image under the view's new transform: one scaled or shifted copy; what
        it does not cover keeps the scene's background."""
        view = self._view
        assert self._image is not None
        painter = QPainter(view.viewport())
        painter.setClipRegion(event.region())
        world = view.viewportTransform()
        painter.setWorldTransform(world)
        view.drawBackground(painter, view.mapToScene(event.rect()).boundingRect())
        inverse, _ = self._world.inverted()
        painter.setWorldTransform(inverse * world)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawImage(QRectF(view.viewport().rect()), self._image)
        painter.end()
