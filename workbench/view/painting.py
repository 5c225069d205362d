"""One frame of a chart view: the items the scene's own index finds, painted in Qt's order.

Qt's own paint asks its index which items lie in the window, and asks each its Python
``boundingRect``. On a 100,000-entity chart its BSP index files every hub's long links in
thousands of cells (4 s and a gigabyte to build, 1.3 s a frame at 45% zoom over the dense
centre), and without an index it asks all 300,000 items every frame. The scene already keeps
every item's course and bounds in numpy arrays for clicks (``spatial.py``); the view asks
those arrays what to draw and paints just that, bottom to top as Qt stacks them: links, then
selected links (raised over the others), then entities in the order they were added, then the
label layer and what a mouse mode draws. The straight, unselected links without a label in
sight are drawn in batches, one ``drawLines`` per pen (at 100% over the dense centre of a
100,000-entity chart, 15,000 long hub links cross the window: one Python ``paint`` each was
most of a pan's frame). Zoomed out on a big chart the overview stands in for every item.

Where a window is thick with links (at 100% over the dense centre of a 10,000-entity chart,
3,700 lines crossing it, two million pixels of line in a window of 1.2 million), thin pens
are drawn as hairlines: one device pixel, antialiased, in the link's colour (``Density``).
Qt strokes a pen wider than a pixel through its general rasteriser (63 ms of that frame's
80), and a hairline through its cosmetic stroker (20 ms); and at that density the lines
1.4 pixels wide ran together into a grey wash that hid the icons, where hairlines still show
each line apart. Sparser windows keep the links' own width (their lines cost little), as do
wide pens (a line's width by count says something) and anything drawn on its own: selected
links, curves, links with labels.

The frame is a generator of steps (``frame_steps``), run to its end for a frame, or a few
steps at a time for the picture at rest of a big chart, drawn aside (``kept_picture.py``).
Qt still says what to repaint when an item changes, hides or moves (the view's update
regions), as before.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QPaintDevice,
    QPainter,
    QPen,
    QPolygonF,
    QRegion,
    QTransform,
)
from PySide6.QtWidgets import (
    QRubberBand,
    QStyle,
    QStyleHintReturnMask,
    QStyleOptionGraphicsItem,
    QStyleOptionRubberBand,
)

from workbench.view.look import FADED, LINK_LABEL_PIXELS

if TYPE_CHECKING:
    from workbench.view.link_item import LinkItem
    from workbench.view.view import ChartView

_OPTION = QStyleOptionGraphicsItem()  # the items draw from their own state, not Qt's option
_GROW = 2.0  # pixels around the exposed area, for antialiased edges
_NO_PEN = QPen(Qt.PenStyle.NoPen)
STEP_LINKS = 4000  # links sorted, or arrowheads drawn, in a step of a picture drawn in steps
STEP_LINES = 2500  # lines drawn in a step
STEP_ENTITIES = 250  # entities drawn in a step
HAIRLINE_PIXELS = 1.6  # pens up to this wide on screen may be drawn as hairlines ...
DENSE = 0.7  # ... once the window holds this many pixels of plain lines per pixel of window,
SPARSE = 0.5  # ... until it holds fewer than this (a pan across the line does not flicker)


class Density:
    """Whether a view draws its thin links as hairlines: decided for the whole window when
    the view moves and on each frame of the whole window (when some pen could be thinned),
    so that a repaint of part of it draws lines that match those around it."""

    def __init__(self) -> None:
        self.world: QTransform | None = None
        self.dense = False

    def decide(self, world: QTransform, whole: bool, ink: Callable[[], float]) -> bool:
        """``ink``: pixels of plain lines per pixel of the window, asked when needed."""
        if whole or world != self.world:
            self.dense = ink() > (SPARSE if self.dense else DENSE)
            self.world = QTransform(world)
        return self.dense


def paint_frame(view: ChartView, device: QPaintDevice, region: QRegion,
                density: Density) -> None:
    """Draw ``region`` of the view (viewport pixels) on ``device``: the viewport itself, or
    the image the view keeps of it (``kept_picture.py``); ``density``: the view's."""
    for _ in frame_steps(view, device, region, density):
        pass


def frame_steps(view: ChartView, device: QPaintDevice, region: QRegion,
                density: Density) -> Generator[None, None, None]:
    """``paint_frame``, pausing after each step of some thousands of links or a few hundred
    entities: a big chart's picture at rest is drawn a few steps at a time, the window
    answering input in between (``kept_picture.py``). The device must stay unchanged by
    anything else until the last step."""
    scene = view.chart_scene()
    viewport = view.viewport()
    painter = QPainter(device)
    try:
        painter.setRenderHints(view.renderHints())
        painter.setClipRegion(region)
        rect = region.boundingRect().adjusted(-_GROW, -_GROW, _GROW, _GROW)
        exposed = view.mapToScene(rect).boundingRect()
        world = view.viewportTransform()
        painter.setWorldTransform(world)
        view.drawBackground(painter, exposed)
        if scene.is_overview():
            scene.overview.paint_cached(painter, view.devicePixelRatioF())
            scene.spatial.prepare_later(scene)  # for the next click, while the window is idle
        else:
            whole = QRegion(viewport.rect()).subtracted(region).isEmpty()
            thin = (density, whole, device.devicePixelRatioF())
            yield from _item_steps(painter, view, exposed, world, thin)
        for item in scene.top_items():
            if item.isVisible():
                painter.setWorldTransform(item.sceneTransform() * world)
                item.paint(painter, _OPTION, viewport)
        painter.setOpacity(1.0)
        painter.setWorldTransform(world)
        view.drawForeground(painter, exposed)
        _paint_band(view, painter)
    finally:
        painter.end()


def _item_steps(painter: QPainter, view: ChartView, exposed: QRectF, world: QTransform,
                thin: tuple[Density, bool, float]) -> Generator[None, None, None]:
    """``thin``: the view's density, whether the whole window is drawn, and the device's
    pixel ratio."""
    scene, viewport = view.chart_scene(), view.viewport()
    entities, links = scene.spatial.drawn_in(exposed.left(), exposed.top(), exposed.right(),
                                             exposed.bottom())
    options = scene.options
    scale = world.m11() or 1.0
    labelled = LINK_LABEL_PIXELS * scale >= options.min_label_pixels
    batches: dict[int, tuple[QPen, QBrush, list[QLineF], list[QPolygonF]]] = {}
    own: list[LinkItem] = []  # curves and labelled links paint themselves
    raised: list[LinkItem] = []
    for count, link in enumerate(links, 1):  # in scene coordinates, as the view's transform
        if not link.isVisible():
            continue
        if link.isSelected():
            raised.append(link)
            continue
        line, arrows, pen, brush, _width = link.parts()
        if line is None or (labelled and link.shown_text):
            own.append(link)
            continue
        batch = batches.get(id(pen))
        if batch is None:
            batch = batches[id(pen)] = (pen, brush, [], [])
        batch[2].append(line)
        batch[3].extend(arrows)
        if count % STEP_LINKS == 0:
            yield
    density, whole, ratio = thin
    pens = {id(pen): pen.widthF() * scale * ratio for pen, *_ in batches.values()}
    if any(1.0 < pixels <= HAIRLINE_PIXELS for pixels in pens.values()) and density.decide(
            world, whole, lambda: _ink(view)):  # (measured only when some pen could thin)
        pens = {key: pixels if 1.0 < pixels <= HAIRLINE_PIXELS else 0.0
                for key, pixels in pens.items()}
    else:
        pens = dict.fromkeys(pens, 0.0)
    painter.setOpacity(FADED if options.fade_active else 1.0)
    for pen, brush, lines, arrows in batches.values():
        pixels = pens[id(pen)]
        drawn = _hairline(pen, pixels) if pixels else pen
        for start in range(0, len(lines), STEP_LINES):
            yield
            painter.setPen(drawn)
            painter.drawLines(lines[start:start + STEP_LINES])
        painter.setPen(_NO_PEN)
        painter.setBrush(brush)
        for count, arrow in enumerate(arrows, 1):
            painter.drawPolygon(arrow)
            if count % STEP_LINKS == 0:
                yield
    yield
    for link in own + raised:
        link.paint(painter, _OPTION, viewport)
    for count, entity in enumerate(entities, 1):
        if entity.isVisible():
            painter.setWorldTransform(world)
            painter.translate(entity.pos())
            entity.paint(painter, _OPTION, viewport)
        if count % STEP_ENTITIES == 0:
            yield
    yield


def _ink(view: ChartView) -> float:
    """Pixels of plain lines per pixel of the view's window."""
    rect = view.viewport().rect()
    seen = view.mapToScene(rect).boundingRect()
    length = view.chart_scene().spatial.ink_in(seen.left(), seen.top(), seen.right(),
                                               seen.bottom())
    return length * (view.viewportTransform().m11() or 1.0) / max(rect.width() * rect.height(), 1)


def _hairline(pen: QPen, pixels: float) -> QPen:
    """``pen`` one device pixel wide (Qt's cosmetic stroker), its dashes as long on screen
    as they were at ``pixels`` wide."""
    thin = QPen(pen)
    thin.setCosmetic(True)
    thin.setWidthF(1.0)
    if pen.style() != Qt.PenStyle.SolidLine:
        thin.setDashPattern([length * pixels for length in pen.dashPattern()])
    return thin


def _paint_band(view: ChartView, painter: QPainter) -> None:
    """The view's rubber band, drawn as QGraphicsView draws its own."""
    band = view.band_rect()
    if band.isEmpty():
        return
    viewport = view.viewport()
    painter.resetTransform()
    style = QStyleOptionRubberBand()
    style.initFrom(viewport)
    style.rect = band
    style.shape = QRubberBand.Shape.Rectangle
    mask = QStyleHintReturnMask()
    if viewport.style().styleHint(QStyle.StyleHint.SH_RubberBand_Mask, style, viewport, mask):
        painter.setClipRegion(mask.region, Qt.ClipOperation.IntersectClip)
    viewport.style().drawControl(QStyle.ControlElement.CE_RubberBand, style, painter, viewport)
